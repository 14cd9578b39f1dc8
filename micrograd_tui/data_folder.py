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


def move_aside(path: Path, what: str, reason: str, unsaved: str,
               fresh: str = "") -> tuple[bool, str]:
    """A saved file that could not be read is moved aside, never deleted.

    Returns ``(writable, notice)``: ``writable`` is False when the file could not be moved
    either (it is then left alone and nothing may overwrite it); ``notice`` says so in words,
    naming ``what`` the file held, why it was unreadable and where it went.  ``unsaved`` says
    what is then not kept this session, ``fresh`` what starts anew once it was moved.
    """
    from engine.persist import set_aside

    try:
        moved = set_aside(path)
    except OSError as e:
        return False, (f"Your {what} could not be read ({reason}) nor moved aside "
                       f"({e.strerror or e}); it is left as it is and {unsaved}.")
    return True, f"Your {what} could not be read ({reason}). The file was moved to {moved}{fresh}."
