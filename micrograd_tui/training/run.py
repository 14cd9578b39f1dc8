"""A training run in a thread, and the Train screen's bookkeeping around it.

A run of more than one step trains in a worker process (:mod:`engine.train_process`), so the
app's drawing takes nothing from it: a thread worker (:func:`run_in_process` is its body)
sends the trainer there, copies the reports back into the screen's trainer (events, weights)
and draws the model picture from them; the screen's trainer adopts the worker's state when the
run ends.  Without a worker process (it could not start, or ``MICROGRAD_TUI_TRAIN_PROCESS=0``)
and for single steps the trainer steps in the thread worker itself (:func:`run_steps`).
Either way the thread posts throttled progress messages (at most ``MESSAGE_RATE`` a second
plus the pictures, each superseding the one still queued); the screen reads the trainer's
history on the UI thread to draw.  Every run gets a
*generation* number (:class:`RunControl`): starting over (reset, new settings, a loaded
config) makes a new trainer and a new generation, and messages from an older run are
ignored, so a thread never shares a trainer with the next one.  :class:`RedrawPacer` spaces
the redraws by what they cost, so drawing never slows training much.

No widgets here: the thread touches only the trainer it was given and ``post``.
"""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass
from queue import Empty, SimpleQueue
from threading import Event
from typing import TYPE_CHECKING, Any, Callable

from textual.message import Message

from engine.train import StepEvent, Trainer
from engine.train_process import Finished, TrainProcess

from ..train_worker import ProcessUnavailable, picture_pacing

if TYPE_CHECKING:
    from textual.worker import Worker

    from .neuron_maps import NeuronMaps
    from .view import ModelView

#: progress messages per second, at most (each redraws the status line and the plots); at 10
#: the app trained at 0.80-0.90 of headless speed, at 8 at 1.00 (benchmarks/bench_train.py)
MESSAGE_RATE = 8.0
#: while training, the loss and accuracy plots together may use this share of the time,
#: and so may the model picture (computing it and drawing it): redraws are spaced by
#: their measured cost / share, so a big terminal redraws less often, never slowing training
PLOT_SHARE = 0.02
#: ... and never more often than this (seconds)
MIN_PLOT_INTERVAL = 0.25
MIN_VIEW_INTERVAL = 0.5
#: the model picture (and the neuron panel) may use this share: it changes most while
#: training, and its mid-run pictures are coarse (:data:`RUN_PICTURE_COARSE`), so a few a
#: second still leave training >= 0.85 of headless speed (benchmarks/bench_train.py)
VIEW_SHARE = 0.03
#: while training the boundary's model is asked at every 3rd column and row (a ninth of
#: the work), the rest interpolated; the picture when a run stops is exact
RUN_PICTURE_COARSE = 3
#: when training runs in a worker process, drawing takes nothing from it: the pictures may
#: use a share of the app's own time (:func:`~micrograd_tui.train_worker.picture_pacing`),
#: the curves this one
PROCESS_PLOT_SHARE = 0.1


# --- messages from the training thread -----------------------------------------------------

