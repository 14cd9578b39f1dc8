"""The table of operations (engine/ops.py): each block is right, the fast paths agree with
it, and an operation added as one block (sin, cos) works everywhere in the engine."""

from __future__ import annotations

import copy
import json
import pickle
import math
import random

import pytest

from engine import OPS, Value, fused_neuron, vsum
from engine.value import dot
from engine.expr import FUNCTIONS, ExprError, evaluate
from engine.export import to_dot, to_json
from engine.gradcheck import check_gradients
from engine.graph import backward, propagate_generic, topological_order
from engine.nn import ACTIVATIONS, MLP
from engine.ops import COS, SIN, find_op, pow_const_op
from engine.train import TrainConfig, Trainer
from engine.value import apply

RNG = random.Random(20240518)


def _point(op_symbol: str, n: int) -> list[float]:
    """Inputs inside the operation's domain, away from kinks (relu at 0)."""
    if op_symbol == "log" or op_symbol.startswith("**") and op_symbol != "**":
        return [RNG.uniform(0.2, 3.0)]  # log, and x ** k for a fractional or negative k
    if op_symbol == "**":
        return [RNG.uniform(0.3, 2.0), RNG.uniform(-2.0, 2.0)]
    if op_symbol == "/":
        return [RNG.uniform(-2.0, 2.0), RNG.choice([-1, 1]) * RNG.uniform(0.3, 2.0)]
    xs = [RNG.uniform(-2.0, 2.0) for _ in range(n)]
    return [x if abs(x) > 0.05 else 0.5 for x in xs]


def _inputs(op) -> int:
    return {"neuron": 5, "sum": 4, "dot": 4}.get(op.symbol, op.arity)


@pytest.mark.parametrize("symbol", list(OPS) + ["**2", "**0.5", "**-1"])
def test_every_block_local_derivative_matches_central_differences(symbol):
    op = find_op(symbol)
    for _ in range(20):
        xs = _point(symbol, _inputs(op))
        out = op.forward(*xs)
        local = op.derivative(out, *xs)
        assert len(local) == len(xs)
        for i, x in enumerate(xs):
            h = 1e-6 * max(1.0, abs(x))
            up = list(xs)
            down = list(xs)
            up[i] += h
            down[i] -= h
            numeric = (op.forward(*up) - op.forward(*down)) / (2 * h)
            assert local[i] == pytest.approx(numeric, rel=1e-5, abs=1e-6), (symbol, xs, i)


def test_value_fast_paths_equal_the_table():
    # Value.__add__/__sub__/__mul__/__neg__/relu and the shortcut methods are inlined or typed
    # copies of their blocks: on random inputs they give exactly the table's numbers
    for _ in range(200):
        x, y = RNG.uniform(-5, 5), RNG.uniform(-5, 5)
        a, b, p = Value(x), Value(y), Value(abs(x) + 0.1)
        pairs = [(a + b, "+"), (a - b, "-"), (a * b, "*"), (a / b, "/"), (-a, "neg"),
                 (p ** b, "**"), (a.relu(), "relu"), (a.tanh(), "tanh"),
                 (a.exp(), "exp"), (p.log(), "log"), (a.sigmoid(), "sigmoid"),
                 (a.sin(), "sin"), (a.cos(), "cos")]
        for node, symbol in pairs:
            op = OPS[symbol]
            assert node._op is op
            assert node.data == op.forward(*(c.data for c in node._prev)), symbol
        neuron = fused_neuron([a, b], [b, a], a)
        assert neuron._op is OPS["neuron"] and neuron.data == OPS["neuron"].forward(x, x, y, y, x)
        assert vsum([a, b, a]).data == OPS["sum"].forward(x, y, x)
        assert dot([a, b], [b, a]).data == OPS["dot"].forward(x, y, y, x) == sum([a * b, b * a]).data
        assert (a ** 3).data == pow_const_op(3.0).forward(x)


