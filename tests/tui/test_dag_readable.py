"""Every edge of the graph view can be read unambiguously, on every example and many random DAGs.

Following the drawn line that leaves a box (``dag_trace``) must reach exactly the boxes that
value feeds, and nothing else: two lines from different sources never merge, a crossing is a
``┼`` that goes straight on, and a shared value's line may fork (``├ ┬``) only towards its
own users.

The tracer reads only ``Layout.text_lines()`` and the boxes' places, so it judges the picture,
not the router's own bookkeeping: ``─`` and ``│`` go on, a corner turns, a junction
(``├ ┤ ┬ ┴``) forks, ``┼`` is a crossing, an arrow (``▶ ▼ ▲``) ends the line in the box it
points at; a line that runs into a box, a blank, or a character with no side facing it is broken.
"""

from __future__ import annotations

import random
from typing import Hashable

import pytest

from engine.expr import evaluate
from engine.value import Value, dot, vsum
from micrograd_tui.playground.dag_layout import MAX_VALUES, build_layout, op_key
from micrograd_tui.playground.examples import EXAMPLES, README_EXAMPLE
from micrograd_tui.playground.graph_index import GraphIndex


# --- reading the picture -------------------------------------------------------------------
UP, DOWN, LEFT, RIGHT = "up", "down", "left", "right"
STEP = {UP: (0, -1), DOWN: (0, 1), LEFT: (-1, 0), RIGHT: (1, 0)}
BACK = {UP: DOWN, DOWN: UP, LEFT: RIGHT, RIGHT: LEFT}
SIDES = {
    "─": {LEFT, RIGHT}, "│": {UP, DOWN}, "┌": {DOWN, RIGHT}, "┐": {DOWN, LEFT},
    "└": {UP, RIGHT}, "┘": {UP, LEFT}, "├": {UP, DOWN, RIGHT}, "┤": {UP, DOWN, LEFT},
    "┬": {DOWN, LEFT, RIGHT}, "┴": {UP, LEFT, RIGHT}, "┼": {UP, DOWN, LEFT, RIGHT},
}
#: an arrow head: the side it points to (the box is the next cell that way)
ARROWS = {"▶": RIGHT, "▼": DOWN, "▲": UP}


class Broken(AssertionError):
    pass


def trace(layout, start_box) -> set[Hashable]:
    """The keys of the boxes the line leaving ``start_box`` (at its right end) reaches."""
    lines = layout.text_lines()
    drawn = {}
    for box in layout.boxes.values():
        if box.value is not None:
            for x in range(box.x, box.x + box.width):
                drawn[(x, box.y)] = box

    def char(x: int, y: int) -> str:
        if 0 <= y < len(lines) and 0 <= x < len(lines[y]):
            return lines[y][x]
        return " "

    reached: set[Hashable] = set()
    seen: set[tuple[int, int, str]] = set()
    todo = [(start_box.x + start_box.width, start_box.y, RIGHT)]
    name = start_box.text
    while todo:
        x, y, moving = todo.pop()
        if (x, y, moving) in seen:
            continue
        seen.add((x, y, moving))
        if (x, y) in drawn:
            raise Broken(f"the line from {name} runs into {drawn[(x, y)].text} at {(x, y)}")
        c = char(x, y)
        came_from = BACK[moving]
        if c in ARROWS:
            if came_from == ARROWS[c]:
                raise Broken(f"the line from {name} enters an arrow from its head at {(x, y)}")
            dx, dy = STEP[ARROWS[c]]
            target = drawn.get((x + dx, y + dy))
            if target is None:
                raise Broken(f"an arrow from {name} points at no box at {(x, y)}")
            reached.add(target.key)
            continue
        sides = SIDES.get(c)
        if sides is None or came_from not in sides:
            raise Broken(f"the line from {name} breaks off at {(x, y)} ({c!r}, moving {moving})")
        if c == "┼":
            out = [moving]  # a crossing: straight on
        else:
            out = [s for s in sides if s != came_from]
        for side in out:
            dx, dy = STEP[side]
            todo.append((x + dx, y + dy, side))
    return reached


def arrows(layout) -> int:
    return sum(sum(line.count(a) for a in ARROWS) for line in layout.text_lines())


