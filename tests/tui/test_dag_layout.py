"""The graph view's layering (plain Python): what a learner would see drawn wrong."""

from __future__ import annotations

from engine.expr import evaluate
from micrograd_tui.playground.dag_layout import build_layout, op_key
from micrograd_tui.playground.examples import README_EXAMPLE
from micrograd_tui.playground.graph_index import GraphIndex


def layout_of(source: str):
    program = evaluate(source)
    index = GraphIndex(program.output, program.variables)
    return program, index, build_layout(index.order, lambda v: f"[{index.name(v)}]")


def test_values_flow_left_to_right_through_their_operation():
    program, index, layout = layout_of(README_EXAMPLE)
    boxes = layout.boxes
    for v in index.order:
        if v.children:
            op = boxes[op_key(v)]
            assert op.text == f"({v._op.symbol})"
            assert op.x < boxes[id(v)].x  # the operation sits before its result
            for child in v.children:
                assert boxes[id(child)].x + boxes[id(child)].width < op.x


def test_each_value_is_drawn_once_and_nothing_overlaps():
    program, index, layout = layout_of(README_EXAMPLE)
    lines = layout.text_lines()
    text = "\n".join(lines)
    for v in index.order:
        if v.label:  # b is used five times but drawn once
            assert text.count(f"[{index.name(v)}]") == 1
    cells = set()
    for box in layout.boxes.values():
        if box.value is None:
            continue
        for x in range(box.x, box.x + box.width):
            assert (x, box.y) not in cells
            cells.add((x, box.y))


def test_a_shared_node_forks_and_edges_end_in_arrows():
    program, index, layout = layout_of("a = 2.0\nb = a * 3.0\nc = a + b\n")
    lines = layout.text_lines()
    a = layout.boxes[id(program.variables["a"])]
    after_a = lines[a.y][a.x + a.width:]
    assert after_a.lstrip("─")[0] in "┬┴┼├┤┐┘"  # one line out of a, then a fork to two users
    arrows = sum(line.count("▶") for line in lines)
    # one arrow into each operation's input side per distinct input, one into each result
    expected = sum(len({id(c) for c in v.children}) + 1 for v in index.order if v.children)
    assert arrows <= expected and arrows >= len([v for v in index.order if v.children])
