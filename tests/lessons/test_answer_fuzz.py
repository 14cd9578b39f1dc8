"""The answer walker never raises anything but AnswerError, and grading never raises at all.

Typing ``(-1)**1e999`` into a lesson's answer box used to kill the app (``int(inf)`` in the
walker); about one random answer in two hundred did.
"""

from __future__ import annotations

import math
import random

import pytest

from engine.value import Value
from micrograd_tui.lessonbook import parse_text
from micrograd_tui.lessonbook.answers import (AnswerError, Verdict, evaluate_expression, grade,
                                             solve)

from lesson_answer_gen import LESSON, answer  # the folder of this test is on sys.path


HOSTILE = ["(-1)**1e999", "(-2)**(1e999-1e999)", "(-1e999)**0.5", "log(-1e999)",
           "sqrt(1e999-1e999)", "2**1e999", "(-2)**1e300", "1e999*0", "9**9**9**9",
           "-" * 199 + "1", "(" * 99 + "1" + ")" * 99, "tanh(1e999)-tanh(1e999)",
           "exp(1e999)", "abs(-1e999)", "1/(1e999-1e999)", "0**-1e999", "(-0.0)**-1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_answers_get_a_message_not_a_traceback(text: str) -> None:
    try:
        value = evaluate_expression(text, {"a": Value(2.0)})
    except AnswerError as e:
        assert str(e)  # a message the check panel can show
    else:
        assert math.isfinite(value)


def test_twenty_thousand_random_answers_never_crash_the_walker_or_the_grader() -> None:
    lesson = parse_text(LESSON, "t.md")
    check = lesson.steps[0].check
    check.solution = solve(check, lesson.steps[0])
    names = {"a": Value(-2.0), "b": Value(3.0), "L": Value(-6.0)}
    rng = random.Random(9)
    computed = refused = 0
    for _ in range(20_000):
        text = answer(rng)
        try:
            value = evaluate_expression(text, names)
        except AnswerError:
            refused += 1
        else:
            assert math.isfinite(value), text
            computed += 1
        verdict = grade(check, text)
        assert isinstance(verdict, Verdict) and verdict.message, text
    # the generator reaches both sides, so the test exercises the arithmetic, not just the parser
    assert computed > 2_000 and refused > 2_000, (computed, refused)
