"""The shipped lessons read as lessons: every step explains itself before its first block."""

from __future__ import annotations

import re

import pytest

from micrograd_tui.lessonbook import Lesson, Step, load_lessons, parse_text

#: the fewest words of plain text a step opens with: a sentence, not a caption
MIN_WORDS = 10
_FENCE = re.compile(r"\s*(```|~~~)")


def lead_words(step: Step) -> list[str]:
    """The words of plain text between a step's heading and its first block or code fence."""
    words: list[str] = []
    for part in step.parts:
        if not isinstance(part, str):  # a program, check, fit or train block
            return words
        for line in part.split("\n"):
            if _FENCE.match(line):  # a ```text or ```python fence: code, not explanation
                return words
            if not line.startswith("## "):
                words += line.split()
    return words


def shipped() -> list[Lesson]:
    found, problems = load_lessons(None)
    assert not problems
    return found


@pytest.mark.parametrize("lesson", shipped(), ids=lambda le: le.path.name)
def test_every_step_opens_with_an_explanation(lesson: Lesson) -> None:
    short = {step.title: " ".join(lead_words(step)) for step in lesson.steps
             if len(lead_words(step)) < MIN_WORDS}
    assert not short, f"steps with no sentence of explanation before their blocks: {short}"


def test_the_measure_sees_a_step_that_is_only_a_heading_and_a_block() -> None:
    bare = "---\ntitle: T\nsummary: S\norder: 1\n---\n\n## Bare\n\n```program\na = 1.0\n```\n"
    lesson = parse_text(bare)
    assert [lead_words(step) for step in lesson.steps] == [[]]
    told = bare.replace("## Bare\n", "## Told\n\nA leaf is a number we typed in; here is one, "
                                      "on its own.\n")
    assert len(lead_words(parse_text(told).steps[0])) >= MIN_WORDS


def test_the_lessons_help_says_what_ctrl_o_shows() -> None:
    """An open check's program opens in quiz mode (its gradients hidden): the F1 page must
    not promise every gradient."""
    from micrograd_tui.lessonbook.help_text import HELP

    text = " ".join(HELP.split())
    assert "look at every gradient" not in text
    assert "quiz mode" in text and "Ctrl+O" in text
