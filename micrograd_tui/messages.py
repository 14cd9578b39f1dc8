"""The app's custom messages, posted from worker threads to the screen that started them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.message import Message


@dataclass
class GraphEvaluated(Message):
    """A program was evaluated off the UI thread; ``index`` is its graph, ready to show."""

    generation: int
    program: Any
    index: Any
    keep_expansion: bool = True


@dataclass
class EvaluationFailed(Message):
    """Evaluating a program raised ``error`` (an ``ExprError`` with a line and column, usually)."""

    generation: int
    error: BaseException


@dataclass
class GradientsChecked(Message):
    """The gradient check finished: ``rows`` are ``GradCheckRow``s, or ``error`` says why not."""

    rows: list
    error: str = ""


@dataclass
class GraphExported(Message):
    """The graph was written as DOT (and SVG when Graphviz is installed), or ``error``."""

    dot_path: Path | None
    svg_path: Path | None = None
    error: str = ""
