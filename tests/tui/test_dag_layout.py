"""The graph view's layering (plain Python): what a learner would see drawn wrong."""

from __future__ import annotations

from engine.expr import evaluate
from engine.value import Value, vsum
from micrograd_tui.playground.dag_grid import compact_number, record_text
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


def test_a_shared_node_forks_and_each_input_has_its_own_arrow():
    program, index, layout = layout_of("a = 2.0\nb = a * 3.0\nc = a + b\n")
    lines = layout.text_lines()
    a = layout.boxes[id(program.variables["a"])]
    after_a = lines[a.y][a.x + a.width:]
    assert after_a.lstrip("─")[0] in "┬┴├┐┘"  # one line out of a, then a fork (never a ┼)
    arrows = sum(line.count(head) for line in lines for head in "▶▼▲")
    # one arrow into an operation per distinct input (a + a: one), one into each result
    expected = sum(len({id(c) for c in v.children}) + 1 for v in index.order if v.children)
    assert arrows == expected


def test_an_operation_with_many_inputs_gets_a_way_in_for_each():
    xs = [Value(float(i), f"x{i}") for i in range(7)]
    total = vsum(xs)
    index = GraphIndex(total)
    layout = build_layout(index.order, lambda v: f"[{index.name(v)}]")
    op = layout.boxes[op_key(total)]
    assert op.text.startswith("(") and op.width >= 8  # (  sum  ): room above and below
    lines = layout.text_lines()
    assert sum(line.count(head) for line in lines for head in "▶▼▲") == 7 + 1


def test_numbers_in_a_record_are_short_and_the_grad_column_does_not_move():
    assert [compact_number(x) for x in (0.0, -27.7668, 138.83381, 0.20408, 24.7041, 2.0)] == \
        ["0", "-27.77", "138.8", "0.2041", "24.70", "2.000"]
    assert [compact_number(x) for x in (1e-7, -2.5e7, 0.99999999, -1e-12)] == \
        ["1.0e-7", "-2.5e7", "1.000", "-1e-12"]
    widths = {len(record_text("c#1", "-2.000", compact_number(g)))
              for g in (0.0, -27.7668, 1e-300, -0.0123, 645.577)}
    assert len(widths) == 1 and len(record_text("c#1", "-2.000", "✗ ?")) in widths
