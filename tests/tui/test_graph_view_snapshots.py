"""The graph view (F10) at 80x24 and 120x40: the README example, the tanh neuron, mid-step."""

from __future__ import annotations

import re

import pytest

from micrograd_tui.app import MicrogradApp
from micrograd_tui.playground.graph_tree import GraphTree

TANH_NEURON = """\
x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
n = x1*w1 + x2*w2 + b
o = tanh(n)
"""

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture(autouse=True)
def steady_look(monkeypatch):
    monkeypatch.setattr(GraphTree, "flash_seconds", 10_000.0)


def graph_of(source: str | None, steps: int = 0, backward: bool = False):
    async def run_before(pilot) -> None:
        screen = pilot.app.screen
        screen.editor.cursor_blink = False
        if source is not None:
            screen.load_source(source)
        await pilot.pause()
        await pilot.press("f10")
        if backward:
            await pilot.press("ctrl+b")
        for _ in range(steps):
            await pilot.press("ctrl+n")
        pilot.app.clear_notifications()  # a toast's life depends on timing, not on the app
        await pilot.pause()
    return run_before


@SIZES
def test_graph_view_readme_example(snap_compare, size):
    assert snap_compare(MicrogradApp(), terminal_size=size, run_before=graph_of(None, backward=True))


@SIZES
def test_graph_view_tanh_neuron(snap_compare, size):
    assert snap_compare(MicrogradApp(), terminal_size=size,
                        run_before=graph_of(TANH_NEURON, backward=True))


@SIZES
def test_graph_view_tanh_neuron_mid_step_through(snap_compare, size):
    # three steps in: tanh, the last +, then the first + have passed their grads on
    assert snap_compare(MicrogradApp(), terminal_size=size, run_before=graph_of(TANH_NEURON, steps=3))


async def test_selecting_in_the_graph_view_shows_the_node_and_big_graphs_point_to_the_tree():
    app = MicrogradApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        assert screen.graph_shown and not screen.tree.display
        await pilot.press("right_square_bracket")  # the first node in topological order
        await pilot.pause()
        assert screen.inspector.text.startswith("a   leaf")
        screen.load_source("x = 1.0\n" + "x = x * 1.0 + 1.0\n" * 40)
        await pilot.pause()
        shown = " ".join(screen.dag.render_line(y).text.strip() for y in range(4))
        assert "too many to draw as a graph" in shown and "F10 goes back to the tree" in shown
        await pilot.press("f10")
        assert screen.tree.display and not screen.graph_shown


def cursor_name(screen) -> str:
    node = screen.tree.cursor_node
    return screen.index.name(node.data.value)


async def test_the_graph_view_and_the_tree_share_one_selection():
    app = MicrogradApp()  # the README example
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        screen.tree.focus()
        await pilot.press("down", "down")  # the tree's cursor: g, g#1, f
        await pilot.pause()
        assert cursor_name(screen) == "f"
        await pilot.press("f10")  # the graph view opens on the tree's node
        await pilot.pause()
        dag = screen.dag
        assert dag.selected is screen.index.find("f")
        x, y, width = dag.layout_.region_of(dag.selected)
        assert dag.scroll_x <= x and x + width <= dag.scroll_x + dag.size.width  # in view
        await pilot.press("right_square_bracket")  # the next node in topological order
        await pilot.pause()
        order = screen.index.order
        after_f = order[order.index(screen.index.find("f")) + 1]
        assert dag.selected is after_f and cursor_name(screen) == screen.index.name(after_f)
        assert screen.inspector.text.startswith(screen.index.name(after_f))
        b = screen.index.find("b")  # a click on b's record, wherever the view has scrolled to
        dag.select(b, tell=False)
        await pilot.pause()
        box = dag.layout_.boxes[id(b)]
        where = (box.x - int(dag.scroll_x) + 2, box.y - int(dag.scroll_y) + 1)  # + the border
        dag.select(None)
        await pilot.click("#pg-dag", offset=where)
        await pilot.pause()
        assert dag.selected is b and screen.inspector.text.startswith("b ")
        await pilot.press("f10")  # the tree's cursor is on b now
        await pilot.pause()
        assert cursor_name(screen) == "b" and screen.tree.has_focus
        assert screen.tree.cursor_node.line in range(int(screen.tree.scroll_y),
                                                     int(screen.tree.scroll_y) + screen.tree.size.height)


def without_records(lines: list[str]) -> list[str]:
    return [re.sub(r"\[[^\]]*\]", lambda m: "#" * len(m.group()), line) for line in lines]


async def test_the_drawing_stays_put_while_the_step_through_fills_in_grads():
    app = MicrogradApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        screen.load_source(TANH_NEURON)
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        before = screen.dag.text_lines()
        assert "[o│0.7071│0      ]" in "\n".join(before)
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()
        after = screen.dag.text_lines()
        assert "[o│0.7071│1.000  ]" in "\n".join(after)  # the grads came in place
        assert "[n│0.8814│0.5000 ]" in "\n".join(after)
        assert without_records(after) == without_records(before)  # nothing else moved
