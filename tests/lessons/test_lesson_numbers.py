"""The lecture's numbers are what the engine computes from each lesson's own programs.

The reference values are the ones of the "spelled-out intro to neural networks and
backpropagation" lecture (and the issue), written here independently of the lessons.
Where a lesson draws its inputs (``rand(lo, hi)``), its answers are checked for several
attempt seeds against formulas of the numbers drawn, and the ranges the text promises.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest

from engine.expr import Program, evaluate
from engine.graph import propagate_generic
from engine.nn import MLP
from engine.train import PRESETS, Trainer
from engine.value import OPS, Value
from micrograd_tui.lessonbook import Lesson, load_lessons
from micrograd_tui.lessonbook.answers import Solution, block_seed, solve
from micrograd_tui.lessonbook.fit import run_fit
from micrograd_tui.lessonbook.render import step_markdown


@pytest.fixture(scope="module")
def lessons() -> dict[int, Lesson]:
    found, problems = load_lessons(None)
    assert not problems
    assert all(not lesson.broken for lesson in found), [p for le in found for p in le.problems]
    return {lesson.order: lesson for lesson in found}


def programs(lesson: Lesson) -> list[str]:
    """Every program of a lesson: program blocks and checks' own programs, in order."""
    out = []
    for step in lesson.steps:
        if step.program is not None:
            out.append(step.program.source)
        if step.check is not None and step.check.source.strip():
            out.append(step.check.source)
    return out


def run(source: str) -> Program:
    program = evaluate(source)
    program.backward()
    return program


def the_program_with(lesson: Lesson, name: str) -> Program:
    matches = [s for s in programs(lesson) if any(line.startswith(f"{name} =")
                                                  for line in s.splitlines())]
    assert matches, f"lesson {lesson.order} has no program that assigns {name}"
    return run(matches[0])


def answers(lesson: Lesson) -> list[float]:
    return [check.solution.value for check in lesson.checks]


def grads(program: Program, *names: str) -> list[float]:
    return [program.variables[n].grad for n in names]


def test_there_are_at_least_16_lessons_in_order(lessons: dict[int, Lesson]) -> None:
    assert sorted(lessons)[:16] == list(range(1, 17))


#: attempt seeds: a lesson whose programs draw their inputs is checked with each
SEEDS = range(1, 9)


def solved(lesson: Lesson, seed: int) -> list[Solution]:
    """Each check's answer in the attempt with ``seed`` (the numbers the learner sees)."""
    return [solve(step.check, step, seed=seed) for step in lesson.steps
            if step.check is not None]


def drawn(lesson: Lesson, step: int, seed: int) -> Program:
    """The program step ``step`` shows (its own or an earlier one) in the attempt with
    ``seed``, after backward."""
    s = lesson.steps[step]
    block = s.program or s.program_context
    assert block is not None
    program = evaluate(block.source, seed=block_seed(seed, block.line))
    program.backward()
    return program


def data(program: Program, *names: str) -> list[float]:
    return [program.variables[n].data for n in names]


def test_1_the_slope_of_3x2_4x_5_at_3_is_14(lessons) -> None:
    p = the_program_with(lessons[1], "slope")
    assert p.variables["f1"].data == 20.0
    # "slope comes out a hair above the true slope"
    assert 14.0 < p.variables["slope"].data < 14.001
    f = lambda x: 3 * x ** 2 - 4 * x + 5  # noqa: E731
    for seed in SEEDS:
        near, negative = solved(lessons[1], seed)
        x = near.variables["x"][0]
        assert 1 <= x <= 4  # "an x drawn for you between 1 and 4"
        # the check takes h = 0.01: 0.03 above the true slope 6x - 4
        assert near.value == pytest.approx((f(x + 0.01) - f(x)) / 0.01)
        assert near.value == pytest.approx(6 * x - 4 + 0.03)
        x = negative.variables["x"][0]
        assert x < 0 and negative.value == pytest.approx(6 * x - 4) and negative.value < 0


def test_2_d_is_a_times_b_plus_c(lessons) -> None:
    for seed in SEEDS:
        a, b, c = data(drawn(lessons[2], 0, seed), "a", "b", "c")
        # the second check: which c makes d = a*b + c zero (e = a*b stays)
        assert [s.value for s in solved(lessons[2], seed)] == pytest.approx([a * b + c, -a * b])
        assert a * b + c != 0  # the c that zeroes d is never the one drawn


