"""The playground's right-hand pane: the root picker, the graph tree and the node inspector.

The pane lays the three out and runs the root picker; the screen decides what they show
(it owns the program and its :class:`~micrograd_tui.playground.graph_index.GraphIndex`).
Choosing a root posts :class:`GraphPane.RootChosen`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Label, Select, Static

from engine.value import Value

from .dag_view import DagView
from .graph_tree import GraphTree
from .inspector import NodeInspector
from .quiz_panel import QuizPanel

#: the root picker's one option before any program has run
NO_ROOT = "\0no root"


class GraphPane(Vertical):
    """Root picker (one line), graph tree and node inspector, top to bottom."""

    DEFAULT_CSS = """
    GraphPane #pg-rootbar {
        height: 1;
    }
    GraphPane #pg-rootbar > Label {
        padding: 0 1;
        color: $text-muted;
    }
    GraphPane #pg-root {
        width: 1fr;
    }
    GraphPane #pg-root > SelectOverlay {
        min-width: 24;
        max-height: 14;
    }
    GraphPane #pg-columns {
        width: auto;
        padding: 0 2 0 1;
        color: $text-muted;
    }
    GraphPane #pg-tree {
        height: 3fr;
        border: round $primary 60%;
    }
    GraphPane #pg-tree:focus {
        border: round $primary;
    }
    GraphPane #pg-inspector {
        height: 2fr;
        min-height: 6;
        border: round $primary 40%;
    }
    """

    @dataclass
    class RootChosen(Message):
        """The learner picked the variable ``name`` as the graph's root."""

        name: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._setting_root = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="pg-rootbar"):
            yield Label("root", id="pg-root-label")
            yield Select([(Text("(no graph yet)"), NO_ROOT)], id="pg-root",
                         compact=True, allow_blank=False)
            yield Static(Text(GraphTree.column_header()), id="pg-columns")
        tree = GraphTree(id="pg-tree")
        tree.border_title = "Graph"
        yield tree
        dag = DagView(id="pg-dag")
        dag.border_title = "Graph view · F10 tree · arrows pan · click or [ ] selects"
        dag.display = False
        yield dag
        yield QuizPanel(id="pg-quiz")
        inspector = NodeInspector(id="pg-inspector")
        inspector.border_title = "Node"
        yield inspector

    @property
    def root_select(self) -> Select[str]:
        return self.query_one("#pg-root", Select)

    def show_roots(self, variables: Mapping[str, Value], root: Value,
                   picked: bool = False) -> None:
        """Offer every variable as a root, with the one whose value is ``root`` selected.

        ``picked``: the learner chose this root (it stays when the program runs again), as
        opposed to the program's output (the last variable assigned); the label says which.
        """
        label = self.query_one("#pg-root-label", Label)
        label.update("picked root" if picked else "root")
        label.tooltip = ("Picked with Alt+R: kept when the program runs again; pick the last "
                         "variable to follow the program's output" if picked else
                         "The program's output (its last variable); Alt+R picks another")
        select = self.root_select
        current = next((n for n, v in variables.items() if v is root), None)
        self._setting_root = True
        try:
            select.set_options([(Text(n), n) for n in variables])
            if current is not None:
                select.value = current
        finally:
            self._setting_root = False

    def pick_root(self) -> None:
        """Open the root picker."""
        select = self.root_select
        select.focus()
        select.expanded = True

    @on(Select.Changed, "#pg-root")
    def _root_chosen(self, event: Select.Changed) -> None:
        event.stop()
        if self._setting_root or event.value != event.select.value:
            return  # set by the program, or superseded by a later change
        if isinstance(event.value, str) and event.value != NO_ROOT:
            self.post_message(self.RootChosen(event.value))