@dataclass
class TrainingProgressed(Message):
    """Steps were done; ``view`` is a fresh model picture (or None), ``inside`` the neurons'
    pictures computed with it (or None)."""

    generation: int
    step_count: int
    event: StepEvent
    speed: float
    view: ModelView | None = None
    view_cost: float = 0.0
    inside: NeuronMaps | None = None

    def can_replace(self, message: Message) -> bool:
        # a newer progress report supersedes a queued one, unless that one has a picture
        return (isinstance(message, TrainingProgressed)
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
    cpu_seconds: float = 0.0       # CPU time of the training (thread or worker process)
    process_seconds: float = 0.0   # CPU time of the app's process and the worker
    #: the trainer as the worker process left it, for the screen's trainer to adopt
    state: Trainer | None = None


@dataclass
class TrainerBuilt(Message):
    """The screen's first trainer, built in a thread after the first frame (or why not)."""

    trainer: Trainer | None
    error: str | None = None


# --- the thread's body ---------------------------------------------------------------------

def run_steps(trainer: Trainer, max_steps: int | None, *, generation: int, idle: Event,
              post: Callable[[Message], object], cancelled: Callable[[], bool],
              picture: Callable[[], ModelView | None],
              picture_interval: Callable[[], float],
              inside: Callable[[], NeuronMaps | None] = lambda: None) -> None:
    """Train; report at most MESSAGE_RATE times a second; stop when ``cancelled()``.

    ``picture()`` computes the model picture, at most once every ``picture_interval()``
    seconds (both are read at every report, so the screen may change them meanwhile);
    ``inside()`` computes the neurons' pictures at the same moments.
    Always ends by setting ``idle`` and posting :class:`TrainingStopped`; an exception from
    a step (a numeric overflow, a bad setting) is reported there, never raised.
    """
    interval = 1.0 / MESSAGE_RATE
    start = time.perf_counter()
    cpu_start = time.thread_time()
    process_start = time.process_time()
    start_count = trainer.step_count
    last_post = last_view = start
    reason, error = "paused", None
    try:
        for event in trainer.steps(max_steps):
            if cancelled():
                break
            now = time.perf_counter()
            if now - last_post >= interval:
                view, view_cost, maps = None, 0.0, None
                if now - last_view >= picture_interval():
                    cpu = time.thread_time()
                    view = picture()
                    maps = inside()
                    view_cost = time.thread_time() - cpu
                    last_view = now = time.perf_counter()
                done = trainer.step_count - start_count
                post(TrainingProgressed(generation, trainer.step_count, event,
                                        done / (now - start), view, view_cost, maps))
                last_post = now
        else:
            reason = "done" if trainer.done else "paused"
    except Exception as e:  # a numeric overflow, a bad setting: report, never crash
        reason, error = "failed", str(e) or type(e).__name__
    finally:
        seconds = time.perf_counter() - start
        done = trainer.step_count - start_count
        idle.set()
        post(TrainingStopped(generation, trainer.step_count, reason,
                             done / seconds if seconds > 0 and done else None,
                             seconds, error, time.thread_time() - cpu_start,
                             time.process_time() - process_start))


def run_in_process(process: TrainProcess, trainer: Trainer, max_steps: int | None, *,
                   generation: int, idle: Event, post: Callable[[Message], object],
                   cancelled: Callable[[], bool],
                   picture: Callable[[], ModelView | None],
                   picture_interval: Callable[[], float],
                   inside: Callable[[], NeuronMaps | None] = lambda: None,
                   live: SimpleQueue | None = None,
                   updated: Callable[[int], object] = lambda step: None) -> bool:
    """:func:`run_steps`, with the steps done by ``process``: the same messages, and the
    final state in :class:`TrainingStopped` (``state``).  While the run goes on, ``trainer``
    gets each report's events, step count and weights (the pictures are drawn from it), and
    live settings put on ``live`` are passed on; ``updated(step)`` is told where each took
    effect.  False (nothing done) if the worker cannot be started or reached, or the
    trainer cannot be copied: the caller then trains in its own thread.
    """
    start = time.perf_counter()
    process_start = time.process_time()
    start_count = trainer.step_count
    try:
        run = process.begin(trainer, max_steps)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False  # this trainer cannot be copied (something in it is not picklable)
    except Exception as e:  # noqa: BLE001 - no worker here (OSError, or a platform's own)
        post(ProcessUnavailable(str(e) or type(e).__name__))
        return False
    interval = 1.0 / MESSAGE_RATE
    last_post = last_view = start
    finished: Finished | None = None
    stopping = False
    try:
        while finished is None:
            if cancelled():
                run.stop()
                stopping = True  # no more pictures: the run's last one is drawn exact
            while live is not None:
                try:
                    run.update(**live.get_nowait())
                except Empty:
                    break
            report = run.receive(0.02)
            if report is None:
                continue
            if isinstance(report, Finished):
                finished = report
                break
            trainer.history.extend(report.events)
            trainer.step_count = report.step_count
            trainer.set_weights(report.weights)
            for step in report.updated_at:
                updated(step)
            now = time.perf_counter()
            view_due = not stopping and now - last_view >= picture_interval()
            if not view_due and now - last_post < interval:
                continue
            view, view_cost, maps = None, 0.0, None
            if view_due:
                cpu = time.thread_time()
                view = picture()
                maps = inside()
                view_cost = time.thread_time() - cpu
                last_view = now = time.perf_counter()
            done = trainer.step_count - start_count
            post(TrainingProgressed(generation, trainer.step_count, trainer.history[-1],
                                    done / (now - start), view, view_cost, maps))
            last_post = now
    except Exception as e:  # a bug of ours while copying or drawing: end the run cleanly
        finished = run.abandon(f"the run was stopped: {e or type(e).__name__}")
    finally:
        if finished is None:  # cancelled from outside (BaseException): give the run up
            finished = run.abandon("the run was stopped")
        seconds = time.perf_counter() - start
        done = finished.state.step_count - start_count
        idle.set()
        post(TrainingStopped(generation, finished.state.step_count, finished.reason,
                             done / seconds if seconds > 0 and done else None, seconds,
                             finished.error, finished.cpu_seconds,
                             time.process_time() - process_start + finished.cpu_seconds,
                             state=finished.state))
    return True


# --- run, pause, step, reset: who may use the trainer ---------------------------------------

@dataclass(frozen=True)
class Resume:
    """Start a run again once the current one has stopped, for ``max_steps`` (None: to the
    end)."""

    max_steps: int | None


def _set_event() -> Event:
    event = Event()
    event.set()
    return event


class RunControl:
    """Which run is current, whether it runs or is pausing, and what waits for it to stop.

    Used on the UI thread only.  ``idle`` is set while no thread uses the trainer; a thread
    sets its own run's ``idle`` when it ends.
    """

    def __init__(self) -> None:
        self.generation = 0
        self.running = False
        self.pausing = False
        self.idle = _set_event()
        self.stop = Event()  # asks the current run's thread to end after its step
        self.resume: Resume | None = None  # start again once stopped
        self.worker: Worker | None = None
        self._after_stop: list[Callable[[], None]] = []
        #: live settings for the current run's worker process (its thread passes them on)
        self.live: SimpleQueue[dict[str, Any]] = SimpleQueue()

    @property
    def free(self) -> bool:
        """No thread is using the trainer (the UI may read and change it)."""
        return self.idle.is_set() and not self.running

    def is_current(self, generation: int) -> bool:
        return generation == self.generation

    def cancel(self) -> None:
        """Stop the thread (it ends after its current step) and forget its messages."""
        self.stop.set()
        if self.worker is not None:
            self.worker.cancel()
        self.generation += 1
        self.running = False
        self.pausing = False
        self.resume = None
        self._after_stop.clear()

    def new_trainer(self) -> None:
        """A new trainer: the previous thread (if any) keeps its own; this one is free."""
        self.idle = _set_event()

    def begin(self) -> tuple[int, Event, Event]:
        """A run starts: its generation, the event its thread sets when it ends, and the
        event that asks it to stop."""
        self.generation += 1
        self.running = True
        self.pausing = False
        self.idle = Event()
        self.stop = Event()
        self.live = SimpleQueue()
        return self.generation, self.idle, self.stop

    def pause(self) -> None:
        # a request, not Worker.cancel(): a worker cancelled before its thread started never
        # runs at all, so it could not say it stopped and the screen would wait forever
        self.pausing = True
        self.stop.set()

    def forward_live(self, settings: dict[str, Any]) -> None:
        """Live settings changed on the screen's trainer: the current run's worker process
        (if any) takes them at its next step."""
        if self.running:
            self.live.put(settings)

    def when_free(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` now if no thread uses the trainer, else pause and run it after."""
        if self.free:
            fn()
            return
        self._after_stop.append(fn)
        self.stop.set()

    def stopped(self) -> None:
        """The current run's thread has stopped."""
        self.running = False
        self.pausing = False

    def take_after_stop(self) -> list[Callable[[], None]]:
        pending, self._after_stop = self._after_stop, []
        return pending


# --- how often to redraw while training -----------------------------------------------------

class RedrawPacer:
    """Spaces redraws by their measured cost: drawing takes at most ``PLOT_SHARE`` of the time."""

    def __init__(self) -> None:
        #: the current run trains in a worker process: drawing may take more of the time
        self.in_process = False
        self.process_share, self.process_min_interval = picture_pacing()
        self.last_plot = 0.0
        #: CPU seconds to compute the model picture (running average)
        self.view_cost = 0.0
        #: seconds between two model pictures while training (read by the thread)
        self.view_interval = MIN_VIEW_INTERVAL

    def plotted(self) -> None:
        """The loss and accuracy plots were just drawn."""
        self.last_plot = time.monotonic()

    def plots_due(self, draw_cost: float) -> bool:
        """Time to redraw the plots, whose redraw costs ``draw_cost`` CPU seconds?"""
        share = PROCESS_PLOT_SHARE if self.in_process else PLOT_SHARE
        return time.monotonic() - self.last_plot >= max(MIN_PLOT_INTERVAL, draw_cost / share)

    def view_computed(self, cost: float) -> None:
        """The thread computed a model picture in ``cost`` CPU seconds."""
        self.view_cost = 0.7 * self.view_cost + 0.3 * cost if self.view_cost else cost

    def update_view_interval(self, draw_cost: float) -> None:
        """Space the model pictures by their cost (computing, plus ``draw_cost`` to draw)."""
        if self.in_process:
            self.view_interval = max(self.process_min_interval,
                                     (self.view_cost + draw_cost) / self.process_share)
        else:
            self.view_interval = max(MIN_VIEW_INTERVAL, (self.view_cost + draw_cost) / VIEW_SHARE)

    def want_view_soon(self) -> None:
        """A picture is missing (a panel was just shown): the thread makes one at its next
        report; :meth:`update_view_interval` spaces the next ones again."""
        self.view_interval = 0.0