def test_3_local_derivatives_come_from_the_engine(lessons) -> None:
    text = "\n".join(step_markdown(s) for s in lessons[3].steps)
    for symbol in ("+", "*", "tanh", "-", "/", "exp", "log", "relu", "sigmoid"):
        assert OPS[symbol].formula in text
    assert "{{" not in text
    for seed in SEEDS:
        mul, tanh, cube = solved(lessons[3], seed)
        b = mul.variables["b"][0]
        x = tanh.variables["x"][0]
        assert 1 - math.tanh(x) ** 2 > 0.1  # tanh still bends: not saturated
        x3 = cube.variables["x"][0]
        assert [mul.value, tanh.value, cube.value] == pytest.approx(
            [b, 1 - math.tanh(x) ** 2, 3 * x3 ** 2])


def test_4_chain_rule_by_hand(lessons) -> None:
    for seed in SEEDS:
        p = drawn(lessons[4], 0, seed)
        a, b, c, f = data(p, "a", "b", "c", "f")
        d = a * b + c
        assert d > 0 > f  # the text and the sign diagnoses need it
        assert p.variables["L"].data == pytest.approx(d * f)
        assert grads(p, "L", "d", "f", "c", "e", "a", "b") == pytest.approx(
            [1, f, d, f, f, f * b, f * a])
        assert [s.value for s in solved(lessons[4], seed)] == pytest.approx(
            [d * f, f, f, f * b, f * a])


def test_5_one_step_of_ascent_raises_L_and_descent_lowers_it(lessons) -> None:
    for seed in SEEDS:
        up, down = [s.value for s in solved(lessons[5], seed)]
        a, b, c, f = data(drawn(lessons[5], 0, seed), "a", "b", "c", "f")
        d = a * b + c
        ga, gb, gc, gf = f * b, f * a, f, d

        def L(h: float) -> float:
            return ((a + h * ga) * (b + h * gb) + (c + h * gc)) * (f + h * gf)

        assert up == pytest.approx(L(0.01)) and down == pytest.approx(L(-0.01))
        assert down < L(0) < up < 0  # "a little above", and L stays negative


def test_6_tanh_neuron(lessons) -> None:
    for seed in SEEDS:
        p = drawn(lessons[6], 0, seed)
        x1, x2, w1, w2, b = data(p, "x1", "x2", "w1", "w2", "b")
        n = x1 * w1 + b
        assert x2 == 0.0 and 0.3 <= n <= 1.6  # "n lands between 0.3 and 1.6"
        o = math.tanh(n)
        g = 1 - o ** 2
        assert p.variables["o"].data == pytest.approx(o)
        assert grads(p, "x1", "w1", "x2", "w2") == pytest.approx([w1 * g, x1 * g, w2 * g, 0.0])
        assert [s.value for s in solved(lessons[6], seed)] == pytest.approx(
            [o, g, x1 * g, w1 * g, w2 * g])


def test_7_an_inner_node_used_twice_and_the_damage_of_a_wrong_order(lessons) -> None:
    for seed in SEEDS:
        p = drawn(lessons[7], 0, seed)
        a, b, f = data(p, "a", "b", "f")
        c = p.variables["c"]
        users = [v for v in p.variables.values() if any(child is c for child in v.children)]
        assert not c.is_leaf and len(users) == 2  # an inner node that feeds two operations
        assert grads(p, "c", "a", "b") == pytest.approx([1 + f, (1 + f) * b, (1 + f) * a])
        assert [s.value for s in solved(lessons[7], seed)] == pytest.approx([1 + f, (1 + f) * b])
        # the text: handled before d, c hands down only L's share: a.grad = b and b.grad = a
        block = lessons[7].steps[0].program
        wrong = evaluate(block.source, seed=block_seed(seed, block.line))
        v = wrong.variables
        for node in wrong.variables.values():
            node.grad = 0.0
        v["L"].grad = 1.0
        for name in ("L", "c", "d"):  # c before d: the wrong order
            propagate_generic(v[name])
        assert (v["a"].grad, v["b"].grad) == (b, a)
        assert v["c"].grad == pytest.approx(1 + f)  # d's share did arrive, too late


def test_8_b_is_a_plus_a_gives_grad_2(lessons) -> None:
    for seed in SEEDS:
        twice, shares = solved(lessons[8], seed)
        assert twice.value == 2.0
        a, b = shares.variables["a"][0], shares.variables["b"][0]
        assert shares.value == pytest.approx(b * (a + b) + a * b)
        assert shares.variables["b"][1] == pytest.approx(a * (a + b) + a * b)


