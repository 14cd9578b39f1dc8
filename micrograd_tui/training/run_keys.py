"""The Train screen's runs: Ctrl+R (run, pause) and Ctrl+N (one step), the training thread,
and what the screen does with its reports.

A run of more than one step trains in the screen's worker process
(:func:`~.run.run_in_process`), a single step in the thread itself (:func:`~.run.run_steps`),
as does every run when no worker can start.  :class:`RunKeys` is a mixin of
:class:`~micrograd_tui.training.screen.TrainScreen`, which provides what its
``TYPE_CHECKING`` block lists.
"""

from __future__ import annotations

from threading import Event
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from engine.train import StepEvent, Trainer
from engine.train_process import TrainProcess

from .inside import live_changes
from ..train_worker import ProcessUnavailable
from .run import (RUN_PICTURE_COARSE, Resume, TrainingProgressed, TrainingStopped,
                  run_in_process, run_steps)
from .view import compute_view

if TYPE_CHECKING:
    from textual.message import Message

    from .controls import TrainControls
    from .neuron_maps import NeuronMaps
    from .neurons import NeuronPanel
    from .plots import AccuracyPlot, LossPlot, ModelPlot
    from .run import RedrawPacer, RunControl
    from .view import ModelView, ViewAxes


class RunKeys:
    """Run, pause and step for the Train screen."""

    if TYPE_CHECKING:  # provided by TrainScreen
        trainer: Trainer | None
        run_control: RunControl
        pacer: RedrawPacer
        train_process: TrainProcess | None
        live_applied_at: list[int]
        last_event: StepEvent | None
        last_run_speed: float | None
        last_run_seconds: float | None
        last_run_cpu_seconds: float | None
        last_run_process_seconds: float | None
        _view_axes: ViewAxes | None
        _neurons_on: bool
        controls: TrainControls
        loss_plot: LossPlot
        accuracy_plot: AccuracyPlot
        model_plot: ModelPlot
        neuron_panel: NeuronPanel

        def notify(self, message: str, *, title: str = "", severity: Any = "information",
                   timeout: float | None = None, markup: bool = True) -> None: ...
        def post_message(self, message: Message) -> bool: ...
        def _show_status(self, state: str | None = None,
                         speed: float | None = None) -> None: ...
        def _draw_model_view(self, view: ModelView | None, step: int | None) -> None: ...
        def _redraw_history(self) -> None: ...
        def show_neurons(self, maps: NeuronMaps | None) -> None: ...
        def refresh_neurons(self, *, new_data: bool = False) -> None: ...
        def neuron_maps_for(self, trainer: Trainer) -> NeuronMaps | None: ...

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
        process = self.train_process if max_steps is None or max_steps > 1 else None
        self.pacer.in_process = process is not None
        self.pacer.plotted()
        self.pacer.update_view_interval(self.picture_draw_cost())
        run.worker = self._train(self.trainer, generation, max_steps, idle, stop, process)

    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _train(self, trainer: Trainer, generation: int, max_steps: int | None,
               idle: Event, stop: Event, process: TrainProcess | None) -> None:
        """The training thread: :func:`~micrograd_tui.training.run.run_in_process` for this
        screen, or :func:`~micrograd_tui.training.run.run_steps` (single steps; no worker)."""
        worker = get_current_worker()
        pacer = self.pacer
        kw = dict(generation=generation, idle=idle, post=self.post_message,
                  cancelled=lambda: stop.is_set() or worker.is_cancelled,
                  picture=lambda: compute_view(trainer, self._view_axes, RUN_PICTURE_COARSE),
                  picture_interval=lambda: pacer.view_interval,
                  inside=lambda: self.neuron_maps_for(trainer))
        if process is not None and run_in_process(
                process, trainer, max_steps, live=self.run_control.live,
                updated=self.live_applied_at.append, **kw):
            return
        pacer.in_process = False
        run_steps(trainer, max_steps, **kw)

    def on_process_unavailable(self, message: ProcessUnavailable) -> None:
        if self.train_process is None:
            return
        self.train_process = None
        self.notify(message.text, severity="warning", markup=False, timeout=8)

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
        if message.state is not None:  # the worker's trainer: this one takes its state over
            asked = t.config
            t.adopt(message.state)
            missed = live_changes(t.config, asked)  # asked for as the worker was stopping
            if missed:
                t.update(**missed)
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
