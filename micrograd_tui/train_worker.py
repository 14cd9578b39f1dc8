"""Whether the screens train in a worker process, how much the app may draw meanwhile, and
what the screens say when no worker can start.

The Train and GPT screens train in a worker process (:mod:`engine.train_process`) so that
drawing takes nothing from training; ``MICROGRAD_TUI_TRAIN_PROCESS=0`` makes them train in a
thread of the app instead, as they also do when no worker can start and on a machine with one
CPU (the worker and the drawing would only take turns on it).  A served app (a classroom tab)
shares the machine's cores with every other tab's app and worker, so it draws less often.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from textual.message import Message

from .classroom.sandbox import sandbox_root

#: ``MICROGRAD_TUI_TRAIN_PROCESS=0``: train in a thread of the app's process instead
PROCESS_ENV = "MICROGRAD_TUI_TRAIN_PROCESS"


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def process_wanted() -> bool:
    """Train in a worker process (two CPUs or more, and the environment does not say no)?"""
    return os.environ.get(PROCESS_ENV, "1").strip() != "0" and available_cpus() >= 2


def picture_pacing() -> tuple[float, float]:
    """While a worker trains: the share of the app's own time its pictures may take, and the
    fewest seconds between two (a served app leaves the cores to the other tabs)."""
    if sandbox_root() is not None:
        return 0.15, 0.2
    return 0.6, 0.05


@dataclass
class ProcessUnavailable(Message):
    """The worker process could not start: training goes on in the app's own process."""

    error: str

    @property
    def text(self) -> str:
        return (f"Training runs in the app's own process: its worker could not start "
                f"({self.error}). Drawing will slow training down.")
