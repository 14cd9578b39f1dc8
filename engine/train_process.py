"""Training in a process of its own, so that whatever draws meanwhile takes no time from it.

A Python process runs one thread at a time, so an app that draws pictures while a thread
trains slows the training by what the drawing costs.  :class:`TrainProcess` keeps a worker
process: a new interpreter (``python -I``: no current folder, no ``PYTHON*`` variables, so a
learner's own ``engine.py`` cannot stand in for this package) that imports only the engine
and talks over a socket pair; nothing of the parent's threads, state or main module comes
along (``multiprocessing``'s ``spawn`` would run the parent's main script again).  A run sends
it a pickled copy of the trainer; the worker steps the copy, reports every
``interval`` seconds (:class:`Progress`: the new events and the current weights), takes
``stop`` and live settings between two steps, and when the run ends sends the trainer's whole
state back (:class:`Finished`), for :meth:`Trainer.adopt <engine.train.Trainer.adopt>`.
The same code steps the same state, so the numbers are those of training in place.

Any trainer with this protocol can go: ``step()`` (returns the step's event), ``done``,
``step_count``, ``weights()`` / ``set_weights()``, and being pickled (its state without past
events: a ``history`` list, if it has one, stays here and the run's events are put after it).
:class:`~engine.train.Trainer` also takes live settings (``update(**settings)``);
:class:`~engine.gpt.trainer.GPTTrainer` trains the same way.

    process = TrainProcess()
    run = process.begin(trainer, max_steps=None)
    while not isinstance(report := run.receive(0.05), Finished):
        ...                      # a Progress, or None if nothing came within 0.05 s
    trainer.adopt(report.state)
    process.close()

If the worker dies (killed, out of memory), :meth:`ProcessRun.receive` says so in a
``Finished`` whose state is the trainer as the run began: the run's steps are lost, nothing
else.  Pickles travel only between this process and the worker it started.
"""

from __future__ import annotations

import os
import pickle
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from threading import Lock
from typing import IO, Any, Protocol, TypeVar

__all__ = ["Finished", "ProcessRun", "Progress", "Steppable", "TrainProcess"]


class Steppable(Protocol):
    """What a trainer needs to train in the worker (see the module docstring)."""

    step_count: int

    @property
    def done(self) -> bool: ...
    def step(self) -> Any: ...
    def weights(self) -> list[float]: ...
    def set_weights(self, weights: list[float]) -> None: ...


T = TypeVar("T", bound=Steppable)

#: seconds between two progress reports of a run (each carries the weights: a few hundred
#: floats, microseconds to send)
REPORT_INTERVAL = 0.02


@dataclass(frozen=True)
class Progress:
    """Steps were done: ``events`` since the last report (what ``step()`` returned), and the
    weights after the last; ``updated_at``: the step counts at which live settings sent
    meanwhile took effect (each applies from the step with that index on)."""

    step_count: int
    events: list[Any]
    weights: list[float]
    updated_at: tuple[int, ...] = ()


@dataclass(frozen=True)
class Finished:
    """The run ended: ``reason`` is "done", "paused" or "failed" (``error`` says why);
    ``state`` is the trainer as the run left it; ``cpu_seconds`` the worker's CPU time."""

    reason: str
    error: str | None
    state: Any  # a trainer of the kind that was sent
    cpu_seconds: float


def _state_of(trainer: object) -> dict[str, Any]:
    """What a pickle of ``trainer`` holds, as a dict (works on Python 3.10 too)."""
    getstate = getattr(type(trainer), "__getstate__", None)
    state = getstate(trainer) if getstate is not None else None
    return dict(state) if isinstance(state, dict) else dict(vars(trainer))


def _from_state(cls: type[T], state: dict[str, Any]) -> T:
    trainer = cls.__new__(cls)
    setstate = getattr(trainer, "__setstate__", None)
    if setstate is not None:
        setstate(state)
    else:
        vars(trainer).update(state)
    return trainer


