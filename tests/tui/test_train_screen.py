"""The Train screen, driven like a user would: keys, fields, files."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import threading
from contextlib import asynccontextmanager

import pytest
from textual.app import App
from textual.widgets import Input, Static

from engine.data import DATASETS
from engine.errors import NumericError
from engine.expr import evaluate
from engine.train import PRESETS, StepEvent, TrainConfig, Trainer
from micrograd_tui.app import MicrogradApp
from micrograd_tui.training.screen import TrainScreen
from micrograd_tui.training.csv_export import history_csv
from micrograd_tui.training.model_program import model_program
from micrograd_tui.training.plot_data import decimate
from micrograd_tui.training.plots import LossPlot
from micrograd_tui.training.figures import format_accuracy

from pilot_helpers import wait_for  # the folder of this test is on sys.path

DEMO = PRESETS["micrograd-demo"]
SMALL = dataclasses.replace(DEMO, hidden=(4,), steps=50)


class TrainApp(App[None]):
    """Just the Train screen; records notifications."""

    def __init__(self, config: TrainConfig | None = None) -> None:
        super().__init__()
        self.config = config
        self.messages: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        screen = TrainScreen()
        if self.config is not None:
            screen.load_config(self.config)  # before mount: applied on mount
        self.push_screen(screen)

    def notify(self, message, *, severity="information", **kw):  # type: ignore[override]
        self.messages.append((severity, str(message)))
        return super().notify(message, severity=severity, **kw)


@asynccontextmanager
async def running(app: App, size: tuple[int, int]):
    """``app.run_test`` once the Train screen has built its form and first trainer (they
    come after its first frame)."""
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        if isinstance(screen, TrainScreen):
            await wait_for(pilot, lambda: screen.built)
            await pilot.pause()  # and the form's first messages are handled
        yield pilot




async def run_to_stop(pilot, screen: TrainScreen, key: str = "ctrl+r") -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: not screen.running)
    await pilot.pause()


def weights(trainer: Trainer) -> list[float]:
    return [p.data for p in trainer.model.parameters()]


async def load_model_from(pilot, screen: TrainScreen, path) -> None:
    """Type ``path`` in the Model field and press the load key, as a learner does."""
    screen.query_one("#model-path", Input).value = str(path)
    await pilot.press("ctrl+o")
    await pilot.pause()


# --- the screen ---------------------------------------------------------------------------
async def test_demo_preset_reaches_the_notebook_numbers():
    app = TrainApp()
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, TrainScreen)
        assert screen.trainer.config == DEMO
        assert "step 0/100" in screen.status.plain
        await run_to_stop(pilot, screen)
        text = screen.status.plain
        assert "step 100/100" in text
        assert "loss 0.0110" in text
        assert "accuracy 100%" in text
        assert "done" in text
        assert screen.loss_plot.points_plotted == 100
        assert screen.model_plot.kind == "boundary" and screen.model_plot.grid_step == 100
        # one more start is refused with a message, not a crash
        await pilot.press("ctrl+r")
        assert not screen.running
        assert any("done" in m for _, m in app.messages)


async def test_pause_stops_the_step_counter():
    app = TrainApp(dataclasses.replace(DEMO, steps=5000))
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 3)
        assert screen.running
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running)
        paused_at = screen.step_count
        await asyncio.sleep(0.3)
        await pilot.pause()
        assert screen.step_count == paused_at < 5000
        assert f"step {paused_at}/5000" in screen.status.plain
        assert "paused" in screen.status.plain
        # and it goes on from there
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count > paused_at)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running)


async def test_single_step_advances_by_one():
    app = TrainApp()
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        await run_to_stop(pilot, screen, "ctrl+n")
        assert screen.step_count == 1
        assert "step 1/100" in screen.status.plain
        assert "loss 0.8958" in screen.status.plain  # micrograd's loss at step 0
        await run_to_stop(pilot, screen, "ctrl+n")
        assert screen.step_count == 2
        assert screen.loss_plot.points_plotted == 2


async def test_reset_clears_plots_and_redraws_the_same_weights():
    app = TrainApp(SMALL)
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        initial = weights(screen.trainer)
        assert initial == weights(Trainer(SMALL))
        for _ in range(3):
            await run_to_stop(pilot, screen, "ctrl+n")
        assert weights(screen.trainer) != initial
        assert screen.loss_plot.points_plotted == 3
        await pilot.press("f7")
        await pilot.pause()
        assert screen.step_count == 0
        assert screen.loss_plot.points_plotted == 0
        assert screen.accuracy_plot.points_plotted == 0
        assert "step 0/50" in screen.status.plain
        assert weights(screen.trainer) == initial


async def test_a_bad_field_value_is_refused_at_the_field():
    app = TrainApp()
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        lr = screen.query_one("#field-lr", Input)
        lr.focus()
        await pilot.press("end", *["backspace"] * 5, "a", "b", "c")
        await pilot.pause()
        error = screen.query_one("#error-lr", Static)
        assert error.display and "number" in str(error.render())
        assert lr.has_class("-invalid")
        await pilot.press(*["backspace"] * 3, "-", "1")
        await pilot.pause()
        assert "must be > 0" in str(error.render())
        assert screen.trainer.config.lr == 1.0  # the trainer never saw it
        await pilot.press("ctrl+r")             # typing keys in the field; ctrl+r still works
        await pilot.pause()
        assert not screen.running and screen.step_count == 0
        assert any("lr" in m and severity == "warning" for severity, m in app.messages)
        # a good value clears the message and is used
        await pilot.press("backspace", "backspace", "0", ".", "5")
        await pilot.pause()
        assert not error.display
        assert screen.trainer.config.lr == 0.5


async def test_raising_steps_goes_on_from_where_training_stopped():
    app = TrainApp(dataclasses.replace(SMALL, steps=4))
    async with running(app, size=(100, 40)) as pilot:
        screen = app.screen
        await run_to_stop(pilot, screen)
        assert "step 4/4" in screen.status.plain and "done" in screen.status.plain
        learned = weights(screen.trainer)
        screen.query_one("#field-steps", Input).value = "6"
        await pilot.pause()
        assert screen.step_count == 4 and weights(screen.trainer) == learned
        await run_to_stop(pilot, screen)
        assert "step 6/6" in screen.status.plain
        assert screen.loss_plot.points_plotted == 6


async def test_hidden_layers_and_loss_rules_are_checked():
    app = TrainApp()
    async with running(app, size=(100, 40)) as pilot:
        screen = app.screen
        hidden = screen.query_one("#field-hidden", Input)
        hidden.value = "16,x"
        await pilot.pause()
        assert "16,16" in str(screen.query_one("#error-hidden", Static).render())
        hidden.value = "999"
        await pilot.pause()
        assert "between 1 and" in str(screen.query_one("#error-hidden", Static).render())
        hidden.value = "8"
        await pilot.pause()
        assert screen.trainer.config.hidden == (8,)
        # regression data with a classification loss: explained at the loss field
        screen.controls.query_one("#field-dataset").value = "regression1d"
        await pilot.pause()
        assert "regression" in str(screen.query_one("#error-loss", Static).render())
        assert screen.trainer.config.dataset == "micrograd_demo"


async def test_a_preset_fills_the_whole_form():
    app = TrainApp()
    async with running(app, size=(100, 40)) as pilot:
        screen = app.screen
        screen.query_one("#preset").value = "moons-tanh"
        await pilot.pause()
        assert screen.trainer.config == PRESETS["moons-tanh"]
        assert screen.query_one("#field-lr", Input).value == "0.05"
        assert screen.query_one("#field-optimizer").value == "adam"
        assert screen.accuracy_plot.display


async def test_a_diverging_step_is_reported_and_the_app_goes_on():
    app = TrainApp(SMALL)
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        await run_to_stop(pilot, screen, "ctrl+n")

        def diverge():
            raise NumericError("*", (1e300, 1e300), "the result is too large for a float",
                               where="at training step 2: the model diverged")

        screen.trainer.step = diverge
        await run_to_stop(pilot, screen)
        assert "failed" in screen.status.plain and screen.step_count == 1
        errors = [m for s, m in app.messages if s == "error"]
        assert errors and "diverged" in errors[-1]


async def test_every_dataset_trains_a_few_steps():
    app = TrainApp()
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        for name in DATASETS:
            regression = name == "regression1d"
            config = TrainConfig(dataset=name, n_samples=40, hidden=(4,), steps=3,
                                 loss="mse" if regression else "max_margin", lr=0.05, seed=1)
            screen.load_config(config)
            await pilot.pause()
            await run_to_stop(pilot, screen)
            assert screen.step_count == 3, name
            assert "done" in screen.status.plain, name
            assert screen.model_plot.kind == ("curve" if regression else "boundary"), name
            assert screen.accuracy_plot.display is not regression, name
        assert not [m for s, m in app.messages if s == "error"]


async def test_log_scale_toggle():
    app = TrainApp()
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        await run_to_stop(pilot, screen, "ctrl+n")
        assert screen.loss_plot.plot_title() == "Loss"
        await pilot.press("ctrl+l")
        assert screen.loss_plot.log_scale
        assert screen.loss_plot.plot_title() == "log10(loss)"


async def test_save_then_load_gives_the_same_predictions(tmp_path):
    path = tmp_path / "model.json"
    app = TrainApp(SMALL)
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        screen.query_one("#model-path", Input).value = str(path)
        for _ in range(5):
            await run_to_stop(pilot, screen, "ctrl+n")
        points = [[0.5, 0.2], [-1.0, 0.3], [1.5, -0.4]]
        trained = [screen.trainer.predict(p) for p in points]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.exists()
        assert any(str(path) in m for _, m in app.messages)
        await pilot.press("f7")
        await pilot.pause()
        assert [screen.trainer.predict(p) for p in points] != trained
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert [screen.trainer.predict(p) for p in points] == trained


async def test_loading_a_bad_file_says_which_and_why(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    app = TrainApp(SMALL)
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        before = weights(screen.trainer)
        await load_model_from(pilot, screen, path)
        errors = [m for s, m in app.messages if s == "error"]
        assert errors and str(path) in errors[-1] and "JSON" in errors[-1]
        await load_model_from(pilot, screen, tmp_path / "missing.json")
        assert "missing.json" in [m for s, m in app.messages if s == "error"][-1]
        assert weights(screen.trainer) == before


async def test_loading_a_model_of_another_shape_changes_the_form(tmp_path):
    path = tmp_path / "wide.json"
    other = Trainer(dataclasses.replace(SMALL, hidden=(3, 2), activation="tanh"))
    other.save(str(path))
    app = TrainApp(SMALL)
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        await load_model_from(pilot, screen, path)
        assert screen.trainer.config.hidden == (3, 2)
        assert screen.query_one("#field-hidden", Input).value == "3,2"
        assert screen.trainer.predict([0.3, 0.1]) == other.predict([0.3, 0.1])


async def test_export_the_loss_history_as_csv(tmp_path):
    path = tmp_path / "loss.csv"
    app = TrainApp(SMALL)
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        screen.query_one("#csv-path", Input).value = str(path)
        await pilot.press("ctrl+y")  # nothing yet: a warning, no file
        await pilot.pause()
        assert not path.exists()
        for _ in range(4):
            await run_to_stop(pilot, screen, "ctrl+n")
        await pilot.press("ctrl+y")
        await pilot.pause()
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
        assert [r["step"] for r in rows] == ["1", "2", "3", "4"]
        # a typo in the folder is refused in words, and no folder appears
        screen.query_one("#csv-path", Input).value = str(tmp_path / "typo" / "loss.csv")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert any("no such folder" in m and "typo" in m for _, m in app.messages)
        assert not (tmp_path / "typo").exists()
        assert float(rows[-1]["loss"]) == screen.trainer.history[-1].loss


async def test_quitting_while_training_ends_the_worker():
    app = MicrogradApp(start_mode="train")
    async with running(app, size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrainScreen)
        screen.load_config(dataclasses.replace(DEMO, steps=5000))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 2)
        trainer, worker = screen.trainer, screen._worker
        ended = screen.run_control.idle  # the training thread sets it as its last act
        assert not ended.is_set()
        await pilot.press("ctrl+q")
    assert worker is not None and worker.is_cancelled
    # the training function itself returns (after its current step, ~20 ms): nothing keeps
    # computing in the thread pool once the app is gone
    assert await asyncio.to_thread(ended.wait, 10)
    stopped_at = trainer.step_count
    await asyncio.sleep(0.3)
    assert trainer.step_count == stopped_at < 5000


async def test_open_in_trainer_before_and_after_mount():
    app = MicrogradApp()
    async with running(app, size=(100, 32)) as pilot:
        await pilot.pause()
        config = PRESETS["xor"]
        app.open_in_trainer(config)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrainScreen)
        await wait_for(pilot, lambda: screen.built)  # the setup asked for while it was built
        assert screen.trainer.config == config
        assert screen.query_one("#field-hidden", Input).value == "8,8"
        app.open_in_trainer(SMALL)
        await pilot.pause()
        assert screen.trainer.config == SMALL


async def test_a_loaded_setup_that_is_a_preset_is_named_in_the_preset_field():
    app = TrainApp(PRESETS["xor"])  # loaded before the screen is mounted
    async with running(app, size=(100, 40)) as pilot:
        screen = app.screen
        await pilot.pause()
        preset = screen.query_one("#preset")
        assert preset.value == "xor"
        screen.load_config(PRESETS["circles"])  # and after
        await pilot.pause()
        assert preset.value == "circles"
        assert screen.trainer.config == PRESETS["circles"]
        screen.load_config(SMALL)  # not a preset: nothing named
        await pilot.pause()
        assert preset.is_blank()
        screen.load_config(DEMO)
        await pilot.pause()
        assert preset.value == "micrograd-demo"
        # a setting changed by hand: no longer the preset; changed back: it is again
        lr = screen.query_one("#field-lr", Input)
        lr.value = "0.5"
        await pilot.pause()
        assert preset.is_blank() and screen.trainer.config.lr == 0.5
        lr.value = "1.0"
        await pilot.pause()
        assert preset.value == "micrograd-demo" and screen.trainer.config == DEMO


async def test_graph_of_a_small_model_opens_in_the_playground():
    app = MicrogradApp(start_mode="train")
    async with running(app, size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.load_config(SMALL)
        await run_to_stop(pilot, screen, "ctrl+n")
        sent: list[str] = []
        original = app.open_in_playground
        app.open_in_playground = lambda source, **kw: (sent.append(source), original(source, **kw))
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.current_mode == "playground"
        x = screen.trainer.train_set.X[0]
        assert evaluate(sent[0]).output.data == pytest.approx(screen.trainer.predict(x),
                                                              rel=1e-12, abs=1e-12)


# --- the pieces -------------------------------------------------------------------------------
@pytest.mark.parametrize("hidden", [(4,), (16, 16)])
def test_model_program_reproduces_the_model(hidden):
    trainer = Trainer(dataclasses.replace(DEMO, hidden=hidden))
    for _ in trainer.steps(3):
        pass
    x = trainer.train_set.X[7]
    program = model_program(trainer.model, x)
    assert program.named_weights is (hidden == (4,))
    result = evaluate(program.source)
    assert result.output.data == pytest.approx(trainer.predict(x), rel=1e-12, abs=1e-12)
    if program.named_weights:  # the weights are leaves with names: their gradients show
        result.backward()
        assert "w1_1_1" in result.variables and result.variables["w1_1_1"].grad != 0.0


def test_model_program_refuses_a_huge_model():
    trainer = Trainer(dataclasses.replace(DEMO, hidden=(32, 32)))
    with pytest.raises(ValueError, match="too big"):
        model_program(trainer.model, trainer.train_set.X[0])


def test_long_histories_are_decimated():
    assert list(decimate(5)) == [0, 1, 2, 3, 4]
    idx = decimate(10_000, 300)
    assert len(idx) <= 301 and idx[0] == 0 and idx[-1] == 9_999


async def test_loss_plot_keeps_a_few_hundred_points():
    history = [StepEvent(k, 1.0 / (k + 1), 0.5, 0.1, 2.0 / (k + 1), 0.4) for k in range(20_000)]

    class PlotApp(App[None]):
        def compose(self):
            yield LossPlot()

    app = PlotApp()
    async with running(app, size=(60, 20)) as pilot:
        plot = app.query_one(LossPlot)
        plot.show_history(history)
        plot.log_scale = True
        await pilot.pause()
        assert 0 < plot.points_plotted <= 2 * 301


def test_csv_text_has_one_row_per_step():
    history = [StepEvent(k, 0.5, None, 0.1) for k in range(3)]
    lines = history_csv(history).splitlines()
    assert lines[0].startswith("step,loss,accuracy,lr")
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3"]


def test_accuracy_is_never_rounded_up_to_100():
    assert format_accuracy(1.0) == "100%"
    assert format_accuracy(0.995) == "99.5%"
    assert format_accuracy(0.9999) == "99.9%"
    assert format_accuracy(None) == "–"


async def test_a_model_whose_shape_cannot_be_used_is_refused_without_claiming_success(tmp_path):
    from engine.nn import MLP

    path = tmp_path / "wide.json"
    MLP(2, [200, 1]).save(path)  # more neurons in a layer than the form allows
    app = TrainApp(SMALL)
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        before = weights(screen.trainer)
        await load_model_from(pilot, screen, path)
        said = [m for _, m in app.messages]
        assert any("Could not load the model" in m and "a layer of 200 neurons" in m for m in said)
        assert not any(m.startswith("Loaded the model") for m in said)
        assert weights(screen.trainer) == before


async def test_run_and_pause_in_one_burst_never_leaves_the_screen_stuck():
    # pausing a run whose thread had not started yet used to leave "pausing" forever, with
    # every later key waiting for a stop that never came
    app = TrainApp(dataclasses.replace(SMALL, steps=100_000))
    async with running(app, size=(100, 32)) as pilot:
        screen = app.screen
        stopped = lambda: not screen.running and screen.run_control.free  # noqa: E731
        for _ in range(3):
            screen.action_run_pause()  # run...
            screen.action_run_pause()  # ...and pause in the same tick: the thread has not started
            await wait_for(pilot, stopped, timeout=10)
        # run, pause, then two more presses while pausing: the resume is toggled on and off
        # again, not queued once per press
        for _ in range(4):
            screen.action_run_pause()
        await wait_for(pilot, stopped, timeout=10)
        await pilot.pause(0.2)
        assert stopped()
        before = screen.step_count
        await run_to_stop(pilot, screen, "ctrl+n")
        assert screen.step_count == before + 1


async def test_the_keys_work_while_the_first_trainer_is_being_built(monkeypatch):
    """The first switch to Train draws the screen at once and builds the trainer in a thread:
    F2 goes back to the playground meanwhile, and the trainer is there on the way back."""
    gate = threading.Event()

    class SlowTrainer(Trainer):
        def __init__(self, config: TrainConfig) -> None:
            gate.wait(10)
            super().__init__(config)

    monkeypatch.setattr("micrograd_tui.training.screen.Trainer", SlowTrainer)
    app = MicrogradApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        screen = app.screen
        assert isinstance(screen, TrainScreen)
        assert "setting up" in screen.status.plain
        await pilot.press("ctrl+r")  # no trainer yet: nothing happens, nothing breaks
        assert not screen.running
        await pilot.press("f2")
        assert app.current_mode == "playground" and not screen.built
        gate.set()
        await wait_for(pilot, lambda: screen.built)
        await pilot.press("f3")
        assert app.screen is screen
        assert screen.trainer is not None and "step 0/100" in screen.status.plain
