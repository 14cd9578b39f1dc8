"""Lessons: the file format, running their blocks with the engine, and the learner's progress.

Plain Python (no Textual), so ``micrograd-tui lessons check`` and the tests use it headless.
"""

from .lint import run_check
from .library import load_lessons
from .model import Lesson, Problem, Step
from .parse import parse_lesson, parse_text
from .progress import ProgressStore

__all__ = ["Lesson", "Problem", "ProgressStore", "Step", "load_lessons", "parse_lesson",
           "parse_text", "run_check"]
