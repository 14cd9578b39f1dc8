"""Where the app keeps the learner's files (lesson progress, the last program): the user's data
folder (platformdirs), or ``$MICROGRAD_TUI_DATA_DIR`` when set (``serve`` sets it per tab)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "MICROGRAD_TUI_DATA_DIR"


def data_dir() -> Path:
    """Where the app keeps the learner's files."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("micrograd-tui", appauthor=False))
