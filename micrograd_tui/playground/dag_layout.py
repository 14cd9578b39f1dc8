"""The graph drawn as a graph, in a character grid: layers left to right like micrograd's draw_dot.

Plain Python (no Textual).  Each value is a one-line record ``[ name │ data │ grad ]`` and
each operation a small node ``(*)`` between its inputs' records and its result's record.

The placement is a small Sugiyama layering of our own, not a library (grandalf would add a
dependency for three short steps that a character grid needs adapted anyway):

1. layers: longest path from the inputs; a leaf then moves right, next to its first user;
2. order within a layer: a few barycentric sweeps (each node goes to the mean position of
   its neighbours in the previous layer), with a dummy node per layer a long edge crosses;
3. rows: each node as close as it can to its inputs' mean row, two rows apart at least;
   edges are routed orthogonally in the gap between two layers, one vertical lane per
   target, and drawn with box-drawing characters (a shared node's line forks, drawn once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Hashable

from engine.value import Value

#: more values than this and the view shows a message pointing to the tree
MAX_VALUES = 60

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
_LINES = {
    LEFT | RIGHT: "─", UP | DOWN: "│", DOWN | RIGHT: "┌", DOWN | LEFT: "┐", UP | RIGHT: "└",
    UP | LEFT: "┘", UP | DOWN | RIGHT: "├", UP | DOWN | LEFT: "┤", DOWN | LEFT | RIGHT: "┬",
    UP | LEFT | RIGHT: "┴", UP | DOWN | LEFT | RIGHT: "┼", LEFT: "─", RIGHT: "─", UP: "│",
    DOWN: "│",
}
ARROW = "▶"


@dataclass
class Box:
    """One drawn node: a value's record (``op=False``) or an operation (``op=True``)."""

    key: Hashable
    value: Value | None
    op: bool
    text: str = ""
    layer: int = 0
    x: int = 0
    y: int = 0

    @property
    def width(self) -> int:
        return len(self.text)


@dataclass
class Layout:
    """Where everything is: boxes, and per cell the line directions and the edges through it."""

    boxes: dict[Hashable, Box]
    width: int
    height: int
    #: (x, y) -> directions of the line drawn there (UP | DOWN ...), or -1 for an arrow head
    lines: dict[tuple[int, int], int] = field(default_factory=dict)
    #: (x, y) -> the edges (source key, target key) drawn through that cell
    through: dict[tuple[int, int], set[tuple[Hashable, Hashable]]] = field(default_factory=dict)

    def box_at(self, x: int, y: int) -> Box | None:
        for box in self.boxes.values():
            if box.y == y and box.x <= x < box.x + box.width:
                return box
        return None

    def char(self, x: int, y: int) -> str:
        bits = self.lines.get((x, y), 0)
        if bits == -1:
            return ARROW
        return _LINES.get(bits, " ")

    def text_lines(self) -> list[str]:
        """The whole drawing as plain text (what the widget shows, without colours)."""
        rows = [[self.char(x, y) for x in range(self.width)] for y in range(self.height)]
        for box in self.boxes.values():
            if box.value is None and not box.op:
                continue  # a dummy: its line is in ``lines``
            rows[box.y][box.x:box.x + box.width] = list(box.text)
        return ["".join(r).rstrip() for r in rows]


def op_key(value: Value) -> tuple[str, int]:
    return ("op", id(value))


def build_layout(order: list[Value], record: Callable[[Value], str]) -> Layout:
    """Lay out the graph whose topological order is ``order``; ``record(v)`` is v's text."""
    boxes: dict[Hashable, Box] = {}
    edges: list[tuple[Hashable, Hashable]] = []
    for v in order:
        boxes[id(v)] = Box(id(v), v, False, record(v))
        if v._prev:
            boxes[op_key(v)] = Box(op_key(v), v, True, f"({v._op.symbol})")
            seen: set[int] = set()
            for child in v._prev:  # a + a: one edge, the lesson is in the inspector
                if id(child) not in seen:
                    seen.add(id(child))
                    edges.append((id(child), op_key(v)))
            edges.append((op_key(v), id(v)))
    _assign_layers(order, boxes)
    edges = _split_long_edges(edges, boxes)
    layers = _order_layers(boxes, edges)
    return _place(boxes, edges, layers)


def _assign_layers(order: list[Value], boxes: dict[Hashable, Box]) -> None:
    for v in order:  # longest path from the inputs
        if v._prev:
            op = boxes[op_key(v)]
            op.layer = 1 + max(boxes[id(c)].layer for c in v._prev)
            boxes[id(v)].layer = op.layer + 1
    users: dict[int, list[int]] = {}
    for v in order:
        for c in v._prev:
            users.setdefault(id(c), []).append(boxes[op_key(v)].layer)
    for v in order:  # a leaf sits just before its first user, as dot would put it
        if not v._prev and id(v) in users:
            boxes[id(v)].layer = min(users[id(v)]) - 1


def _split_long_edges(edges: list[tuple[Hashable, Hashable]],
                      boxes: dict[Hashable, Box]) -> list[tuple[Hashable, Hashable]]:
    """An edge crossing layers gets a dummy box in each layer between its ends."""
    out = []
    for source, target in edges:
        a, b = boxes[source].layer, boxes[target].layer
        previous = source
        for layer in range(a + 1, b):
            key = ("dummy", source, target, layer)
            boxes[key] = Box(key, None, False, "", layer)
            out.append((previous, key))
            previous = key
        out.append((previous, target))
    return out


