"""Code written for karpathy/micrograd runs here unchanged and gives micrograd's numbers.

Written by us from micrograd's published examples (its README, test/test_engine.py, demo.ipynb
and trace_graph.ipynb); no code is copied.  What a micrograd user would notice if it broke:
the README's printed numbers, the demo notebook's loss, ``draw_dot``'s picture,
``except ZeroDivisionError``, and the reprs and optimizer calls micrograd-style code writes.
"""

from __future__ import annotations

import gc
import json
import pickle
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import MLP, SGD, Adam, EngineError, GraphvizMissingError, Neuron, NumericError, Value, draw_dot
from engine.train import PRESETS, Trainer

MOONS = Path(__file__).resolve().parents[2] / "engine" / "data" / "micrograd_moons.json"


# --- micrograd's two engine checks (test/test_engine.py), with the published numbers ------

def test_sanity_check_expression_gives_pytorchs_numbers():
    # micrograd checks this expression against PyTorch; in float64 both give exactly these
    # (every intermediate is a small integer: z = -10, q = 40, h = 100)
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert y.data == -20.0
    assert x.grad == 46.0  # dh/dx = 2z*3 = -60; dq/dx = -22; dy/dx = -60 + (1+x)(-22) + q


def test_more_ops_prints_the_readme_numbers():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    assert f"{g.data:.4f}" == "24.7041"  # micrograd's README: the forward pass
    g.backward()
    assert f"{a.grad:.4f}" == "138.8338"  # dg/da
    assert f"{b.grad:.4f}" == "645.5773"  # dg/db
    # and PyTorch's float64 values, within micrograd's own tolerance
    assert abs(g.data - 24.70408163265306) < 1e-6
    assert abs(a.grad - 138.83381924198252) < 1e-6 and abs(b.grad - 645.5772594752186) < 1e-6


# --- the demo notebook's training loop, written the notebook's way --------------------------

def _notebook_run() -> list[tuple[float, float]]:
    """demo.ipynb's loop: plain lists, ``sum()``, ``p.data -= lr * p.grad``; (loss, accuracy)."""
    data = json.loads(MOONS.read_text(encoding="utf-8"))
    X, y = data["X"], data["y"]
    random.seed(1337)
    model = MLP(2, [16, 16, 1])

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    printed = []
    for k in range(100):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        printed.append((total_loss.data, acc))
    return printed


def test_the_demo_notebook_loop_gives_the_trainers_losses_to_the_bit():
    # 100 steps of the fine graph (~6 million nodes): the cyclic garbage collector would only
    # cost time (the graph has no cycles, reference counting frees it), so it is paused
    state, gc_was_enabled = random.getstate(), gc.isenabled()
    gc.disable()
    try:
        printed = _notebook_run()
    finally:
        random.setstate(state)
        if gc_was_enabled:
            gc.enable()
    events = Trainer(PRESETS["micrograd-demo"]).run()
    assert [loss for loss, _ in printed] == [e.loss for e in events]  # every bit, every step
    assert [acc for _, acc in printed] == [e.accuracy for e in events]
    # the notebook's first and last lines
    assert printed[0][0] == 0.8958441028683222 and printed[99] == (0.010978370135492717, 1.0)


# --- trace_graph.ipynb's draw_dot ----------------------------------------------------------

def _records(source: str) -> dict[str, str]:
    return dict(re.findall(r'^\s*(n\d+) \[label="\{ (.*?) \}" shape=record\]$', source, re.M))


def _ops(source: str) -> dict[str, str]:
    return {name: label.strip('"')
            for name, label in re.findall(r"^\s*(n\d+_op) \[label=(.*?)\]$", source, re.M)}


def _edges(source: str) -> list[tuple[str, str]]:
    return re.findall(r"^\s*(n\w+) -> (n\w+)$", source, re.M)


