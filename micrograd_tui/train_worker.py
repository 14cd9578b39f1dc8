"""Whether the screens train in a worker process, and what they say when none can start.

The Train and GPT screens train in a worker process (:mod:`engine.train_process`) so that
drawing takes nothing from training; ``MICROGRAD_TUI_TRAIN_PROCESS=0`` makes them train in a
thread of the app instead (as they also do when no worker can start).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from textual.message import Message

#: ``MICROGRAD_TUI_TRAIN_PROCESS=0``: train in a thread of the app's process instead
PROCESS_ENV = "MICROGRAD_TUI_TRAIN_PROCESS"


def process_wanted() -> bool:
    """Train in a worker process (unless the environment says not to)?"""
    return os.environ.get(PROCESS_ENV, "1").strip() != "0"


@dataclass
class ProcessUnavailable(Message):
    """The worker process could not start: training goes on in the app's own process."""

    error: str

    @property
    def text(self) -> str:
        return (f"Training runs in the app's own process: its worker could not start "
                f"({self.error}). Drawing will slow training down.")
