"""The GPT screen: microgpt's tiny GPT trained live, with its loss, its samples and a graph.

Layout, keys and what each key does live here; beside it in ``gpt/``: :mod:`.run` (the
training thread and its messages), :mod:`.curve` (the loss history and its braille picture),
:mod:`.files` (save and load), :mod:`.widgets` and :mod:`.help_text`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from threading import Event

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label
from textual.worker import get_current_worker

from engine.gpt import GPTTrainer
from engine.train_process import TrainProcess
from engine.value import Value

from ..messages import OpenGraph
from ..train_worker import ProcessUnavailable, process_wanted
from ..widgets.nav_bar import NavBar
from .curve import LossHistory
from .files import DEFAULT_PATH, GPTFileFailed, load_gpt, save_gpt
from .help_text import HELP
from .run import SAMPLE_EVERY, GPTProgressed, GPTRun, GPTStopped, run_gpt, run_gpt_in_process
from .widgets import GPTStatus, LossCurve, SamplesPanel

#: the position in the document whose graph Ctrl+G opens (at most): a few tokens of
#: attention to look at, a graph of about 15,000 nodes
GRAPH_POSITION = 3


@dataclass
class GraphBuilt(Message):
    """One token's graph was built off the UI thread (or ``error`` says why not)."""

    root: Value | None
    title: str
    error: str = ""


