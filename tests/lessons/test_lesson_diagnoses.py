"""The course's ``wrong:`` diagnoses: each names a mistake the engine can compute, never the
right answer, and most checks have them (issue 10, section 3).

The lines are read from the lesson files here, so this holds whichever parser reads them:
``wrong: EXPRESSION => MESSAGE``, one per line inside a check block.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from micrograd_tui.lessonbook import Lesson, load_lessons
from micrograd_tui.lessonbook.answers import solve
from micrograd_tui.lessonbook.model import CheckBlock, Step


def shipped() -> list[Lesson]:
    found, problems = load_lessons(None)
    assert not problems
    return found


def wrong_lines(lesson: Lesson, check: CheckBlock) -> list[tuple[int, str, str]]:
    """(file line, expression, message) of each ``wrong:`` line of ``check``."""
    lines = lesson.path.read_text(encoding="utf-8").splitlines()
    out = []
    for n in range(check.line, len(lines)):  # check.line is the fence; lines[n] the line after
        raw = lines[n]
        if raw.startswith("```"):
            break
        if raw.startswith("wrong:"):
            expression, sep, message = raw[len("wrong:"):].partition("=>")
            assert sep, f"{lesson.path.name}:{n + 1}: a wrong: line needs '=> message'"
            out.append((n + 1, expression.strip(), message.strip()))
    return out


def checks_with_steps(lesson: Lesson) -> list[tuple[CheckBlock, Step]]:
    return [(step.check, step) for step in lesson.steps if step.check is not None]


def every_wrong() -> list[tuple[Lesson, CheckBlock, Step, tuple[int, str, str]]]:
    return [(lesson, check, step, wrong) for lesson in shipped()
            for check, step in checks_with_steps(lesson) for wrong in wrong_lines(lesson, check)]


@pytest.mark.parametrize("lesson, check, step, wrong", every_wrong(),
                         ids=lambda x: None if not isinstance(x, tuple) else f"line{x[0]}")
def test_a_diagnosis_is_a_computed_mistake_not_the_right_answer(lesson, check, step, wrong) -> None:
    line, expression, message = wrong
    assert expression and message, f"{lesson.path.name}:{line}"
    # computed as the answer is (same program, backward passes and nudge), and in the same
    # run as the right answer, so inputs drawn at random are the same for both
    gap = solve(replace(check, answer=f"({expression}) - ({check.answer})"), step).value
    assert abs(gap) > check.tolerance, (
        f"{lesson.path.name}:{line}: {expression} is within the tolerance of the right "
        f"answer: a right answer would be told it is wrong")


def test_most_checks_of_the_course_diagnose_their_common_mistakes() -> None:
    counted = [(lesson.path.name, check.index, bool(wrong_lines(lesson, check)))
               for lesson in shipped() for check in lesson.checks]
    with_wrongs = sum(1 for *_, has in counted if has)
    assert len(counted) >= 40
    assert with_wrongs >= 0.8 * len(counted), [c[:2] for c in counted if not c[2]]


def test_two_diagnoses_of_one_check_tell_different_mistakes_apart() -> None:
    clashes = []
    for lesson in shipped():
        for check, step in checks_with_steps(lesson):
            found = [e for _, e, _ in wrong_lines(lesson, check)]
            for i, first in enumerate(found):  # each pair in one run (random inputs agree)
                for second in found[i + 1:]:
                    gap = solve(replace(check, answer=f"({first}) - ({second})"), step).value
                    if abs(gap) < 1e-9:
                        clashes.append((lesson.path.name, check.index, first, second))
    assert not clashes  # one typed number, two messages: the learner is told only one
