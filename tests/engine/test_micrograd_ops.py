"""micrograd's ways, written by us: a custom operation with its own ``_backward``,
gradients accumulated over several ``backward()`` calls, deep copies and pickles."""

from __future__ import annotations

import copy
import math
import pickle
import random

import pytest

from engine import MLP, Value
from engine.export import to_dot
from engine.gradcheck import check_gradients


def my_sin(x: Value) -> Value:
    """An operation written micrograd's way (the engine knows 'sin', not this code)."""
    out = Value(math.sin(x.data), (x,), "sin")

    def _backward() -> None:
        x.grad += math.cos(x.data) * out.grad
    out._backward = _backward
    return out


def softsign(x: Value) -> Value:
    """One whose symbol the engine does not know."""
    out = Value(x.data / (1.0 + abs(x.data)), (x,), "softsign")

    def _backward() -> None:
        x.grad += 1.0 / (1.0 + abs(x.data)) ** 2 * out.grad
    out._backward = _backward
    return out


def test_a_custom_operation_with_its_own_backward_gives_its_gradient():
    x = Value(0.7, label="x")
    y = softsign(x) * my_sin(x)
    y.backward()
    s, ds = 0.7 / 1.7, 1.0 / 1.7 ** 2
    assert x.grad == pytest.approx(ds * math.sin(0.7) + s * math.cos(0.7), rel=1e-15)
    assert str(y._prev[0]._op) == "softsign" and y._prev[0]._op == "softsign"


def test_the_closure_is_what_backward_calls_even_for_a_known_symbol():
    x = Value(0.3)
    out = Value(math.sin(x.data), (x,), "sin")

    def wrong() -> None:  # a deliberately wrong derivative: the engine must not replace it
        x.grad += 5.0 * out.grad
    out._backward = wrong
    out.backward()
    assert x.grad == 5.0
    assert out._backward is wrong


def test_gradcheck_tests_a_closure_against_the_engine_forward_and_says_what_it_cannot():
    x = Value(0.4, label="x")
    good = check_gradients(my_sin(x) * 3.0)
    assert [r.status for r in good] == ["pass", "pass"]
    bad = Value(math.sin(0.4), (x,), "sin")

    def _backward() -> None:
        x.grad += 2.0 * bad.grad
    bad._backward = _backward
    assert check_gradients(bad)[0].status == "FAIL"
    unknown = check_gradients(softsign(x))
    assert unknown[0].status == "unreliable" and "does not know how to compute 'softsign'" \
        in unknown[0].note


def test_an_unknown_operation_without_backward_says_what_is_missing():
    x = Value(1.0)
    with pytest.raises(ValueError, match="'softsign' has no _backward"):
        Value(0.5, (x,), "softsign").backward()


def test_the_built_in_nodes_backward_can_be_called_as_micrograd_does():
    # micrograd's own backward loop: for v in reversed(topo): v._backward()
    a, b = Value(2.0), Value(-3.0)
    out = my_sin(a * b + a)
    topo = [a, b, out._prev[0]._prev[0], out._prev[0], out]
    out.grad = 1.0
    for v in reversed(topo):
        v._backward()
    by_hand = (a.grad, b.grad)
    out.zero_grad()
    out.backward()
    assert (a.grad, b.grad) == by_hand


def test_attributes_of_ones_own_on_a_value():
    p = Value(1.0)
    p.m = 0.0
    p.tag = "weight"
    p.m += 0.5
    assert (p.m, p.tag) == (0.5, "weight")
    assert not hasattr(Value(2.0) * 3.0, "m")


def test_accumulation_over_several_backward_calls_is_the_sum_of_the_per_sample_gradients():
    model = MLP(2, [3, 1], rng=random.Random(1))
    samples = [([0.5, -1.0], 1.0), ([2.0, 0.3], -1.0), ([-0.7, 0.9], 0.5)]
    model.zero_grad()
    for x, y in samples:  # one backward per sample, no zero_grad in between
        ((model(x) - y) ** 2).backward()
    accumulated = [p.grad for p in model.parameters()]
    expected = [0.0] * len(accumulated)
    for x, y in samples:
        model.zero_grad()
        ((model(x) - y) ** 2).backward()
        expected = [e + p.grad for e, p in zip(expected, model.parameters())]
    assert accumulated == expected  # same order of additions: the same bits
    model.zero_grad()
    batch = sum(((model(x) - y) ** 2 for x, y in samples), Value(0.0))
    batch.backward()
    assert [p.grad for p in model.parameters()] == pytest.approx(accumulated, rel=1e-12)


def test_deepcopy_and_pickle_of_a_graph_keep_numbers_structure_and_sharing():
    a, b = Value(2.0, label="a"), Value(-1.5, label="b")
    a.note = {"lr": 0.1}
    c = a * b
    d = (c + a).tanh() * c
    d.backward()
    for copied in (copy.deepcopy(d), pickle.loads(pickle.dumps(d))):
        c2 = copied._prev[1]
        a2 = c2._prev[0]
        assert copied._prev[0]._prev[0]._prev[0] is c2  # c is shared, as in the original
        assert (copied.data, a2.grad, a2.label, a2.note) == (d.data, a.grad, "a", {"lr": 0.1})
        assert a2 is not a and copied._op is d._op
        copied.zero_grad()
        copied.backward()
        assert a2.grad == a.grad
    both = pickle.loads(pickle.dumps((a, d)))  # pickled together: the leaf stays the same node
    assert both[1]._prev[1]._prev[0] is both[0]


def test_deepcopy_of_a_custom_operation_back_propagates_into_the_copy():
    x = Value(0.5)
    y = my_sin(x) * 2.0
    y2 = copy.deepcopy(y)
    y2.backward()
    assert x.grad == 0.0
    assert y2._prev[0]._prev[0].grad == pytest.approx(2 * math.cos(0.5))
    with pytest.raises(TypeError, match="closure cannot be pickled"):
        pickle.dumps(y)


def test_copies_of_an_mlp_train_apart_from_the_original():
    model = MLP(3, [4, 4, 1], rng=random.Random(2))
    x = [0.1, -0.4, 0.8]
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert twin(x).data == model(x).data
        assert repr(twin) == repr(model)
        twin.parameters()[0].data += 1.0
        assert twin.parameters()[0].data != model.parameters()[0].data


def test_a_graph_of_100000_nodes_copies_and_pickles_without_recursion():
    v = Value(0.0)
    for _ in range(100_000):
        v = v + 1.0
    for copied in (copy.deepcopy(v), pickle.loads(pickle.dumps(v))):
        assert copied.data == 100_000.0
        n, depth = copied, 0
        while n._prev:
            n, depth = n._prev[0], depth + 1
        assert depth == 100_000


def test_export_shows_a_custom_operation_by_its_symbol():
    dot = to_dot(softsign(Value(0.2, label="x")))
    assert 'label="softsign"' in dot
