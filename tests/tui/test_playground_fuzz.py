"""Random typing and every key binding: whatever happens, the playground keeps answering."""

from __future__ import annotations

import random

import pytest

from micrograd_tui.app import MicrogradApp
from micrograd_tui.playground.examples import README_EXAMPLE
from micrograd_tui.playground.screen import PlaygroundScreen

# printable troublemakers: markup, brackets, quotes, operators, digits, non-ASCII
CHARACTERS = list("[]{}()<>/\\'\"`#=+-*^%$@!~|&;:,.?_ 0123456789abcxyz") + [
    "[bold]", "[/]", "[link=x]", "é", "€", "∑", "🙂",
]
CONTROL_KEYS = ["enter", "backspace", "delete", "tab", "shift+tab", "escape", "left", "right",
                "up", "down", "home", "end", "space", "ctrl+w", "ctrl+k", "ctrl+u", "ctrl+z",
                "ctrl+y", "pageup", "pagedown", "shift+space", "f6", "f7"]
# every key the playground screen binds (the test below checks this list is complete)
SCREEN_KEYS = ["ctrl+r", "ctrl+b", "f8", "ctrl+g", "ctrl+n", "ctrl+t", "ctrl+l", "ctrl+e",
               "alt+r", "ctrl+s", "ctrl+o", "alt+p", "alt+e", "alt+n", "alt+s", "f7", "f6", "f9",
               "f10"]


def keys_for(text: str) -> list[str]:
    out = []
    for ch in text:
        out.append("enter" if ch == "\n" else ch)
    return out


async def back_to_playground(app, pilot) -> PlaygroundScreen:
    for _ in range(5):
        if isinstance(app.screen, PlaygroundScreen):
            break
        await pilot.press("escape")
        await pilot.pause()
    assert isinstance(app.screen, PlaygroundScreen)
    return app.screen


def test_the_fuzz_test_presses_every_screen_binding():
    bound = {key.strip() for b in PlaygroundScreen.BINDINGS for key in b.key.split(",")}
    assert bound == set(SCREEN_KEYS)


async def test_random_typing_and_every_binding_leave_the_app_responsive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # exports land here
    rng = random.Random(20240607)
    app = MicrogradApp()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        for _round in range(2):
            screen = await back_to_playground(app, pilot)
            screen.editor.focus()
            keys: list[str] = []
            for _ in range(16):
                keys.append(rng.choice(CHARACTERS) if rng.random() < 0.75
                            else rng.choice(CONTROL_KEYS))
            # every screen binding, in a random order, mixed into the typing
            bindings = SCREEN_KEYS[:]
            rng.shuffle(bindings)
            for key in bindings:
                keys.insert(rng.randrange(len(keys) + 1), key)
            for key in keys:
                chars = keys_for(key) if len(key) > 1 and key.startswith("[") else [key]
                await pilot.press(*chars)
            # close any dialog first: the open dialog's folder tree keeps a worker waiting
            await back_to_playground(app, pilot)
            await app.workers.wait_for_complete()
            await pilot.pause()
        # two thousand characters of nonsense at once, then every binding again
        screen = await back_to_playground(app, pilot)
        nonsense = "".join(rng.choice("[]()*+-/ab1.\x00\x1b\t") for _ in range(2000))
        screen.load_source(nonsense)
        await pilot.pause()
        screen.editor.focus()
        for key in SCREEN_KEYS:
            await pilot.press(key)
            await back_to_playground(app, pilot)
            await app.workers.wait_for_complete()
            screen = await back_to_playground(app, pilot)
            screen.editor.focus()
        # still alive: it evaluates, runs backward and shows the right numbers
        screen = await back_to_playground(app, pilot)
        screen.load_source(README_EXAMPLE)
        await pilot.pause()
        screen.editor.focus()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.is_running
        assert "24.7041" in screen.tree.root.data.plain()
        assert screen.program.variables["a"].grad == pytest.approx(138.83381924198252, abs=1e-9)
