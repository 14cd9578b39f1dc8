"""The Train screen: set up a small MLP, train it in a thread, and watch it learn.

The trainer runs in a thread worker and posts throttled progress messages (at most
``MESSAGE_RATE`` a second, each superseding the one still queued); the screen reads the
trainer's history on the UI thread to draw.  Every run gets a *generation* number: starting
over (reset, new settings, a loaded config) makes a new trainer and a new generation, and
messages from an older run are ignored, so a thread never shares a trainer with the next one.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import Any, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, get_current_worker

from engine.errors import EngineError
from engine.persist import ModelFileError
from engine.train import PRESETS, StepEvent, TrainConfig, Trainer

from ..training_session import (MAX_PLOT_POINTS, curve_axis, decimate, export_history_csv,
                                grid_axes, model_program)
from ..widgets.nav_bar import NavBar
from ..widgets.train_controls import TrainControls
from ..widgets.train_plots import AccuracyPlot, LossPlot, ModelPlot
from ..widgets.train_status import TrainStatus

#: progress messages per second, at most (each updates the status line)
MESSAGE_RATE = 10.0
#: while training, the loss and accuracy plots together may use this share of the time,
#: and so may the model picture (computing it and drawing it): redraws are spaced by
#: their measured cost / share, so a big terminal redraws less often, never slowing training
PLOT_SHARE = 0.02
#: ... and never more often than this (seconds)
MIN_PLOT_INTERVAL = 0.25
MIN_VIEW_INTERVAL = 0.5
#: narrower than this, the plots stack (and accuracy hides while the form shows)
WIDE = 110

HELP = """\
# Train

Train a small multi-layer perceptron on a toy data set and watch it learn: the **loss**
(training, and test when a test fraction is set), the **accuracy**, and what the model
learned — the **decision boundary** for 2-D data (blue: the model says +1, red: −1, with the
data points on top) or the **fitted curve** for the 1-D regression.

* **Settings** (left): every field is checked as you type; a refused value is explained
  right below it.  Changing a setting starts over with the new settings (except *Steps*,
  which only makes the run longer or shorter: raise it to go on).  *Preset* fills
  the whole form (`micrograd-demo` reproduces micrograd's notebook: after 100 steps the
  loss is 0.0110 and the accuracy 100%).
* **Ctrl+R** runs or pauses, **Ctrl+N** does one step, **F7** resets the weights (the same
  seed gives the same start).
* **Ctrl+L** switches the loss plot to log10(loss).
* **Ctrl+S** / **Ctrl+O** save / load the model (JSON, at the *Model* path below the
  form); **Ctrl+Y** exports the loss history as CSV (at the *Loss CSV* path).
* **Ctrl+G** opens the model's graph for the first training point in the playground
  (small models only: hidden layers like `4,4` make a graph you can read).
* **Ctrl+B** hides the form so the plots get the whole width.

