"""The gradient check passes correct graphs and catches a wrong local derivative."""

import math
import sys
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


def test_near_a_domain_edge_the_step_shrinks_and_a_right_gradient_passes():
    """log(x) at x = 1e-9: x - 1e-6 leaves log's domain; the check takes a smaller step
    instead of failing a gradient that is right, and says so."""
    x = Value(1e-9, "x")
    row = check_gradients(x.log(), eps=1e-6)[0]
    assert row.ok and row.status == "pass"
    assert row.numeric == pytest.approx(1e9, rel=1e-6)
    assert "leaves the domain" in row.note and "log" in row.note and "the step is" in row.note
    y = Value(1e-9, "y")
    assert check_gradients(y ** 0.5)[0].ok  # a fractional power, the same way


def test_near_a_domain_edge_a_wrong_derivative_still_fails():
    from engine.expr import evaluate
    from engine.user_ops import define_op

    mylog = define_op("mylog", "x", "log(x)", ["1 / x**2"])  # should be 1 / x
    program = evaluate("x = 0.000000001\ny = mylog(x)\n", ops={"mylog": mylog})
    row = check_gradients(program)[0]
    assert row.status == "FAIL"
    assert row.numeric == pytest.approx(1e9, rel=1e-6) and row.analytic == pytest.approx(1e18)


def test_a_graph_that_no_step_can_nudge_is_not_checked_rather_than_failed():
    """exp at the largest x whose exp is a float: any step up overflows."""
    x = Value(math.log(sys.float_info.max), "x")
    row = check_gradients(x.exp())[0]
    assert not row.ok and row.unreliable and row.status == "unreliable"
    assert math.isnan(row.numeric)
    assert "not checked" in row.note and "exp" in row.note


def test_bad_arguments():
    with pytest.raises(TypeError):
        check_gradients(3.0)
    with pytest.raises(ValueError):
        check_gradients(Value(1.0), eps=0.0)


# --- cancellation: the step below the float resolution of a value it passes through ----

def test_a_small_leaf_added_to_a_huge_one_is_unreliable_not_failed():
    a, b = Value(1e10, "a"), Value(1.0, "b")
    rows = {r.name: r for r in check_gradients(a + b)}
    # the sum moves in steps of 1.9e-6 while h = 1e-6: the estimate is noise
    assert rows["b"].analytic == 1.0 and abs(rows["b"].numeric - 1.0) > 0.5
    assert rows["b"].status == "unreliable" and not rows["b"].failed and not rows["b"].ok
    assert "numeric estimate unreliable here (cancellation)" in rows["b"].note
    assert rows["b"].rounding > abs(rows["b"].numeric - 1.0)
    assert rows["a"].status == "pass"  # a's own step (1e4) is well resolved


def test_a_leaf_added_to_a_huge_constant_is_unreliable_not_failed():
    a = Value(3.0, "a")
    rows = check_gradients(a + 1e12)
    row = next(r for r in rows if r.name == "a")
    assert row.numeric == 0.0  # a ± 3e-6 vanishes in 1e12
    assert row.status == "unreliable" and not row.failed
    constant = next(r for r in rows if r.name != "a")
    assert constant.status == "pass"


def test_cancellation_in_the_middle_of_the_graph_is_found():
    a = Value(3.0, "a")
    out = (a + 1e12) - 1e12 + a * a  # the root is small, but the nudge passed through 1e12
    row = next(r for r in check_gradients(out) if r.name == "a")
    assert row.analytic == 7.0 and row.status == "unreliable"


def test_a_wrong_derivative_fails_beside_a_cancelled_leaf(monkeypatch):
    # b's estimate is lost in 1e10 + b; y never meets a big value: its wrong derivative fails
    monkeypatch.setattr(value_module.TANH, "derivative",
                        lambda out, x: (2.0 * (1.0 - out * out),))
    a, b, y = Value(1e10, "a"), Value(1.0, "b"), Value(0.3, "y")
    rows = {r.name: r for r in check_gradients((a + b) - a + y.tanh())}
    assert rows["b"].status == "unreliable"
    assert rows["y"].status == "FAIL" and rows["y"].failed and rows["y"].note == ""
    assert rows["y"].analytic == pytest.approx(2 * rows["y"].numeric)


def test_a_wrong_derivative_larger_than_the_rounding_fails_even_in_cancellation(monkeypatch):
    # y's nudge passes through 1e10 (rounding bound ~2): a derivative 100 times too big
    # is still beyond it, a 2 times too big one is not
    a, y = Value(1e10, "a"), Value(0.3, "y")
    for factor, status in ((100.0, "FAIL"), (2.0, "unreliable")):
        monkeypatch.setattr(value_module.TANH, "derivative",
                            lambda out, x, k=factor: (k * (1.0 - out * out),))
        row = next(r for r in check_gradients(a + y.tanh()) if r.name == "y")
        assert row.status == status, (factor, row)


def test_well_resolved_values_leave_a_tiny_rounding_bound():
    a, b, c, out = composite()
    for row in check_gradients(out):
        assert row.ok and row.rounding < 1e-8 * max(1.0, abs(row.analytic))
