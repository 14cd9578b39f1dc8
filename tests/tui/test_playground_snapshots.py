"""What the playground looks like at 80x24 and 120x40, before and after backward."""

from __future__ import annotations

import pytest

from micrograd_tui.app import MicrogradApp
from micrograd_tui.playground.graph_tree import GraphTree


@pytest.fixture(autouse=True)
def steady_look(monkeypatch):
    # changed values stay highlighted for the whole snapshot, so it is the same every run
    monkeypatch.setattr(GraphTree, "flash_seconds", 10_000.0)


async def settle(pilot) -> None:
    pilot.app.screen.editor.cursor_blink = False
    await pilot.pause()


async def run_backward(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+b")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_playground_on_start(snap_compare, size):
    assert snap_compare(MicrogradApp(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_playground_after_backward(snap_compare, size):
    assert snap_compare(MicrogradApp(), terminal_size=size, run_before=run_backward)


async def quiz_answered(pilot) -> None:
    """Quiz mode on, one answer wrong and one right, the cursor on the wrong one."""
    await settle(pilot)
    screen = pilot.app.screen
    await pilot.press("f7")
    tree = screen.tree
    field = screen.quiz_panel.field
    for name, typed in (("b", "645.5773"), ("a", "-4")):
        tree.reveal(tree.index.find(name))
        field.focus()
        field.value = typed
        await pilot.press("enter")
    field.cursor_blink = False  # its phase depends on timing, not on the app
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_playground_quiz_mode(snap_compare, size):
    assert snap_compare(MicrogradApp(), terminal_size=size, run_before=quiz_answered)
