"""The graph as a Textual ``Tree``: rows built lazily on expand, values updated in place.

The rows come from :class:`~micrograd_tui.playground.graph_index.GraphIndex`; this widget
only draws them and keeps track of what is built.  Labels are rich ``Text`` made from the row's data at every
repaint (never markup), so a ``[`` in a name cannot break anything, and after a backward
pass :meth:`GraphTree.refresh_values` repaints the rows whose numbers changed, highlighting
them for a moment.
"""

from __future__ import annotations

from typing import Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from engine.value import Value

from .graph_index import NUMBER_WIDTH, GraphIndex, Row

#: how many rows to open by themselves when a new graph is shown
INITIAL_ROWS = 60
#: rows deeper than this do not open: Textual's Tree lays out nested rows recursively
MAX_DEPTH = 300
#: the name column is never cut narrower than this: past it the indentation gives way
MIN_HEAD = 6
#: the expand icon (or the blank in its place) before each name
ICON_WIDTH = 2
#: "to the end of the line" for Strip.crop
_WHOLE_LINE = 1 << 30
#: the two number columns and the space between them
NUMBERS_WIDTH = 2 * NUMBER_WIDTH + 1


def _tag(row: Row) -> str:
    return " (too deep)" if row.depth >= MAX_DEPTH and row.expandable else ""


