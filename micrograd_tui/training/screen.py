"""The Train screen: set up a small MLP, train it in a thread, and watch it learn.

Layout, keys and what each key does live here; the rest lives beside it in ``training/``:
:mod:`.run` (the training thread, its messages, which run is current, how often to redraw),
:mod:`.view` (the model picture), :mod:`.file_keys` and :mod:`.files` (save, load, CSV export,
the model as a program), the widgets (:mod:`.controls`, :mod:`.plots`, :mod:`.status`) and
:mod:`.help_text`.
"""

from __future__ import annotations

import time
from threading import Event

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, get_current_worker

from engine.errors import EngineError
from engine.train import PRESETS, StepEvent, TrainConfig, Trainer

from ..widgets.nav_bar import NavBar
from .controls import TrainControls
from .file_keys import FileKeys
from .help_text import HELP
from .inside import InsideKeys
from .neurons import NeuronPanel
from .plots import AccuracyPlot, LossPlot, ModelPlot
from .run import (RUN_PICTURE_COARSE, RedrawPacer, Resume, RunControl, TrainerBuilt,
                  TrainingProgressed, TrainingStopped, run_steps)
from .status import TrainStatus
from .styles import SCREEN_CSS
from .view import ModelView, ViewAxes, compute_view, draw_view, plot_points, view_axes

#: narrower than this, the plots stack (and accuracy hides while the form shows)
WIDE = 110