class TrainProcess:
    """A worker process that trains copies of trainers, one run at a time."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._errors: IO[bytes] | None = None  # the worker's stderr
        self._busy = Lock()  # held by the current run until its Finished is received

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the worker if it is not running (a fraction of a second: a new interpreter
        imports the engine); :meth:`begin` does it when needed."""
        if self.alive:
            return
        self._drop()
        if not sys.executable:
            raise OSError("no Python interpreter to start a worker with (sys.executable is empty)")
        ours, theirs = socket.socketpair()
        home = str(Path(__file__).resolve().parent.parent)  # the folder that holds engine/
        # what the worker might print (a traceback, a warning) must not land on a TUI's
        # screen: it goes to a file, whose end a dead worker's message quotes
        errors = tempfile.TemporaryFile()
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-c", _WORKER_MAIN, home, str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=errors, close_fds=True)
            conn = Connection(ours.detach())
        except Exception as e:  # pass_fds and file-descriptor connections are POSIX's
            ours.close()
            errors.close()
            raise OSError(f"cannot start a training worker here: {e}") from e
        finally:
            theirs.close()
        self._process, self._conn, self._errors = process, conn, errors

    def begin(self, trainer: Steppable, max_steps: int | None,
              interval: float = REPORT_INTERVAL, every: int | None = None) -> ProcessRun:
        """Send ``trainer`` to the worker and start up to ``max_steps`` steps (None: to the
        end).  Reports come every ``interval`` seconds, and also after each step that
        reaches a multiple of ``every`` steps (to draw something of exactly that step).
        Waits while another run of this process is finishing; raises ``OSError`` if the
        worker cannot be started or reached."""
        self._busy.acquire()
        try:
            # the worker needs no past events (a long run's history would cost a second each
            # way): it starts with none and sends back this run's, put after the past ones
            state = _state_of(trainer)
            history = list(state["history"]) if "history" in state else None
            if history is not None:
                state["history"] = []
            blob = pickle.dumps((type(trainer), state), protocol=pickle.HIGHEST_PROTOCOL)
            job = ("run", blob, max_steps, interval, every)
            self.start()
            assert self._conn is not None
            try:
                self._conn.send(job)
            except OSError:  # it died since the last run: a new one takes this run
                self._kill()
                self.start()
                self._conn.send(job)
        except BaseException:
            self._busy.release()
            raise
        return ProcessRun(self, self._conn, blob, history, trainer.step_count)

    def close(self) -> None:
        """Stop the worker (a run under way ends there, as if the worker had died)."""
        process = self._process
        if process is None:
            return
        if self._conn is not None:
            try:
                self._conn.send(("quit",))
            except OSError:
                pass
        try:
            process.wait(0.2)
        except subprocess.TimeoutExpired:
            pass
        self._kill()

    def _kill(self) -> None:
        """End the worker now (if it has not ended) and forget it."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            try:
                self._process.wait(1.0)
            except subprocess.TimeoutExpired:
                pass
        self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._errors is not None:
            self._errors.close()
        self._process, self._conn, self._errors = None, None, None

    def _death(self) -> str:
        """How the worker ended: its exit code and the last line it printed, if any."""
        process, errors = self._process, self._errors
        code = None
        if process is not None:
            try:
                code = process.wait(0.5)
            except subprocess.TimeoutExpired:
                pass
        how = f"exit code {code}" if code is not None else "no exit code"
        if errors is not None:
            try:
                errors.seek(max(0, errors.seek(0, os.SEEK_END) - 2000))
                lines = errors.read(2000).decode("utf-8", "replace").strip().splitlines()
            except OSError:
                lines = []
            if lines:
                how += f": {lines[-1][:200]}"
        return how


class ProcessRun:
    """One run in the worker: receive its reports, ask it to stop or change settings."""

    def __init__(self, owner: TrainProcess, conn: Connection, start_state: bytes,
                 history: list[Any] | None, start_count: int) -> None:
        self._owner = owner
        self._conn = conn
        self._start_state = start_state
        self._history = history  # the events before this run
        self.start_count = start_count
        self.finished = False
        self._stop_sent = False

    def receive(self, timeout: float) -> Progress | Finished | None:
        """The next report, waiting up to ``timeout`` seconds (None: nothing came)."""
        if self.finished:
            raise RuntimeError("this run has finished")
        try:
            if not self._conn.poll(timeout):
                return None
            message = self._conn.recv()
        except (EOFError, OSError):
            return self._died()
        if isinstance(message, Progress):
            return message
        _, reason, error, state, cpu = message
        self._end()
        return Finished(reason, error, self._trainer(state), cpu)

    def stop(self) -> None:
        """Ask the worker to stop after its current step (once; later calls do nothing)."""
        if not self._stop_sent and not self.finished:
            self._stop_sent = True
            self._send(("stop",))

    def update(self, **settings: Any) -> None:
        """Live settings (:meth:`Trainer.update`) for the worker's next step."""
        if not self.finished:
            self._send(("update", settings))

    def abandon(self, why: str) -> Finished:
        """Give the run up (the caller met an error of its own): the worker is stopped and
        the trainer is as the run began."""
        self._owner.close()
        return self._died(why)

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            self._conn.send(message)
        except OSError:
            pass  # the worker is gone: receive() says so

    def _died(self, why: str | None = None) -> Finished:
        if why is None:
            why = f"the training process ended unexpectedly ({self._owner._death()})"
            self._owner._kill()
        self._end()
        return Finished("failed", f"{why}; this run's steps are lost, the model is back at "
                        f"step {self.start_count}", self._trainer(self._start_state), 0.0)

    def _trainer(self, blob: bytes) -> Any:
        """A trainer from the worker's pickled state, with the events before this run."""
        cls, state = pickle.loads(blob)
        if self._history is not None:
            state["history"] = self._history + state["history"]
        return _from_state(cls, state)

    def _end(self) -> None:
        if not self.finished:
            self.finished = True
            self._owner._busy.release()


