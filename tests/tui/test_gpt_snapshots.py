"""What the GPT screen looks like at 80x24 and 120x40 after a few seeded steps."""

from __future__ import annotations

import time

import pytest

from textual.widgets import Input

from micrograd_tui.app import MicrogradApp
from micrograd_tui.gpt.screen import GPTScreen

STEPS = 4


async def a_few_steps(pilot) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, GPTScreen)
    screen.status.show_speed = False  # steps/s depends on the machine
    screen.sample_every = STEPS
    screen.query_one("#gpt-path", Input).cursor_blink = False  # a blink would change the picture
    for _ in range(STEPS):
        await pilot.press("ctrl+n")
        deadline = time.monotonic() + 30
        while screen.running:
            assert time.monotonic() < deadline
            await pilot.pause(0.02)
    assert screen.step_count == STEPS
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_gpt_after_a_few_steps(snap_compare, size):
    assert snap_compare(MicrogradApp(start_mode="gpt"), terminal_size=size,
                        run_before=a_few_steps)