# --- the graphs ----------------------------------------------------------------------------
BINARY = ["+", "-", "*", "/"]
UNARY = ["relu({})", "tanh({})", "exp({})", "-{}", "({})**2", "sigmoid({})"]

#: a neuron with two inputs and three hidden units, the bigger program of the brief
HIDDEN3 = """\
x1 = 0.5
x2 = -1.5
h1 = tanh(0.3*x1 - 0.2*x2 + 0.1)
h2 = tanh(-0.4*x1 + 0.6*x2 - 0.3)
h3 = tanh(0.8*x1 + 0.1*x2 + 0.2)
out = 0.5*h1 - 0.7*h2 + 0.9*h3
"""


def random_program(seed: int) -> str:
    """A small random DAG that evaluates (a division by 0 or an overflow draws again)."""
    for attempt in range(100):
        source = _draw_program(random.Random(seed * 1000 + attempt))
        try:
            evaluate(source)
        except ArithmeticError:
            continue
        return source
    raise AssertionError(f"no program evaluates for seed {seed}")


def _draw_program(rng: random.Random) -> str:
    """Inputs, then operations over earlier names (reused often)."""
    names = [f"x{i}" for i in range(rng.randint(1, 4))]
    lines = [f"{n} = {rng.choice([-2.0, -0.5, 0.5, 1.5, 3.0])}" for n in names]
    for i in range(rng.randint(1, 20)):
        name = f"v{i}"
        if rng.random() < 0.3:
            expr = rng.choice(UNARY).format(rng.choice(names))
        else:
            a = rng.choice(names + ["2.0"] * (len(names) // 3))
            b = rng.choice(names[-3:] + names)
            expr = f"{a} {rng.choice(BINARY)} {b}"
        lines.append(f"{name} = {expr}")
        names.append(name)
    if rng.random() < 0.5:  # use everything at the end, so that nothing dangles
        lines.append("out = " + " + ".join(names[-4:]))
    return "\n".join(lines) + "\n"


def layout_of(source: str):
    program = evaluate(source)
    index = GraphIndex(program.output, program.variables)
    return index, build_layout(index.order, lambda v: f"[{index.name(v)}]")


def check_every_line(source: str) -> None:
    index, layout = layout_of(source)
    if len(index) <= MAX_VALUES:
        check_layout(index, layout)


def check_layout(index: GraphIndex, layout) -> None:
    users: dict[int, set] = {id(v): set() for v in index.order}
    for v in index.order:
        for child in v._prev:
            users[id(child)].add(op_key(v))
    expected_arrows = 0
    for v in index.order:
        record = layout.boxes[id(v)]
        if users[id(v)]:
            assert trace(layout, record) == users[id(v)], index.name(v)
            expected_arrows += len(users[id(v)])
        if v._prev:
            assert trace(layout, layout.boxes[op_key(v)]) == {id(v)}, f"({v._op.symbol})"
            expected_arrows += 1
    # every arrow drawn is the end of one of those lines, none is left over
    assert arrows(layout) == expected_arrows


@pytest.mark.parametrize("source", [README_EXAMPLE, HIDDEN3] + [s for _, s in EXAMPLES],
                         ids=["readme", "hidden3"] + [f"example{i}" for i in range(len(EXAMPLES))])
def test_every_edge_of_the_examples_reads_unambiguously(source):
    check_every_line(source)


def many_inputs() -> list[Value]:
    a = Value(0.5, "a")
    return [vsum([Value(float(i), f"x{i}") for i in range(9)]),
            vsum([a, a * 2.0, a + 1.0, a.tanh()]),
            dot([Value(float(i), f"p{i}") for i in range(4)], [Value(0.5, f"q{i}") for i in range(4)]),
            Value(3.0, "alone")]


@pytest.mark.parametrize("root", many_inputs(), ids=["sum9", "sum-shared", "dot4", "leaf"])
def test_operations_with_many_inputs_read_unambiguously(root):
    index = GraphIndex(root)
    check_layout(index, build_layout(index.order, lambda v: f"[{index.name(v)}]"))


@pytest.mark.parametrize("block", range(8))
def test_every_edge_of_random_dags_reads_unambiguously(block):
    for seed in range(block * 40, block * 40 + 40):
        source = random_program(seed)
        try:
            check_every_line(source)
        except AssertionError as error:
            raise AssertionError(f"seed {seed}:\n{source}\n{error}") from error
