"""The graph view (F10) at 80x24 and 120x40: the README example, the tanh neuron, mid-step."""

from __future__ import annotations

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
