"""The graph drawn as a graph, in a character grid: layers left to right like micrograd's draw_dot.

Plain Python (no Textual).  Each value is a record ``[name│data│grad]`` and each operation a
small node ``(*)`` just left of its result's record: ``(*)─▶[c│6.000│1.000  ]``.

The placement is a small Sugiyama layering of our own, not a library (grandalf places boxes in
floating-point space and would leave the character grid, the ports and the lanes to us anyway):

1. layers (here): longest path from the inputs; a leaf then moves right, next to its first user;
   a value used further right is carried there by one *dummy* per layer it crosses, shared by
   all its later users;
2. order within a layer (here): a few barycentric sweeps, each unit to the mean position of
   its neighbours in the previous (then the next) layer;
3. rows and ports (:mod:`.dag_place`): each unit near its inputs' mean row, and each input gets
   its own way in (from the left, or from above or below the operation), chosen so that no row
   between two layers carries lines of two different values;
4. lines (:mod:`.dag_route`): in the gap between two layers, one vertical lane per value that
   must change rows; lines of different values only ever cross (``┼``), never join.

The drawing (boxes, line cells, the edges through each cell) is a :class:`.dag_grid.Layout`.
"""

from __future__ import annotations

from typing import Callable, Hashable

from engine.value import Value

from .dag_grid import Box, Layout, Unit, op_key
from .dag_place import place
from .dag_route import route

__all__ = ["MAX_VALUES", "Box", "Layout", "build_layout", "op_key"]

#: more values than this and the view shows a message pointing to the tree
MAX_VALUES = 60


def op_text(value: Value, inputs: int) -> str:
    """``(*)``, widened when an operation has more inputs than the sides of ``(*)`` offer."""
    symbol = value._op.symbol
    inner = max(len(symbol), inputs - 1)
    return f"({symbol:^{inner}})"


def build_layout(order: list[Value], record: Callable[[Value], str]) -> Layout:
    """Lay out the graph whose topological order is ``order``; ``record(v)`` is v's text
    (its width must not depend on the grad, so that the layout stays put as grads change)."""
    boxes: dict[Hashable, Box] = {}
    units: dict[int, Unit] = {}
    for v in order:
        rec = Box(id(v), v, False, record(v))
        boxes[rec.key] = rec
        inputs = list(dict.fromkeys(id(c) for c in v._prev))  # a + a: one edge
        if inputs:
            op = Box(op_key(v), v, True, op_text(v, len(inputs)))
            boxes[op.key] = op
            units[id(v)] = Unit(id(v), 0, id(v), [op, rec], inputs)
        else:
            units[id(v)] = Unit(id(v), 0, id(v), [rec])
    _assign_layers(order, units)
    carrier = _add_dummies(order, units)
    layers = _order_layers(units, carrier)
    place(layers, carrier)
    return route(layers, boxes)


def _assign_layers(order: list[Value], units: dict[int, Unit]) -> None:
    for v in order:  # longest path from the inputs
        if v._prev:
            units[id(v)].layer = 1 + max(units[id(c)].layer for c in v._prev)
    first_use: dict[int, int] = {}
    for v in order:
        for c in v._prev:
            layer = units[id(v)].layer
            first_use[id(c)] = min(first_use.get(id(c), layer), layer)
    for v in order:  # a leaf sits just before its first user, as dot would put it
        if not v._prev and id(v) in first_use:
            units[id(v)].layer = first_use[id(v)] - 1


def _add_dummies(order: list[Value], units: dict[int, Unit]) -> dict[tuple[int, int], Unit]:
    """One dummy per layer a value's line crosses; returns (net, layer) -> the unit carrying it."""
    users: dict[int, list[Value]] = {}
    for v in order:
        for n in units[id(v)].inputs:
            users.setdefault(n, []).append(v)
    carrier: dict[tuple[int, int], Unit] = {(u.net, u.layer): u for u in units.values()}
    for v in order:
        start = units[id(v)].layer
        later = users.get(id(v), [])
        for layer in range(start + 1, max((units[id(u)].layer for u in later), default=0)):
            carries = frozenset((id(v), op_key(u)) for u in later if units[id(u)].layer > layer)
            carrier[(id(v), layer)] = Unit(("dummy", id(v), layer), layer, id(v), [], [id(v)],
                                           carries=carries)
    return carrier


def _order_layers(units: dict[int, Unit],
                  carrier: dict[tuple[int, int], Unit]) -> list[list[Unit]]:
    count = 1 + max(u.layer for u in carrier.values())
    layers: list[list[Unit]] = [[] for _ in range(count)]
    for unit in carrier.values():  # first order: topological, as the units were made
        layers[unit.layer].append(unit)
    preds: dict[Unit, list[Unit]] = {}
    succs: dict[Unit, list[Unit]] = {}
    for unit in carrier.values():
        for n in unit.inputs:
            pred = carrier[(n, unit.layer - 1)]
            preds.setdefault(unit, []).append(pred)
            succs.setdefault(pred, []).append(unit)
    for _ in range(4):
        for sweep, neighbours in ((range(1, count), preds), (range(count - 2, -1, -1), succs)):
            for i in sweep:
                near = layers[i - 1] if neighbours is preds else layers[i + 1]
                position = {u: p for p, u in enumerate(near)}
                here = {u: p for p, u in enumerate(layers[i])}

                def centre(u: Unit) -> float:
                    ps = [position[n] for n in neighbours.get(u, ()) if n in position]
                    return sum(ps) / len(ps) if ps else here[u]

                layers[i].sort(key=lambda u: (centre(u), here[u]))
    return layers