def test_9_tanh_from_exp_gives_the_same_gradients(lessons) -> None:
    block = lessons[9].steps[1].program
    source = block.source
    # the same neuron with one tanh node: the sum line kept, e and o replaced by o = tanh(n)
    kept = [line for line in source.splitlines() if not line.startswith(("e =", "o ="))]
    for seed in SEEDS:
        with_exp = evaluate(source, seed=block_seed(seed, block.line))
        with_exp.backward()
        with_tanh = evaluate("\n".join(kept + ["o = tanh(n)"]), seed=block_seed(seed, block.line))
        with_tanh.backward()  # the same draws: the rand() calls come in the same order
        x1, w1 = data(with_exp, "x1", "w1")
        n = with_exp.variables["n"].data
        assert 0.2 <= n <= 1.6  # "n lands between 0.2 and 1.6"
        g = 1 - math.tanh(n) ** 2
        e = with_exp.variables["e"].data
        assert [s.value for s in solved(lessons[9], seed)] == pytest.approx(
            [math.tanh(n), 2 / (e + 1) ** 2, w1 * g, x1 * g])
        assert with_exp.variables["e"].grad == pytest.approx(2 / (e + 1) ** 2)
        assert with_exp.variables["n"].grad == pytest.approx(g)
        assert with_exp.variables["o"].data == pytest.approx(with_tanh.variables["o"].data,
                                                             rel=1e-12)
        leaves = ("x1", "x2", "w1", "w2", "b")
        assert grads(with_exp, *leaves) == pytest.approx(grads(with_tanh, *leaves), abs=1e-12)
    assert "exp" in {node.op.symbol for node in with_exp.variables.values()}


def test_10_one_sided_error_grows_like_h_central_like_h2(lessons) -> None:
    for seed in SEEDS:
        p = drawn(lessons[10], 0, seed)
        x, h = data(p, "x", "h")
        assert 1 <= x <= 3 and 0.01 <= h <= 0.05  # what the text says is drawn
        assert p.variables["x"].grad == pytest.approx(3 * x ** 2)  # backward runs from f
        one_sided_error, central_error = [s.value for s in solved(lessons[10], seed)]
        assert one_sided_error == pytest.approx(3 * x * h + h ** 2)  # "about 3·x·h"
        assert central_error == pytest.approx(h ** 2)
        assert one_sided_error / central_error > 50  # far smaller, "about 3x/h times"


def test_11_mlp_3_4_4_1_has_41_parameters(lessons) -> None:
    assert answers(lessons[11]) == [41.0]


def fit_of(lesson: Lesson, index: int = 0):
    fits = [s.fit.result for s in lesson.steps if s.fit is not None]
    return fits[index]


#: lesson 12's fit block, copied here: the lecture's four rows and targets
LECTURE_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
LECTURE_YS = [1.0, -1.0, -1.0, 1.0]


def lecture_loop(lr: float, steps: int, seed: int) -> float:
    """The lecture's training loop written out with the engine's MLP (not the fit block's
    runner): sum of squared errors, zero_grad, backward, ``p.data += -lr * p.grad``.
    Returns the loss after the last update."""
    model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh",
                rng=random.Random(seed))

    def loss() -> Value:
        return sum(((model(x) - y) ** 2 for x, y in zip(LECTURE_XS, LECTURE_YS)), Value(0.0))

    for _ in range(steps):
        current = loss()
        model.zero_grad()
        current.backward()
        for p in model.parameters():
            p.data += -lr * p.grad
    return loss().data


def test_12_the_training_loop_lowers_the_loss(lessons) -> None:
    result = fit_of(lessons[12])
    spec = result.spec
    assert spec.inputs == LECTURE_XS and spec.targets == LECTURE_YS
    assert spec.layers == [4, 4, 1] and (spec.activation, spec.output_activation) == ("tanh", "tanh")
    assert (spec.lr, spec.steps, spec.seed, spec.zero_grad) == (0.05, 20, 1, True)
    assert result.parameters == 41
    assert result.final_loss < result.first_loss / 10
    # "the predictions move towards 1, -1, -1, 1"
    assert [math.copysign(1, p) for p in result.predictions] == spec.targets
    # the answer is the loss the lecture's own loop reaches with these settings
    expected = lecture_loop(lr=0.05, steps=20, seed=1)
    assert expected < 0.5  # the loop really learned: the untrained loss is several times this
    for seed in SEEDS:
        loss, update, fit = solved(lessons[12], seed)
        y, p = loss.variables["y"][0], update.variables["p"][0]
        assert y < 1  # "increasing y lowers the loss"
        assert [loss.value, update.value, fit.value] == pytest.approx(
            [2 * (y - 1), p - 0.05 * 3, math.sqrt(expected / 4)], rel=1e-9, abs=1e-12)
    assert math.sqrt(expected / 4) == pytest.approx(0.11, abs=0.005)  # "about 0.11"


