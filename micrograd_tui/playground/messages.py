"""The playground's messages: results a worker thread posts back to the screen that started it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from engine.expr import Program
    from engine.gradcheck import GradCheckRow

    from .graph_index import GraphIndex


@dataclass
class GraphEvaluated(Message):
    """A program was evaluated off the UI thread; ``index`` is its graph, ready to show."""

    generation: int
    program: Program
    index: GraphIndex
    keep_expansion: bool = True


@dataclass
class EvaluationFailed(Message):
    """Evaluating a program raised ``error`` (an ``ExprError`` with a line and column, usually)."""

    generation: int
    error: BaseException


@dataclass
class GradientsChecked(Message):
    """The gradient check finished: one row per leaf, or ``error`` says why not."""

    rows: list[GradCheckRow]
    error: str = ""


@dataclass
class GraphExported(Message):
    """The graph was written as DOT (and SVG when Graphviz is installed), or ``error``."""

    dot_path: Path | None
    svg_path: Path | None = None
    error: str = ""