class GPTScreen(Screen):
    """Train a tiny GPT on names and watch it learn."""

    HELP = HELP
    DEFAULT_CSS = """
    GPTScreen #gpt-body {
        height: 1fr;
    }
    GPTScreen #gpt-files {
        height: 1;
        padding: 0 1;
    }
    GPTScreen #gpt-files Label {
        width: auto;
        padding-right: 1;
    }
    GPTScreen #gpt-path {
        width: 1fr;
    }
    """

    BINDINGS = [
        Binding("ctrl+r", "run_pause", "Run", priority=True,
                tooltip="Train the GPT, or pause it"),
        Binding("ctrl+n", "step", "Step", priority=True, tooltip="Do one training step"),
        Binding("f7", "reset", "Reset", priority=True,
                tooltip="Start over: weights re-drawn from the seed, curve cleared"),
        Binding("ctrl+s", "save", "Save", priority=True,
                tooltip="Save the weights to the Weights path (JSON)"),
        Binding("ctrl+o", "load", "Load", priority=True,
                tooltip="Load weights from the Weights path"),
        Binding("ctrl+g", "open_graph", "Graph", priority=True,
                tooltip="Open one token's forward pass as a graph in the playground"),
    ]

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.trainer = GPTTrainer()
        self.history = LossHistory()
        self.gpt_run = GPTRun()
        self.speed: float | None = None
        self.state = "ready"
        self.building_graph = False
        #: fresh names every this many steps
        self.sample_every = SAMPLE_EVERY
        #: the worker process that trains runs of more than one step (None: in a thread)
        self.train_process: TrainProcess | None = TrainProcess() if process_wanted() else None
        #: (step count, losses in the curve) when the current run began
        self._run_start = (0, 0)

    def compose(self) -> ComposeResult:
        yield NavBar("gpt")
        yield GPTStatus(id="gpt-status")
        with Horizontal(id="gpt-body"):
            yield LossCurve(self.history, id="gpt-curve")
            yield SamplesPanel(id="gpt-samples")
        with Horizontal(id="gpt-files"):
            yield Label("Weights")
            yield Input(DEFAULT_PATH, id="gpt-path", compact=True,
                        tooltip="Where Ctrl+S saves and Ctrl+O loads the weights")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show()

    # --- parts ---------------------------------------------------------------------------
    @property
    def status(self) -> GPTStatus:
        return self.query_one(GPTStatus)

    @property
    def curve(self) -> LossCurve:
        return self.query_one(LossCurve)

    @property
    def samples(self) -> SamplesPanel:
        return self.query_one(SamplesPanel)

    @property
    def step_count(self) -> int:
        return self.trainer.step_count

    @property
    def running(self) -> bool:
        return self.gpt_run.running

    def _show(self, state: str | None = None) -> None:
        if state is not None:
            self.state = state
        h = self.history
        self.status.show(self.trainer.step_count, self.trainer.config.decay_steps,
                         h.raw[-1] if h.raw else None, h.smooth[-1] if h.smooth else None,
                         self.trainer.lr, self.speed, self.state)

    # --- running -------------------------------------------------------------------------
    def _start(self, max_steps: int | None) -> None:
        if self.building_graph:
            self.notify("Building the graph first…")
            return
        if self.trainer.done:
            self.notify(f"Training is done ({self.trainer.step_count} steps): F7 starts over.")
            return
        if not self.trainer.docs:
            self.notify("These weights came without their data: they can sample, not train. "
                        "F7 starts over on the names.", severity="warning")
            return
        generation, stop = self.gpt_run.begin()
        self._run_start = (self.trainer.step_count, len(self.history))
        self._show("running")
        process = self.train_process if max_steps is None or max_steps > 1 else None
        self.gpt_run.worker = self._train(self.trainer, generation, max_steps, stop, process)

    @work(thread=True, exclusive=True, group="gpt", exit_on_error=False)
    def _train(self, trainer: GPTTrainer, generation: int, max_steps: int | None,
               stop: Event, process: TrainProcess | None) -> None:
        worker = get_current_worker()
        kw = dict(generation=generation, post=self.post_message,
                  cancelled=lambda: stop.is_set() or worker.is_cancelled,
                  sample_every=self.sample_every)
        if process is not None and run_gpt_in_process(process, trainer, max_steps, **kw):
            return
        run_gpt(trainer, max_steps, **kw)

    @on(ProcessUnavailable)
    def _no_worker(self, message: ProcessUnavailable) -> None:
        if self.train_process is not None:
            self.train_process = None
            self.notify(message.text, severity="warning", markup=False, timeout=8)

    def on_unmount(self) -> None:
        self.gpt_run.cancel()
        if self.train_process is not None:
            self.train_process.close()

    def _add_losses(self, losses: list[float]) -> None:
        for loss in losses:
            self.history.add(loss)
        if losses:
            self.curve.changed()

    @on(GPTProgressed)
    def _progressed(self, message: GPTProgressed) -> None:
        if message.generation != self.gpt_run.generation:
            return
        self._add_losses(message.losses)
        self.speed = message.speed
        if message.samples is not None:
            self.samples.show_names(message.step, message.samples)
        self._show()

    @on(GPTStopped)
    def _stopped(self, message: GPTStopped) -> None:
        if message.generation != self.gpt_run.generation:
            return
        self.gpt_run.running = False
        if message.state is not None:  # the worker's trainer: this one takes its state over
            self.trainer.adopt(message.state)
        self._add_losses(message.losses)
        if message.state is not None:  # a worker that died undid its run's steps
            step, losses = self._run_start
            self.history.keep(losses + self.trainer.step_count - step)
            self.curve.changed()
        if message.speed is not None:
            self.speed = message.speed
        if message.samples is not None:
            self.samples.show_names(message.step, message.samples)
        if message.error:
            self.notify(f"Training stopped: {message.error}", severity="error", timeout=8)
        self._show(message.reason)
        pending, self.gpt_run.after_stop = self.gpt_run.after_stop, []
        for fn in pending:
            fn()

    # --- actions -------------------------------------------------------------------------
    def action_run_pause(self) -> None:
        if self.gpt_run.running:
            self.gpt_run.pause()
            self._show("pausing")
        else:
            self._start(None)

    def action_step(self) -> None:
        if not self.gpt_run.running:
            self._start(1)

    def action_reset(self) -> None:
        self.gpt_run.cancel()
        self.trainer = GPTTrainer()
        self.history.clear()
        self.curve.changed()
        self.samples.clear()
        self.speed = None
        self._show("ready")

    @property
    def path_text(self) -> str:
        return self.query_one("#gpt-path", Input).value

    def action_save(self) -> None:
        self.gpt_run.when_free(self._save)

    def _save(self) -> None:
        try:
            self.notify(save_gpt(self.trainer, self.path_text))
        except GPTFileFailed as e:
            self.notify(str(e), severity="error", timeout=8)

    def action_load(self) -> None:
        self.gpt_run.when_free(self._load)

    def _load(self) -> None:
        try:
            trainer, note = load_gpt(self.path_text)
        except GPTFileFailed as e:
            self.notify(str(e), severity="error", timeout=8)
            return
        self.action_reset()
        self.trainer = trainer
        self._show("loaded")
        self.notify(note)

    # --- one token's graph -----------------------------------------------------------------
    def action_open_graph(self) -> None:
        if self.building_graph:
            return
        self.gpt_run.when_free(self._open_graph)

    def _open_graph(self) -> None:
        if not self.trainer.docs:
            self.notify("These weights came without their data: there is no name to follow.",
                        severity="warning")
            return
        # a copy of the weights: the playground's backward must not touch the trainer's grads
        trainer = copy.copy(self.trainer)
        trainer.model = copy.deepcopy(self.trainer.model)
        self.building_graph = True
        self.notify("Building one token's graph…")
        self._build_graph(trainer)

    @work(thread=True, exclusive=True, group="gpt-graph", exit_on_error=False)
    def _build_graph(self, trainer: GPTTrainer) -> None:
        doc = trainer.next_doc()
        pos = min(GRAPH_POSITION, len(doc))
        tokens = ["BOS", *doc]
        target = doc[pos] if pos < len(doc) else "BOS (the end)"
        title = (f"The GPT after {trainer.step_count} steps: the loss of predicting "
                 f"{target!r} after {' '.join(tokens[:pos + 1])}")
        try:
            root = trainer.token_graph(doc, pos)
        except (ValueError, ArithmeticError) as e:
            self.post_message(GraphBuilt(None, title, str(e)))
        else:
            self.post_message(GraphBuilt(root, title))

    @on(GraphBuilt)
    def _graph_built(self, message: GraphBuilt) -> None:
        self.building_graph = False
        if message.root is None:
            self.notify(f"Could not build the graph: {message.error}", severity="error")
            return
        self.post_message(OpenGraph(message.root, {"loss": message.root}, message.title))
