"""The Train screen's look inside the network (Ctrl+T) and its live settings."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Input, Static

from engine.train import PRESETS, TrainConfig, Trainer
from micrograd_tui.app import MicrogradApp
from micrograd_tui.training.neuron_maps import neuron_maps, plane_bounds
from micrograd_tui.training.inside import DRAWING
from micrograd_tui.training.neurons import NeuronPanel
from micrograd_tui.training.screen import TrainScreen

from pilot_helpers import wait_for  # the folder of this test is on sys.path

MOONS = dataclasses.replace(PRESETS["moons-tanh"], steps=30)




async def neurons_after_a_short_run(pilot) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, TrainScreen)
    screen.status.show_speed = False
    screen.load_config(MOONS)
    await pilot.pause()
    await pilot.press("ctrl+t")
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: not screen.running and screen.step_count == MOONS.steps)
    await pilot.press("down", "right", "right")  # hidden 2, neuron 3
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_neuron_panel_after_a_short_run(snap_compare, size):
    assert snap_compare(MicrogradApp(start_mode="train"), terminal_size=size,
                        run_before=neurons_after_a_short_run)


def test_the_output_picture_is_the_models_score_and_wide_layers_say_how_many_more():
    trainer = Trainer(MOONS)
    list(trainer.steps(5))
    bounds = plane_bounds(trainer.train_set.X)
    maps = neuron_maps(trainer.model, bounds, (5, 99), small=(4, 3))
    x0, x1, y0, y1 = bounds
    points = [(x0 + (c + 0.5) * (x1 - x0) / 4, y1 - (r + 0.5) * (y1 - y0) / 3)
              for r in range(3) for c in range(4)]
    out = maps.layers[-1].maps[0]
    scale = max(abs(out.low), abs(out.high))
    scores = [v * scale for row in out.values for v in row]
    assert scores == pytest.approx(trainer.predict_many(points), rel=1e-12)
    assert [(layer.name, layer.hidden_count) for layer in maps.layers] == \
        [("hidden 1", 8), ("hidden 2", 8), ("output", 0)]
    assert maps.selected == (2, 0)  # clamped to the model
    neuron = trainer.model.layers[0].neurons[2]
    assert maps.layers[0].weights[2] == tuple(w.data for w in neuron.w)


async def test_the_panel_follows_training_and_the_selection():
    app = MicrogradApp(start_mode="train")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.built)  # until then only the app's keys work
        screen.load_config(MOONS)
        await pilot.press("ctrl+t")
        panel = screen.query_one(NeuronPanel)
        assert panel.display and panel.maps is not None
        before = panel.maps.layers[-1].maps[0]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running)
        await pilot.pause()
        assert panel.maps.layers[-1].maps[0] != before  # what the output computes moved
        await pilot.press("down", "down", "up", "right")
        await pilot.pause()
        assert panel.selected == (1, 1) and panel.maps.selected == (1, 1)
        screen.load_config(PRESETS["regression"])
        await pilot.pause()
        assert panel.maps is None and "2 inputs" in panel.note


def _panel_picture(panel: NeuronPanel) -> list[tuple[tuple[str, str], ...]]:
    """What the panel shows: each line's text and colours."""
    return [tuple((seg.text, str(seg.style)) for seg in panel.render_line(y))
            for y in range(panel.content_region.height)]


async def test_the_panel_changes_while_a_run_goes_on():
    """The training thread draws the neurons beside the boundary: the learner sees them move
    during the run, not only when it stops."""
    app = MicrogradApp(start_mode="train")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        screen.status.show_speed = False
        await wait_for(pilot, lambda: screen.built)
        screen.load_config(LONG)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 5)
        panel = screen.query_one(NeuronPanel)
        await pilot.press("ctrl+t")  # shown mid-run: the thread draws it at its next report
        assert screen.running and panel.display
        seen: list[tuple[int, object, list]] = []  # (step, maps, picture) while running

        def record() -> bool:
            if screen.running and panel.maps is not None and (
                    not seen or panel.maps is not seen[-1][1]):
                seen.append((screen.step_count, panel.maps, _panel_picture(panel)))
            return len(seen) >= 2

        await wait_for(pilot, record, timeout=60)
        assert screen.running  # both were shown before the run stopped
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running)
        (step1, maps1, pic1), (step2, maps2, pic2) = seen[:2]
        assert step2 > step1
        assert maps1.layers[0].weights != maps2.layers[0].weights  # newer weights...
        assert maps1.layers[-1].maps != maps2.layers[-1].maps      # ...what the output computes
        assert pic1 != pic2                                        # and what the learner sees