def test_draw_dot_draws_the_notebooks_simple_example():
    x = Value(1.0)
    y = (x * 2 + 1).relu()
    y.backward()
    dot = draw_dot(y)
    assert type(dot).__name__ == "Digraph" and dot.format == "svg"
    source = dot.source
    assert "rankdir=LR" in source
    records = _records(source)
    assert sorted(records.values()) == sorted([
        "data 1.0000 | grad 2.0000",   # x
        "data 2.0000 | grad 1.0000",   # the constant 2
        "data 2.0000 | grad 1.0000",   # x * 2
        "data 1.0000 | grad 1.0000",   # the constant 1
        "data 3.0000 | grad 1.0000",   # x * 2 + 1
        "data 3.0000 | grad 1.0000",   # relu
    ])
    ops = _ops(source)
    assert sorted(ops.values()) == ["*", "+", "relu"]
    edges = _edges(source)
    # each operation points at the value it made, and each input at the operation
    assert len(edges) == 8
    for op in ops:
        assert (op, op.removesuffix("_op")) in edges
        assert sum(1 for a, b in edges if b == op) == (1 if ops[op] == "relu" else 2)
    (root,) = [n for n in records if not any(a == n for a, _ in edges)]
    assert (ops[root + "_op"], records[root]) == ("relu", "data 3.0000 | grad 1.0000")


def test_draw_dot_draws_the_notebooks_neuron_with_labels_and_options():
    random.seed(1337)
    w = [random.uniform(-1, 1), random.uniform(-1, 1)]  # what Neuron(2) draws, in order
    random.seed(1337)
    n = Neuron(2)
    x = [Value(1.0, label="x1"), Value(-2.0, label="x|2")]
    y = n(x)
    y.label = "out"
    y.backward()
    dot = draw_dot(y, format="png", rankdir="TB")
    assert dot.format == "png" and "rankdir=TB" in dot.source
    records = list(_records(dot.source).values())
    act = 0.0 + w[0] * 1.0 + w[1] * -2.0
    alive = 1.0 if act > 0 else 0.0
    assert f"data {w[0]:.4f} | grad {alive * 1.0:.4f}" in records
    assert f"data {w[1]:.4f} | grad {alive * -2.0:.4f}" in records
    assert f"x1 | data 1.0000 | grad {alive * w[0]:.4f}" in records
    assert f"x\\|2 | data -2.0000 | grad {alive * w[1]:.4f}" in records  # `|` is text, not a field
    assert f"out | data {max(act, 0.0):.4f} | grad 1.0000" in records
    assert sorted(_ops(dot.source).values()) == ["*", "*", "+", "+", "relu"]
    random.seed()


def test_draw_dot_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="rankdir must be one of LR, TB, RL, BT, not 'XY'"):
        draw_dot(Value(1.0), rankdir="XY")
    with pytest.raises(ValueError, match="format 'nope'"):
        draw_dot(Value(1.0), format="nope")
    with pytest.raises(TypeError, match="draw_dot needs a Value, not float"):
        draw_dot(1.0)


def test_without_graphviz_draw_dot_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # `import graphviz` now fails
    with pytest.raises(GraphvizMissingError) as info:
        draw_dot(Value(1.0) + 2)
    err = info.value
    assert isinstance(err, ImportError) and isinstance(err, EngineError)
    assert err.name == "graphviz"
    assert "pip install 'micrograd-tui[graphviz]'" in str(err)
    assert "engine.export.to_dot" in str(err)


def test_importing_the_engine_does_not_import_graphviz():
    probe = "import sys, engine; from engine import draw_dot; print('graphviz' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# --- numeric errors are the built-in exceptions micrograd code catches ----------------------

def test_except_zero_division_error_catches_value_divided_by_zero():
    try:
        Value(1) / 0
    except ZeroDivisionError as e:
        caught = e
    assert isinstance(caught, NumericError)
    assert caught.op == "/" and str(caught) == "1.0 / 0.0: division by zero"


def _backward_of(make):
    def run():
        make().backward()
    return run


