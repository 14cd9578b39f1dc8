"""The learner's workspace: the program being edited, the recent ones it replaced, and the file
it was last saved to or opened from, kept between runs of the app.

Plain Python (no Textual).  The file is ``workspace.json`` in the same data folder as lesson
progress (:func:`~micrograd_tui.data_folder.data_dir`: the user's data folder, or
``$MICROGRAD_TUI_DATA_DIR``, which ``serve`` sets per browser tab).  Writes are atomic; a file
that cannot be read is moved aside (never deleted) and the learner is told where it went.
Program files themselves are read with a bound (:func:`read_program`) and written atomically
(:func:`write_program`), never over something that is not a regular file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.expr import Limits
from engine.persist import (FileReadError, FileWriteError, ModelFileError, atomic_write_text,
                            read_text_limited)

from ..classroom.sandbox import confine
from ..data_folder import data_dir, move_aside

FILE_NAME = "workspace.json"
FORMAT = "micrograd-tui/workspace"
VERSION = 1
#: how many replaced programs are kept
HISTORY_SIZE = 10


class ProgramFileError(Exception):
    """A program file cannot be read or written; ``str()`` says which file and why."""


@dataclass
class Workspace:
    """The current program, the programs it replaced (most recent first) and its file."""

    program: str = ""
    history: list[str] = field(default_factory=list)
    path: Path | None = None

    def replace(self, source: str, path: Path | None = None) -> bool:
        """Make ``source`` the current program, keeping the one it replaces in the history.

        An empty program, or one equal to the new one, is not kept; a program already in
        the history moves to its front.  Returns True when something was kept.
        """
        old = self.program
        self.program = source
        self.path = path
        return self.keep(old) if old != source else False

    def keep(self, source: str) -> bool:
        """Put ``source`` at the front of the history (see :meth:`replace`)."""
        if not source.strip():
            return False
        if source in self.history:
            self.history.remove(source)
        self.history.insert(0, source)
        del self.history[HISTORY_SIZE:]
        return True

    def previous(self) -> str | None:
        """Swap the current program with the most recent one kept; None when none is kept.

        The current program goes to the front of the history, so pressing the key twice
        comes back to where the learner was.
        """
        if not self.history:
            return None
        source = self.history.pop(0)
        current = self.program
        self.program = source
        self.path = None
        if current.strip() and current != source:
            self.history.insert(0, current)
            del self.history[HISTORY_SIZE:]
        return source

    # --- the JSON file ------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "program": self.program,
                "history": self.history, "path": str(self.path) if self.path else None}

    @classmethod
    def from_json(cls, d: Any, where: Path) -> "Workspace":
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise ValueError(f"{where}: not a micrograd-tui workspace file")
        if d.get("version") != VERSION:
            raise ValueError(f"{where}: workspace file version {d.get('version')!r} is not "
                             f"{VERSION}")
        program, history, path = d.get("program"), d.get("history", []), d.get("path")
        limit = Limits().source_chars
        if not isinstance(program, str) or len(program) > limit:
            raise ValueError(f"{where}: 'program' is not a program's text")
        if (not isinstance(history, list)
                or not all(isinstance(h, str) and len(h) <= limit for h in history)):
            raise ValueError(f"{where}: 'history' is not a list of programs")
        if path is not None and not isinstance(path, str):
            raise ValueError(f"{where}: 'path' is not a file name")
        return cls(program, history[:HISTORY_SIZE], Path(path) if path else None)


@dataclass
class WorkspaceFile:
    """Where the workspace is kept, and what the learner must be told about it once."""

    path: Path
    notice: str | None = None
    writable: bool = True
    _last_error: str | None = field(default=None, repr=False)

    @classmethod
    def default(cls) -> "WorkspaceFile":
        return cls(data_dir() / FILE_NAME)

    def load(self) -> Workspace | None:
        """The saved workspace; None when there is none (or it could not be read: then
        :attr:`notice` says so and where the file went)."""
        if not self.path.exists() and not self.path.is_symlink():
            return None
        # a workspace holds at most 11 programs; 4 bytes a character is UTF-8's worst case
        limit = 4 * (HISTORY_SIZE + 1) * Limits().source_chars + 4096
        try:
            text = read_text_limited(self.path, limit, what="workspace file")
            return Workspace.from_json(json.loads(text), self.path)
        except (FileReadError, ModelFileError, ValueError, RecursionError) as error:
            reason = str(error) if str(self.path) in str(error) else f"{self.path}: {error}"
            self._set_aside(reason)
            return None

    def _set_aside(self, reason: str) -> None:
        ok, self.notice = move_aside(self.path, "last program", reason,
                                     "this session's program will not be kept")
        if not ok:
            self.writable = False

    def save(self, workspace: Workspace) -> str | None:
        """Write the workspace atomically; the reason in words when it could not be written
        (said once: the same failure again returns None)."""
        if not self.writable:
            return None
        try:
            atomic_write_text(self.path, json.dumps(workspace.to_json(), indent=1) + "\n",
                              create_folders=True)
        except OSError as e:
            error = f"Your program could not be kept in {self.path}: {e.strerror or e}"
            first = error != self._last_error
            self._last_error = error
            return error if first else None
        self._last_error = None
        return None


# --- program files ------------------------------------------------------------------------

def program_path(text: str) -> Path:
    """The file a typed name means: ``~`` expanded, relative to the current folder (the tab's
    folder while served), and inside that folder while served; a readable reason if not."""
    text = text.strip()
    if not text:
        raise ProgramFileError("Type the name of a program file, such as program.txt.")
    try:
        path = confine(text, "program file")
        return path if path.is_absolute() else Path.cwd() / path
    except FileNotFoundError as error:
        raise ProgramFileError("The current folder does not exist any more "
                               f"({error.strerror or error}).") from error
    except Exception as error:  # noqa: BLE001 - OutsideSandbox and the like, as a sentence
        raise ProgramFileError(str(error)) from error


def read_program(path: Path) -> str:
    """The program in ``path``: a regular UTF-8 file within the language's size limit."""
    limit = Limits().source_chars
    try:
        text = read_text_limited(path, 4 * limit, what="program file")
    except FileReadError as error:
        raise ProgramFileError(f"Could not open {error}") from None
    if len(text) > limit:
        raise ProgramFileError(f"Could not open {path}: this program is too long "
                               f"({len(text):,} characters; the limit is {limit:,})")
    return text


def write_program(path: Path, source: str) -> None:
    """Write ``source`` to ``path`` atomically (a folder, a device... is refused)."""
    try:
        atomic_write_text(path, source)
    except (FileWriteError, OSError) as error:
        raise ProgramFileError(f"Could not save to {error}") from None


def needs_confirmation(path: Path, own: Path | None) -> bool:
    """Saving to ``path`` would replace a file the learner did not open or save here."""
    if not (path.exists() or path.is_symlink()):
        return False
    if own is None:
        return True
    try:
        return path.resolve() != own.resolve()
    except OSError:
        return True