Data sets: micrograd_demo (micrograd's 100 moons), moons, circles, xor, spiral, blobs
(classification, labels −1/+1), regression1d (a noisy curve).  Losses: max_margin (SVM
hinge, micrograd's), mse, bce.  Optimizers: sgd, momentum, adam; schedules: constant,
linear (micrograd's decay), cosine, step.
"""


class TrainScreen(Screen):
    """Training in the terminal."""

    HELP = HELP
    DEFAULT_CSS = """
    TrainScreen #train-body {
        height: 1fr;
    }
    TrainScreen #train-main {
        width: 1fr;
        height: 1fr;
    }
    TrainScreen #plots {
        height: 1fr;
        grid-size: 2 2;
        grid-columns: 1fr 1fr;
        grid-rows: 1fr 1fr;
    }
    TrainScreen #model-plot {
        row-span: 2;
    }
    TrainScreen.-narrow #plots {
        grid-size: 1 2;
        grid-columns: 1fr;
    }
    TrainScreen.-narrow #model-plot {
        row-span: 1;
    }
    TrainScreen.-narrow #accuracy-plot {
        display: none;
    }
    TrainScreen.-narrow.-form-hidden #plots {
        grid-size: 2 2;
        grid-columns: 1fr 1fr;
    }
    TrainScreen.-narrow.-form-hidden #model-plot {
        row-span: 2;
    }
    TrainScreen.-narrow.-form-hidden #accuracy-plot {
        display: block;
    }
    TrainScreen.-form-hidden TrainControls {
        display: none;
    }
    """

    BINDINGS = [
        Binding("ctrl+r", "run_pause", "Run", priority=True,
                tooltip="Start training, or pause it"),
        Binding("ctrl+n", "step", "Step", priority=True, tooltip="Do one training step"),
        Binding("f7", "reset", "Reset", priority=True,
                tooltip="Start over: weights re-drawn from the seed, plots cleared"),
        Binding("ctrl+l", "toggle_log", "Log", priority=True,
                tooltip="Plot log10(loss) instead of the loss"),
        Binding("ctrl+s", "save_model", "Save", priority=True,
                tooltip="Save the model to the Model path (JSON)"),
        Binding("ctrl+o", "load_model", "Load", priority=True,
                tooltip="Load a model from the Model path"),
        Binding("ctrl+y", "export_csv", "CSV", priority=True,
                tooltip="Export the loss history to the Loss CSV path"),
        Binding("ctrl+g", "open_graph", "Graph", priority=True,
                tooltip="Open the model's graph for one input in the playground"),
        Binding("ctrl+b", "toggle_form", "Form", priority=True,
                tooltip="Hide or show the settings form"),
    ]

    # --- messages from the training thread -----------------------------------------------
    @dataclass
    class TrainingProgressed(Message):
        """Steps were done; ``view`` is a fresh model picture (or None)."""

        generation: int
        step_count: int
        event: StepEvent
        speed: float
        view: tuple | None = None
        view_cost: float = 0.0

        def can_replace(self, message: Message) -> bool:
            # a newer progress report supersedes a queued one, unless that one has a picture
            return (isinstance(message, TrainScreen.TrainingProgressed)
                    and (message.view is None or self.view is not None))

    @dataclass
    class TrainingStopped(Message):
        """The run ended: ``reason`` is "done", "paused" or "failed" (``error`` says why)."""

        generation: int
        step_count: int
        reason: str
        speed: float | None
        seconds: float
        error: str | None = None
        cpu_seconds: float = 0.0       # CPU time of the training thread
        process_seconds: float = 0.0   # CPU time of the whole process (all threads)

    # --- set up -------------------------------------------------------------------------
    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._pending_config: TrainConfig | None = None
        self.trainer: Trainer | None = None
        self.generation = 0
        self.running = False
        self._pausing = False
        self._idle = Event()        # set while no thread is using the trainer
        self._idle.set()
        self._after_stop: list[Callable[[], None]] = []
        self._worker: Worker | None = None
        self._view_axes: tuple | None = None
        self._last_plot = 0.0
        self._view_cost = 0.0       # CPU seconds to compute the model picture (average)
        #: seconds between two model pictures while training (read by the thread)
        self.view_interval = MIN_VIEW_INTERVAL
        self.last_event: StepEvent | None = None
        #: steps per second, seconds, CPU seconds of the last run (for the benchmark)
        self.last_run_speed: float | None = None
        self.last_run_seconds: float | None = None
        self.last_run_cpu_seconds: float | None = None
        self.last_run_process_seconds: float | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("train")
        with Horizontal(id="train-body"):
            yield TrainControls(self._pending_config or PRESETS["micrograd-demo"],
                                id="controls")
            with Vertical(id="train-main"):
                yield TrainStatus(id="status")
                with Grid(id="plots"):
                    yield LossPlot(id="loss-plot")
                    yield ModelPlot(id="model-plot")
                    yield AccuracyPlot(id="accuracy-plot")
        yield Footer()

    def on_mount(self) -> None:
        config = self._pending_config or PRESETS["micrograd-demo"]
        self._pending_config = None
        self._new_trainer(config)
        self.controls.focus_first()

    def on_resize(self) -> None:
        self.set_class(self.size.width < WIDE, "-narrow")

    def on_unmount(self) -> None:
        self._cancel_run()

    # --- parts ----------------------------------------------------------------------------
    @property
    def controls(self) -> TrainControls:
        return self.query_one(TrainControls)

    @property
    def status(self) -> TrainStatus:
        return self.query_one(TrainStatus)

    @property
    def loss_plot(self) -> LossPlot:
        return self.query_one(LossPlot)

    @property
    def accuracy_plot(self) -> AccuracyPlot:
        return self.query_one(AccuracyPlot)

    @property
    def model_plot(self) -> ModelPlot:
        return self.query_one(ModelPlot)

    @property
    def step_count(self) -> int:
        return self.trainer.step_count if self.trainer is not None else 0

    # --- public API -------------------------------------------------------------------------
    def load_config(self, config: TrainConfig) -> None:
        """Show ``config`` in the form and start over with it (training is not started)."""
        if not self.is_mounted:
            self._pending_config = config
            return
        self.controls.set_config(config)
        self._new_trainer(config)

    def load_source(self, source: str, evaluate: bool = True) -> None:
        """Not a program screen: ignored (the app may call it on any screen)."""

    # --- trainer lifecycle ------------------------------------------------------------------
    def _cancel_run(self) -> None:
        """Stop the thread (it ends after its current step) and forget its messages."""
        if self._worker is not None:
            self._worker.cancel()
        self.generation += 1
        self.running = False
        self._pausing = False
        self._after_stop.clear()

    def _new_trainer(self, config: TrainConfig) -> None:
        """Start over with ``config``: a new trainer (new weights from the seed), plots cleared."""
        self._cancel_run()
        try:
            trainer = Trainer(config)
        except (ValueError, EngineError) as e:
            self.notify(f"Cannot set up training: {e}", severity="error", markup=False)
            return
        self.trainer = trainer
        # the previous thread (if any) keeps its own trainer; this one is free
        self._idle = Event()
        self._idle.set()
        self._setup_view_axes()
        self.last_event = None
        self.loss_plot.clear_history()
        self.accuracy_plot.clear_history()
        self.accuracy_plot.display = self._is_classification()
        cpu = time.thread_time()
        view = self._compute_view(trainer, self._view_axes)
        self._view_cost = time.thread_time() - cpu
        self._draw_model_view(view, step=0)
        self._show_status("ready")

    def _is_classification(self) -> bool:
        return self.trainer is not None and self.trainer.train_set.task == "classification"

    def _all_points(self) -> tuple[list, list]:
        """The data points to draw (training and test), at most a few hundred."""
        t = self.trainer
        assert t is not None
        X = list(t.train_set.X) + (list(t.test_set.X) if t.test_set is not None else [])
        y = list(t.train_set.y) + (list(t.test_set.y) if t.test_set is not None else [])
        idx = decimate(len(X), MAX_PLOT_POINTS)
        if len(idx) < len(X):
            X, y = [X[i] for i in idx], [y[i] for i in idx]
        return X, y

    def on_model_plot_resized(self, message: ModelPlot.Resized) -> None:
        if self.trainer is None:
            return
        self._setup_view_axes()
        if self._trainer_free():
            self._draw_model_view(self._compute_view(self.trainer, self._view_axes),
                                  self.model_plot.grid_step)

    def _setup_view_axes(self) -> None:
        X, _ = self._all_points()
        dim = self.trainer.train_set.dim if self.trainer else 0
        if dim == 2:
            self._view_axes = ("boundary",) + grid_axes(X, *self.model_plot.grid_shape())
        elif dim == 1:
            self._view_axes = ("curve", curve_axis(X))
        else:
            self._view_axes = None

    @staticmethod
    def _compute_view(trainer: Trainer, axes: tuple | None) -> tuple | None:
        """The model's picture: ("boundary", xs, ys, grid) or ("curve", xs, preds)."""
        if axes is None:
            return None
        try:
            if axes[0] == "boundary":
                _, xs, ys = axes
                return ("boundary", xs, ys, trainer.predict_grid(xs, ys))
            _, xs = axes
            return ("curve", xs, trainer.predict_many([(x,) for x in xs]))
        except (ArithmeticError, ValueError):
            return None

    def _draw_model_view(self, view: tuple | None, step: int | None) -> None:
        if self.trainer is None:
            return
        X, y = self._all_points()
        dim = self.trainer.train_set.dim
        if dim == 2:
            if view is None:
                self.model_plot.show_boundary(X, y, step=step)
            else:
                self.model_plot.show_boundary(X, y, view[1], view[2], view[3], step=step)
        elif dim == 1:
            if view is None:
                self.model_plot.show_curve(X, y, step=step)
            else:
                self.model_plot.show_curve(X, y, view[1], view[2], step=step)
        else:
            self.model_plot.show_message(f"{dim}-D data: no picture")

    def _show_status(self, state: str | None = None, speed: float | None = None) -> None:
        t = self.trainer
        if t is None:
            return
        self.status.show(t.step_count, t.config.steps, self.last_event, speed, state)

    def _redraw_history(self) -> None:
        t = self.trainer
        if t is None:
            return
        count = t.step_count if not self.running else min(t.step_count, len(t.history))
        self.loss_plot.show_history(t.history, count)
        if self._is_classification():
            self.accuracy_plot.show_history(t.history, count)
        self._last_plot = time.monotonic()

    # --- running ----------------------------------------------------------------------------
    def _start(self, max_steps: int | None) -> None:
        if self.trainer is None:
            return
        config, errors = self.controls.read_config()
        if config is None:
            field, reason = next(iter(errors.items()))
            self.notify(f"Fix the settings first: {field}: {reason}", severity="warning",
                        markup=False)
            return
        if self.trainer.done and max_steps is None:
            self.notify(f"Training is done ({self.trainer.step_count} steps): reset (F7) or "
                        "raise Steps to go on.", markup=False)
            return
        if not self._idle.is_set():
            # the last thread is finishing its step: start when it has
            self._after_stop.append(lambda: self._start(max_steps))
            return
        self.generation += 1
        self.running = True
        self._pausing = False
        idle = Event()
        self._idle = idle
        self._show_status("running")
        # the plots were just drawn: the first redraws come after their interval
        self._last_plot = time.monotonic()
        self._update_view_interval()
        self._worker = self._train(self.trainer, self.generation, max_steps, idle)

    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _train(self, trainer: Trainer, generation: int, max_steps: int | None,
               idle: Event) -> None:
        """Train in a thread; report at most MESSAGE_RATE times a second; stop when cancelled."""
        worker = get_current_worker()
        post = self.post_message
        interval = 1.0 / MESSAGE_RATE
        compute_view = self._compute_view
        start = time.perf_counter()
        cpu_start = time.thread_time()
        process_start = time.process_time()
        start_count = trainer.step_count
        last_post = last_view = start
        reason, error = "paused", None
        try:
            for event in trainer.steps(max_steps):
                if worker.is_cancelled:
                    break
                now = time.perf_counter()
                if now - last_post >= interval:
                    view, view_cost = None, 0.0
                    if now - last_view >= self.view_interval:
                        cpu = time.thread_time()
                        view = compute_view(trainer, self._view_axes)
                        view_cost = time.thread_time() - cpu
                        last_view = now = time.perf_counter()
                    done = trainer.step_count - start_count
                    post(self.TrainingProgressed(generation, trainer.step_count, event,
                                                 done / (now - start), view, view_cost))
                    last_post = now
            else:
                reason = "done" if trainer.done else "paused"
        except Exception as e:  # a numeric overflow, a bad setting: report, never crash
            reason, error = "failed", str(e) or type(e).__name__
        finally:
            seconds = time.perf_counter() - start
            done = trainer.step_count - start_count
            idle.set()
            post(self.TrainingStopped(generation, trainer.step_count, reason,
                                      done / seconds if seconds > 0 and done else None,
                                      seconds, error, time.thread_time() - cpu_start,
                                      time.process_time() - process_start))

    def on_train_screen_training_progressed(self, message: TrainingProgressed) -> None:
        if message.generation != self.generation:
            return
        self.last_event = message.event
        self._show_status("running", message.speed)
        if message.view is not None:
            self._draw_model_view(message.view, message.event.step + 1)
            c = message.view_cost
            self._view_cost = 0.7 * self._view_cost + 0.3 * c if self._view_cost else c
            self._update_view_interval()
        cost = self.loss_plot.draw_cost
        if self.accuracy_plot.display:
            cost += self.accuracy_plot.draw_cost
        if time.monotonic() - self._last_plot >= max(MIN_PLOT_INTERVAL, cost / PLOT_SHARE):
            self._redraw_history()

    def _update_view_interval(self) -> None:
        cost = self._view_cost + self.model_plot.draw_cost
        self.view_interval = max(MIN_VIEW_INTERVAL, cost / PLOT_SHARE)

    def on_train_screen_training_stopped(self, message: TrainingStopped) -> None:
        if message.generation != self.generation:
            return
        self.running = False
        self._pausing = False
        self.last_run_speed = message.speed
        self.last_run_seconds = message.seconds
        self.last_run_cpu_seconds = message.cpu_seconds
        self.last_run_process_seconds = message.process_seconds
        t = self.trainer
        assert t is not None
        if t.history:
            self.last_event = t.history[-1]
        state = message.reason
        if message.error:
            self.notify(f"Training stopped: {message.error}", severity="error", markup=False,
                        timeout=8)
        self._show_status(state, message.speed)
        self._redraw_history()
        self._draw_model_view(self._compute_view(t, self._view_axes), t.step_count)
        pending, self._after_stop = self._after_stop, []
        for fn in pending:
            fn()

    def _trainer_free(self) -> bool:
        """No thread is using the trainer (the UI may read and change it)."""
        return self._idle.is_set() and not self.running

    def _when_idle(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` now if no thread uses the trainer, else pause and run it after."""
        if self._trainer_free():
            fn()
            return
        self._after_stop.append(fn)
        if self._worker is not None:
            self._worker.cancel()

    # --- actions ------------------------------------------------------------------------------
    def action_run_pause(self) -> None:
        if not self.running:
            self._start(None)
        elif not self._pausing:
            self._pausing = True
            if self._worker is not None:
                self._worker.cancel()
            self._show_status("pausing")
        else:  # pressed again while pausing: go on once the thread has stopped
            self._after_stop.append(lambda: self._start(None))

    def action_step(self) -> None:
        if self.running:
            if not self._pausing:
                self.action_run_pause()
            return
        if self.trainer is not None and self.trainer.done:
            self.notify(f"Training is done ({self.trainer.step_count} steps): reset (F7) or "
                        "raise Steps to go on.", markup=False)
            return
        self._start(1)

    def action_reset(self) -> None:
        if self.trainer is None:
            return
        config, _ = self.controls.read_config()
        self._new_trainer(config or self.trainer.config)

    def action_toggle_log(self) -> None:
        self.loss_plot.log_scale = not self.loss_plot.log_scale

    def action_toggle_form(self) -> None:
        self.toggle_class("-form-hidden")

    def on_train_controls_config_changed(self, message: TrainControls.ConfigChanged) -> None:
        t = self.trainer
        if t is not None and message.config == t.config:
            return
        if t is not None and self._trainer_free() and self._only_steps_changed(t.config,
                                                                             message.config):
            # keep what was learned: a longer (or shorter) run of the same training
            t.set_steps(message.config.steps)  # keeps weights and optimizer state
            self._show_status("done" if t.done else "paused" if t.step_count else "ready")
            return
        self._new_trainer(message.config)

    @staticmethod
    def _only_steps_changed(old: TrainConfig, new: TrainConfig) -> bool:
        return dataclasses.replace(old, steps=new.steps) == new

    # --- files ------------------------------------------------------------------------------
    def _path(self, text: str, what: str) -> str | None:
        if not text:
            self.notify(f"Type a file name for the {what} first.", severity="warning")
            return None
        return str(Path(text).expanduser())

    def action_save_model(self) -> None:
        path = self._path(self.controls.model_path, "model")
        if path is None or self.trainer is None:
            return
        trainer = self.trainer

        def save() -> None:
            try:
                trainer.save(path)
            except (OSError, EngineError, ValueError) as e:
                self.notify(f"Could not save the model to {path}: {e}", severity="error",
                            markup=False, timeout=8)
                return
            self.notify(f"Saved the model to {path}", markup=False)

        self._when_idle(save)

    def action_load_model(self) -> None:
        path = self._path(self.controls.model_path, "model")
        if path is None or self.trainer is None:
            return

        def load() -> None:
            trainer = self.trainer
            assert trainer is not None
            try:
                model = Trainer.load_model(path)
            except (ModelFileError, OSError, ValueError) as e:
                reason = str(e)
                if not reason.startswith(path):
                    reason = f"{path}: {reason}"
                self.notify(f"Could not load the model: {reason}", severity="error",
                            markup=False, timeout=8)
                return
            dim = trainer.train_set.dim
            if model.nin != dim or model.nouts[-1] != 1:
                self.notify(f"Could not load the model: {path}: it takes {model.nin} input(s) "
                            f"and has {model.nouts[-1]} output(s); the {trainer.config.dataset} "
                            f"data needs {dim} and 1", severity="error", markup=False, timeout=8)
                return
            self._use_model(model)
            self.notify(f"Loaded the model from {path}", markup=False)

        self._when_idle(load)

    def _use_model(self, model: Any) -> None:
        """Put a loaded model in the trainer; its shape goes into the form."""
        trainer = self.trainer
        assert trainer is not None
        config = dataclasses.replace(trainer.config, hidden=tuple(model.nouts[:-1]),
                                     activation=model.activation)
        if config != trainer.config:
            # another shape: start over with it (the form shows it), then use the weights
            problems = config.problems()
            if problems:
                self.notify(f"Could not use the loaded model: {problems[0]}",
                            severity="error", markup=False, timeout=8)
                return
            self.controls.set_config(config)
            self._new_trainer(config)
            trainer = self.trainer
            assert trainer is not None
        trainer.model = model
        self._draw_model_view(self._compute_view(trainer, self._view_axes), trainer.step_count)

    def action_export_csv(self) -> None:
        path = self._path(self.controls.csv_path, "loss CSV")
        if path is None or self.trainer is None:
            return
        trainer = self.trainer

        def export() -> None:
            history = list(trainer.history)
            if not history:
                self.notify("Nothing to export yet: train first (ctrl+r).", severity="warning")
                return
            try:
                export_history_csv(history, path)
            except OSError as e:
                self.notify(f"Could not write {path}: {e.strerror or e}", severity="error",
                            markup=False, timeout=8)
                return
            self.notify(f"Wrote {len(history)} steps to {path}", markup=False)

        self._when_idle(export)

    def action_open_graph(self) -> None:
        if self.trainer is None:
            return

        def open_graph() -> None:
            trainer = self.trainer
            assert trainer is not None
            x = list(trainer.train_set.X[0])
            try:
                program = model_program(trainer.model, x)
            except ValueError as e:
                self.notify(str(e), severity="warning", markup=False, timeout=8)
                return
            opener = getattr(self.app, "open_in_playground", None)
            if opener is None:
                self.notify("No playground in this app.", severity="warning")
                return
            opener(program.source)
            self.app.notify(f"The model on the input ({', '.join(f'{v:.3g}' for v in x)}): "
                            f"{program.note}", markup=False)

        self._when_idle(open_graph)
