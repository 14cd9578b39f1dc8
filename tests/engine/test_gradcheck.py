"""The gradient check passes correct graphs and catches a wrong local derivative."""

import math
import random

import pytest

from engine import value as value_module
from engine.gradcheck import GradCheckRow, check_gradients
from engine.nn import MLP
from engine.value import Value


def composite():
    a, b, c = Value(0.7, "a"), Value(1.6, "b"), Value(-0.4, "c")
    d = (a * b + c.tanh()) ** 2 / (a.exp() + 1.0)
    e = b.log() - a.sigmoid() * c + (b - a).relu() + 2.0 ** c + a ** b
    return a, b, c, d * e - (-c) / b


def test_a_correct_graph_passes_with_every_leaf_reported():
    a, b, c, out = composite()
    rows = check_gradients(out)
    labelled = {r.name: r for r in rows if r.name in ("a", "b", "c")}
    assert set(labelled) == {"a", "b", "c"}
    for leaf in (a, b, c):
        row = labelled[leaf.label]
        assert isinstance(row, GradCheckRow) and row.leaf is leaf and row.ok and row.note == ""
        assert row.analytic == leaf.grad != 0.0
        assert row.numeric == pytest.approx(row.analytic, rel=1e-5)
    assert all(r.ok for r in rows)
    # constants such as 1.0 and 2.0 are leaves too, named by position
    unnamed = [r.name for r in rows if r.name not in ("a", "b", "c")]
    assert unnamed and all(n.startswith("leaf #") for n in unnamed)


def test_leaves_without_labels_are_numbered_in_graph_order():
    x, y = Value(2.0), Value(3.0)
    rows = check_gradients(x * y + x)
    assert [r.name for r in rows] == ["leaf #1", "leaf #2"]
    assert [r.leaf for r in rows] == [x, y]
    assert [r.analytic for r in rows] == [4.0, 2.0]
    assert [r.numeric for r in rows] == pytest.approx([4.0, 2.0])
    only_y = check_gradients(x * y + x, leaves=[y])
    assert [(r.name, r.leaf) for r in only_y] == [("leaf #2", y)]


def test_a_small_network_with_fused_and_fine_neurons_passes():
    for fused in (True, False):
        model = MLP(2, [3, 1], activation="tanh", fused=fused, rng=random.Random(4))
        model.label_parameters()
        out = model([Value(0.5, "x1"), Value(-1.2, "x2")])
        rows = check_gradients(out * out)
        assert len(rows) == 2 + len(model.parameters())
        assert all(r.ok for r in rows), [r for r in rows if not r.ok]


def test_a_wrong_local_derivative_fails_the_check(monkeypatch):
    def wrong_tanh_derivative(out, x):
        return (2.0 * (1.0 - out * out),)

    monkeypatch.setattr(value_module.TANH, "derivative", wrong_tanh_derivative)
    a, b = Value(0.3, "a"), Value(-0.8, "b")
    out = (a * 2.0).tanh() + b * b  # a goes through tanh, b does not
    rows = {r.name: r for r in check_gradients(out)}
    assert rows["a"].ok is False
    assert rows["a"].analytic == pytest.approx(2 * rows["a"].numeric)
    assert rows["b"].ok is True


def test_a_wrong_fast_path_would_fail_too(monkeypatch):
    # backward has fast paths for *, + and the fused neuron: route the neuron through a
    # broken description instead, and the check (which only uses forward) notices
    from engine import graph

    monkeypatch.setattr(graph, "NEURON", object())  # the fast path no longer matches
    monkeypatch.setattr(value_module.NEURON, "derivative", lambda out, *xs: (1.0,) * len(xs))
    w, x, bias = [Value(0.5, "w")], [Value(2.0, "x")], Value(0.1, "bias")
    rows = {r.name: r for r in check_gradients(value_module.fused_neuron(w, x, bias))}
    assert rows["bias"].ok and not rows["w"].ok and not rows["x"].ok


def test_an_expression_program_output_is_accepted():
    class Program:  # anything with an ``output`` Value, like engine.expr.Program
        def __init__(self, output):
            self.output = output

    a = Value(1.5, "a")
    rows = check_gradients(Program(a.log() * a))
    assert rows[0].name == "a" and rows[0].ok
    assert rows[0].analytic == pytest.approx(math.log(1.5) + 1.0)


def test_a_graph_that_cannot_be_nudged_is_reported_not_raised():
    x = Value(1e-9, "x")
    rows = check_gradients(x.log(), eps=1e-6)
    assert rows[0].ok is False and math.isnan(rows[0].numeric)
    assert "cannot evaluate" in rows[0].note and "log" in rows[0].note


def test_bad_arguments():
    with pytest.raises(TypeError):
        check_gradients(3.0)
    with pytest.raises(ValueError):
        check_gradients(Value(1.0), eps=0.0)
