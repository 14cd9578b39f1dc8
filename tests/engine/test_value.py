"""Value and its operations: numbers, gradients against central differences, errors."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine import OPS, NumericError, Value, fused_neuron, pow_const_op, vsum
from engine.graph import backward, propagate_generic, topological_order
from engine.value import LEAF

finite = st.floats(min_value=-5.0, max_value=5.0, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.05, max_value=5.0)


def numeric_grad(f, xs: list[float], i: int) -> float:
    h = 1e-6 * max(1.0, abs(xs[i]))
    up = list(xs)
    down = list(xs)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


def check_op(build, plain, xs: list[float]) -> None:
    """Gradients of ``build(*Values)`` equal central differences of ``plain(*floats)``."""
    leaves = [Value(x) for x in xs]
    out = build(*leaves)
    assert out.data == pytest.approx(plain(*xs), rel=1e-12, abs=1e-12)
    out.backward()
    for i, leaf in enumerate(leaves):
        assert leaf.grad == pytest.approx(numeric_grad(plain, xs, i), rel=1e-5, abs=1e-6), (
            f"input {i} of {xs}"
        )


@given(finite, finite)
def test_add_sub_mul_gradients(a, b):
    check_op(lambda x, y: x + y, lambda x, y: x + y, [a, b])
    check_op(lambda x, y: x - y, lambda x, y: x - y, [a, b])
    check_op(lambda x, y: x * y, lambda x, y: x * y, [a, b])


@given(finite, finite)
def test_div_gradients(a, b):
    assume(abs(b) > 0.1)
    check_op(lambda x, y: x / y, lambda x, y: x / y, [a, b])


@given(positive, st.floats(min_value=-3, max_value=3))
def test_value_power_value_gradients(a, b):
    check_op(lambda x, y: x ** y, lambda x, y: x ** y, [a, b])


@given(finite, st.sampled_from([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 0.5, 1.5]))
def test_constant_power_gradients(a, k):
    if k != int(k):
        assume(a > 0.05)
    if k < 0:
        assume(abs(a) > 0.1)
    check_op(lambda x: x ** k, lambda x: x ** k, [a])


@given(finite)
def test_unary_gradients(a):
    check_op(lambda x: -x, lambda x: -x, [a])
    check_op(lambda x: x.tanh(), math.tanh, [a])
    check_op(lambda x: x.exp(), math.exp, [a])
    check_op(lambda x: x.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), [a])
    assume(abs(a) > 1e-3)  # relu's kink
    check_op(lambda x: x.relu(), lambda x: max(x, 0.0), [a])


@given(positive)
def test_log_gradient(a):
    check_op(lambda x: x.log(), math.log, [a])


@given(finite, finite)
def test_reflected_operators(a, b):
    assume(abs(b) > 0.1)
    check_op(lambda y: a - y, lambda y: a - y, [b])
    check_op(lambda y: a / y, lambda y: a / y, [b])
    check_op(lambda y: a + y, lambda y: a + y, [b])
    check_op(lambda y: a * y, lambda y: a * y, [b])
    check_op(lambda y: 2.0 ** y, lambda y: 2.0 ** y, [b])


@given(st.lists(finite, min_size=3, max_size=9))
def test_fused_neuron_and_sum_gradients(xs):
    n = (len(xs) - 1) // 2
    vals = xs[: 2 * n + 1]

    def plain(*v):
        acc = v[0]
        for i in range(n):
            acc = acc + v[1 + i] * v[1 + n + i]
        return acc

    check_op(lambda b, *wx: fused_neuron(wx[:n], wx[n:], b), plain, vals)
    check_op(lambda *v: vsum(v), lambda *v: math.fsum(v), xs)


def test_every_operation_is_described_and_its_method_agrees_with_its_forward():
    # the inspector and lessons read Op.formula: every op must have one, and the fast
    # methods must compute what the description says
    for op in list(OPS.values()) + [pow_const_op(2.0), pow_const_op(0.5)]:
        assert op.formula and op.name, op
    a, b = Value(0.7), Value(-1.3)
    pairs = [
        (a + b, OPS["+"]), (a - b, OPS["-"]), (a * b, OPS["*"]), (a / b, OPS["/"]),
        (-a, OPS["neg"]), (a ** Value(1.5), OPS["**"]), (a.relu(), OPS["relu"]),
        (b.relu(), OPS["relu"]), (a.tanh(), OPS["tanh"]), (a.exp(), OPS["exp"]),
        (a.log(), OPS["log"]), (b.sigmoid(), OPS["sigmoid"]), (a ** 3, pow_const_op(3.0)),
        (fused_neuron([a, b], [b, a], a), OPS["neuron"]), (vsum([a, b, a]), OPS["sum"]),
    ]
    for node, op in pairs:
        assert node._op is op
        assert node.data == op.forward(*(c.data for c in node._prev))


def test_fast_backward_paths_agree_with_the_operation_descriptions():
    x, y, z = Value(1.5), Value(-2.0), Value(0.3)
    nodes = [x * y + z, fused_neuron([x, y], [z, x], y), (x - y) / z, (x * y).tanh() ** 2]
    for root in nodes:
        root.zero_grad()  # backward adds into the leaves
        order = backward(root)
        fast = [n.grad for n in order]
        for n in order:
            n.grad = 0.0
        root.grad = 1.0
        for n in reversed(order):
            if n._prev:
                propagate_generic(n)
        assert [n.grad for n in order] == fast


def test_readme_example_numbers_match_micrograd():
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
    assert g.data == pytest.approx(24.70408163265306, abs=1e-9)
    g.backward()
    assert a.grad == pytest.approx(138.83381924198252, abs=1e-9)
    assert b.grad == pytest.approx(645.5772594752186, abs=1e-9)


def test_a_node_used_twice_has_two_children_and_gradient_two():
    a = Value(3.0)
    b = a + a
    assert b._prev == (a, a)
    b.backward()
    assert a.grad == 2.0


def test_backward_twice_gives_exactly_twice_the_leaf_gradients():
    # PyTorch's rule; micrograd's second call (issue #53) keeps the interior grads and
    # gives wrong leaf grads: here the interior nodes start again from 0
    a, b = Value(2.0), Value(-3.0)
    mid = a * b + a
    out = mid.tanh()
    out.backward()
    first = (a.grad, b.grad, mid.grad)
    out.backward()
    assert (a.grad, b.grad) == (2 * first[0], 2 * first[1])
    assert mid.grad == first[2]
    out.zero_grad()
    out.backward()
    assert (a.grad, b.grad) == first[:2]


def test_gradients_of_several_losses_add_up_until_zero_grad():
    w = Value(0.5)
    l1 = w * 3.0
    l2 = (w * w) * 2.0
    l1.backward()
    l2.backward()
    assert w.grad == 3.0 + 4 * 0.5
    l2.zero_grad()
    l2.backward()
    assert w.grad == 2.0
    w.grad = 10.0  # a grad set beforehand is added to, too
    l1.backward()
    assert w.grad == 13.0


def test_relu_derivative_at_zero_is_zero():
    x = Value(0.0)
    y = x.relu()
    y.backward()
    assert x.grad == 0.0


@pytest.mark.parametrize("x", [0.0, -2.0, 3.5])
def test_power_zero_has_gradient_zero_everywhere(x):
    v = Value(x)
    y = v ** 0
    y.backward()
    assert y.data == 1.0
    assert v.grad == 0.0


def test_tanh_of_huge_inputs_does_not_overflow():
    for x in (1000.0, -1000.0, 1e300):
        v = Value(x)
        t = v.tanh()
        t.backward()
        assert abs(t.data) == 1.0 and v.grad == 0.0


def test_sigmoid_is_stable_for_large_inputs():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


@pytest.mark.parametrize(
    "make, op, words",
    [
        (lambda: Value(0.0).log(), "log", "x > 0"),
        (lambda: Value(-1.0).log(), "log", "x > 0"),
        (lambda: Value(0.0) ** -1, "**", "zero to a negative power"),
        (lambda: Value(0.0) ** Value(-1.0), "**", "zero to a negative power"),
        (lambda: Value(1.0) / 0.0, "/", "division by zero"),
        (lambda: 1.0 / Value(0.0), "/", "division by zero"),
        (lambda: Value(-2.0) ** 0.5, "**", "negative base to a non-integer power"),
        (lambda: Value(1000.0).exp(), "exp", "overflow"),
        (lambda: Value(1e200) * 1e200, "*", "overflow"),
        (lambda: Value(1e308) + 1e308, "+", "overflow"),
        (lambda: Value(-1e308) - 1e308, "-", "overflow"),
        (lambda: Value(10.0) ** 400, "**", "overflow"),
        (lambda: 9 ** (Value(9.0) ** 9), "**", "overflow"),
        (lambda: fused_neuron([Value(1e300)], [Value(1e300)], Value(0.0)), "neuron", "overflow"),
    ],
)
def test_numeric_errors_name_the_operation_and_operands(make, op, words):
    with pytest.raises(NumericError) as info:
        make()
    assert info.value.op == op
    assert words in str(info.value)
    assert info.value.operands  # the numbers that went in are reported


def test_gradient_overflow_in_backward_is_an_error_not_inf():
    a = Value(1e-200, "a")
    b = a * a  # underflows to 0.0: the forward pass is finite all along
    d = (b * 1e300) * 1e300
    assert d.data == 0.0
    with pytest.raises(NumericError) as info:
        d.backward()  # d(d)/db = 1e600: not a float
    assert "gradient" in str(info.value) and "overflow" in str(info.value)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_a_value_must_be_finite(bad):
    with pytest.raises(NumericError):
        Value(bad)


def test_non_numbers_are_refused_with_a_clear_message():
    with pytest.raises(TypeError, match="real number"):
        Value("3")
    with pytest.raises(TypeError, match="real number"):
        Value(1.0) + "x"


def test_integers_become_floats_at_the_edge():
    v = Value(3)
    assert type(v.data) is float
    assert type((v + 2).data) is float


def test_labels_and_structure():
    a = Value(2.0, label="a")
    b = a * 3
    assert a.label == "a" and a.is_leaf and a.op is LEAF
    assert b.op == "*" and b.children[0] is a and b.children[1].data == 3.0
    assert repr(a) == "Value(a, data=2.0, grad=0.0)"


def test_topological_order_is_deterministic_and_children_come_first():
    def build():
        a, b = Value(1.0, "a"), Value(2.0, "b")
        c = a * b
        d = (c + a).tanh() * (c - b)
        return d

    orders = []
    for _ in range(3):
        root = build()
        order = topological_order(root)
        pos = {id(n): i for i, n in enumerate(order)}
        assert order[-1] is root
        assert len(pos) == len(order)
        for n in order:
            for c in n._prev:
                assert pos[id(c)] < pos[id(n)]
        orders.append([(n.label, str(n._op), n.data) for n in order])
    assert orders[0] == orders[1] == orders[2]


def test_a_chain_of_a_million_nodes_backpropagates_without_recursion():
    x = Value(0.5, "x")
    one = Value(1.0)
    v = x
    for _ in range(1_000_000):
        v = v + one
    assert v.data == 1_000_000.5
    v.backward()
    assert x.grad == 1.0
    assert one.grad == 1_000_000.0
    # a deep chain of unary operations too (micrograd recurses here and fails)
    y = Value(0.1)
    u = y
    for _ in range(200_000):
        u = -u
    u.backward()
    assert y.grad == 1.0


@settings(max_examples=50)
@given(st.lists(finite, min_size=1, max_size=6))
def test_micrograd_style_code_runs_unchanged(xs):
    # the shape of code people write for karpathy/micrograd
    vals = [Value(x) for x in xs]
    out = sum((v * v for v in vals), Value(0.0)).relu() + 1
    out.backward()
    for v, x in zip(vals, xs):
        expected = 2 * x if sum(x * x for x in xs) > 0 else 0.0
        assert v.grad == pytest.approx(expected)


@pytest.mark.parametrize(
    "build",
    [lambda x: x ** 0.5, lambda x: x ** Value(0.5), lambda x: x ** 0.25],
)
def test_an_infinite_derivative_is_a_clear_error_in_backward(build):
    x = Value(0.0, "x")
    y = build(x)
    with pytest.raises(NumericError, match="infinite"):
        y.backward()


def test_division_by_a_tiny_number_backpropagates_or_fails_clearly():
    a, b = Value(1e-300), Value(1e-200)
    q = a / b  # 1e-100
    q.backward()  # d/db = -(a/b)/b = -1e100: representable
    assert b.grad == pytest.approx(-1e100)


def test_micrograd_style_construction_keeps_the_operation():
    a = Value(3.0)
    y = Value(9.0, (a,), "**2")  # micrograd's order: Value(data, _children, _op, label)
    y.backward()
    assert a.grad == 6.0
    old = Value(9.0, "y", (a,), "**2")  # the older order, label second, still reads
    assert (old.label, old._prev, old._op) == ("y", (a,), "**2")
    assert Value(2.0, "b").label == "b"
    named = Value(1.0, (a,), "ReLU", "r")  # a symbol the engine does not know is allowed
    assert (named.label, str(named._op)) == ("r", "ReLU")
    with pytest.raises(TypeError, match="a str second argument is the label"):
        Value(1.0, "x", label="y")
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, (a,), "+", 3)


def test_a_data_field_set_to_nan_is_caught_at_the_next_operation():
    a = Value(1.0)
    a.data = math.nan
    for op in (lambda: a.relu(), lambda: a.tanh(), lambda: a / 2.0, lambda: a * 2.0):
        with pytest.raises(NumericError):
            op()


def test_accumulating_into_a_leaf_root_adds():
    a = Value(2.0)
    a.backward()
    a.backward()
    assert a.grad == 2.0


def test_step_by_step_backward_refuses_to_spread_infinity():
    x = Value(5e-324)
    y = x.log()
    y.grad = 1.0
    with pytest.raises(NumericError, match="gradient"):
        propagate_generic(y)


def test_numeric_errors_survive_pickling():
    import pickle

    e = NumericError("log", (0.0,), "log is only defined for x > 0")
    assert str(pickle.loads(pickle.dumps(e))) == str(e)


def test_walking_the_graph_leaves_the_garbage_collector_as_it_found_it():
    import gc

    root = Value(1.0) * 2 + 3
    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            topological_order(root)
            root.backward()
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()


def test_an_overflow_in_a_wide_neuron_stays_one_readable_sentence():
    w = [Value(1e300)] * 30
    x = [Value(1e300)] * 30
    with pytest.raises(NumericError) as info:
        fused_neuron(w, x, Value(0.0))
    text = str(info.value)
    assert "61 inputs in all" in text and "overflow" in text and len(text) < 200
