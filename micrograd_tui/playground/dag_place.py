"""The graph view's rows and ports (plain Python): where each unit sits, and how each input gets in.

A unit's inputs come from the layer on its left, each on the row of the unit that carries it
there (its *left terminal*).  Each input gets its own *port*: the row its line arrives on, and
the way into the operation: from the left on the unit's own row (``─▶(*)``), or from above
(``▼``) or below (``▲``) at its own column of the operation.  Two inputs never share a port, so
two lines never join before they reach their operation.

The rule that keeps every line readable: between two layers, a row carries at most one line
coming out of the left layer and at most one line going into the right layer, and if it
carries both they are the same value's.  So a port is never put on a row where a different
value leaves the left layer, and a unit's ports and its own row form a block of rows that no
other unit of its layer uses.  Then :mod:`.dag_route` can put the lanes in any order: lines of
different values can only cross.
"""

from __future__ import annotations

from .dag_grid import Port, Unit

#: a port may take a line straight in on its own row when that row is this close
STRAIGHT_REACH = 3


def place(layers: list[list[Unit]], carrier: dict[tuple[int, int], Unit]) -> None:
    """Give every unit its row and its ports, layer by layer from the left.

    A leaf has no inputs to sit near, so it sits near its users: the next layer is placed
    once ahead, the leaves move next to where their users went, and the layer is placed
    again (the next layer's final place comes with its own turn)."""
    wanted = _rough_rows(layers, carrier)
    for i, layer in enumerate(layers):
        previous = layers[i - 1] if i else []
        _place_layer(layer, previous, wanted)
        if i + 1 < len(layers) and any(not u.inputs for u in layer):
            _place_layer(layers[i + 1], layer, wanted)
            users: dict[int, list[int]] = {}
            for unit in layers[i + 1]:
                for n in unit.inputs:
                    users.setdefault(n, []).append(unit.y)
            for unit in layer:
                if not unit.inputs and unit.net in users:
                    wanted[unit] = sum(users[unit.net]) / len(users[unit.net])
            _place_layer(layer, previous, wanted)
    _shift_to_top(layers)


def _rough_rows(layers: list[list[Unit]], carrier: dict[tuple[int, int], Unit]) -> dict[Unit, float]:
    """A first guess: each unit at its inputs' mean row, then input-less ones at their users'."""
    rows: dict[Unit, float] = {}
    users: dict[Unit, list[Unit]] = {}
    for layer in layers:
        y = -2.0
        for i, unit in enumerate(layer):
            ins = [carrier[(n, unit.layer - 1)] for n in unit.inputs]
            for pred in ins:
                users.setdefault(pred, []).append(unit)
            want = sum(rows[p] for p in ins) / len(ins) if ins else 2.0 * i
            y = max(round(want), y + 2, 0)
            rows[unit] = y
    for layer in reversed(layers):
        y = -2.0
        for unit in layer:
            if not unit.inputs and users.get(unit):
                rows[unit] = sum(rows[u] for u in users[unit]) / len(users[unit])
            y = max(round(rows[unit]), y + 2, 0)
            rows[unit] = y
    return rows


def _place_layer(layer: list[Unit], previous: list[Unit], wanted: dict[Unit, float]) -> None:
    left = {u.y: u.net for u in previous}  # row -> the net leaving the previous layer there
    term = {u.net: u.y for u in previous}  # net -> its row there
    prev_y, prev_end = -2, -1
    for unit in layer:
        if unit.inputs:
            desired = sum(term[n] for n in unit.inputs) / len(unit.inputs)
        else:
            desired = wanted[unit]
        best: tuple[float, int, dict[int, Port]] | None = None
        y = max(prev_y + 2, prev_end + 1, round(desired) - 2)
        while best is None or y <= desired + 2:
            for take_left in (True, False):
                ports = _ports(unit, y, left, term, prev_end, take_left)
                if ports is None:
                    continue
                lanes = sum(1 for n, p in ports.items() if p.row != term[n])
                rows = max([y] + [p.row for p in ports.values()]) - \
                    min([y] + [p.row for p in ports.values()])
                lonely = y in left and all(p.side != "left" for p in ports.values())
                cost = abs(y - desired) + 2 * lanes + 0.5 * rows + lonely
                if best is None or cost < best[0]:
                    best = (cost, y, ports)
            y += 1
        unit.y, unit.ports = best[1], best[2]
        prev_y, prev_end = unit.y, unit.bottom


def _shift_to_top(layers: list[list[Unit]]) -> None:
    top = min((u.top for layer in layers for u in layer), default=0)
    for layer in layers:
        for unit in layer:
            unit.y -= top
            for port in unit.ports.values():
                port.row -= top


def _ports(unit: Unit, y: int, left: dict[int, int], term: dict[int, int],
           prev_end: int, take_left: bool) -> dict[int, Port] | None:
    """Each input's port if ``unit`` sits on row ``y`` (None: it cannot sit there)."""
    used: set[int] = set()

    def free(row: int, n: int) -> bool:
        return row > prev_end and row not in used and left.get(row, n) == n

    ports: dict[int, Port] = {}

    def give(n: int, side: str, row: int) -> None:
        ports[n] = Port(side, row)
        used.add(row)

    if unit.dummy:  # a dummy's line comes in on its own row
        n = unit.inputs[0]
        return {n: Port("left", y)} if free(y, n) else None
    for n in unit.inputs:  # straight in: from the left on its row, or just above or below
        if term[n] == y and free(y, n):
            give(n, "left", y)
    for n in unit.inputs:
        if n not in ports and term[n] in (y - 1, y + 1) and free(term[n], n):
            give(n, "top" if term[n] < y else "bottom", term[n])
    rest = sorted((n for n in unit.inputs if n not in ports), key=lambda n: (abs(term[n] - y), term[n]))
    if take_left and rest and y not in used and free(y, rest[0]):
        give(rest[0], "left", y)
    for side, step in (("top", -1), ("bottom", 1)):
        nets = [n for n in rest if n not in ports and (term[n] - y) * step > 0]
        nets.sort(key=lambda n: abs(term[n] - y))
        row = y
        for p in ports.values():
            if p.side == side:
                row = p.row
        for n in nets:
            t = term[n]
            if (t - row) * step > 0 and abs(t - y) <= STRAIGHT_REACH and free(t, n):
                give(n, side, t)  # straight in on its own row, then down (up) to the operation
                row = t
                continue
            row += step
            while not free(row, n):
                if row <= prev_end:
                    return None
                row += step
            give(n, side, row)
    for side in ("top", "bottom"):  # the nearest row turns in first: x+1, then x+2 ...
        mine = sorted((p for p in ports.values() if p.side == side), key=lambda p: abs(p.row - y))
        for i, p in enumerate(mine):
            p.dx = 1 + i
    return ports
