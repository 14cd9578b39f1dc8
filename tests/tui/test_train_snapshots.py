"""What the Train screen looks like at 80x24 and 120x40 after a short seeded run."""

from __future__ import annotations

import dataclasses
import time

import pytest

from engine.train import PRESETS
from micrograd_tui.app import MicrogradApp
from micrograd_tui.training.screen import TrainScreen

SHORT_RUN = dataclasses.replace(PRESETS["micrograd-demo"], steps=20)


#: short seeded runs of the presets whose pictures differ: a test split, a spiral, a curve
PRESET_RUNS = {
    "moons": dataclasses.replace(PRESETS["moons-tanh"], steps=40),
    "spiral": dataclasses.replace(PRESETS["spiral"], steps=60),
    "regression": dataclasses.replace(PRESETS["regression"], steps=60),
}


def run_of(config):
    async def run(pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, TrainScreen)
        screen.status.show_speed = False  # steps/s depends on the machine
        screen.load_config(config)
        await pilot.pause()
        await pilot.press("ctrl+r")
        deadline = time.monotonic() + 60
        while screen.running or screen.step_count < config.steps:
            assert time.monotonic() < deadline
            await pilot.pause(0.02)
        await pilot.pause()
    return run


short_run = run_of(SHORT_RUN)


async def short_run_without_form(pilot) -> None:
    await short_run(pilot)
    await pilot.press("ctrl+b")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_train_after_a_short_run(snap_compare, size):
    assert snap_compare(MicrogradApp(start_mode="train"), terminal_size=size,
                        run_before=short_run)


def test_train_form_hidden_80x24(snap_compare):
    assert snap_compare(MicrogradApp(start_mode="train"), terminal_size=(80, 24),
                        run_before=short_run_without_form)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("preset", list(PRESET_RUNS))
def test_train_preset_after_a_short_run(snap_compare, preset, size):
    """Moons (train ● and test ○ over the shaded boundary), spiral, regression (fitted curve)."""
    assert snap_compare(MicrogradApp(start_mode="train"), terminal_size=size,
                        run_before=run_of(PRESET_RUNS[preset]))
