"""Time the engine side by side with PyPI's micrograd.  Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_engine.py [--steps 7] [--chain 1000000]

1. The micrograd demo notebook's training step (its 100 points, ``MLP(2, [16, 16, 1])`` after
   ``random.seed(1337)``, max-margin loss + 1e-4 L2, full batch, the notebook's loop copied
   below) for (a) our fine graph (one node per ``*`` and ``+``, as micrograd builds),
   (b) our fused graph (one node per neuron), (c) PyPI's ``micrograd`` when it is installed
   (``make bench`` installs it), (d) ``engine.train.Trainer`` on the graph path
   (``columnar=False``) and (e) the Trainer as it runs, on its columnar path (whole layers
   over the batch, engine/columnar.py; the same bits): ms per step, wall and CPU
   (``time.process_time``), median of several steps, and the ratio to micrograd.

   Fairness: ``gc.freeze()`` after the imports (the modules' objects are not rescanned),
   ``gc.collect()`` before each contender, every contender from the same initial weights,
   and each row's loss at step 0 printed (all must be the notebook's).

   Two tables: with Python's cyclic garbage collector on, as a program normally runs, and
   with it off during each timed step (and a ``gc.collect()`` between steps, untimed).  One
   fine-graph step creates about 65,000 nodes.  Each allocation of a container counts towards
   the collector's thresholds, so a step sets off hundreds of young collections and several
   full (generation 2) ones, and a full collection walks every live object: the model, the
   whole graph under construction, and whatever else the process holds.  That cost grows with
   the graph and has nothing to do with the autograd code; micrograd pays it too, and also
   needs the collector to free its graphs at all (each node's ``_backward`` closure refers
   back to the node: a reference cycle), whereas ours are freed by reference counting.  The
   second table isolates the engines' own work; the first is what a user sees.  The
   Trainer's "GC on" rows pause the collector inside its own step (``Trainer.step`` does it:
   its graphs and columns have no cycles), which the notebook's loop does not do for the
   others.

2. Headless training speed on 1,000 moons points (the moons-tanh preset with
   ``n_samples=1000`` and no test split, hidden 16,16, full batch): steps per second, wall
   and CPU, columnar path versus graph path.  (For reference only: a Rust-backed drop-in for
   micrograd on PyPI claims 13-75x micrograd; it cannot be built here.)

3. A chain of 10**6 nodes (``x = x + c`` with one shared constant): build and backward
   seconds, and bytes per node measured with tracemalloc (a Value has a ``__dict__`` slot
   for attributes of one's own, micrograd's ``p.m = 0``: it must stay under 200).

4. Evaluating a program of 10k, 100k and 200k nodes: microseconds per node, which must not
   grow with the size (``expr.evaluate`` pauses the cyclic GC).
"""

from __future__ import annotations

import dataclasses
import argparse
import gc
import json
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runs from a checkout without installing, too
    sys.path.insert(0, str(ROOT))

from engine import Value  # noqa: E402
from engine.graph import topological_order  # noqa: E402
from engine.nn import MLP  # noqa: E402

DEMO_DATA = ROOT / "engine" / "data" / "micrograd_moons.json"
NOTEBOOK_LOSS_0 = 0.8958441028683222  # the demo notebook's printed loss at step 0


def load_demo() -> tuple[list[list[float]], list[float]]:
    data = json.loads(DEMO_DATA.read_text())
    return data["X"], [float(v) for v in data["y"]]


# --- the notebook's loop, for any Value class and model ---------------------------------

