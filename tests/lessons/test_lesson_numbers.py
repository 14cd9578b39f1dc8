"""The lecture's numbers are what the engine computes from each lesson's own programs.

The reference values are the ones of the "spelled-out intro to neural networks and
backpropagation" lecture (and the issue), written here independently of the lessons.
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


def test_1_the_slope_of_3x2_4x_5_at_3_is_14(lessons) -> None:
    p = the_program_with(lessons[1], "slope")
    assert p.variables["f1"].data == 20.0
    # "slope comes out a hair above the true slope"
    assert 14.0 < p.variables["slope"].data < 14.001
    # the check takes h = 0.01 (its explain: f(3.01) = 20.1403, slope 14.03)
    f = lambda x: 3 * x ** 2 - 4 * x + 5  # noqa: E731
    assert f(3.01) == pytest.approx(20.1403)
    assert answers(lessons[1]) == pytest.approx([(f(3.01) - f(3)) / 0.01, 6 * -3 - 4])
    assert answers(lessons[1])[0] == pytest.approx(14.03)


def test_2_d_is_4(lessons) -> None:
    assert the_program_with(lessons[2], "d").variables["d"].data == 4.0
    # the second check: which c makes d = a*b + c zero (e = -6 stays)
    assert answers(lessons[2]) == [4.0, 6.0]


def test_3_local_derivatives_come_from_the_engine(lessons) -> None:
    text = "\n".join(step_markdown(s) for s in lessons[3].steps)
    for symbol in ("+", "*", "tanh", "-", "/", "exp", "log", "relu", "sigmoid"):
        assert OPS[symbol].formula in text
    assert "{{" not in text
    x = lessons[3].checks[2].solution.variables["x"][0]  # drawn at random
    assert answers(lessons[3]) == pytest.approx([-3.0, 1 - math.tanh(0.5) ** 2, 3 * x ** 2])


def test_4_chain_rule_by_hand(lessons) -> None:
    p = the_program_with(lessons[4], "L")
    assert p.variables["L"].data == -8.0
    assert grads(p, "L", "d", "f", "c", "e", "a", "b") == [1, -2, 4, -2, -2, 6, -4]
    assert answers(lessons[4]) == [-8.0, -2.0, -2.0, 6.0, -4.0]


def test_5_one_step_of_ascent_raises_L_and_descent_lowers_it(lessons) -> None:
    up, down = answers(lessons[5])
    a, b, c, f = 2.0, -3.0, 10.0, -2.0
    ga, gb, gc, gf = 6.0, -4.0, -2.0, 4.0

    def L(h: float) -> float:
        return ((a + h * ga) * (b + h * gb) + (c + h * gc)) * (f + h * gf)

    assert up == pytest.approx(L(0.01)) and up == pytest.approx(-7.286496)
    assert down == pytest.approx(L(-0.01))
    assert down < -8.0 < up


def test_6_tanh_neuron(lessons) -> None:
    p = the_program_with(lessons[6], "o")
    assert p.variables["o"].data == pytest.approx(math.sqrt(0.5), abs=1e-12)
    assert grads(p, "x1", "w1", "x2", "w2") == pytest.approx([-1.5, 1.0, 0.5, 0.0])
    assert answers(lessons[6]) == pytest.approx([0.7071, 0.5, 1.0, -1.5, 0.5], abs=1e-4)


def test_7_an_inner_node_used_twice_and_the_damage_of_a_wrong_order(lessons) -> None:
    p = the_program_with(lessons[7], "L")
    c = p.variables["c"]
    users = [v for v in p.variables.values() if any(child is c for child in v.children)]
    assert not c.is_leaf and len(users) == 2  # an inner node that feeds two operations
    assert grads(p, "c", "a", "b") == [5.0, 15.0, 10.0]
    assert answers(lessons[7]) == [5.0, 15.0]
    # the text: handled before d, c hands down only L's share: a.grad = 3 and b.grad = 2
    wrong = evaluate(lessons[7].steps[0].program.source)
    v = wrong.variables
    for node in wrong.variables.values():
        node.grad = 0.0
    v["L"].grad = 1.0
    for name in ("L", "c", "d"):  # c before d: the wrong order
        propagate_generic(v[name])
    assert (v["a"].grad, v["b"].grad) == (3.0, 2.0)
    assert v["c"].grad == 5.0  # d's share did arrive, too late to be passed on


def test_8_b_is_a_plus_a_gives_grad_2(lessons) -> None:
    p = the_program_with(lessons[8], "b")
    assert p.variables["a"].grad == 2.0
    p = the_program_with(lessons[8], "f")
    assert grads(p, "a", "b") == [-3.0, -8.0]


def test_9_tanh_from_exp_gives_the_same_gradients(lessons) -> None:
    source = lessons[9].steps[1].program.source
    with_exp = run(source)
    # the same neuron with one tanh node: the sum line kept, e and o replaced by o = tanh(n)
    kept = [line for line in source.splitlines() if not line.startswith(("e =", "o ="))]
    with_tanh = run("\n".join(kept + ["o = tanh(n)"]))
    assert with_exp.variables["n"].data == pytest.approx(0.3)
    assert answers(lessons[9]) == pytest.approx([0.2913, 0.2511, -1.3727, 1.8302], abs=1e-4)
    e = with_exp.variables["e"].data
    assert with_exp.variables["e"].grad == pytest.approx(2 / (e + 1) ** 2)
    assert with_exp.variables["n"].grad == pytest.approx(1 - math.tanh(0.3) ** 2)
    assert with_exp.variables["o"].data == pytest.approx(with_tanh.variables["o"].data, rel=1e-12)
    leaves = ("x1", "x2", "w1", "w2", "b")
    assert grads(with_exp, *leaves) == pytest.approx(grads(with_tanh, *leaves), abs=1e-12)
    assert "exp" in {node.op.symbol for node in with_exp.variables.values()}


def test_10_one_sided_error_grows_like_h_central_like_h2(lessons) -> None:
    p = the_program_with(lessons[10], "central")
    x, h = p.variables["x"].data, p.variables["h"].data
    assert p.variables["x"].grad == 3 * x ** 2 == 12.0  # backward runs from f = x**3
    one_sided_error, central_error = answers(lessons[10])
    assert one_sided_error == pytest.approx(3 * x * h + h ** 2)  # 0.0601, "about 3·x·h"
    assert central_error == pytest.approx(h ** 2)  # 0.0001 = h²
    assert round(one_sided_error / central_error) == 601  # "six hundred times smaller"


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
    p = lessons[12].checks[1].solution.variables["p"][0]  # drawn at random
    assert answers(lessons[12]) == pytest.approx([-0.4, p - 0.05 * 3, math.sqrt(expected / 4)],
                                                 rel=1e-9, abs=1e-12)
    assert math.sqrt(expected / 4) == pytest.approx(0.11, abs=0.005)  # "about 0.11"


def test_13_forgetting_zero_grad(lessons) -> None:
    assert answers(lessons[13])[0] == 8.0  # twice b = 4
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
    x_after, big_L = answers(lessons[14])[:2]
    assert x_after == pytest.approx(3 - 0.1 * 6) and big_L == pytest.approx((3 - 1.1 * 6) ** 2)
    small, big = fit_of(lessons[14], 0), fit_of(lessons[14], 1)
    assert small.spec.lr < big.spec.lr
    assert small.final_loss > 0.75 * small.first_loss  # "barely moved"
    assert big.predictions == pytest.approx([1.0] * 4, abs=1e-3)  # "every prediction is +1"
    assert answers(lessons[14])[2] == pytest.approx(8.0, abs=1e-3)


def test_15_moons_with_the_micrograd_demo(lessons) -> None:
    configs = [s.train.config for s in lessons[15].steps if s.train is not None]
    assert configs == [PRESETS["micrograd-demo"]]
    assert configs[0].loss == "max_margin"
    assert answers(lessons[15]) == pytest.approx([1.3, 1.0])


def test_16_regression_setup_learns_the_curve(lessons) -> None:
    configs = [s.train.config for s in lessons[16].steps if s.train is not None]
    assert [(c.dataset, c.loss, c.activation) for c in configs] == [("regression1d", "mse", "tanh")]
    assert answers(lessons[16]) == pytest.approx([0.145, -0.5])
    # "watch the fitted curve settle onto the data as the loss falls": a few dozen steps of
    # the lesson's own setup more than halve the loss
    trainer = Trainer(configs[0])
    events = list(trainer.steps(30))
    assert len(events) == 30
    assert events[-1].loss < 0.5 * events[0].loss


def test_the_course_has_the_new_lessons_in_order(lessons) -> None:
    assert {18, 19, 20} <= set(lessons) and len(lessons) >= 19


def test_18_add_distributes_mul_swaps_max_routes(lessons) -> None:
    p = the_program_with(lessons[18], "m")
    v = p.variables
    assert v["m"].data == max(v["z"].data, v["w"].data)  # w + relu(z - w) is max(z, w)
    assert v["f"].data == -20.0  # CS231n's 2 * (x*y + max(z, w))
    assert grads(p, "q", "m", "x", "y", "z", "w") == [2.0, 2.0, -8.0, 6.0, 2.0, 0.0]
    s = the_program_with(lessons[18], "den")
    assert s.variables["dot"].data == 1.0
    f = 1 / (1 + math.exp(-1))
    assert s.variables["f"].data == pytest.approx(f)
    # CS231n's sigmoid walk-through: the numbers the text and explains state
    assert answers(lessons[18])[3:] == pytest.approx([-0.5344, 0.1966, 0.3932], abs=1e-4)
    assert s.variables["dot"].grad == pytest.approx(f * (1 - f))
    assert s.variables["w0"].grad == pytest.approx(-0.1966, abs=1e-4)
    assert answers(lessons[18])[:3] == [2.0, -8.0, 0.0]


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
    assert fused.data == pytest.approx(v["act"].data) == pytest.approx(-0.15)
    assert len(fused.children) == 2 * 3 + 1  # one node, 2n + 1 inputs
    assert [wi.grad for wi in w] == grads(p, "w1", "w2", "w3")
    assert [xi.grad for xi in x] == grads(p, "x1", "x2", "x3")
    assert b.grad == v["b"].grad == 1.0
    x3 = lessons[20].checks[0].solution.variables["x3"][0]  # drawn at random
    assert answers(lessons[20]) == pytest.approx([x3, 0.5, -0.15])
