"""The first F3 and F4 are as quick as later ones: the app builds the Train and Lessons
screens in the background after the playground's first frame, while the learner types."""

from __future__ import annotations

import asyncio

import pytest

from micrograd_tui.app import WARM_MODES, MicrogradApp
from micrograd_tui.lessonbook.lesson_list import LessonList
from micrograd_tui.lessonbook.screen import LessonsScreen
from micrograd_tui.playground.editor import ProgramEditor
from micrograd_tui.playground.screen import PlaygroundScreen
from micrograd_tui.training.controls import TrainControls
from micrograd_tui.training.screen import TrainScreen

from pilot_helpers import wait_for  # the folder of this test is on sys.path

SIZE = (100, 30)




def warm_done(app: MicrogradApp) -> bool:
    """Every warm screen is built and laid out (its plots and text know their size)."""
    if app.warmed != list(WARM_MODES):
        return False
    train = app.get_screen_stack("train")[0]
    lessons = app.get_screen_stack("lessons")[0]
    return (train.built and lessons.built and train.model_plot.size.area > 0
            and lessons.query_one("#step-body").size.area > 0)


async def test_train_and_lessons_are_built_behind_the_playground_while_the_learner_types(
        monkeypatch):
    monkeypatch.delenv("MICROGRAD_TUI_WARM")  # the default: on
    app = MicrogradApp(source="")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"x = 2.5")  # typed while the other screens are being built
        await wait_for(pilot, lambda: warm_done(app))
        # the playground stayed on show, with its editor focused and every key in it
        assert isinstance(app.screen, PlaygroundScreen)
        assert isinstance(app.focused, ProgramEditor)
        await pilot.press("enter", *"y = x * 4")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen.editor.text == "x = 2.5\ny = x * 4"
        assert "y = 10" in app.screen.status_text

        await pilot.press("f3")  # the form and the trainer are there at once
        train = app.screen
        assert isinstance(train, TrainScreen) and train.built
        assert train.query_one(TrainControls).display and train.trainer is not None
        assert "setting up" not in str(train.status.render())
        await pilot.press("ctrl+n")  # and it trains
        await wait_for(pilot, lambda: train.step_count == 1)

        await pilot.press("f4")  # the lessons are loaded, the first step shown
        lessons = app.screen
        assert isinstance(lessons, LessonsScreen) and lessons.built
        assert lessons.query_one(LessonList).option_count > 20
        assert lessons.query_one("#step-title").render().plain.strip()


async def test_a_lessons_setup_opens_in_the_warm_train_screen(monkeypatch):
    """A warm screen is the one the app would have built: Open setup from a lesson lands in
    the warm Train screen."""
    monkeypatch.delenv("MICROGRAD_TUI_WARM")
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: warm_done(app))
        train = app.get_screen_stack("train")[0]
        await pilot.press("f4")
        lessons = app.screen
        assert isinstance(lessons, LessonsScreen)
        index = next(i for i, le in enumerate(lessons.lessons)
                     if le.title == "Classifying moons")
        step = next(i for i, s in enumerate(lessons.lessons[index].steps) if s.train is not None)
        lessons.open_lesson(index, step)
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.screen is train  # the warm one, not a second Train screen
        assert train.trainer is not None
        assert train.trainer.config == lessons.lessons[index].steps[step].train.config
        assert train.query_one("#preset").value == "micrograd-demo"


async def test_warm_up_can_be_turned_off(monkeypatch):
    """MICROGRAD_TUI_WARM=0 (the classroom server's sessions): nothing is built until asked."""
    monkeypatch.setenv("MICROGRAD_TUI_WARM", "0")
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await asyncio.sleep(1.0)
        await pilot.pause()
        assert app.warmed == []
        for mode in WARM_MODES:
            with pytest.raises(KeyError):  # Textual's word for "not built"
                app.get_screen_stack(mode)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, TrainScreen) and app.screen.built)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3])
async def test_quitting_during_the_warm_up_ends_cleanly(monkeypatch, delay):
    """A warm-up timer can fire after the app has begun to end: it does nothing then."""
    monkeypatch.delenv("MICROGRAD_TUI_WARM")
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await asyncio.sleep(delay)
    assert app.return_code in (None, 0)