def test_13_forgetting_zero_grad(lessons) -> None:
    for seed in SEEDS:
        twice = solved(lessons[13], seed)[0]
        assert twice.value == 2 * twice.variables["b"][0]  # twice the true gradient b
    assert answers(lessons[13])[1] == 0.0  # a prediction pinned at -1: no gradient through tanh
    forgot = fit_of(lessons[13])
    assert not forgot.spec.zero_grad
    zeroed = run_fit(replace(forgot.spec, zero_grad=True))
    losses = forgot.losses
    assert losses[5] < zeroed.losses[5]  # "falls faster at first"
    assert max(losses[5:]) > losses[0]  # "jumps around"
    assert max(losses[-6:]) - min(losses[-6:]) < 1e-3 and losses[-1] > 1  # "then gets stuck"
    assert zeroed.final_loss < losses[-1] / 10
    # "a prediction stuck at -1 where the target is +1 costs (-1 - 1)^2 = 4"
    wrong = [(p, t) for p, t in zip(forgot.predictions, forgot.spec.targets) if p * t < 0]
    assert len(wrong) == 1 and wrong[0][0] == pytest.approx(-1.0, abs=1e-3)
    assert forgot.final_loss == pytest.approx(4.0, abs=0.01)
    # "step 20 ... about 1e-26": every prediction within about 1e-13 of its target, shown so
    table = dict(forgot.table())
    assert 1e-27 < table["step 20"] < 1e-25 and math.sqrt(losses[20]) < 1e-12
    # "the new gradients all but vanish, but p.grad still holds the old ones": the loss
    # leaves that perfect spot although the gradient of each step is tiny
    assert min(losses[15:25]) < 1e-20 and losses[-1] == pytest.approx(4.0)


def test_14_learning_rate_too_small_and_too_big(lessons) -> None:
    for seed in SEEDS:
        x = drawn(lessons[14], 0, seed).variables["x"].data
        x_after, big_L = [s.value for s in solved(lessons[14], seed)[:2]]
        assert x_after == pytest.approx(x - 0.1 * 2 * x) and 0 < x_after < x
        assert big_L == pytest.approx((x - 1.1 * 2 * x) ** 2) and big_L > x ** 2
    small, big = fit_of(lessons[14], 0), fit_of(lessons[14], 1)
    assert small.spec.lr < big.spec.lr
    assert small.final_loss > 0.75 * small.first_loss  # "barely moved"
    assert big.predictions == pytest.approx([1.0] * 4, abs=1e-3)  # "every prediction is +1"
    assert big.final_loss == pytest.approx(8.0, abs=1e-3)  # the table's last line
    assert answers(lessons[14])[2] == pytest.approx(2.0, abs=1e-3)  # two predictions wrong


def test_15_moons_with_the_micrograd_demo(lessons) -> None:
    configs = [s.train.config for s in lessons[15].steps if s.train is not None]
    assert configs == [PRESETS["micrograd-demo"]]
    assert configs[0].loss == "max_margin"
    for seed in SEEDS:
        loss, slope = solved(lessons[15], seed)
        s = loss.variables["s"][0]
        assert s > 0 and loss.value == pytest.approx(1 + s)  # y = -1, on the wrong side
        assert slope.value == pytest.approx(slope.variables["x"][0])  # -y times ds/dw = x


