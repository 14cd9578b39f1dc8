"""The graph view: the DAG drawn as a graph (the tree's second view), laid out by :mod:`.dag_layout`.

A :class:`~textual.scroll_view.ScrollView` that draws each line as a ``Strip``: arrow keys
pan, a click (or ``[`` / ``]``) selects a value and posts :class:`DagView.NodeSelected`.
During step-through the active node and its edges are highlighted.  The layout depends on the
graph and its names only (a record's grad column has a fixed width), so it is made once per
graph and stays put while backward fills in the grads; the records are written as drawn.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Callable, Hashable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from engine.value import Value

from .dag_grid import compact_number, record_text
from .dag_layout import MAX_VALUES, Layout, build_layout, op_key
from .graph_index import GraphIndex

_LINE = Style(color="grey50")
_ACTIVE = Style(color="yellow", bold=True)
_RECORD = Style()
_OP = Style(color="dark_orange")
_SELECTED = Style(reverse=True)
_GRAD = Style(color="magenta")


class DagView(ScrollView, can_focus=True):
    """Records and operations, layered left to right, edges in box-drawing characters."""

    DEFAULT_CSS = """
    DagView {
        height: 3fr;
        border: round $primary 60%;
        background: $surface;
    }
    DagView:focus {
        border: round $primary;
    }
    """

    BINDINGS = [
        Binding("right_square_bracket", "select(1)", "Next node", show=False),
        Binding("left_square_bracket", "select(-1)", "Prev node", show=False),
    ]

    @dataclass
    class NodeSelected(Message):
        """The learner selected ``value`` in the graph view."""

        value: Value

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.index: GraphIndex | None = None
        self.layout_: Layout | None = None
        self.selected: Value | None = None
        self.step_node: Value | None = None
        #: what a grad shows instead of its number (quiz mode: ``?``, a constant's ``·``), as
        #: the tree shows it; None: the number
        self.grad_text: Callable[[Value], str | None] | None = None
        self._message = "No graph yet: write a program and press Ctrl+R."

    # --- what is shown --------------------------------------------------------------------
    def show(self, index: GraphIndex | None, step_node: Value | None = None) -> None:
        """Draw ``index``'s graph (again: values change as backward runs)."""
        if index is not self.index:  # a new graph: lay it out (once)
            self.index = index
            self.selected = None
            self.layout_ = None
            if index is None:
                self._message = "No graph yet: write a program and press Ctrl+R."
            elif len(index) > MAX_VALUES:
                self._message = (f"{len(index):,} values: too many to draw as a graph here (up "
                                 f"to {MAX_VALUES}). F10 goes back to the tree, which shows any size.")
            else:
                self._message = ""
                self.layout_ = build_layout(index.order, self.record)
        self.step_node = step_node
        width, height = (self.layout_.width, self.layout_.height) if self.layout_ else (1, 1)
        self.virtual_size = Size(width, height)
        if step_node is not None:  # the active step in the middle, its inputs' lines in view
            self._bring_into_view(step_node, centre=True)
        self.refresh()

    def record(self, value: Value) -> str:
        """``value``'s record as drawn now: ``[name│data│grad]``, the grad as the tree shows it."""
        assert self.index is not None
        masked = self.grad_text(value) if self.grad_text is not None else None
        grad = compact_number(value.grad) if masked is None else masked
        return record_text(self.index.name(value), compact_number(value.data), grad)

    def text_lines(self) -> list[str]:
        """The drawing as plain text, records as they are now (what a learner reads)."""
        return self.layout_.text_lines(self.record) if self.layout_ is not None else []

    def _bring_into_view(self, value: Value, *, centre: bool = False, again: bool = True) -> None:
        if not self.size.area:  # just shown (F10): scroll once it has a size
            if again:
                self.call_after_refresh(self._bring_into_view, value, centre=centre, again=False)
            return
        if self.layout_ is not None and id(value) in self.layout_.boxes:
            x, y, width = self.layout_.region_of(value)
            self.scroll_to_region(Region(x, y, width, 1), animate=False, force=True,
                                  center=centre)

    def select(self, value: Value | None, *, tell: bool = True, centre: bool = False) -> None:
        """Select ``value`` and bring it into view (``centre``: in the middle);
        ``tell``: post :class:`NodeSelected`."""
        self.selected = value
        if value is not None:
            self._bring_into_view(value, centre=centre)
        self.refresh()
        if value is not None and tell:
            self.post_message(self.NodeSelected(value))

    def action_select(self, step: int) -> None:
        if self.index is None or not self.index.order:
            return
        order = self.index.order
        at = next((i for i, v in enumerate(order) if v is self.selected), -1 if step > 0 else 0)
        self.select(order[(at + step) % len(order)])

    def on_click(self, event: events.Click) -> None:
        if self.layout_ is None:
            return
        at = event.get_content_offset(self)  # inside the border
        if at is None:
            return
        box = self.layout_.box_at(int(at.x + self.scroll_x), int(at.y + self.scroll_y))
        if box is not None and box.value is not None:
            self.select(box.value)

    # --- drawing ----------------------------------------------------------------------------
    def _active_keys(self) -> set[Hashable]:
        v = self.step_node
        return set() if v is None else {id(v), op_key(v)}

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self.layout_ is None:
            lines = textwrap.wrap(self._message, max(8, width))
            text = lines[y] if y < len(lines) else ""
            return Strip([Segment(text[:width].ljust(width))], width)
        layout = self.layout_
        row = int(y + self.scroll_y)
        x0 = int(self.scroll_x)
        if row >= layout.height:
            return Strip.blank(width)
        chars: list[str] = []
        styles: list[Style] = []
        active = self._active_keys()
        step = op_key(self.step_node) if self.step_node is not None else None
        for x in range(x0, x0 + width):
            chars.append(layout.char(x, row))
            hot = step is not None and any(step in e for e in layout.through.get((x, row), ()))
            styles.append(_ACTIVE if hot else _LINE)
        selected = id(self.selected) if self.selected is not None else None
        for box in layout.boxes.values():
            if box.y != row or box.value is None or box.x + box.width <= x0:
                continue
            text = box.text if box.op else self.record(box.value)
            style = _OP if box.op else _RECORD
            if box.key in active:
                style = style + _ACTIVE
            if box.key == selected:
                style = style + _SELECTED
            grad_from = len(text) - len(text.rsplit("│", 1)[-1])
            for i, ch in enumerate(text):
                x = box.x + i - x0
                if 0 <= x < width:
                    chars[x] = ch
                    styles[x] = style + _GRAD if not box.op and grad_from <= i < len(text) - 1 \
                        else style
        segments: list[Segment] = []
        run_start = 0
        for i in range(1, width + 1):
            if i == width or styles[i] != styles[run_start]:
                segments.append(Segment("".join(chars[run_start:i]), styles[run_start]))
                run_start = i
        return Strip(segments, width)