def test_backward_fast_paths_equal_the_table():
    # graph.backward has fast paths for +, *, the fused neuron and one-input operations;
    # propagate_generic uses only op.local: both must give the same bits
    for _ in range(50):
        x, y, z = (Value(RNG.uniform(-2, 2)) for _ in range(3))
        roots = [x * y + z, fused_neuron([x, y], [z, x], y), (x - y) / (z * z + 1.0),
                 dot([x, y, x], [z, x, y]) * vsum([x, y, z, x]),
                 (x * y).tanh() ** 2 + z.sin() * x.cos() + (y + 3.0).log() + x.relu()
                 + z.sigmoid() + (-y).exp()]
        for root in roots:
            for leaf in (x, y, z):  # backward adds into the leaves
                leaf.grad = 0.0
            order = backward(root)
            fast = [n.grad for n in order]
            for n in order:
                n.grad = 0.0
            root.grad = 1.0
            for n in reversed(order):
                if n._prev:
                    propagate_generic(n)
            assert [n.grad for n in order] == fast


def test_unary_backward_fast_paths_equal_the_table():
    # graph.backward hands relu, exp, x ** k (constant k) and log their gradient without the
    # table's derivative; on random inputs, through a chain that feeds each into the next,
    # every grad is the table's to the bit
    for _ in range(200):
        x = Value(RNG.uniform(-3, 3))
        k = RNG.choice([-1.0, -0.5, 0.5, 2.0, 3.0, RNG.uniform(-3, 3)])
        y = (x.exp() + 0.5) ** k
        root = (y.log() * x).relu() + x.exp() * (x * x + 1.0).log() + (y + x * x).relu()
        x.grad = 0.0
        order = backward(root)
        fast = [n.grad for n in order]
        for n in order:
            n.grad = 0.0
        root.grad = 1.0
        for n in reversed(order):
            if n._prev:
                propagate_generic(n)
        assert [n.grad for n in order] == fast, k
        assert {n._op.symbol for n in order} >= {"relu", "exp", "log", pow_const_op(k).symbol}


def test_trainer_float_forward_equals_the_graph():
    # the trainer's second, float-only forward pass (relu inlined, the others the table's
    # forward) gives the graph's numbers to the last bit, for every activation
    for name in ACTIVATIONS:
        trainer = Trainer(TrainConfig(dataset="moons", n_samples=40, hidden=(4,),
                                      activation=name, steps=1, seed=3))
        points = trainer.train_set.X[:10]
        floats = trainer.predict_many(points)
        graph = [trainer.model([Value(v) for v in p]).data for p in points]
        assert floats == graph, name


def test_an_operation_survives_copy_and_pickle_as_itself():
    for op in [*OPS.values(), pow_const_op(2.0), find_op("")]:
        assert copy.deepcopy(op) is op and pickle.loads(pickle.dumps(op)) is op


def test_everything_that_lists_operations_reads_the_table():
    named = {s for s, op in OPS.items() if op.function}
    assert {"relu", "tanh", "exp", "log", "sigmoid", "sin", "cos"} <= named
    assert set(FUNCTIONS) == named
    assert set(ACTIVATIONS) == {s for s, op in OPS.items() if op.activation} | {"linear"}
    for name in named:
        assert callable(getattr(Value, name)), name


def test_the_rule_texts_are_rendered_from_one_template():
    assert OPS["*"].formula == "d(a * b)/da = b,  d(a * b)/db = a"
    assert OPS["tanh"].formula == "d tanh(x)/dx = 1 - tanh(x)^2"
    assert OPS["neuron"].formula == "d/db = 1,  d/dw_i = x_i,  d/dx_i = w_i"
    assert pow_const_op(2.0).formula == "d(x ** 2)/dx = 2 * x^1"
    assert OPS["**"].local_text(1, ["p.data", "q.data"]) == "p.data^q.data * ln(p.data)"
    assert OPS["/"].local_text(1, ["n", "d"]) == "-n/d^2"
    # a neuron's weight reads its own input, and the input its own weight
    names = ["b", "w1", "w2", "x1", "x2"]
    assert [OPS["neuron"].local_text(i, names) for i in range(5)] == ["1", "x1", "x2", "w1", "w2"]
    assert OPS["sum"].local_text(2, ["p", "q", "r"]) == "1"


