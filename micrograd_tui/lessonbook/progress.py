"""The learner's progress: steps seen and checks passed, per lesson, saved after every change.

The file is ``progress.json`` in the user's data folder (platformdirs), or in
``$MICROGRAD_TUI_DATA_DIR`` when that is set.  Writes are atomic (a crash leaves the old file or
the new one).  A file that cannot be read as progress is moved aside, never deleted, and the
learner is told where it went; if it cannot even be moved, nothing is written over it.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.persist import ModelFileError, atomic_write_text, read_json

from ..data_folder import ENV_DATA_DIR, data_dir, move_aside  # noqa: F401 - ENV_DATA_DIR re-exported

FILE_NAME = "progress.json"
FORMAT = "micrograd-tui/progress"
VERSION = 1


@dataclass
class LessonProgress:
    seen: set[int] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    current: int = 0
    #: check id -> when it was last passed (seconds since the epoch; 0: before times were kept)
    passed_at: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"seen": sorted(self.seen), "passed": sorted(self.passed), "current": self.current,
                "passed_at": {k: self.passed_at[k] for k in sorted(self.passed_at)}}

    @classmethod
    def from_json(cls, d: Any) -> "LessonProgress":
        if not isinstance(d, dict):
            raise ValueError("a lesson's entry is not an object")
        seen, passed, current = d.get("seen", []), d.get("passed", []), d.get("current", 0)
        if not isinstance(seen, list) or not all(isinstance(s, int) and not isinstance(s, bool)
                                                 and s >= 0 for s in seen):
            raise ValueError("'seen' is not a list of step numbers")
        if not isinstance(passed, list) or not all(isinstance(p, str) for p in passed):
            raise ValueError("'passed' is not a list of check ids")
        if not isinstance(current, int) or isinstance(current, bool) or current < 0:
            raise ValueError("'current' is not a step number")
        passed_at = d.get("passed_at", {})
        if not isinstance(passed_at, dict) or not all(
                isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t)
                for t in passed_at.values()):
            raise ValueError("'passed_at' is not an object of times")
        return cls(set(seen), set(passed), current,
                   {str(k): float(t) for k, t in passed_at.items() if k in passed})


class ProgressStore:
    """Progress in memory, written through to ``path`` on every change.

    ``notice`` holds a message for the learner (the file was set aside, or cannot be written),
    to show once; ``writable`` is False when saving would overwrite a file we could not read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lessons: dict[str, LessonProgress] = {}
        self.last: str | None = None
        self.notice: str | None = None
        self.writable = True
        self.save_error: str | None = None

    # --- loading -------------------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path | None = None) -> "ProgressStore":
        """Load the progress file (a missing file is a fresh start)."""
        store = cls(Path(folder) if folder is not None else data_dir())
        store.path = store.path / FILE_NAME
        if not store.path.exists() and not store.path.is_symlink():
            return store
        try:
            store._load(read_json(store.path, what="progress"))
        except (ModelFileError, ValueError) as e:
            store.lessons, store.last = {}, None
            store._set_aside(str(e))
        return store

    def _load(self, d: Any) -> None:
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise ValueError(f"{self.path}: not a micrograd-tui progress file")
        if d.get("version") != VERSION:
            raise ValueError(f"{self.path}: progress file version {d.get('version')!r} is not "
                             f"{VERSION}")
        lessons = d.get("lessons", {})
        if not isinstance(lessons, dict):
            raise ValueError(f"{self.path}: 'lessons' is not an object")
        try:
            self.lessons = {str(k): LessonProgress.from_json(v) for k, v in lessons.items()}
        except ValueError as e:
            raise ValueError(f"{self.path}: {e}") from None
        last = d.get("last")
        self.last = last if isinstance(last, str) else None

    def _set_aside(self, reason: str) -> None:
        ok, self.notice = move_aside(self.path, "lesson progress", reason,
                                     "this session's progress will not be saved",
                                     " and progress starts fresh")
        if not ok:
            self.writable = False

    # --- queries ---------------------------------------------------------------------------
    def lesson(self, key: str) -> LessonProgress:
        return self.lessons.get(key) or LessonProgress()

    # --- changes (each saves) -------------------------------------------------------------
    def _entry(self, key: str) -> LessonProgress:
        entry = self.lessons.get(key)
        if entry is None:
            entry = self.lessons[key] = LessonProgress()
        return entry

    def visit(self, key: str, step: int) -> None:
        """The learner is looking at ``step`` of lesson ``key``: seen, current, last lesson."""
        entry = self._entry(key)
        if step in entry.seen and entry.current == step and self.last == key:
            return
        entry.seen.add(step)
        entry.current = step
        self.last = key
        self.save()

    def pass_check(self, key: str, check_id: str, *, again: bool = False) -> None:
        """Check ``check_id`` of lesson ``key`` is passed now; ``again``: a review passed it
        once more (so it goes to the end of the review queue)."""
        entry = self._entry(key)
        if check_id in entry.passed and not again:
            return
        entry.passed.add(check_id)
        entry.passed_at[check_id] = time.time()
        self.save()

    def passed_checks(self) -> list[tuple[float, str, str]]:
        """Every passed check as (when, lesson key, check id), oldest first."""
        return sorted((entry.passed_at.get(cid, 0.0), key, cid)
                      for key, entry in self.lessons.items() for cid in entry.passed)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "last": self.last,
            "lessons": {k: v.to_json() for k, v in sorted(self.lessons.items())},
        }

    def save(self) -> bool:
        """Write the file atomically; False (and ``save_error``) when it could not be written."""
        if not self.writable:
            return False
        try:
            atomic_write_text(self.path, json.dumps(self.to_json(), indent=1) + "\n",
                              create_folders=True)
        except OSError as e:
            first = self.save_error is None
            self.save_error = f"Lesson progress could not be saved to {self.path}: {e.strerror or e}"
            if first:
                self.notice = self.save_error
            return False
        self.save_error = None
        return True