def make_step(value_cls: Any, model: Any, X: list[list[float]], y: list[float],
              total_steps: int = 100) -> Callable[[int], float]:
    """One training step of micrograd's demo.ipynb, verbatim but for the names."""

    def loss() -> tuple[Any, float]:
        inputs = [list(map(value_cls, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    def step(k: int) -> float:
        total_loss, _acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / total_steps
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        return total_loss.data

    step.loss = loss  # type: ignore[attr-defined]
    return step


def time_steps(step: Callable[[int], float], steps: int, *,
               gc_off: bool) -> tuple[list[float], list[float], list[float]]:
    """Wall seconds, CPU seconds and loss of each of ``steps`` consecutive steps."""
    walls, cpus, losses = [], [], []
    gc.collect()
    for k in range(steps):
        if gc_off:
            gc.disable()
        t0, c0 = time.perf_counter(), time.process_time()
        losses.append(step(k))
        t1, c1 = time.perf_counter(), time.process_time()
        if gc_off:
            gc.enable()
            gc.collect()  # free micrograd's cyclic garbage outside the timed region
        walls.append(t1 - t0)
        cpus.append(c1 - c0)
    return walls, cpus, losses


def contenders(X: list[list[float]], y: list[float]) -> list[tuple[str, Callable[[], Callable[[int], float]]]]:
    """(name, factory of a fresh step function starting from micrograd's initial weights)."""

    def ours(fused: bool) -> Callable[[], Callable[[int], float]]:
        def factory() -> Callable[[int], float]:
            random.seed(1337)
            return make_step(Value, MLP(2, [16, 16, 1], fused=fused), X, y)
        return factory

    out = [("(a) engine, fine graph", ours(False)), ("(b) engine, fused neurons", ours(True))]
    try:
        from micrograd.engine import Value as MGValue
        from micrograd.nn import MLP as MGMLP
    except ImportError:
        print("(c) micrograd is not installed: `make bench` installs it (pip install micrograd)")
    else:
        def micrograd_factory() -> Callable[[int], float]:
            random.seed(1337)
            return make_step(MGValue, MGMLP(2, [16, 16, 1]), X, y)
        out.append(("(c) micrograd 0.1.0 (PyPI)", micrograd_factory))
    from engine.train import PRESETS, Trainer

    def trainer(columnar: bool) -> Callable[[], Callable[[int], float]]:
        def factory() -> Callable[[int], float]:
            t = Trainer(PRESETS["micrograd-demo"], columnar=columnar)
            return lambda k: t.step().loss
        return factory

    out.append(("(d) Trainer, graph path (columnar=False)", trainer(False)))
    out.append(("(e) Trainer, columnar path (the default)", trainer(True)))
    return out


def graph_sizes(X: list[list[float]], y: list[float]) -> None:
    for fused in (False, True):
        random.seed(1337)
        step = make_step(Value, MLP(2, [16, 16, 1], fused=fused), X, y)
        total_loss, _ = step.loss()  # type: ignore[attr-defined]
        kind = "fused" if fused else "fine"
        print(f"  nodes in one step's graph, {kind}: {len(topological_order(total_loss)):,}")


def demo_tables(steps: int) -> None:
    X, y = load_demo()
    print(f"micrograd demo step: 100 points, MLP(2, [16, 16, 1]), max-margin + 1e-4 L2, "
          f"median of {steps} steps")
    graph_sizes(X, y)
    entries = contenders(X, y)
    for gc_off in (False, True):
        title = ("cyclic GC off during each step, for every contender (collected between steps)"
                 if gc_off else "cyclic GC on (as usual; the Trainer pauses it inside its own step)")
        print(f"\n  {title}")
        print(f"  {'':42} {'wall ms':>8} {'CPU ms':>8} {'vs micrograd':>13} {'(wall)':>7} "
              f"{'loss at step 0':>19}")
        results = []
        for name, factory in entries:
            gc.collect()
            walls, cpus, losses = time_steps(factory(), steps, gc_off=gc_off)
            results.append((name, statistics.median(walls), statistics.median(cpus), losses[0]))
        ref = next(((w, c) for name, w, c, _ in results if "micrograd 0.1.0" in name), None)
        for name, wall, cpu, loss0 in results:
            if ref is None:
                ratio, wall_ratio = "n/a", ""
            else:
                ratio, wall_ratio = f"{ref[1] / cpu:.1f}x", f"{ref[0] / wall:.1f}x"
            print(f"  {name:42} {wall * 1e3:8.2f} {cpu * 1e3:8.2f} {ratio:>13} {wall_ratio:>7} "
                  f"{loss0:19.16f}")
    print(f"  (the notebook's loss at step 0 is {NOTEBOOK_LOSS_0!r}; \"vs micrograd\" is the "
          f"ratio of CPU times, then of wall times.  Targets for (e): >= 25x with the GC off, "
          f">= 100x with it on.  A Rust-backed drop-in on PyPI claims 13-75x; not built here)")


# --- training speed on 1,000 points ------------------------------------------------------

def moons_speed(steps: int) -> None:
    from engine.train import PRESETS, Trainer

    config = dataclasses.replace(PRESETS["moons-tanh"], n_samples=1000, test_fraction=0.0, steps=steps)
    print(f"\nheadless Trainer, 1,000 moons points, hidden 16,16, tanh, bce + Adam, full batch, "
          f"{steps} steps (GC on; the Trainer pauses it inside each step)")
    print(f"  {'':42} {'wall steps/s':>13} {'CPU steps/s':>12} {'final loss':>20}")
    speeds = []
    for columnar in (False, True):
        gc.collect()
        trainer = Trainer(config, columnar=columnar)
        t0, c0 = time.perf_counter(), time.process_time()
        events = trainer.run()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        name = "columnar path (the default)" if columnar else "graph path (columnar=False)"
        speeds.append(steps / cpu)
        print(f"  {name:42} {steps / wall:13.1f} {steps / cpu:12.1f} {events[-1].loss:20.16f}")
    print(f"  columnar / graph: {speeds[1] / speeds[0]:.1f}x the steps per CPU second "
          f"(target: >= 8 steps/s)")


# --- a long chain -------------------------------------------------------------------------

def build_chain(n: int) -> Value:
    x = Value(0.0)
    c = Value(1e-6)
    for _ in range(n):
        x = x + c
    return x


def chain(n: int) -> None:
    print(f"\nchain of {n:,} nodes (x = x + c, one shared constant c)")
    for gc_off in (False, True):
        gc.collect()
        if gc_off:
            gc.disable()
        t0 = time.perf_counter()
        x = build_chain(n)
        t1 = time.perf_counter()
        x.backward()
        t2 = time.perf_counter()
        if gc_off:
            gc.enable()
        what = "GC off" if gc_off else "GC on "
        print(f"  {what}  build {t1 - t0:6.3f} s   backward {t2 - t1:6.3f} s   "
              f"(d x/d c = {x._prev[1].grad:,.0f})")
        del x
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    x = build_chain(n)
    built = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    print(f"  memory: {built / n:.0f} bytes per node (tracemalloc, after building)")
    del x
    gc.collect()
    try:
        from micrograd.engine import Value as MGValue
    except ImportError:
        return
    m = min(n, 100_000)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    y = MGValue(0.0)
    c = MGValue(1e-6)
    for _ in range(m):
        y = y + c
    mg_bytes = (tracemalloc.get_traced_memory()[0] - base) / m
    tracemalloc.stop()
    try:
        y.backward()
        note = "backward ran"
    except RecursionError:
        note = "its backward raises RecursionError (recursive topological sort)"
    print(f"  micrograd, chain of {m:,}: {mg_bytes:.0f} bytes per node; {note}")
    del y
    gc.collect()


def evaluation_scaling(sizes: tuple[int, ...] = (10_000, 100_000, 200_000)) -> None:
    """Evaluating a program of n nodes (``a = a * 1.0001 + 0.5``, repeated; the limits raised
    to let it through) must take a time linear in n: the same microseconds per node at every
    size.  ``expr.evaluate`` pauses the cyclic GC itself; best of 3, wall and CPU."""
    from engine.expr import DEFAULT_LIMITS, evaluate

    print("\nexpression language, evaluation time per node (best of 3; GC paused inside evaluate)")
    for n in sizes:
        statements = n // 4  # each statement makes 4 nodes: two constants, * and +
        source = "a = 0.5\n" + "\n".join("a = a * 1.0001 + 0.5" for _ in range(statements))
        limits = dataclasses.replace(DEFAULT_LIMITS, source_chars=len(source) + 1,
                                     statements=statements + 1, nodes=n + 10)
        wall = cpu = float("inf")
        nodes = 0
        for _ in range(3):
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            program = evaluate(source, limits)
            wall = min(wall, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
            nodes = len(topological_order(program.output))
            del program
        print(f"  {nodes:>9,} nodes: {wall * 1e6 / nodes:6.2f} µs per node wall, "
              f"{cpu * 1e6 / nodes:6.2f} CPU")


def hostile_programs() -> None:
    """The expression language promises that no input takes more than a fraction of a second:
    time the worst inputs we know (the fuzz tests check what they raise, not how long)."""
    from engine.expr import DEFAULT_LIMITS, ExprError, evaluate
    MAX_SOURCE_CHARS = DEFAULT_LIMITS.source_chars

    cases = {
        "9**9**9**9": "x = 9**9**9**9",
        "deep brackets": "x = " + "(" * 60 + "1" + ")" * 60,
        "too deep brackets": "x = " + "(" * 5000 + "1" + ")" * 5000,
        "20,000 chars of '-'": "x = " + "-" * (MAX_SOURCE_CHARS - 10) + "1",
        "500 statements": "\n".join(f"a{i} = {i}.5 * 2" for i in range(500)),
        "long chain": "a = 1.0\n" + "\n".join("a = a * 1.0001 + a" for _ in range(400)),
        "junk": "".join(chr(32 + (i * 7919) % 95) for i in range(MAX_SOURCE_CHARS)),
    }
    print("\nexpression language, hostile inputs (evaluate, best of 3)")
    for name, source in cases.items():
        best = float("inf")
        outcome = "ok"
        for _ in range(3):
            t0 = time.perf_counter()
            try:
                evaluate(source)
            except ExprError as e:
                outcome = f"ExprError: {e.message[:40]}"
            best = min(best, time.perf_counter() - t0)
        print(f"  {name:<22} {best * 1000:8.1f} ms   {outcome}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=7, help="timed steps per contender")
    parser.add_argument("--chain", type=int, default=10**6, help="length of the chain")
    parser.add_argument("--moons-steps", type=int, default=20,
                        help="training steps on 1,000 moons points")
    args = parser.parse_args(argv)
    import engine.train  # noqa: F401  (everything imported before the freeze)
    try:
        import micrograd.nn  # noqa: F401
    except ImportError:
        pass
    gc.collect()
    gc.freeze()  # the imported modules' objects stay out of every collection that follows
    print(f"Python {sys.version.split()[0]} on {sys.platform}\n")
    demo_tables(args.steps)
    moons_speed(args.moons_steps)
    chain(args.chain)
    evaluation_scaling()
    hostile_programs()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