# --- sin and cos, added as one block each ----------------------------------------------

def test_sin_and_cos_in_python_code():
    x = Value(0.5, "x")
    y = x.sin() * x.cos()
    y.backward()
    assert y.data == math.sin(0.5) * math.cos(0.5)
    assert x.grad == pytest.approx(math.cos(1.0), rel=1e-15)  # d(sin x cos x)/dx = cos 2x
    assert x.sin()._op is SIN and x.cos()._op is COS and SIN == "sin"


def test_sin_and_cos_in_the_expression_language():
    program = evaluate("x = 0.5\ny = sin(x) + x.cos()\nz = cos(2) * y.sin()")
    program.backward()
    x = program.variables["x"]
    y = math.sin(0.5) + math.cos(0.5)
    assert program.variables["y"].data == y
    assert program.output.data == math.cos(2.0) * math.sin(y)
    expected = math.cos(2.0) * math.cos(y) * (math.cos(0.5) - math.sin(0.5))
    assert x.grad == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ExprError, match="sin\\(\\) takes no arguments"):
        evaluate("x = 1\ny = x.sin(2)")
    with pytest.raises(ExprError, match="sin, cos and Value"):
        evaluate("x = 1\ny = tan(x)")


def test_sin_and_cos_pass_the_gradient_check():
    a, b = Value(0.7, "a"), Value(-1.3, "b")
    rows = check_gradients((a * b).sin() + b.cos() * a.cos().sin())
    assert [r.name for r in rows] == ["a", "b"] and all(r.ok for r in rows)


def test_sin_and_cos_in_dot_and_json_export():
    x = Value(0.25, "x")
    out = x.sin() + x.cos()
    out.backward()
    dot = to_dot(out)
    assert '[label="sin", shape=ellipse]' in dot and '[label="cos", shape=ellipse]' in dot
    data = json.loads(json.dumps(to_json(out)))
    assert sorted(n["op"] for n in data["nodes"]) == ["", "+", "cos", "sin"]


def test_an_mlp_can_take_the_new_operations_as_functions_of_its_outputs():
    model = MLP(1, [2, 1], rng=random.Random(1))
    out = model([Value(0.3)]).sin()
    out.backward()
    assert any(p.grad != 0.0 for p in model.parameters())


# --- the number of inputs of a node made from outside ------------------------------------

def test_a_node_with_the_wrong_number_of_inputs_is_refused():
    v1, v2 = Value(1.0), Value(2.0)
    with pytest.raises(ValueError, match=r"'tanh' \(hyperbolic tangent\) takes 1 input, not 2"):
        Value(1, _children=(v1, v2), _op="tanh")
    with pytest.raises(ValueError, match=r"'\*' \(multiply\) takes 2 inputs, not 1"):
        Value(1, _children=(v1,), _op="*")
    with pytest.raises(ValueError, match="takes 1 input, not 0"):
        Value(1, _op="sin")
    with pytest.raises(ValueError, match="'neuron'.* cannot take 4 inputs"):
        Value(1, _children=(v1, v2, v1, v2), _op="neuron")
    with pytest.raises(ValueError, match="takes 1 input, not 2"):
        Value(1, _children=(v1, v2), _op="**2")
    with pytest.raises(ValueError, match="takes 2 inputs, not 3"):
        apply(OPS["+"], v1, v2, v1)
    # an operation the engine does not know is micrograd's way: its node's _backward says
    # the derivative; backward without one says what is missing
    for unknown in (Value(1, _children=(v1,), _op="softsign"), Value(1, _children=(v1,))):
        with pytest.raises(ValueError, match="has no _backward: the engine does not know"):
            unknown.backward()
    # the right number of inputs is accepted, and backward uses the table's derivative
    node = Value(math.tanh(1.0), _children=(v1,), _op="tanh")
    node.backward()
    assert v1.grad == 1.0 - math.tanh(1.0) ** 2
    assert Value(3.0, _children=(v1, v2), _op="+")._op is OPS["+"]
    assert len(topological_order(Value(5.0, _children=(v1, v2, v2), _op="neuron"))) == 3
