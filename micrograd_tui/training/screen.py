"""The Train screen: set up a small MLP, train it in a worker process, and watch it learn.

Layout, keys and what each key does live here; the rest lives beside it in ``training/``:
:mod:`.run_keys` (run, pause, step, and the run's reports), :mod:`.run` (the training thread
and worker process, their messages, which run is current, how often to redraw),
:mod:`.view` (the model picture), :mod:`.file_keys` and :mod:`.files` (save, load, CSV export,
the model as a program), the widgets (:mod:`.controls`, :mod:`.plots`, :mod:`.status`) and
:mod:`.help_text`.
"""

from __future__ import annotations

import time

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker

from engine.errors import EngineError
from engine.train import PRESETS, StepEvent, TrainConfig, Trainer
from engine.train_process import TrainProcess

from ..widgets.nav_bar import NavBar
from .controls import TrainControls
from .file_keys import FileKeys
from .help_text import HELP
from .inside import InsideKeys
from .neurons import NeuronPanel
from .plots import AccuracyPlot, LossPlot, ModelPlot
from ..train_worker import ProcessUnavailable, process_wanted
from .run import RedrawPacer, RunControl, TrainerBuilt
from .run_keys import RunKeys
from .status import TrainStatus
from .styles import SCREEN_CSS
from .view import ModelView, ViewAxes, compute_view, draw_view, plot_points, view_axes

#: narrower than this, the plots stack (and accuracy hides while the form shows)
WIDE = 110


class TrainScreen(RunKeys, InsideKeys, FileKeys, Screen):
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
        #: the worker process that trains runs of more than one step (None: in a thread)
        self.train_process: TrainProcess | None = TrainProcess() if process_wanted() else None
        #: the step counts from which live settings took effect in the worker (for the tests)
        self.live_applied_at: list[int] = []

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
        if self.train_process is not None and getattr(self.app, "warm_screens", False):
            # the app readies what comes next: the first run need not wait for the worker
            try:
                self.train_process.start()
            except OSError as e:
                self.post_message(ProcessUnavailable(str(e) or type(e).__name__))

    def on_trainer_built(self, message: TrainerBuilt) -> None:
        if not self.app.is_running or not self.is_attached:
            return  # the app quit while the trainer was being built: its widgets are going
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
        if self.train_process is not None:
            self.train_process.close()

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

    # --- actions ------------------------------------------------------------------------------
    def action_reset(self) -> None:
        if self.trainer is None:
            return
        config, _ = self.controls.read_config()
        self._new_trainer(config or self.trainer.config)

    def action_toggle_log(self) -> None:
        self.loss_plot.log_scale = not self.loss_plot.log_scale

    def action_toggle_form(self) -> None:
        self.toggle_class("-form-hidden")