class GraphTree(Tree[Row]):
    """The DAG below a root, one row per use of a node; shared nodes in full once."""

    DEFAULT_CSS = """
    GraphTree {
        background: $surface;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
    }
    GraphTree > .graph-tree--leaf { color: $success; text-style: bold; }
    GraphTree > .graph-tree--const { color: $text-muted; }
    GraphTree > .graph-tree--name { text-style: bold; }
    GraphTree > .graph-tree--op { color: $accent; text-style: bold; }
    GraphTree > .graph-tree--ref { color: $text-muted; text-style: italic; }
    GraphTree > .graph-tree--tag { color: $text-muted; }
    GraphTree > .graph-tree--data { }
    GraphTree > .graph-tree--grad { color: $warning; }
    GraphTree > .graph-tree--changed { text-style: bold reverse; }
    GraphTree > .graph-tree--step { background: $primary 50%; }
    """
    COMPONENT_CLASSES = {
        "graph-tree--leaf", "graph-tree--const", "graph-tree--name", "graph-tree--op",
        "graph-tree--ref", "graph-tree--tag", "graph-tree--data", "graph-tree--grad",
        "graph-tree--changed",
        "graph-tree--step",
    }
    BINDINGS = [
        Binding("enter", "select_cursor", "Open / jump", show=False),
    ]

    #: seconds a changed value stays highlighted (tests may make it longer, never shorter)
    flash_seconds: float = 1.2

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Text("(no graph yet)"), None, id=id, classes=classes)
        self.index: GraphIndex | None = None
        self.guide_depth = 2
        self.auto_expand = False
        self._built: list[TreeNode[Row]] = []
        self._flash: set[int] = set()
        self._flash_timer = None
        self._step_node: int | None = None
        self._styles: dict[str, Style] = {}
        #: quiz mode: what the grad column shows instead of a hidden number (None: the number)
        self.grad_text: Callable[[Value], str | None] | None = None

    # --- labels ---------------------------------------------------------------------------
    def process_label(self, label) -> Text:  # type: ignore[override]
        """Labels are plain text, never markup."""
        return Text(label) if isinstance(label, str) else label

    def _style(self, role: str) -> Style:
        style = self._styles.get(role)
        if style is None:
            style = self._styles[role] = self.get_component_rich_style(f"graph-tree--{role}",
                                                                      partial=True)
        return style

    def notify_style_update(self) -> None:
        self._styles = {}
        super().notify_style_update()

    def render_label(self, node: TreeNode[Row], base_style: Style, style: Style) -> Text:
        row = node.data
        if row is None:
            label = node._label.copy()
            label.stylize(style)
            return label
        text = Text(no_wrap=True, end="")
        if node._allow_expand:
            text.append(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE,
                        base_style + Style(bold=True))
        else:
            text.append(" " * ICON_WIDTH)
        key = id(row.value)
        tag = _tag(row)
        # The numbers have fixed widths and end at the right edge, under the column header;
        # the name gives way first (cut with …), then the indentation (see _render_line).
        data, grad = row.numbers()
        masked = self.grad_text(row.value) if self.grad_text is not None else None
        grad = grad if masked is None else masked
        _, room = self._layout(row)
        pieces = row.head
        if row.is_ref and row.head_width > room:
            pieces = pieces[:-1]  # "↪ c#1 shared" -> "↪ c#1": the arrow says it already
        head = Text(no_wrap=True, end="")
        for piece, role in pieces:
            head.append(piece, self._style(role))
        if head.cell_len > room - len(tag):
            head.truncate(max(1, room - len(tag)), overflow="ellipsis")
        head.append(tag, self._style("tag"))
        text.append_text(head)
        text.append(" " * (room - head.cell_len + 1))
        text.append(f"{data:>{NUMBER_WIDTH}}", self._style("data"))
        text.append(" ")
        grad_style = self._style("grad")
        if key in self._flash:
            grad_style += self._style("changed")
        text.append(f"{grad:>{NUMBER_WIDTH}}", grad_style)
        if key == self._step_node:
            text.stylize(self._style("step"))
        text.stylize(style)
        return text

    def _layout(self, row: Row) -> tuple[int, int]:
        """``(levels of indentation left out, cells for the name)`` of ``row``.

        The numbers always fit.  The name column shrinks first, down to ``MIN_HEAD``; past
        that, whole levels of the row's indentation are left out (``_render_line`` shows a
        ``…`` where they were), keeping the outermost level and the row's own connector.
        """
        gd = self.guide_depth
        fixed = ICON_WIDTH + 1 + NUMBERS_WIDTH
        room = self.scrollable_content_region.width - row.depth * gd - fixed
        least = MIN_HEAD + len(_tag(row))
        if room >= least:
            return 0, room
        # hiding k levels takes k + 1 out and puts one "…" level in their place
        hidden = min(-(-(least - room) // gd), max(0, row.depth - 3))
        return hidden, max(room + hidden * gd, len(_tag(row)) + 1)

    def get_label_width(self, node: TreeNode[Row]) -> int:
        """Rows fill the width exactly, so the tree never scrolls sideways and the numbers
        are always on screen (a deep row's hidden indentation makes room for its label)."""
        if node.data is None:
            return super().get_label_width(node)
        return max(0, self.scrollable_content_region.width - node.data.depth * self.guide_depth)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        strip = super()._render_line(y, 0, _WHOLE_LINE, base_style)
        lines = self._tree_lines
        row = lines[y].node.data if y < len(lines) else None
        hidden = self._layout(row)[0] if row is not None else 0
        if hidden:  # a deep row: "…" stands for the levels of indentation left out
            gd = self.guide_depth
            marker = Strip([Segment("…" + " " * (gd - 1), self._style("tag"))], gd)
            strip = Strip.join([strip.crop(0, gd), marker,
                                strip.crop(gd * (hidden + 2), strip.cell_length)])
        return strip.crop(x1, x2)

    # --- showing a graph ----------------------------------------------------------------------
    def show(self, index: GraphIndex, *, keep_expansion: bool = True) -> None:
        """Show the graph of ``index``; keep what was open where the shape is the same."""
        expanded: list[tuple[int, ...]] | None = None
        cursor_path: tuple[int, ...] | None = None
        if keep_expansion and self.index is not None:
            expanded = [n.data.path for n in self._built
                        if n.data is not None and n.is_expanded]
            if self.cursor_node is not None and self.cursor_node.data is not None:
                cursor_path = self.cursor_node.data.path
        self.index = index
        self._built = []
        self._flash.clear()
        self._step_node = None
        self.clear()
        root_row = index.root_row()
        root_row.shown = (root_row.value.data, root_row.value.grad)
        self.root.data = root_row
        self.root.set_label(Text(root_row.name))
        self.root.allow_expand = root_row.expandable
        self._built.append(self.root)
        if expanded is not None:
            for path in sorted(expanded, key=len):
                node = self.node_at(path)
                if node is not None and node.allow_expand:
                    self.open(node)
        else:
            self._initial_expansion()
        target = self.node_at(cursor_path) if cursor_path is not None else None
        self.move_cursor(target or self.root)

    def _initial_expansion(self) -> None:
        budget = INITIAL_ROWS
        queue = [self.root]
        while queue and budget > 0:
            node = queue.pop(0)
            if not node.allow_expand:
                continue
            self.open(node)
            budget -= len(node.children)
            queue.extend(node.children)

    def load_children(self, node: TreeNode[Row]) -> None:
        """Build the rows under ``node`` (once)."""
        row = node.data
        if row is None or row.loaded or self.index is None:
            return
        row.loaded = True
        for child in self.index.child_rows(row):
            child.shown = (child.value.data, child.value.grad)
            tree_node = node.add(Text(child.name), child,
                                 allow_expand=child.expandable and child.depth < MAX_DEPTH)
            self._built.append(tree_node)

    def open(self, node: TreeNode[Row]) -> None:
        """Expand ``node`` now (its children are built at once, not on the next message)."""
        self.load_children(node)
        if not node.is_expanded:
            node.expand()

    def move_cursor(self, node: TreeNode[Row] | None, animate: bool = False) -> None:
        """Put the cursor on ``node``, even one added a moment ago."""
        self._tree_lines  # lay the rows out now, so that ``node``'s line number is current
        super().move_cursor(node, animate=animate)

    def node_at(self, path: tuple[int, ...]) -> TreeNode[Row] | None:
        """The row at ``path`` (child indices from the root), building rows on the way."""
        node = self.root
        for index in path:
            if node.data is None or not node.allow_expand:
                return None
            self.load_children(node)
            children = node.children
            if index >= len(children):
                return None
            node = children[index]
        return node

    def reveal(self, value: Value, *, move_cursor: bool = True) -> TreeNode[Row] | None:
        """Open the rows down to where ``value`` is shown in full, and put the cursor there."""
        if self.index is None:
            return None
        path = self.index.home_path(value)
        if path is None or len(path) >= MAX_DEPTH:
            return None
        node = self.root
        for index in path:
            self.open(node)
            node = node.children[index]
        if move_cursor:
            self.move_cursor(node)
        return node

    @property
    def built_nodes(self) -> list[TreeNode[Row]]:
        return list(self._built)

    def visible_text(self) -> list[str]:
        """The rows the learner can reach by scrolling, as plain text (for tests and the
        benchmark)."""
        out = []
        for line in self._tree_lines:
            row = line.node.data
            if row is not None:
                out.append(row.plain())
        return out

    def drawn_lines(self) -> list[str]:
        """Every line as the tree draws it (guides, name, numbers), cut to the width the
        learner sees: what scrolling through the tree shows."""
        width = self.scrollable_content_region.width
        return [self._render_line(y, 0, width, self.rich_style).text
                for y in range(len(self._tree_lines))]

    # --- values changed ---------------------------------------------------------------------
    def refresh_values(self, *, flash: bool = True) -> int:
        """Repaint the rows whose data or grad changed; returns how many changed."""
        changed: set[int] = set()
        for node in self._built:
            row = node.data
            if row is None:
                continue
            now = (row.value.data, row.value.grad)
            if now != row.shown:
                if row.shown is not None and row.shown[1] != now[1]:
                    changed.add(id(row.value))
                row.shown = now
                node.refresh()
        if flash and changed and self.flash_seconds > 0:
            self._flash |= changed
            for node in self._built:
                if node.data is not None and id(node.data.value) in changed:
                    node.refresh()
            if self._flash_timer is not None:
                self._flash_timer.stop()
            self._flash_timer = self.set_timer(self.flash_seconds, self._end_flash)
        return len(changed)

    def _end_flash(self) -> None:
        flashed = self._flash
        self._flash = set()
        self._flash_timer = None
        for node in self._built:
            if node.data is not None and id(node.data.value) in flashed:
                node.refresh()

    @property
    def step_node_id(self) -> int | None:
        """``id`` of the node the step-through is at (None: not stepping)."""
        return self._step_node

    def set_step_node(self, value: Value | None) -> None:
        """Mark the node whose local backward the step-through just ran."""
        old = self._step_node
        self._step_node = None if value is None else id(value)
        for node in self._built:
            if node.data is not None and id(node.data.value) in (old, self._step_node):
                node.refresh()

    # --- events -----------------------------------------------------------------------------
    @staticmethod
    def column_header() -> str:
        """The titles of the two number columns, aligned as the rows draw them."""
        return f"{'data':>{NUMBER_WIDTH}} {'grad':>{NUMBER_WIDTH}}"

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Row]) -> None:
        self.load_children(event.node)

    def _on_tree_node_selected(self, event: Tree.NodeSelected[Row]) -> None:
        """Enter on a row opens or closes it; on a reference it jumps to the full row."""
        node = event.node
        row = node.data
        if row is None:
            return
        if row.is_ref:
            if self.reveal(row.value) is None:
                self.notify(f"{row.name} is shown in full too deep in the tree to open here.",
                            severity="warning", markup=False)
        elif node.allow_expand:
            if node.is_expanded:
                node.collapse()
            else:
                self.open(node)
