"""Ctrl+O never hands a lesson's answer over: a check that asks for a gradient opens its
program in quiz mode (tests/tui/test_quiz.py); one that asks for a value the graph would
show opens it only once the check is answered or its worked answer shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from micrograd_tui.app import MicrogradApp
from micrograd_tui.lessonbook.answer_box import CheckPanel
from micrograd_tui.lessonbook.answers import format_number, grads_asked, names_used
from micrograd_tui.lessonbook.progress import ENV_DATA_DIR
from micrograd_tui.lessonbook.render import OPEN_AFTER_CHECK_HINT
from micrograd_tui.lessonbook.screen import LessonsScreen
from micrograd_tui.playground.screen import PlaygroundScreen

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))


def value_checks(screen: LessonsScreen) -> list[tuple[int, int]]:
    """(lesson, step) of every check with a program whose answer is a value on its graph."""
    found = []
    for li, lesson in enumerate(screen.lessons):
        for si, step in enumerate(lesson.steps):
            check = step.check
            if check is not None and step.playground_source is not None and \
                    names_used(check.answer) and not grads_asked(check.answer) \
                    and check.answer.strip().isidentifier():
                found.append((li, si))
    return found


async def test_a_value_check_opens_its_program_only_once_answered():
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonsScreen)
        steps = value_checks(screen)
        assert len(steps) >= 3, "the course asks for values (d, L, o ...) in several checks"
        lesson, step = steps[0]
        screen.open_lesson(lesson, step)
        await pilot.pause()
        assert OPEN_AFTER_CHECK_HINT in screen.query_one("#step-body").source
        app.clear_notifications()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen is screen  # not opened: its graph would show the answer
        said = [n.message for n in app._notifications]
        assert any("once its check is answered" in m for m in said), said

        panel = screen.query_one(CheckPanel)
        panel.input.value = format_number(screen.attempt.solution.value)
        await pilot.press("enter")
        await pilot.pause()
        assert panel.passed
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
        assert app.screen.program is not None


async def test_the_worked_answer_also_unlocks_the_program():
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        lesson, step = value_checks(screen)[-1]
        screen.open_lesson(lesson, step)
        await pilot.pause()
        await pilot.press("f6", "f6")  # the hint, then the worked answer
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
