"""A change the run cannot absorb (data, architecture) starts it over, mid-run too; the form
said so before (tests/tui/test_train_neurons.py), and the screen shows the new run."""

from __future__ import annotations

import dataclasses

from textual.widgets import Input

from engine.train import PRESETS
from micrograd_tui.app import MicrogradApp
from micrograd_tui.training.screen import TrainScreen

from pilot_helpers import wait_for  # the folder of this test is on sys.path

LONG = dataclasses.replace(PRESETS["moons-tanh"], steps=100_000)




async def test_changing_the_hidden_layers_mid_run_starts_over_with_the_new_network():
    app = MicrogradApp(start_mode="train")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, TrainScreen)
        await wait_for(pilot, lambda: screen.built)
        screen.load_config(LONG)
        await pilot.pause()
        old = screen.trainer
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 10)
        assert screen.running
        field = screen.query_one("#field-hidden", Input)
        field.value = "5, 3"
        await wait_for(pilot, lambda: screen.trainer is not old)
        await wait_for(pilot, lambda: not screen.running)
        new = screen.trainer
        assert new.config.hidden == (5, 3) and new.step_count == 0
        sizes = [len(layer.neurons) for layer in new.model.layers]
        assert sizes == [5, 3, 1]
        assert "step 0/" in screen.status.plain
        assert not old.done and old.step_count >= 10  # the old run stopped where it was
        await pilot.press("ctrl+n")  # and the new network trains
        await wait_for(pilot, lambda: new.step_count == 1)


async def test_changing_the_samples_mid_run_starts_over_on_the_new_data():
    app = MicrogradApp(start_mode="train")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.built)
        screen.load_config(LONG)
        await pilot.pause()
        old = screen.trainer
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 5)
        screen.query_one("#field-n_samples", Input).value = "60"
        await wait_for(pilot, lambda: screen.trainer is not old and not screen.running)
        new = screen.trainer
        total = len(new.train_set.X) + (len(new.test_set.X) if new.test_set else 0)
        assert total == 60 and new.step_count == 0