# --- the worker ---------------------------------------------------------------------------

#: the worker's command line (``python -I -c _WORKER_MAIN <folder of engine/> <socket fd>``)
_WORKER_MAIN = ("import sys; sys.path.insert(0, sys.argv[1]); "
                "from engine.train_process import _serve_fd; _serve_fd(int(sys.argv[2]))")


def _serve_fd(fd: int) -> None:
    _serve(Connection(fd))


def _serve(conn: Connection) -> None:
    """The worker's loop: one run after another until "quit" or the parent goes away."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job[0] == "quit":
            return
        if job[0] == "run" and _run(conn, *job[1:]):
            return
        # "stop" or "update" for a run that has already ended: nothing to do


def _run(conn: Connection, blob: bytes, max_steps: int | None, interval: float,
         every: int | None = None) -> bool:
    """One run; True if the parent asked the worker to quit (or is gone)."""
    cls, state = pickle.loads(blob)
    trainer = _from_state(cls, state)  # with no past events
    cpu = time.process_time()
    reason, error = "paused", None
    events: list[Any] = []  # since the last report
    done = 0
    last = time.perf_counter()
    stopping = quitting = False
    updated_at: list[int] = []
    try:
        while not trainer.done and (max_steps is None or done < max_steps):
            events.append(trainer.step())
            done += 1
            while conn.poll():
                command = conn.recv()
                if command[0] in ("stop", "quit"):
                    stopping = True
                    quitting = quitting or command[0] == "quit"
                elif command[0] == "update" and hasattr(trainer, "LIVE_SETTINGS"):
                    trainer.update(**command[1])
                    updated_at.append(trainer.step_count)
            if stopping:
                break
            now = time.perf_counter()
            if now - last >= interval or (every and trainer.step_count % every == 0):
                conn.send(Progress(trainer.step_count, events, trainer.weights(),
                                   tuple(updated_at)))
                events, last = [], now
                updated_at.clear()
        else:
            reason = "done" if trainer.done else "paused"
    except (EOFError, OSError):
        return True  # the parent is gone
    except Exception as e:  # a numeric overflow, a bad setting: reported, never raised
        reason, error = "failed", str(e) or type(e).__name__
    if events:  # the last steps' events (a trainer without a history keeps none)
        try:
            conn.send(Progress(trainer.step_count, events, trainer.weights(), tuple(updated_at)))
        except OSError:
            return True
    state = pickle.dumps((cls, _state_of(trainer)), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        conn.send(("finished", reason, error, state, time.process_time() - cpu))
    except OSError:
        return True
    return quitting
