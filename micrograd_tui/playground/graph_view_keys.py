"""The playground's graph-view key: F10 switches the right pane between the tree and the graph.

:class:`GraphViewKeys` is a mixin of :class:`~micrograd_tui.playground.screen.PlaygroundScreen`
(which provides what its ``TYPE_CHECKING`` block lists); the view itself is
:class:`~micrograd_tui.playground.dag_view.DagView`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dag_view import DagView

if TYPE_CHECKING:
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

    @property
    def dag(self) -> DagView:
        return self.query_one("#pg-dag", DagView)

    @property
    def graph_shown(self) -> bool:
        """Whether the right pane shows the graph view (rather than the tree)."""
        return bool(self.dag.display)

    def action_toggle_graph(self) -> None:
        dag = self.dag
        shown = not dag.display
        dag.display = shown
        self.tree.display = not shown
        if shown:
            self._graph_changed()
            dag.focus()
        else:
            self.tree.focus()

    def _graph_changed(self) -> None:
        """Draw the graph view again (values, step and quiz state may have changed)."""
        dag = self.dag
        if not dag.display:
            return
        dag.grad_hidden = self.inspector.grad_hidden
        step = self.tree.step_node_id
        node = None
        if step is not None and self.index is not None:
            node = next((v for v in self.index.order if id(v) == step), None)
        dag.show(self.index, node)

    def on_dag_view_node_selected(self, event: DagView.NodeSelected) -> None:
        self.inspector.show(self.index, event.value)
