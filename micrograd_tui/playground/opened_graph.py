"""Showing a graph built elsewhere (the GPT screen's one token) in the playground.

A mixin of the playground's screen.  The graph comes with no program: it is wrapped in a
:class:`~engine.expr.Program` with no statements (its source a comment saying what it is),
so backward, the step-through, the root picker and the inspector work on it as on any
program's graph.  Indexing tens of thousands of nodes takes a while: it runs in a thread
and arrives as :class:`~.messages.GraphEvaluated`, like a long program's evaluation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from engine.expr import Program
from engine.value import Value

from .graph_index import GraphIndex
from .messages import GraphEvaluated

if TYPE_CHECKING:
    from textual.widgets import TextArea


def outside_program(root: Value, variables: dict[str, Value], title: str) -> Program:
    """``root``'s graph as a program with no statements; its text says what it is."""
    lines = [f"# {line}" for line in title.splitlines() or [""]]
    lines.append("# (a graph built by the app, not by a program: Ctrl+R evaluates this text)")
    return Program("\n".join(lines) + "\n", dict(variables), root, [])


class OpenedGraphs:
    """``show_graph``: a mixin of :class:`~.screen.PlaygroundScreen`."""

    if TYPE_CHECKING:
        _generation: int
        root_name: str | None
        editor: TextArea

        def _say(self, text: str) -> None: ...
        def post_message(self, message: object) -> bool: ...

    def show_graph(self, root: Value, variables: dict[str, Value], title: str) -> None:
        """Show ``root``'s graph (once indexed, off the UI thread); call once mounted."""
        program = outside_program(root, variables, title)
        self.root_name = None
        self._generation += 1
        self.editor.load_text(program.source)
        self._say(f"Indexing the graph: {title}…")
        self._index_graph(program, self._generation)

    @work(thread=True, exclusive=True, group="evaluate", exit_on_error=False)
    def _index_graph(self, program: Program, generation: int) -> None:
        index = GraphIndex(program.output, program.variables)
        self.post_message(GraphEvaluated(generation, program, index, False))
