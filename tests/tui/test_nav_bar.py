"""The navigation line: every screen names itself and shows the keys to the others."""

from __future__ import annotations

import pytest

from micrograd_tui.app import MicrogradApp
from micrograd_tui.widgets.nav_bar import NavBar


@pytest.mark.parametrize("mode", ["playground", "train", "lessons", "gpt"])
async def test_each_screen_names_itself_and_the_keys_to_the_others(mode):
    app = MicrogradApp(start_mode=mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(NavBar)
        text = str(bar.render())
        assert bar.current == mode
        for key in ("F1", "F2", "F3", "F4", "F5", "^p"):
            assert key in text
        # the whole line fits at 80 columns
        assert bar.region.width == 80 and len(text) <= 80


async def test_clicking_a_screen_name_switches_to_it():
    app = MicrogradApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one(NavBar).render())
        x = text.index("F4 Lessons") + 3
        await pilot.click(NavBar, offset=(x, 0))
        await pilot.pause()
        assert app.current_mode == "lessons"
