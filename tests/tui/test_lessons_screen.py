"""Pilot tests of the Lessons screen: paging, answering, progress kept, opening programs."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, Markdown, Static, TextArea

from engine.train import PRESETS
from micrograd_tui.app import MicrogradApp
from micrograd_tui.lessonbook.answers import format_number
from micrograd_tui.lessonbook.progress import ENV_DATA_DIR, FILE_NAME
from micrograd_tui.lessonbook.screen import LessonsScreen
from micrograd_tui.training.screen import TrainScreen
from micrograd_tui.lessonbook.answer_box import CheckPanel
from micrograd_tui.lessonbook.lesson_list import LessonList

FIXTURES = Path(__file__).parent.parent / "lessons" / "fixtures"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic attempts: the numbers the lessons draw are the same every run."""
    from micrograd_tui.lessonbook import attempt, screen as lessons_screen, step_keys

    seeds = itertools.count(1)
    for module in (attempt, step_keys, lessons_screen):
        monkeypatch.setattr(module, "new_seed", lambda: next(seeds))


def right_answer(app: MicrogradApp) -> str:
    """The answer of the check on screen, for the numbers drawn in this attempt."""
    return format_number(app.screen.attempt.solution.value)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv(ENV_DATA_DIR, str(folder))
    return folder


def title(app: MicrogradApp) -> str:
    return str(app.screen.query_one("#step-title", Static).render())


def feedback(app: MicrogradApp) -> str:
    return str(app.screen.query_one("#check-feedback", Static).render())


def body(app: MicrogradApp) -> str:
    return app.screen.query_one("#step-body", Markdown).source + "\n" + str(
        app.screen.query_one("#step-problems", Static).render())  # a broken lesson's problems


def marks(app: MicrogradApp) -> list[str]:
    options = app.screen.query_one(LessonList).options
    return [str(option.prompt) for option in options]