def _order_layers(boxes: dict[Hashable, Box],
                  edges: list[tuple[Hashable, Hashable]]) -> list[list[Hashable]]:
    count = 1 + max((b.layer for b in boxes.values()), default=0)
    layers: list[list[Hashable]] = [[] for _ in range(count)]
    for key, box in boxes.items():  # first order: topological, as the boxes were made
        layers[box.layer].append(key)
    preds: dict[Hashable, list[Hashable]] = {}
    succs: dict[Hashable, list[Hashable]] = {}
    for s, t in edges:
        preds.setdefault(t, []).append(s)
        succs.setdefault(s, []).append(t)
    for _ in range(4):
        for sweep, neighbours in ((range(1, count), preds), (range(count - 2, -1, -1), succs)):
            for i in sweep:
                near = layers[i - 1] if neighbours is preds else layers[i + 1]
                position = {k: p for p, k in enumerate(near)}
                here = {k: p for p, k in enumerate(layers[i])}

                def centre(k: Hashable) -> float:
                    ps = [position[n] for n in neighbours.get(k, ()) if n in position]
                    return sum(ps) / len(ps) if ps else here[k]

                layers[i].sort(key=lambda k: (centre(k), here[k]))
    return layers


def _place(boxes: dict[Hashable, Box], edges: list[tuple[Hashable, Hashable]],
           layers: list[list[Hashable]]) -> Layout:
    preds: dict[Hashable, list[Hashable]] = {}
    succs: dict[Hashable, list[Hashable]] = {}
    for s, t in edges:
        preds.setdefault(t, []).append(s)
        succs.setdefault(s, []).append(t)
    # rows: left to right, each node near its inputs' mean row; then inputs-less nodes
    # right to left near their users; two rows apart within a layer
    for i, layer in enumerate(layers):
        _settle(layer, boxes, lambda k, n=i: _mean(boxes, preds.get(k), 2 * layer.index(k)))
    for layer in reversed(layers):
        _settle(layer, boxes, lambda k: _mean(boxes, succs.get(k), boxes[k].y)
                if not preds.get(k) else boxes[k].y)
    # lanes: in the gap after layer i, one vertical lane per target that needs a turn
    lanes: list[dict[Hashable, int]] = []
    for i, layer in enumerate(layers):
        targets = sorted({t for s in layer for t in succs.get(s, ())
                          if boxes[t].y != boxes[s].y}, key=lambda t: boxes[t].y)
        lanes.append({t: n for n, t in enumerate(targets)})
    x = 0
    columns = []
    for i, layer in enumerate(layers):
        width = max((boxes[k].width for k in layer), default=0)
        for k in layer:
            boxes[k].x = x
        columns.append((x, width))
        x += width + len(lanes[i]) + 3
    height = 1 + max((b.y for b in boxes.values()), default=0)
    layout = Layout(boxes, max(1, x), height)
    for s, t in edges:
        _route(layout, boxes[s], boxes[t], columns[boxes[s].layer], lanes[boxes[s].layer].get(t))
    for b in boxes.values():  # a dummy is a straight line through its column
        if b.value is None:
            width = columns[b.layer][1]
            for cx in range(b.x, b.x + width):
                _mark(layout, cx, b.y, LEFT | RIGHT, preds[b.key][0], succs[b.key][0])
    return layout


def _mean(boxes: dict[Hashable, Box], keys: list[Hashable] | None, default: float) -> float:
    if not keys:
        return default
    return sum(boxes[k].y for k in keys) / len(keys)


def _settle(layer: list[Hashable], boxes: dict[Hashable, Box],
            wanted: Callable[[Hashable], float]) -> None:
    want = [round(wanted(k)) for k in layer]
    y = -2
    for k, w in zip(layer, want):
        y = max(w, y + 2, 0)
        boxes[k].y = y


def _route(layout: Layout, s: Box, t: Box, column: tuple[int, int], lane: int | None) -> None:
    edge = (s.key, t.key)
    start = s.x + (column[1] if s.value is None else s.width)
    end = t.x - 1  # the arrow head's cell
    turn = column[0] + column[1] + 1 + (lane or 0)
    if s.value is None:
        start = column[0] + column[1]
    if lane is None or s.y == t.y:
        for cx in range(start, end):
            _mark(layout, cx, s.y, LEFT | RIGHT, *edge)
    else:
        for cx in range(start, turn):
            _mark(layout, cx, s.y, LEFT | RIGHT, *edge)
        down = t.y > s.y
        _mark(layout, turn, s.y, LEFT | (DOWN if down else UP), *edge)
        for cy in range(min(s.y, t.y) + 1, max(s.y, t.y)):
            _mark(layout, turn, cy, UP | DOWN, *edge)
        _mark(layout, turn, t.y, RIGHT | (UP if down else DOWN), *edge)
        for cx in range(turn + 1, end):
            _mark(layout, cx, t.y, LEFT | RIGHT, *edge)
    if t.value is not None:
        layout.lines[(end, t.y)] = -1
        layout.through.setdefault((end, t.y), set()).add(edge)
    else:
        _mark(layout, end, t.y, LEFT | RIGHT, *edge)


def _mark(layout: Layout, x: int, y: int, bits: int, source: Hashable, target: Hashable) -> None:
    old = layout.lines.get((x, y), 0)
    if old != -1:
        layout.lines[(x, y)] = old | bits
    layout.through.setdefault((x, y), set()).add((source, target))


def real_ends(edge: tuple[Hashable, Hashable]) -> tuple[Hashable, Hashable]:
    """The edge between two drawn boxes that ``edge`` (maybe one piece of a long one) is part of."""
    s, t = edge
    if isinstance(s, tuple) and s[0] == "dummy":
        s = s[1]
    if isinstance(t, tuple) and t[0] == "dummy":
        t = t[2]
    return s, t