LONG = TrainConfig(dataset="moons", n_samples=60, hidden=(4,), activation="tanh", loss="bce",
                   l2=0.0, optimizer="sgd", lr=0.05, schedule="constant", steps=100_000, seed=3)


@pytest.mark.parametrize("where", ["process", "thread"])
async def test_changing_the_learning_rate_mid_run_keeps_the_run_going(where, monkeypatch):
    if where == "thread":
        monkeypatch.setenv("MICROGRAD_TUI_TRAIN_PROCESS", "0")
    app = MicrogradApp(start_mode="train")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        screen.status.show_speed = False
        screen.load_config(LONG)
        await pilot.pause()
        trainer = screen.trainer
        await pilot.press("ctrl+r")
        calls: list[int] = []
        update = trainer.update

        def watched_update(**settings):  # when the change reaches the trainer
            calls.append(trainer.step_count)
            update(**settings)

        trainer.update = watched_update
        await wait_for(pilot, lambda: screen.step_count >= 20)
        screen.query_one("#field-lr", Input).value = "0.2"
        await wait_for(pilot, lambda: len(calls) == 1)
        changed_at = calls[0]
        await wait_for(pilot, lambda: screen.step_count >= changed_at + 20)
        await pilot.press("ctrl+r")  # pause
        await wait_for(pilot, lambda: not screen.running)
        assert screen.trainer is trainer  # not started over
        history = trainer.history
        assert [e.step for e in history] == list(range(trainer.step_count))
        first_new = next(i for i, e in enumerate(history) if e.lr == 0.2)
        assert all(e.lr == 0.05 for e in history[:first_new])
        assert all(e.lr == 0.2 for e in history[first_new:])
        # from the next step (the one under way, if any, finishes with the old rate)
        if where == "thread":
            assert screen.train_process is None
            assert first_new in (changed_at, changed_at + 1)
        else:  # the worker is ahead of the screen's last report: from its next step
            assert screen.train_process is not None
            assert screen.live_applied_at == [first_new]
            assert first_new >= changed_at
        assert changed_at >= 20
        assert "0.2" in screen.status.plain


async def test_the_form_says_what_a_change_does_before_it_happens():
    app = MicrogradApp(start_mode="train")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        await pilot.pause()
        # the micrograd demo has its own points: Samples and Noise are off, with the reason
        for name in ("n_samples", "noise"):
            assert screen.query_one(f"#field-{name}", Input).disabled
            assert "micrograd demo" in str(screen.query_one(f"#hint-{name}", Static).render())
        screen.query_one("#field-hidden", Input).focus()
        await pilot.pause()
        assert "resets the run" in str(screen.query_one("#hint-hidden", Static).render())
        screen.query_one("#field-lr", Input).focus()
        await pilot.pause()
        assert "next step" in str(screen.query_one("#hint-lr", Static).render())
        assert not screen.query_one("#hint-hidden", Static).display
        screen.load_config(PRESETS["moons-tanh"])
        await pilot.pause()
        assert not screen.query_one("#field-noise", Input).disabled


async def test_shown_mid_run_the_panel_says_it_is_drawing_until_the_next_picture():
    """No pictures of older weights (maybe of another run): a note, then the run's own."""
    app = MicrogradApp(start_mode="train")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        screen.status.show_speed = False
        await wait_for(pilot, lambda: screen.built)
        screen.load_config(LONG)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 5)
        panel = screen.query_one(NeuronPanel)
        shown: list[tuple[object, str, int]] = []  # maps, note, the step when shown
        show = panel.show

        def recorded(maps, note=""):
            shown.append((maps, note, screen.step_count))
            show(maps, note)

        panel.show = recorded
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: any(maps is not None for maps, *_ in shown))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running)
        assert shown[0][:2] == (None, DRAWING)  # at once, as the key is handled
        maps, note, step = next(s for s in shown if s[0] is not None)
        assert note == "" and step >= shown[0][2]  # then the run's pictures, of its weights
