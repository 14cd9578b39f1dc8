"""The playground's graph-view key: F10 switches the right pane between the tree and the graph.

:class:`GraphViewKeys` is a mixin of :class:`~micrograd_tui.playground.screen.PlaygroundScreen`
(which provides what its ``TYPE_CHECKING`` block lists); the view itself is
:class:`~micrograd_tui.playground.dag_view.DagView`.  The tree and the graph view are two
views of one DAG with one selection: the graph view opens on the tree's node, and a node
selected in the graph view is where the tree's cursor is when F10 goes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dag_view import DagView

if TYPE_CHECKING:
    from engine.value import Value

    from .graph_index import GraphIndex
    from .graph_tree import GraphTree
    from .inspector import NodeInspector


class GraphViewKeys:
    """F10 (tree ⇄ graph) and keeping the graph view in step with the tree."""

    if TYPE_CHECKING:  # provided by PlaygroundScreen
        index: GraphIndex | None
        tree: GraphTree
        inspector: NodeInspector

        def query_one(self, selector: str, expect_type: type[DagView]) -> DagView: ...

        def _inspect_cursor(self) -> None: ...

    @property
    def dag(self) -> DagView:
        return self.query_one("#pg-dag", DagView)

    @property
    def graph_shown(self) -> bool:
        """Whether the right pane shows the graph view (rather than the tree)."""
        return bool(self.dag.display)

    def _tree_value(self) -> Value | None:
        node = self.tree.cursor_node
        return node.data.value if node is not None and node.data is not None else None

    def action_toggle_graph(self) -> None:
        dag = self.dag
        shown = not dag.display
        dag.display = shown
        self.tree.display = not shown
        if shown:
            self._graph_changed()
            dag.select(self._tree_value(), tell=False, centre=True)  # the tree's node
            dag.focus()
        else:
            if self.tree.cursor_node is not None:
                self.tree.scroll_to_node(self.tree.cursor_node, animate=False)
            self.tree.focus()

    def _graph_changed(self) -> None:
        """Draw the graph view again (values, step and quiz state may have changed)."""
        dag = self.dag
        if not dag.display:
            return
        dag.grad_text = self.tree.grad_text  # "?" and a constant's "·" as in the tree
        step = self.tree.step_node_id
        node = None
        if step is not None and self.index is not None:
            node = next((v for v in self.index.order if id(v) == step), None)
        dag.show(self.index, node)
        dag.selected = self._tree_value()  # one selection: the step moves the tree's cursor

    def on_dag_view_node_selected(self, event: DagView.NodeSelected) -> None:
        """The tree's cursor follows (the inspector and a quiz question follow the cursor)."""
        if self._tree_value() is not event.value:  # on a reference row already: stay there
            if self.tree.reveal(event.value) is None:  # too deep to open: the inspector only
                self.inspector.show(self.index, event.value)
                return
        self._inspect_cursor()
