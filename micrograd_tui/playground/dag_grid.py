"""The graph view's drawing as data: boxes, line cells and the edges through them (plain Python).

:mod:`.dag_layout` decides where things go (:mod:`.dag_place` the rows and the ports,
:mod:`.dag_route` the lines); this module holds the result and turns it into characters.

A value is drawn as a record ``[name│data│grad]``; a computed value's operation sits just
left of its record on the same row, ``(*)─▶[c│…]``.  That pair (or a leaf's record alone, or a
*dummy*, the stretch of a long edge that crosses a layer) is a :class:`Unit`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Hashable

from engine.value import Value

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
#: arrow heads are stored as these negative codes in ``Layout.lines``
INTO_RIGHT, INTO_DOWN, INTO_UP = -1, -2, -3
_CHARS = {
    LEFT | RIGHT: "─", UP | DOWN: "│", DOWN | RIGHT: "┌", DOWN | LEFT: "┐", UP | RIGHT: "└",
    UP | LEFT: "┘", UP | DOWN | RIGHT: "├", UP | DOWN | LEFT: "┤", DOWN | LEFT | RIGHT: "┬",
    UP | LEFT | RIGHT: "┴", UP | DOWN | LEFT | RIGHT: "┼", LEFT: "─", RIGHT: "─", UP: "│",
    DOWN: "│", INTO_RIGHT: "▶", INTO_DOWN: "▼", INTO_UP: "▲",
}

#: an edge between two drawn boxes: (source key, target key)
Edge = tuple[Hashable, Hashable]

#: the grad column's width: the layout does not move when grads change
GRAD_WIDTH = 7


def op_key(value: Value) -> tuple[str, int]:
    return ("op", id(value))


def compact_number(x: float) -> str:
    """A number in a record, at most 7 characters: ``-27.77``, ``0.2041``, ``1.2e-3``, ``0``."""
    if x == 0.0:
        return "0"
    if not math.isfinite(x):
        return str(x)
    a = abs(x)
    if 0.01 <= a < 9999.5:
        decimals = min(4, max(0, 3 - math.floor(math.log10(a))))  # 4 significant digits
        text = f"{x:.{decimals}f}"
        if decimals and len(text.lstrip("-").replace(".", "").lstrip("0")) > 4:
            text = f"{x:.{decimals - 1}f}"  # 0.99999 -> 1.000, not 1.0000
        return text
    for digits in (1, 0):
        mantissa, exponent = f"{x:.{digits}e}".split("e")
        text = f"{mantissa}e{int(exponent)}"
        if len(text) <= GRAD_WIDTH:
            break
    return text


def record_text(name: str, data: str, grad: str) -> str:
    """A value's record; the grad column has a fixed width, so every grad fits in place."""
    return f"[{name}│{data}│{grad[:GRAD_WIDTH]:<{GRAD_WIDTH}}]"


@dataclass
class Box:
    """One drawn node: a value's record (``op=False``) or an operation (``op=True``)."""

    key: Hashable
    value: Value | None
    op: bool
    text: str = ""
    x: int = 0
    y: int = 0

    @property
    def width(self) -> int:
        return len(self.text)


@dataclass
class Port:
    """Where a net comes into a unit: from the left on its row, or from above / below at ``dx``.

    ``row`` is the row its line arrives on; ``dx`` the column (from the unit's left) it then
    turns down (``top``) or up (``bottom``) into the operation."""

    side: str  # "left", "top" or "bottom"
    row: int
    dx: int = 0


@dataclass(eq=False)
class Unit:
    """What one layer holds on one row: an operation and its record, a leaf, or a dummy."""

    key: Hashable
    layer: int
    #: the net this unit sends on to the next layer: the value's id (a dummy carries its source's)
    net: int
    boxes: list[Box]
    #: the nets coming in: the operation's distinct inputs (a dummy: its source)
    inputs: list[int] = field(default_factory=list)
    y: int = 0
    ports: dict[int, Port] = field(default_factory=dict)
    #: a dummy: the edges (source record, user's operation) whose line it carries
    carries: frozenset[Edge] = frozenset()

    @property
    def dummy(self) -> bool:
        return not self.boxes

    @property
    def width(self) -> int:
        if not self.boxes:
            return 0
        return sum(b.width for b in self.boxes) + 2 * (len(self.boxes) - 1)  # "─▶" between

    @property
    def top(self) -> int:
        return min([self.y] + [p.row for p in self.ports.values()])

    @property
    def bottom(self) -> int:
        return max([self.y] + [p.row for p in self.ports.values()])


@dataclass
class Layout:
    """Where everything is: boxes, and per cell the line drawn there and the edges through it."""

    boxes: dict[Hashable, Box]
    width: int
    height: int
    #: (x, y) -> directions of the line drawn there (UP | DOWN ...), or an arrow code (< 0)
    lines: dict[tuple[int, int], int] = field(default_factory=dict)
    #: (x, y) -> the edges (source key, target key) drawn through that cell
    through: dict[tuple[int, int], set[Edge]] = field(default_factory=dict)

    def mark(self, x: int, y: int, bits: int, edges: frozenset[Edge]) -> None:
        """Draw a line piece (or an arrow head, ``bits < 0``) at ``(x, y)`` for ``edges``."""
        old = self.lines.get((x, y), 0)
        self.lines[(x, y)] = bits if bits < 0 or old < 0 else old | bits
        self.through.setdefault((x, y), set()).update(edges)

    def box_at(self, x: int, y: int) -> Box | None:
        for box in self.boxes.values():
            if box.y == y and box.x <= x < box.x + box.width:
                return box
        return None

    def region_of(self, value: Value) -> tuple[int, int, int]:
        """``(x, y, width)`` of ``value``'s operation and record together."""
        record = self.boxes[id(value)]
        op = self.boxes.get(op_key(value))
        x = op.x if op is not None else record.x
        return x, record.y, record.x + record.width - x

    def char(self, x: int, y: int) -> str:
        return _CHARS.get(self.lines.get((x, y), 0), " ")

    def text_lines(self, record: Callable[[Value], str] | None = None) -> list[str]:
        """The whole drawing as plain text (what the widget shows, without colours);
        ``record(value)``, when given, is a record's text now (grads change)."""
        rows = [[self.char(x, y) for x in range(self.width)] for y in range(self.height)]
        for box in self.boxes.values():
            text = box.text
            if record is not None and box.value is not None and not box.op:
                text = record(box.value)
            rows[box.y][box.x:box.x + box.width] = list(text)
        return ["".join(r).rstrip() for r in rows]
