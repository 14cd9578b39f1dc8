"""Time the engine side by side with PyPI's micrograd.  Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_engine.py [--steps 7] [--chain 1000000]

1. The micrograd demo notebook's training step (its 100 points, ``MLP(2, [16, 16, 1])`` after
   ``random.seed(1337)``, max-margin loss + 1e-4 L2, full batch, the notebook's loop copied
   below) for (a) our fine graph (one node per ``*`` and ``+``, as micrograd builds),
   (b) our fused graph (one node per neuron), (c) PyPI's ``micrograd`` when it is installed
   (``make bench`` installs it), and (d) ``engine.train.Trainer`` on the same preset when that
   module exists: ms per step (median of several steps) and the ratio to micrograd.

   Two tables: with Python's cyclic garbage collector on, as a program normally runs, and
   with it off during each timed step (and a ``gc.collect()`` between steps, untimed).  One
   fine-graph step creates about 65,000 nodes.  Each allocation of a container counts towards
   the collector's thresholds, so a step sets off hundreds of young collections and several
   full (generation 2) ones, and a full collection walks every live object: the model, the
   whole graph under construction, and whatever else the process holds.  That cost grows with
   the graph and has nothing to do with the autograd code; micrograd pays it too, and also
   needs the collector to free its graphs at all (each node's ``_backward`` closure refers
   back to the node: a reference cycle), whereas ours are freed by reference counting.  The
   second table isolates the engines' own work; the first is what a user sees.

2. A chain of 10**6 nodes (``x = x + c`` with one shared constant): build and backward
   seconds, and bytes per node measured with tracemalloc.
"""

from __future__ import annotations

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


def time_steps(step: Callable[[int], float], steps: int, *, gc_off: bool) -> tuple[list[float], list[float]]:
    """Seconds and loss of each of ``steps`` consecutive steps."""
    times, losses = [], []
    gc.collect()
    for k in range(steps):
        if gc_off:
            gc.disable()
        t0 = time.perf_counter()
        losses.append(step(k))
        t1 = time.perf_counter()
        if gc_off:
            gc.enable()
            gc.collect()  # free micrograd's cyclic garbage outside the timed region
        times.append(t1 - t0)
    return times, losses


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
    try:
        from engine.train import PRESETS, Trainer
    except ImportError:
        print("(d) engine.train is not available yet: skipped")
    else:
        def trainer_factory() -> Callable[[int], float]:
            trainer = Trainer(PRESETS["micrograd-demo"])
            return lambda k: trainer.step().loss
        out.append(("(d) engine.train.Trainer, micrograd-demo", trainer_factory))
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
        title = ("cyclic GC off during each step (collected between steps)" if gc_off
                 else "cyclic GC on (as usual)")
        print(f"\n  {title}")
        print(f"  {'':44} {'ms/step':>9} {'vs micrograd':>13} {'loss at step 0':>20}")
        results = []
        for name, factory in entries:
            times, losses = time_steps(factory(), steps, gc_off=gc_off)
            results.append((name, statistics.median(times), losses[0]))
        ref = next((t for name, t, _ in results if "micrograd 0.1.0" in name), None)
        for name, t, loss0 in results:
            ratio = f"{ref / t:.1f}x faster" if ref and "micrograd 0.1.0" not in name else "1.0x" if ref else "n/a"
            print(f"  {name:44} {t * 1e3:9.2f} {ratio:>13} {loss0:20.16f}")
    print(f"  (the notebook's loss at step 0 is {NOTEBOOK_LOSS_0!r})")


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
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]} on {sys.platform}\n")
    demo_tables(args.steps)
    chain(args.chain)
    hostile_programs()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