@pytest.mark.parametrize("run, builtin, op", [
    (lambda: Value(1.0) / 0, ZeroDivisionError, "/"),
    (lambda: 2.0 / Value(0.0), ZeroDivisionError, "/"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, "**"),
    (lambda: Value(0.0) ** Value(-2.0), ZeroDivisionError, "**"),
    (_backward_of(lambda: Value(0.0) ** 0.5), ZeroDivisionError, "**0.5"),
    (_backward_of(lambda: Value(0.0) ** Value(0.5)), ZeroDivisionError, "**"),
    (lambda: Value(1e308) * 10, OverflowError, "*"),
    (lambda: Value(1000.0).exp(), OverflowError, "exp"),
    (lambda: Value(10.0) ** 400, OverflowError, "**"),
    (lambda: Value(10.0) ** Value(400.0), OverflowError, "**"),
    (lambda: Value(10 ** 400), OverflowError, "Value"),
    (lambda: Value(0.0).log(), ValueError, "log"),
    (lambda: Value(-1.0).log(), ValueError, "log"),
    (lambda: Value(-8.0) ** Value(0.5), ValueError, "**"),
    (_backward_of(lambda: Value(-8.0) ** Value(2.0)), ValueError, "**"),
    (lambda: Value(float("nan")), ValueError, "Value"),
])
def test_each_numeric_error_is_also_the_matching_builtin(run, builtin, op):
    with pytest.raises(builtin) as info:
        run()
    err = info.value
    assert isinstance(err, NumericError) and err.op == op
    others = {ZeroDivisionError, OverflowError, ValueError} - {builtin}
    assert not any(isinstance(err, o) for o in others), type(err).__mro__
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and str(again) == str(err) and again.op == err.op


def test_a_numeric_error_keeps_its_place_and_kind_through_pickle():
    err = NumericError("/", (1.0, 0.0), "division by zero", where="at training step 3")
    assert isinstance(err, ZeroDivisionError)
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == "1.0 / 0.0: division by zero (at training step 3)"
    assert isinstance(again, ZeroDivisionError) and again.where == "at training step 3"


def test_a_diverging_optimizer_is_an_overflow_error():
    p = Value(1e308, label="p")
    p.grad = -1e308
    with pytest.raises(OverflowError, match="diverged.*'p'"):
        SGD([p], 10.0).step()
    assert p.data == 1e308


# --- reprs and optimizer calls as micrograd-style code writes them --------------------------

def test_reprs_read_as_micrograds():
    random.seed(0)
    assert repr(MLP(2, [2, 1])) == (
        "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]")
    assert repr(Neuron(16, nonlin=False)) == "LinearNeuron(16)"
    assert repr(Neuron(3, activation="tanh")) == "TanhNeuron(3)"
    assert repr(Neuron(1, activation="sigmoid")) == "SigmoidNeuron(1)"
    random.seed()


@pytest.mark.parametrize("make", [
    lambda ps: SGD(ps, 1.0, schedule="linear", steps=10),
    lambda ps: SGD(ps, 0.1, momentum=0.9, schedule="cosine", steps=10),
    lambda ps: Adam(ps, lr=0.05, schedule="step", steps=10),
])
def test_a_bare_step_follows_the_schedule_as_counted_steps_do(make):
    counted, bare = [Value(0.5), Value(-1.0)], [Value(0.5), Value(-1.0)]
    opt_counted, opt_bare = make(counted), make(bare)
    rates = []
    for k in range(6):
        for ps in (counted, bare):
            ps[0].grad, ps[1].grad = ps[0].data - 2.0, 3.0 * ps[1].data
        assert opt_counted.step(k) == opt_counted.lr_at(k)
        rates.append(opt_bare.step())
    assert rates == [opt_bare.lr_at(k) for k in range(6)] and len(set(rates)) > 1
    assert [p.data for p in bare] == [p.data for p in counted]
    assert opt_bare.steps_taken == 6


def test_a_failed_bare_step_is_not_counted_and_a_bad_index_is_refused():
    p = Value(1e308)
    opt = SGD([p], 1.0, schedule="linear", steps=10)
    p.grad = -1e308
    with pytest.raises(NumericError, match="at step 1"):
        opt.step()
    p.grad = 1.0
    assert opt.step() == 1.0 and opt.steps_taken == 1
    assert opt.step(5) == opt.lr_at(5) and opt.step() == opt.lr_at(6)
    with pytest.raises(ValueError, match=r"step: k must be a whole number >= 0 \(or left out\), not -1"):
        opt.step(-1)
