"""The program editor colours the expression language (Python's grammar through tree-sitter),
and where that cannot load it shows plain text and the help says so."""

from __future__ import annotations

import sys

import pytest
from textual.widgets import Markdown

from micrograd_tui.widgets import syntax
from micrograd_tui.app import MicrogradApp
from micrograd_tui.widgets.syntax import PLAIN_TEXT_NOTE


@pytest.fixture(autouse=True)
def fresh_answer():
    syntax.python_highlighting_available.cache_clear()
    yield
    syntax.python_highlighting_available.cache_clear()


def colours(editor, row: int, text: str) -> set:
    """The foreground colours drawn for ``text`` on the editor's document line ``row``."""
    editor.scroll_to(0, 0, animate=False)
    strip = editor.render_line(row)
    found, seen = set(), ""
    for segment in strip:
        seen += segment.text
        if text in segment.text and segment.style is not None:
            found.add(segment.style.color)
    assert text in seen, f"{text!r} is not drawn on line {row}: {seen!r}"
    return found


async def help_text(app, pilot) -> str:
    await pilot.press("f1")
    await pilot.pause()
    return "\n".join(str(m.source) for m in app.screen.query(Markdown))


async def test_programs_are_coloured(monkeypatch):
    app = MicrogradApp()
    async with app.run_test(size=(100, 30)) as pilot:
        editor = app.screen.editor
        assert editor.language == "python"
        await pilot.pause()
        # line 0 is `a = -4.0`: the number is drawn in another colour than the name
        number, name = colours(editor, 0, "4.0"), colours(editor, 0, "a")
        assert number and number != name
        # `.relu()` is a call: coloured unlike the plain name in front of it
        assert "relu" in editor.document.get_line(6)
        assert colours(editor, 6, "relu") != colours(editor, 6, "d")
        assert PLAIN_TEXT_NOTE not in await help_text(app, pilot)


async def test_without_tree_sitter_the_editor_is_plain_text_and_the_help_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "tree_sitter_python", None)  # the import fails
    app = MicrogradApp()
    async with app.run_test(size=(100, 30)) as pilot:
        editor = app.screen.editor
        assert editor.language is None
        assert "a = -4.0" in editor.text  # the program is still there, uncoloured
        assert PLAIN_TEXT_NOTE in await help_text(app, pilot)
