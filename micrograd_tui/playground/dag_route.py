"""The graph view's lines (plain Python): lanes between layers, and every line drawn into the grid.

Between two layers, a value's line leaves its unit on its row, runs right to the value's own
*lane* (a column of the gap), along the lane to each row one of its ports is on, and right
again into the port.  A value whose lines go both up and down from a line that also runs
straight on gets two lanes, so that its fork is a ``┬`` and a ``┴``, never a ``┼`` (which
would read as a crossing).  :mod:`.dag_place` has made sure that no row of a gap carries lines
of two values, so lanes can go in any order: they are ordered to cross as little as possible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable

from .dag_grid import (DOWN, INTO_DOWN, INTO_RIGHT, INTO_UP, LEFT, RIGHT, UP, Box, Edge,
                       Layout, Port, Unit)


@dataclass(eq=False)
class _Term:
    """One line's end in a gap: a port of ``unit``."""

    unit: Unit
    port: Port
    edges: frozenset[Edge]


@dataclass(eq=False)
class _Lane:
    net: int
    r: int  # the row the value leaves the left layer on
    rows: list[int] = field(default_factory=list)  # rows of the ports it serves

    @property
    def lo(self) -> int:
        return min(self.rows + [self.r])

    @property
    def hi(self) -> int:
        return max(self.rows + [self.r])


def _crossings(a: _Lane, b: _Lane) -> int:
    """Crossings when lane ``a`` is left of lane ``b``: b's way out crosses a, a's ways in cross b."""
    if a.net == b.net:
        return 0
    return int(a.lo < b.r < a.hi) + sum(1 for t in a.rows if b.lo < t < b.hi)


def _lanes(leaving: dict[int, int], terms: dict[int, list[_Term]]) -> tuple[list[_Lane], dict[_Term, _Lane]]:
    lanes: list[_Lane] = []
    lane_of: dict[_Term, _Lane] = {}
    for net, ends in terms.items():
        r = leaving[net]
        turning = [t for t in ends if t.port.row != r]
        straight = len(turning) < len(ends)
        up = [t for t in turning if t.port.row < r]
        down = [t for t in turning if t.port.row > r]
        groups = [up, down] if straight and up and down else [turning] if turning else []
        for group in groups:
            lane = _Lane(net, r, [t.port.row for t in group])
            lanes.append(lane)
            for t in group:
                lane_of[t] = lane
    lanes.sort(key=lambda lane: (lane.r, lane.lo))
    for _ in range(len(lanes)):  # adjacent swaps while they save crossings
        swapped = False
        for i in range(len(lanes) - 1):
            a, b = lanes[i], lanes[i + 1]
            if _crossings(b, a) < _crossings(a, b):
                lanes[i], lanes[i + 1] = b, a
                swapped = True
        if not swapped:
            break
    return lanes, lane_of


def route(layers: list[list[Unit]], boxes: dict[Hashable, Box]) -> Layout:
    """Put the columns side by side and draw every line; returns the finished drawing."""
    widths = [max([1] + [u.width for u in layer]) for layer in layers]
    gaps = []
    for g in range(1, len(layers)):
        leaving = {u.net: u.y for u in layers[g - 1]}
        terms: dict[int, list[_Term]] = {}
        for u in layers[g]:
            for n, port in u.ports.items():
                edges = u.carries if u.dummy else frozenset({(n, u.boxes[0].key)})
                terms.setdefault(n, []).append(_Term(u, port, edges))
        lanes, lane_of = _lanes(leaving, terms)
        arrow = any(t.port.side == "left" and not t.unit.dummy for ts in terms.values() for t in ts)
        gaps.append((leaving, terms, lanes, lane_of, 1 + len(lanes) + int(arrow)))
    xs = [0]
    for g in range(1, len(layers)):
        xs.append(xs[-1] + widths[g - 1] + gaps[g - 1][4])
    height = 1 + max(u.bottom for layer in layers for u in layer)
    layout = Layout(boxes, xs[-1] + widths[-1], height)
    for g, layer in enumerate(layers):
        for u in layer:
            _draw_unit(layout, u, xs[g], widths[g])
    for g in range(1, len(layers)):
        leaving, terms, lanes, lane_of, _ = gaps[g - 1]
        gap_x = xs[g - 1] + widths[g - 1]
        lane_x = {lane: gap_x + 1 + i for i, lane in enumerate(lanes)}
        starts = {u.net: xs[g - 1] + (widths[g - 1] if u.dummy else u.width) for u in layers[g - 1]}
        for net, ends in terms.items():
            for term in ends:
                lane = lane_of.get(term)
                _draw_term(layout, leaving[net], starts[net], None if lane is None else lane_x[lane],
                           term, xs[g])
    return layout


def _draw_unit(layout: Layout, u: Unit, x: int, width: int) -> None:
    if u.dummy:  # a long line crossing this layer
        _hline(layout, x, x + width - 1, u.y, u.carries)
        return
    for box in u.boxes:
        box.x, box.y = x, u.y
        x += box.width + 2
    if len(u.boxes) == 2:  # (op)─▶[record]
        op, record = u.boxes
        edge = frozenset({(op.key, record.key)})
        layout.mark(record.x - 2, u.y, LEFT | RIGHT, edge)
        layout.mark(record.x - 1, u.y, INTO_RIGHT, edge)


def _draw_term(layout: Layout, r: int, start: int, lane: int | None, term: _Term, x: int) -> None:
    """The line from a value leaving row ``r`` at ``start`` into ``term`` (column ``x`` on)."""
    port, edges, y = term.port, term.edges, term.unit.y
    t = port.row
    if port.side == "left":
        end = x - 1 if term.unit.dummy else x - 2
    else:
        end = x + port.dx - 1
    if lane is None:
        _hline(layout, start, end, r, edges)
    else:
        step = 1 if t > r else -1
        _hline(layout, start, lane - 1, r, edges)
        layout.mark(lane, r, LEFT | (DOWN if step > 0 else UP), edges)
        for row in range(r + step, t, step):
            layout.mark(lane, row, UP | DOWN, edges)
        layout.mark(lane, t, RIGHT | (UP if step > 0 else DOWN), edges)
        _hline(layout, lane + 1, end, t, edges)
    if port.side == "left":
        if not term.unit.dummy:
            layout.mark(x - 1, t, INTO_RIGHT, edges)
        return
    px, step = x + port.dx, (1 if port.side == "top" else -1)
    if t + step == y:
        layout.mark(px, t, INTO_DOWN if step > 0 else INTO_UP, edges)
        return
    layout.mark(px, t, LEFT | (DOWN if step > 0 else UP), edges)
    for row in range(t + step, y - step, step):
        layout.mark(px, row, UP | DOWN, edges)
    layout.mark(px, y - step, INTO_DOWN if step > 0 else INTO_UP, edges)


def _hline(layout: Layout, a: int, b: int, y: int, edges: frozenset[Edge]) -> None:
    for x in range(a, b + 1):
        layout.mark(x, y, LEFT | RIGHT, edges)