async def loaded(pilot) -> None:
    """Wait until the Lessons screen has loaded its lessons (they load in a thread)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def answer(pilot, text: str) -> None:
    app = pilot.app
    field = app.screen.query_one(CheckPanel).query_one(Input)
    assert app.focused is field, "the answer box has the focus on a step with a check"
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_lesson_one_answered_wrong_then_right_and_kept_after_restart(data_dir: Path) -> None:
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, LessonsScreen)
        assert title(app) == "1. The derivative as a slope · step 1 of 4"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert title(app).endswith("step 2 of 4") and "Nudge x by a tiny h" in body(app)
        await answer(pilot, "13")
        assert "Not quite" in feedback(app) and "f(x + 0.01)" in feedback(app)  # the hint
        slope = right_answer(app)
        await answer(pilot, slope)
        assert f"Correct: slope = {slope}" in feedback(app)
        for _ in range(10):  # PgDn scrolls a step longer than the screen, then turns the page
            await pilot.press("pagedown")
            await pilot.pause()
            if not title(app).endswith("step 2 of 4"):
                break
        assert title(app).endswith("step 3 of 4")
        await answer(pilot, right_answer(app))
        assert "Correct" in feedback(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert title(app).endswith("step 4 of 4")
        assert marks(app)[0].startswith("✓")  # every step seen, every check passed
        await pilot.press("pageup")
        await pilot.pause()
        assert title(app).endswith("step 3 of 4")
    assert (data_dir / FILE_NAME).is_file()

    again = MicrogradApp(start_mode="lessons")
    async with again.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert title(again).endswith("step 3 of 4")  # where the learner left off
        assert marks(again)[0].startswith("✓") and marks(again)[1].startswith(" ")
        panel = again.screen.query_one(CheckPanel)
        assert panel.passed and "passed" in str(panel.border_title)


async def test_hint_then_worked_answer_on_request(data_dir: Path) -> None:
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("f6")
        assert "Hint:" in feedback(app) and "Answer:" not in feedback(app)
        await pilot.press("f6")
        assert f"Answer: the engine computes slope = {right_answer(app)}." in feedback(app)
        assert not app.screen.query_one(CheckPanel).passed  # seeing it is not passing it
        await answer(pilot, "1")
        await answer(pilot, "2")  # a second wrong answer shows the worked answer too
        assert "engine computes slope" in feedback(app)
        await answer(pilot, "abc")
        assert "Type a number" in feedback(app)


async def test_letters_go_to_the_answer_box(data_dir: Path) -> None:
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"nbotg")
        assert app.screen.query_one(CheckPanel).query_one(Input).value == "nbotg"
        assert title(app).endswith("step 2 of 4")


async def test_open_a_lessons_program_in_the_playground(data_dir: Path) -> None:
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        source = app.screen.step.program.source
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.current_mode == "playground"
        assert app.screen.query_one(TextArea).text == source
        await pilot.press("f4")  # and back, where we were
        await pilot.pause()
        assert app.current_mode == "lessons" and title(app).endswith("step 1 of 4")


async def test_open_a_lessons_setup_in_the_trainer(data_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    got = []
    original = TrainScreen.load_config

    def spy(self, config):
        got.append(config)
        return original(self, config)

    monkeypatch.setattr(TrainScreen, "load_config", spy)
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        screen = app.screen
        index = next(i for i, le in enumerate(screen.lessons) if le.title == "Classifying moons")
        step = next(i for i, s in enumerate(screen.lessons[index].steps) if s.train is not None)
        screen.open_lesson(index, step)
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.current_mode == "train"
        assert got == [PRESETS["micrograd-demo"]]
        assert app.screen.query_one("#preset").value == "micrograd-demo"


async def test_lessons_are_one_key_from_the_first_screen(data_dir: Path) -> None:
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.current_mode == "playground"
        await pilot.press("f4")
        await pilot.pause()
        assert app.current_mode == "lessons" and isinstance(app.screen, LessonsScreen)


async def test_a_corrupt_progress_file_is_set_aside_with_a_notice(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / FILE_NAME).write_text("{ this is not json")
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        notices = [n.message for n in app._notifications]
        assert any("could not be read" in m and "moved" in m for m in notices), notices
        aside = list(data_dir.glob(f"{FILE_NAME}.corrupt-*"))
        assert len(aside) == 1 and aside[0].read_text() == "{ this is not json"
        assert title(app) == "1. The derivative as a slope · step 1 of 4"  # a fresh start
    assert (data_dir / FILE_NAME).read_text().startswith("{")


async def test_a_folder_with_broken_lessons(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(FIXTURES / "good" / "01-tiny.md", folder)
    for name in ("program_syntax.md", "no_front_matter.md"):
        shutil.copy(FIXTURES / "broken" / name, folder)
    app = MicrogradApp(start_mode="lessons", lessons_dir=folder)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        listed = marks(app)
        assert len(listed) == 4 and listed[-1].startswith("↻ Review")  # Review comes last
        assert [m[0] for m in listed[:3]] == ["•", "✗", "✗"]
        assert title(app) == "1. A tiny good lesson · step 1 of 2"  # the good one opens
        await pilot.press("ctrl+n")
        await pilot.pause()
        await answer(pilot, "3")
        assert "Correct" in feedback(app)
        await pilot.press("ctrl+n")  # past the last step: the next lesson, which is broken
        await pilot.pause()
        assert "broken" in title(app)
        assert "program_syntax.md:11:" in body(app)
        assert not app.screen.query_one(CheckPanel).display


async def test_a_notice_carrying_a_path_with_brackets_is_shown_as_plain_text(
        tmp_path: Path, monkeypatch) -> None:
    # a data folder whose name looks like markup: the notice names it and must not crash
    odd = tmp_path / "a[/]b [bold]c"
    odd.mkdir(parents=True)
    monkeypatch.setenv("MICROGRAD_TUI_DATA_DIR", str(odd))
    (odd / FILE_NAME).write_text("{ this is not json")
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.pause(0.2)
        notices = [n.message for n in app._notifications]
        assert any("[/]" in m and "[bold]" in m for m in notices), notices
        assert app.is_running and title(app).startswith("1. ")