class TrainScreen(InsideKeys, FileKeys, Screen):
    """Training in the terminal."""

    HELP = HELP
    DEFAULT_CSS = SCREEN_CSS

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
        Binding("ctrl+t", "toggle_neurons", "Neurons", priority=True,
                tooltip="Show or hide what each neuron computes (2-D data)"),
    ]

    # --- set up -------------------------------------------------------------------------
    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._pending_config: TrainConfig | None = None
        #: the form and the first trainer are there (they are built after the first frame)
        self.built = False
        self._build_started = False
        #: when a frame of this screen was last drawn after it was shown (for the benchmark)
        self.shown_at: float | None = None
        self.trainer: Trainer | None = None
        self.run_control = RunControl()
        self.pacer = RedrawPacer()
        self._view_axes: ViewAxes | None = None
        self.last_event: StepEvent | None = None
        #: steps per second, seconds, CPU seconds of the last run (for the benchmark)
        self.last_run_speed: float | None = None
        self.last_run_seconds: float | None = None
        self.last_run_cpu_seconds: float | None = None
        self.last_run_process_seconds: float | None = None

    def compose(self) -> ComposeResult:
        # the settings form and the trainer come after the first frame (see :meth:`_build`)
        yield NavBar("train")
        with Horizontal(id="train-body"):
            with Vertical(id="train-main"):
                yield TrainStatus(id="status")
        yield Footer(compact=True, show_command_palette=False)  # ^p is on the top line

    def on_mount(self) -> None:
        self.status.show(0, 0, state="setting up")

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self._shown)

    async def _shown(self) -> None:
        """A frame of this screen is drawn; after the first one, build the rest: the form,
        then the first trainer in a thread (the keys work meanwhile)."""
        self.shown_at = time.perf_counter()
        if self._build_started:
            return
        self._build_started = True
        config = self._pending_config or PRESETS["micrograd-demo"]
        await self.query_one("#train-main").mount(Grid(
            NeuronPanel(id="neurons"), LossPlot(id="loss-plot"), ModelPlot(id="model-plot"),
            AccuracyPlot(id="accuracy-plot"), id="plots"))
        await self.query_one("#train-body").mount(TrainControls(config, id="controls"),
                                                  before="#train-main")
        self._make_trainer(config)

    @work(thread=True, group="train-build", exit_on_error=False)
    def _make_trainer(self, config: TrainConfig) -> None:
        try:
            self.post_message(TrainerBuilt(Trainer(config), None))
        except (ValueError, EngineError) as e:
            self.post_message(TrainerBuilt(None, f"Cannot set up training: {e}"))

    def on_trainer_built(self, message: TrainerBuilt) -> None:
        self.built = True
        config, self._pending_config = self._pending_config, None
        if message.trainer is not None and config in (None, message.trainer.config):
            self._new_trainer(message.trainer.config, message.trainer)
        elif config is not None:  # load_config while it was being built: that one wins
            self.controls.set_config(config)
            self._new_trainer(config)
        else:
            self.notify(message.error or "", severity="error", markup=False)
        self.controls.focus_first()
        self.refresh_bindings()

    def on_train_controls_config_changed(self, message: TrainControls.ConfigChanged) -> None:
        if not self.built:  # the form's first values: the trainer for them is being built
            message.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until the form and the trainer are built, only the app's own keys do anything."""
        return self.built

    def on_resize(self) -> None:
        self.set_class(self.size.width < WIDE, "-narrow")

    def on_unmount(self) -> None:
        self.run_control.cancel()

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

    @property
    def running(self) -> bool:
        """A training thread is running (or finishing its step after a pause)."""
        return self.run_control.running

    @property
    def _worker(self) -> Worker | None:
        return self.run_control.worker

    # --- public API -------------------------------------------------------------------------
    def load_config(self, config: TrainConfig) -> None:
        """Show ``config`` in the form and start over with it (training is not started)."""
        if not self.built:
            self._pending_config = config
            return
        self.controls.set_config(config)
        self._new_trainer(config)

    # --- trainer lifecycle ------------------------------------------------------------------
    def _new_trainer(self, config: TrainConfig, trainer: Trainer | None = None) -> None:
        """Start over with ``config``: a new trainer (new weights from the seed), plots cleared
        (``trainer``: one already built for ``config``)."""
        self.run_control.cancel()
        try:
            trainer = trainer or Trainer(config)
        except (ValueError, EngineError) as e:
            self.notify(f"Cannot set up training: {e}", severity="error", markup=False)
            return
        self.trainer = trainer
        self.run_control.new_trainer()
        self._setup_view_axes()
        self.last_event = None
        self.loss_plot.clear_history()
        self.accuracy_plot.clear_history()
        self.accuracy_plot.display = self._is_classification()
        cpu = time.thread_time()
        view = compute_view(trainer, self._view_axes)
        self.pacer.view_cost = time.thread_time() - cpu
        self._draw_model_view(view, step=0)
        self.refresh_neurons(new_data=True)
        self._show_status("ready")

    def _is_classification(self) -> bool:
        return self.trainer is not None and self.trainer.train_set.task == "classification"

    def on_model_plot_resized(self, message: ModelPlot.Resized) -> None:
        if self.trainer is None:
            return
        self._setup_view_axes()
        if self.run_control.free:
            self._draw_model_view(compute_view(self.trainer, self._view_axes),
                                  self.model_plot.grid_step)

    def _setup_view_axes(self) -> None:
        if self.trainer is None:
            self._view_axes = None
            return
        X, _ = plot_points(self.trainer)
        self._view_axes = view_axes(self.trainer.train_set.dim, X, self.model_plot.grid_shape())

    def _draw_model_view(self, view: ModelView | None, step: int | None) -> None:
        if self.trainer is not None:
            draw_view(self.model_plot, self.trainer, view, step)

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
        self.pacer.plotted()

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
            self._say_done()
            return
        run = self.run_control
        if not run.idle.is_set():
            # the last thread is finishing its step: start when it has (once, however many
            # times the key was pressed meanwhile)
            run.resume = Resume(max_steps)
            return
        generation, idle, stop = run.begin()
        self._show_status("running")
        # the plots were just drawn: the first redraws come after their interval
        self.pacer.plotted()
        self.pacer.update_view_interval(self.picture_draw_cost())
        run.worker = self._train(self.trainer, generation, max_steps, idle, stop)

    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _train(self, trainer: Trainer, generation: int, max_steps: int | None,
               idle: Event, stop: Event) -> None:
        """The training thread: :func:`~micrograd_tui.training.run.run_steps` for this screen."""
        worker = get_current_worker()
        pacer = self.pacer
        run_steps(trainer, max_steps, generation=generation, idle=idle, post=self.post_message,
                  cancelled=lambda: stop.is_set() or worker.is_cancelled,
                  picture=lambda: compute_view(trainer, self._view_axes, RUN_PICTURE_COARSE),
                  picture_interval=lambda: pacer.view_interval,
                  inside=lambda: self.neuron_maps_for(trainer))

    def on_training_progressed(self, message: TrainingProgressed) -> None:
        if not self.run_control.is_current(message.generation):
            return
        self.last_event = message.event
        self._show_status("running", message.speed)
        if message.view is not None:
            self._draw_model_view(message.view, message.event.step + 1)
            if message.inside is not None:
                self.show_neurons(message.inside)
            self.pacer.view_computed(message.view_cost)
            self.pacer.update_view_interval(self.picture_draw_cost())
        cost = self.loss_plot.draw_cost
        if self.accuracy_plot.display:
            cost += self.accuracy_plot.draw_cost
        if self.pacer.plots_due(cost):
            self._redraw_history()

    def picture_draw_cost(self) -> float:
        """CPU seconds to draw one model picture: the boundary, and the neuron panel if on."""
        cost = self.model_plot.draw_cost
        if self._neurons_on:
            cost += self.neuron_panel.draw_cost
        return cost

    def on_training_stopped(self, message: TrainingStopped) -> None:
        if not self.run_control.is_current(message.generation):
            return
        self.run_control.stopped()
        self.last_run_speed = message.speed
        self.last_run_seconds = message.seconds
        self.last_run_cpu_seconds = message.cpu_seconds
        self.last_run_process_seconds = message.process_seconds
        t = self.trainer
        assert t is not None
        if t.history:
            self.last_event = t.history[-1]
        if message.error:
            self.notify(f"Training stopped: {message.error}", severity="error", markup=False,
                        timeout=8)
        self._show_status(message.reason, message.speed)
        self._redraw_history()
        self._draw_model_view(compute_view(t, self._view_axes), t.step_count)
        self.refresh_neurons()
        for fn in self.run_control.take_after_stop():
            fn()
        if self.run_control.resume is not None and self.run_control.free:
            steps = self.run_control.resume.max_steps
            self.run_control.resume = None
            self._start(steps)

    def _say_done(self) -> None:
        assert self.trainer is not None
        self.notify(f"Training is done ({self.trainer.step_count} steps): reset (F7) or "
                    "raise Steps to go on.", markup=False)

    # --- actions ------------------------------------------------------------------------------
    def action_run_pause(self) -> None:
        run = self.run_control
        if not run.running:
            self._start(None)
        elif not run.pausing:
            run.pause()
            self._show_status("pausing")
        else:  # pressed again while pausing: go on once the thread has stopped (or not)
            run.resume = None if run.resume is not None else Resume(None)

    def action_step(self) -> None:
        if self.running:
            if not self.run_control.pausing:
                self.action_run_pause()
            return
        if self.trainer is not None and self.trainer.done:
            self._say_done()
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
