"""Losses (values, gradients, stability) and optimizers (updates, schedules, divergence)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import NumericError
from engine.gradcheck import check_gradients
from engine.losses import LOSS_TASKS, LOSSES, accuracy, bce, loss_value, max_margin, mse
from engine.optim import OPTIMIZERS, SCHEDULES, SGD, Adam, lr_at, make_optimizer
from engine.value import Value


def leaves(*xs):
    return [Value(x, label=f"s{i}") for i, x in enumerate(xs)]


def test_names():
    assert set(LOSSES) == set(LOSS_TASKS) == {"max_margin", "mse", "bce"}
    assert set(OPTIMIZERS) == {"sgd", "momentum", "adam"}
    assert set(SCHEDULES) == {"constant", "linear", "cosine", "step"}


# --- losses ------------------------------------------------------------------------

def test_max_margin_value_and_gradient():
    s = leaves(2.0, 0.5, -0.25)
    ys = [1.0, 1.0, 1.0]
    loss = max_margin(s, ys)
    # relu(1-2)=0, relu(1-0.5)=0.5, relu(1+0.25)=1.25 -> mean 0.5833...
    assert loss.data == pytest.approx((0.0 + 0.5 + 1.25) / 3)
    loss.backward()
    assert [v.grad for v in s] == pytest.approx([0.0, -1 / 3, -1 / 3])


def test_l2_adds_alpha_times_sum_of_squares():
    s = leaves(0.3, -0.2)
    params = [Value(2.0), Value(-3.0)]
    for fn in LOSSES.values():
        plain = fn(s, [1.0, -1.0]).data
        with_l2 = fn(s, [1.0, -1.0], params, alpha=0.01)
        assert with_l2.data == pytest.approx(plain + 0.01 * 13.0)
        with_l2.zero_grad()
        with_l2.backward()
        assert [p.grad for p in params] == pytest.approx([0.04, -0.06])


def test_mse_value_and_gradient():
    s = leaves(1.0, 3.0)
    loss = mse(s, [0.0, 1.0])
    assert loss.data == pytest.approx((1.0 + 4.0) / 2)
    loss.backward()
    assert [v.grad for v in s] == pytest.approx([1.0, 2.0])  # 2*(s-y)/n


@pytest.mark.parametrize("score", [-5.0, -0.7, 0.0, 0.3, 4.0])
@pytest.mark.parametrize("y", [-1.0, 1.0])
def test_bce_is_cross_entropy_of_the_sigmoid(score, y):
    s = leaves(score)
    loss = bce(s, [y])
    p = 1 / (1 + math.exp(-score))
    t = (y + 1) / 2
    assert loss.data == pytest.approx(-t * math.log(p) - (1 - t) * math.log(1 - p), rel=1e-12)
    loss.backward()
    assert s[0].grad == pytest.approx(p - t, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("score", [-1e6, -800.0, 800.0, 1e6, 1e300])
def test_bce_never_overflows(score):
    s = leaves(score)
    right = bce(s, [1.0 if score > 0 else -1.0])
    right.backward()
    assert right.data == pytest.approx(0.0, abs=1e-300) and s[0].grad == pytest.approx(0.0, abs=1e-300)
    wrong = bce(s, [-1.0 if score > 0 else 1.0])
    wrong.backward()
    assert wrong.data == pytest.approx(abs(score))
    assert s[0].grad == pytest.approx(1.0 if score > 0 else -1.0)


def test_loss_gradients_pass_the_gradient_check():
    params = [Value(0.7, label="p0"), Value(-1.3, label="p1")]
    for name, fn in LOSSES.items():
        s = leaves(0.9, -0.4, 2.2, -3.1)
        loss = fn(s, [1.0, -1.0, -1.0, 1.0], params, alpha=0.05)
        rows = check_gradients(loss)
        assert rows and all(r.ok for r in rows), (name, rows)


finite = st.floats(-50, 50, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(scores=st.lists(finite, min_size=1, max_size=8), data=st.data(),
       alpha=st.sampled_from([0.0, 1e-4, 0.3]))
def test_float_loss_values_match_the_graph_exactly(scores, data, alpha):
    ys = data.draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=len(scores), max_size=len(scores)))
    params = [0.5, -2.0, 1.25]
    for name, fn in LOSSES.items():
        graph = fn([Value(s) for s in scores], ys, [Value(p) for p in params], alpha)
        assert loss_value(name, scores, ys, params, alpha) == graph.data


def test_loss_arguments_are_checked():
    with pytest.raises(ValueError, match="^ys: "):
        mse(leaves(1.0, 2.0), [1.0])
    with pytest.raises(ValueError, match="^scores: "):
        bce([], [])
    with pytest.raises(ValueError, match="^alpha: "):
        max_margin(leaves(1.0), [1.0], [], alpha=-1.0)
    with pytest.raises(ValueError, match="^loss: "):
        loss_value("hinge", [1.0], [1.0])


def test_accuracy_counts_scores_with_the_label_sign():
    assert accuracy([Value(0.5), Value(-2.0), Value(0.0), 3.0], [1.0, 1.0, -1.0, -1.0]) == 0.5
    assert accuracy([], []) == 0.0


# --- schedules -----------------------------------------------------------------------

def test_linear_schedule_is_micrograds_learning_rate():
    opt = SGD([], 1.0, schedule="linear", steps=100)
    assert [opt.lr_at(k) for k in range(100)] == [1.0 - 0.9 * k / 100 for k in range(100)]


def test_schedules_shapes():
    assert [lr_at("constant", 0.3, k, 10) for k in (0, 5, 9)] == [0.3, 0.3, 0.3]
    cos = [lr_at("cosine", 2.0, k, 50) for k in range(51)]
    assert cos[0] == pytest.approx(2.0) and cos[-1] == pytest.approx(0.2)
    assert all(a >= b for a, b in zip(cos, cos[1:]))
    step = [lr_at("step", 1.0, k, 100) for k in (0, 24, 25, 50, 75, 99)]
    assert step == [1.0, 1.0, 0.5, 0.25, 0.125, 0.125]
    with pytest.raises(ValueError, match="^schedule: "):
        lr_at("wavy", 1.0, 0, 10)


# --- optimizers ----------------------------------------------------------------------

def test_sgd_moves_against_the_gradient():
    p = Value(1.0)
    p.grad = 0.5
    opt = SGD([p], 0.1)
    assert opt.step(0) == 0.1
    assert p.data == 1.0 - 0.1 * 0.5


def test_momentum_accumulates_velocity():
    p = Value(0.0)
    opt = SGD([p], 1.0, momentum=0.9)
    p.grad = 1.0
    opt.step(0)
    assert p.data == pytest.approx(-1.0)
    opt.step(1)  # v = 0.9 * 1 + 1
    assert p.data == pytest.approx(-1.0 - 1.9)


def test_adams_first_step_is_the_learning_rate_whatever_the_gradient_scale():
    ps = [Value(0.0), Value(0.0)]
    ps[0].grad, ps[1].grad = 1e-3, -250.0
    Adam(ps, lr=0.01).step(0)
    assert [p.data for p in ps] == pytest.approx([-0.01, 0.01], rel=1e-4)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_minimises_a_quadratic(name):
    x = Value(-2.0)
    opt = make_optimizer(name, [x], 0.1, schedule="constant", steps=500)
    for k in range(300):
        loss = (x - 3.0) * (x - 3.0)
        opt.zero_grad()
        loss.backward()
        opt.step(k)
    assert x.data == pytest.approx(3.0, abs=1e-2)


def test_sgd_divergence_is_a_clear_error_and_leaves_parameters_unchanged():
    a, b = Value(1.0, label="a"), Value(1e308, label="b")
    a.grad, b.grad = 1.0, -1e308
    opt = SGD([a, b], 10.0)
    with pytest.raises(NumericError, match="diverged.*'b'.*smaller learning rate"):
        opt.step(3)
    assert (a.data, b.data) == (1.0, 1e308)


def test_adam_divergence_of_its_running_averages_is_an_error():
    p = Value(1.0)
    p.grad = 1e200  # grad**2 overflows
    opt = Adam([p], lr=0.1)
    with pytest.raises(NumericError, match="diverged"):
        opt.step(0)
    assert p.data == 1.0 and opt.t == 0


@pytest.mark.parametrize("make, field", [
    (lambda: SGD([], 0.0), "lr"),
    (lambda: SGD([], float("nan")), "lr"),
    (lambda: SGD([], 1.0, momentum=1.0), "momentum"),
    (lambda: SGD([], 1.0, schedule="nope"), "schedule"),
    (lambda: SGD([], 1.0, steps=0), "steps"),
    (lambda: Adam([], 0.1, betas=(0.9, 1.5)), "betas"),
    (lambda: Adam([], 0.1, eps=0.0), "eps"),
    (lambda: make_optimizer("rmsprop", [], 0.1), "optimizer"),
])
def test_optimizer_arguments_are_checked(make, field):
    with pytest.raises(ValueError, match=f"^{field}: "):
        make()
