"""Fresh numbers (issue 10, section 4): most checks of the course draw their inputs, and every
draw keeps the check sound: its answer computes, and no ``wrong:`` diagnosis meets the right
answer or another diagnosis, whatever numbers come up."""

from __future__ import annotations

import math

import pytest

from micrograd_tui.lessonbook import Lesson, load_lessons
from micrograd_tui.lessonbook.model import CheckBlock, Step
from micrograd_tui.lessonbook.op_exercise import OpExercise

from lesson_draws import draws_inputs, every_draw  # the folder of this test is on sys.path

#: the checks that keep fixed numbers on purpose, and why (a new one here is a choice to make)
FIXED = {
    ("11-neuron-layer-mlp.md", 0): "counts the parameters of a fit block, MLP(3, [4, 4, 1])",
    ("12-training-loop.md", 2): "reads the loss table of a fit block the text discusses",
    ("13-zero-grad.md", 1): "a tanh pinned at -1: the answer is 0 for any pinned n",
    ("14-learning-rate.md", 2): "reads the loss table of a fit block the text discusses",
    ("19-pytorch.md", 0): "the PyTorch code on screen prints exactly these numbers",
    ("19-pytorch.md", 1): "the PyTorch code on screen prints exactly these numbers",
    ("19-pytorch.md", 2): "the PyTorch code on screen prints exactly these numbers",
}


def shipped() -> list[Lesson]:
    found, problems = load_lessons(None)
    assert not problems
    return found


def checks() -> list[tuple[Lesson, CheckBlock, Step]]:
    return [(lesson, step.check, step) for lesson in shipped() for step in lesson.steps
            if isinstance(step.check, CheckBlock)]


def fresh(check: CheckBlock, step: Step) -> bool:
    """Does a new attempt ask about new numbers? An op exercise is graded at fresh random
    points every time; a check, when its program draws its inputs."""
    return isinstance(check, OpExercise) or draws_inputs(check, step)


def test_the_large_majority_of_checks_draw_their_inputs() -> None:
    counted = [(lesson.path.name, check.index, fresh(check, step))
               for lesson, check, step in checks()]
    fixed = sorted((name, index) for name, index, drawn in counted if not drawn)
    assert len(counted) >= 50
    # Review asks a passed check again: with fixed numbers, recall answers it
    assert len(counted) - len(fixed) >= 0.85 * len(counted), fixed
    assert set(fixed) <= set(FIXED), f"checks with fixed numbers not listed in FIXED: {fixed}"


RANDOM = [(lesson, check, step) for lesson, check, step in checks()
          if not isinstance(check, OpExercise) and draws_inputs(check, step)]


@pytest.mark.parametrize("lesson, check, step", RANDOM,
                         ids=[f"{le.path.stem}-{c.index}" for le, c, _ in RANDOM])
def test_every_draw_keeps_the_answer_apart_from_each_diagnosis(lesson, check, step) -> None:
    seen = 0
    for drawn, solution in every_draw(check, step, cap=60, seed=check.line):
        seen += 1
        where = f"{lesson.path.name}:{check.line} with {drawn}"
        assert math.isfinite(solution.value), where
        # a diagnosis within the tolerance of the answer is refused (a problem), never shown
        assert not solution.problems, f"{where}: {solution.problems}"
        values = [value for value, _ in solution.wrong]
        assert all(abs(v - solution.value) > check.tolerance for v in values), where
        for i, first in enumerate(values):  # one typed number, two messages: only one is told
            assert all(abs(first - second) > 1e-9 for second in values[i + 1:]), where
    assert seen >= 5
