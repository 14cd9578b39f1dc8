"""The GPT training thread, the messages it posts, and which run is current.

A run of more than one step trains in a worker process (:func:`run_gpt_in_process`, over
:mod:`engine.train_process`): the thread sends the trainer there, copies each report's step
count and weights into the screen's trainer, samples the names from those (the worker reports
every ``sample_every`` steps exactly), and the screen's trainer adopts the worker's state when
the run ends.  Single steps, and every run when no worker can start, train in the thread
(:func:`run_gpt`), which owns the trainer while it runs: it steps, samples a few names
every ``sample_every`` steps, and posts throttled :class:`GPTProgressed` messages (each
carrying the losses since the last one, so the curve misses none) and, last,
:class:`GPTStopped`.  Every run has a *generation*: a reset or a load makes a new trainer and
a new generation, and messages of older runs are ignored.  No widgets here.
"""

from __future__ import annotations

import pickle
import random
import time
from dataclasses import dataclass, field
from threading import Event
from typing import TYPE_CHECKING, Callable

from textual.message import Message

from engine.train_process import Finished, TrainProcess

from ..train_worker import ProcessUnavailable

if TYPE_CHECKING:
    from textual.worker import Worker

    from engine.gpt import GPTTrainer

#: progress messages per second, at most
MESSAGE_RATE = 8.0
#: fresh names every this many steps, this many of them
SAMPLE_EVERY = 25
SAMPLE_COUNT = 6


def sample_names(trainer: GPTTrainer, n: int = SAMPLE_COUNT) -> list[str]:
    """``n`` names drawn now, from a generator seeded by the step (the same run shows the
    same names; the trainer's own random stream is left alone)."""
    return trainer.sample(n, rng=random.Random(trainer.step_count))


@dataclass
class GPTProgressed(Message):
    """Steps were done: their losses (in order), the last step's learning rate, the speed
    of this run so far, and fresh samples when it was their turn (else None)."""

    generation: int
    step: int
    losses: list[float]
    lr: float
    speed: float
    samples: list[str] | None = None


@dataclass
class GPTStopped(Message):
    """The thread ended: ``reason`` is "paused", "done" or "failed" (``error`` says why)."""

    generation: int
    step: int
    losses: list[float]
    reason: str
    speed: float | None
    error: str = ""
    samples: list[str] | None = None
    #: the trainer as the worker process left it, for the screen's trainer to adopt
    state: GPTTrainer | None = None


def run_gpt(trainer: GPTTrainer, max_steps: int | None, *, generation: int,
            post: Callable[[Message], object], cancelled: Callable[[], bool],
            sample_every: int = SAMPLE_EVERY) -> None:
    """Train until ``cancelled()``, ``max_steps`` steps or the end of the run; never raises
    (a failing step is reported in :class:`GPTStopped`)."""
    start = last_post = time.perf_counter()
    first = trainer.step_count
    pending: list[float] = []
    reason, error, samples = "paused", "", None
    lr = trainer.lr
    try:
        while not cancelled():
            if trainer.done:
                reason = "done"
                break
            if max_steps is not None and trainer.step_count - first >= max_steps:
                break
            event = trainer.step()
            pending.append(event.loss)
            lr = event.lr
            if trainer.step_count % sample_every == 0 or trainer.done:
                samples = sample_names(trainer)
            now = time.perf_counter()
            if samples is not None or now - last_post >= 1.0 / MESSAGE_RATE:
                post(GPTProgressed(generation, trainer.step_count, pending, lr,
                                   (trainer.step_count - first) / (now - start), samples))
                pending, samples, last_post = [], None, now
    except Exception as e:  # noqa: BLE001 - a numeric failure is reported, never raised
        reason, error = "failed", str(e) or type(e).__name__
    finally:
        seconds = time.perf_counter() - start
        done = trainer.step_count - first
        post(GPTStopped(generation, trainer.step_count, pending, reason,
                        done / seconds if done and seconds > 0 else None, error, samples))


def run_gpt_in_process(process: TrainProcess, trainer: GPTTrainer, max_steps: int | None, *,
                       generation: int, post: Callable[[Message], object],
                       cancelled: Callable[[], bool], sample_every: int = SAMPLE_EVERY) -> bool:
    """:func:`run_gpt`, with the steps done by ``process`` and the names sampled here from
    the weights it reports; the final state comes in :class:`GPTStopped` (``state``).
    False (nothing done) if the worker cannot be started or the trainer cannot be copied:
    the caller then trains in its own thread."""
    start = last_post = time.perf_counter()
    first = trainer.step_count
    try:
        run = process.begin(trainer, max_steps, every=sample_every)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False  # this trainer cannot be copied (something in it is not picklable)
    except Exception as e:  # noqa: BLE001 - no worker here (OSError, or a platform's own)
        post(ProcessUnavailable(str(e) or type(e).__name__))
        return False
    pending: list[float] = []
    samples: list[str] | None = None
    lr = trainer.lr
    finished: Finished | None = None
    try:
        while finished is None:
            if cancelled():
                run.stop()
            report = run.receive(0.02)
            if report is None:
                continue
            if isinstance(report, Finished):
                finished = report
                break
            trainer.step_count = report.step_count
            trainer.set_weights(report.weights)
            for event in report.events:
                pending.append(event.loss)
                lr = event.lr
            if report.events and (report.step_count % sample_every == 0
                                  or report.events[-1].done):
                samples = sample_names(trainer)  # the weights of exactly that step
            now = time.perf_counter()
            if samples is not None or now - last_post >= 1.0 / MESSAGE_RATE:
                post(GPTProgressed(generation, trainer.step_count, pending, lr,
                                   (trainer.step_count - first) / (now - start), samples))
                pending, samples, last_post = [], None, now
    except Exception as e:  # noqa: BLE001 - a bug of ours while copying or sampling
        finished = run.abandon(f"the run was stopped: {e or type(e).__name__}")
    finally:
        if finished is None:  # cancelled from outside (BaseException): give the run up
            finished = run.abandon("the run was stopped")
        seconds = time.perf_counter() - start
        state = finished.state
        done = state.step_count - first
        post(GPTStopped(generation, state.step_count, pending, finished.reason,
                        done / seconds if done and seconds > 0 else None, finished.error or "",
                        samples, state=state))
    return True


@dataclass
class GPTRun:
    """Which run is current and how to stop it; used on the UI thread only."""

    generation: int = 0
    running: bool = False
    stop: Event = field(default_factory=Event)
    worker: Worker | None = None
    #: what to do once the current thread has stopped (save, load: the trainer is free)
    after_stop: list[Callable[[], None]] = field(default_factory=list)

    def begin(self) -> tuple[int, Event]:
        self.generation += 1
        self.running = True
        self.stop = Event()
        return self.generation, self.stop

    def pause(self) -> None:
        """Ask the thread to end after its current step."""
        self.stop.set()

    def cancel(self) -> None:
        """End the thread and forget its messages (reset, load, leaving the screen)."""
        self.stop.set()
        if self.worker is not None:
            self.worker.cancel()
        self.generation += 1
        self.running = False
        self.after_stop.clear()

    def when_free(self, fn: Callable[[], None]) -> None:
        """``fn()`` now when no thread trains, else once it has paused."""
        if not self.running:
            fn()
        else:
            self.after_stop.append(fn)
            self.pause()
