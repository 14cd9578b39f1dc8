"""The command palette lists every action of the screen it is opened on."""

from __future__ import annotations

import pytest

from micrograd_tui.app import MicrogradApp
from micrograd_tui.lessonbook.screen import LessonsScreen
from micrograd_tui.playground.screen import PlaygroundScreen
from micrograd_tui.training.screen import TrainScreen


@pytest.mark.parametrize(
    "mode, screen_class",
    [("playground", PlaygroundScreen), ("train", TrainScreen), ("lessons", LessonsScreen)],
)
async def test_every_described_binding_is_in_the_palette(mode, screen_class):
    app = MicrogradApp(start_mode=mode)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, screen_class)
        titles = {command.title for command in app.get_system_commands(screen)}
        expected = set()
        for binding in screen_class.BINDINGS + MicrogradApp.BINDINGS:
            if not binding.description:
                continue
            # actions a screen turns off where they do not apply (a lesson step with no
            # training setup) are left out on purpose
            if screen.check_action(binding.action.split("(")[0], ()) is False:
                continue
            expected.add(binding.description)
        missing = expected - titles
        assert not missing, f"not in the command palette: {sorted(missing)}"
        assert {"Help", "Playground", "Train", "Lessons", "Quit"} <= titles


async def test_a_palette_command_runs_its_action():
    app = MicrogradApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        (go,) = [c for c in app.get_system_commands(app.screen) if c.title == "Lessons"]
        app.call_later(go.callback)  # as the palette runs a chosen command
        await pilot.pause()
        assert app.current_mode == "lessons"