def test_16_regression_setup_learns_the_curve(lessons) -> None:
    configs = [s.train.config for s in lessons[16].steps if s.train is not None]
    assert [(c.dataset, c.loss, c.activation) for c in configs] == [("regression1d", "mse", "tanh")]
    for seed in SEEDS:
        p1, p2 = data(drawn(lessons[16], 0, seed), "p1", "p2")
        assert p1 < 1.0  # "raising p1 lowers the loss"
        assert [s.value for s in solved(lessons[16], seed)] == pytest.approx(
            [((p1 - 1) ** 2 + p2 ** 2) / 2, p1 - 1])
    # "watch the fitted curve settle onto the data as the loss falls": a few dozen steps of
    # the lesson's own setup more than halve the loss
    trainer = Trainer(configs[0])
    events = list(trainer.steps(30))
    assert len(events) == 30
    assert events[-1].loss < 0.5 * events[0].loss


def test_the_course_has_the_new_lessons_in_order(lessons) -> None:
    assert {18, 19, 20} <= set(lessons) and len(lessons) >= 20


def test_18_add_distributes_mul_swaps_max_routes(lessons) -> None:
    for seed in SEEDS:
        p = drawn(lessons[18], 0, seed)
        x, y, z, w = data(p, "x", "y", "z", "w")
        v = p.variables
        assert z > w and v["m"].data == pytest.approx(max(z, w))  # w + relu(z - w) is max
        assert v["f"].data == pytest.approx(2 * (x * y + max(z, w)))  # CS231n's f
        assert grads(p, "q", "m", "x", "y", "z", "w") == pytest.approx(
            [2.0, 2.0, 2 * y, 2 * x, 2.0, 0.0])
        s = drawn(lessons[18], 4, seed)
        dot = s.variables["dot"].data
        assert 0.2 <= dot <= 2.6  # "dot lands between 0.2 and 2.6": the sigmoid still bends
        f = 1 / (1 + math.exp(-dot))
        assert s.variables["f"].data == pytest.approx(f)
        assert s.variables["dot"].grad == pytest.approx(f * (1 - f))
        w0, x0 = data(s, "w0", "x0")
        assert s.variables["w0"].grad == pytest.approx(x0 * f * (1 - f))
        den = 1 + math.exp(-dot)
        assert [a.value for a in solved(lessons[18], seed)] == pytest.approx(
            [2.0, 2 * y, 0.0, -1 / den ** 2, f * (1 - f), w0 * f * (1 - f)])


def test_19_the_numbers_the_pytorch_code_prints_are_the_engines(lessons) -> None:
    text = "\n".join(step_markdown(s) for s in lessons[19].steps)
    p = the_program_with(lessons[19], "o")
    v = p.variables
    for name in ("x1", "x2", "w1", "w2", "b"):  # the PyTorch code makes the same leaves
        assert f"{v[name].data}" in text
    assert "n = x1*w1 + x2*w2 + b" in text and "torch.tanh(n)" in text
    assert v["n"].data == pytest.approx(0.95)
    one_pass = v["x2"].grad
    assert answers(lessons[19]) == pytest.approx([0.7398, 0.6790, 2 * one_pass], abs=1e-4)
    assert (v["n"].grad, one_pass, 2 * one_pass) == pytest.approx((0.4527, 0.1132, 0.2263),
                                                                  abs=1e-4)


def test_20_a_fused_neuron_has_the_fine_graphs_local_derivatives(lessons) -> None:
    from engine.value import OPS, Value, fused_neuron

    text = "\n".join(step_markdown(s) for s in lessons[20].steps)
    assert OPS["neuron"].formula in text
    p = the_program_with(lessons[20], "act")
    v = p.variables
    w = [Value(v[f"w{i}"].data) for i in (1, 2, 3)]
    x = [Value(v[f"x{i}"].data) for i in (1, 2, 3)]
    b = Value(v["b"].data)
    fused = fused_neuron(w, x, b)
    fused.backward()
    assert fused.data == pytest.approx(v["act"].data)
    assert len(fused.children) == 2 * 3 + 1  # one node, 2n + 1 inputs
    assert [wi.grad for wi in w] == grads(p, "w1", "w2", "w3")
    assert [xi.grad for xi in x] == grads(p, "x1", "x2", "x3")
    assert b.grad == v["b"].grad == 1.0
    for seed in SEEDS:
        own, shared, dot = solved(lessons[20], seed)
        q = drawn(lessons[20], 0, seed)
        w = data(q, "w1", "w2", "w3")
        x = data(q, "x1", "x2", "x3")
        assert w[2] * x[2] < 0  # "the third product is negative"
        assert [own.value, shared.value, dot.value] == pytest.approx(
            [own.variables["x3"][0], w[1], sum(wi * xi for wi, xi in zip(w, x)) + 0.1])
