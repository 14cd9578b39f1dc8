"""The playground as a workspace: a program is never lost, programs are files, the palette
lists the app's actions first, and ctrl+c says how to quit."""

from __future__ import annotations

import json

import pytest
from textual.command import CommandList, CommandPalette

from micrograd_tui.app import MicrogradApp
from micrograd_tui.data_folder import ENV_DATA_DIR
from micrograd_tui.messages import OpenProgram
from micrograd_tui.playground.examples import TANH_NEURON
from micrograd_tui.playground.file_dialogs import (ConfirmDialog, ExamplePicker, OpenDialog,
                                                   SaveDialog)
from micrograd_tui.playground.screen import PlaygroundScreen
from micrograd_tui.playground.workspace import FILE_NAME

SIZE = (100, 36)
MINE = "x = 3.0\ny = x * x\n"


def playground(app: MicrogradApp) -> PlaygroundScreen:
    screen = app.get_screen_stack("playground")[0]
    assert isinstance(screen, PlaygroundScreen)
    return screen


async def type_program(pilot, text: str) -> None:
    """Select all (ctrl+a), then type ``text`` over it, as a learner would."""
    await pilot.press("ctrl+a", "delete")
    await pilot.press(*["enter" if ch == "\n" else ch for ch in text])
    await pilot.press("ctrl+r")
    await pilot.pause()


def notices(app: MicrogradApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_lessons_program_keeps_mine_and_f9_or_undo_brings_it_back():
    app = MicrogradApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await type_program(pilot, MINE)
        screen = playground(app)
        assert screen.editor.text == MINE and "y = 9" in screen.status_text
        await pilot.press("f4")  # a lesson asks for its program to be shown
        await pilot.pause()
        app.screen.post_message(OpenProgram("a = 2.0\nb = a + a\n", "the lesson's program"))
        await pilot.pause()
        assert app.current_mode == "playground"
        assert screen.editor.text == "a = 2.0\nb = a + a\n"
        assert any("Alt+P brings it back" in n for n in notices(app))
        await pilot.press("alt+p")
        await pilot.pause()
        assert screen.editor.text == MINE and "y = 9" in screen.status_text
        await pilot.press("alt+p")  # and Alt+P again swaps back to the lesson's
        await pilot.pause()
        assert screen.editor.text == "a = 2.0\nb = a + a\n"
        # editor undo restores the replaced text too
        screen.editor.focus()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.editor.text == MINE


async def test_a_restart_restores_the_last_program_and_its_history(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path))
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_program(pilot, MINE)
        await pilot.press("alt+n")  # a new, empty program; mine goes to the history
        await pilot.pause()
        await type_program(pilot, "z = 5.0\n")
    saved = json.loads((tmp_path / FILE_NAME).read_text())
    assert saved["program"] == "z = 5.0\n" and MINE in saved["history"]
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        assert screen.editor.text == "z = 5.0\n" and "z = 5" in screen.status_text
        await pilot.press("alt+p")
        await pilot.pause()
        assert screen.editor.text == MINE


async def test_a_corrupt_workspace_file_is_set_aside_and_the_learner_told(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path))
    (tmp_path / FILE_NAME).write_text("{not json")
    app = MicrogradApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert "g = 24.7041" in playground(app).status_text  # the README example instead
        moved = [p for p in tmp_path.iterdir() if p.name.startswith(FILE_NAME + ".corrupt-")]
        assert len(moved) == 1 and moved[0].read_text() == "{not json"
        assert any(str(moved[0]) in n for n in notices(app))


async def test_save_then_open_round_trip_says_the_full_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = MicrogradApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await type_program(pilot, MINE)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveDialog)
        await pilot.press(*"mine.txt", "enter")  # the suggested name is selected
        await pilot.pause()
        saved = tmp_path / "mine.txt"
        assert saved.read_text() == MINE
        assert f"Saved the program to {saved}" in notices(app)
        await pilot.press("alt+e")  # an example replaces it
        await pilot.pause()
        assert isinstance(app.screen, ExamplePicker)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        screen = playground(app)
        assert screen.editor.text == TANH_NEURON and "o = 0.7071" in screen.status_text
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OpenDialog)
        await pilot.press(*"mine.txt", "enter")
        await pilot.pause()
        assert screen.editor.text == MINE and "y = 9" in screen.status_text
        assert any(f"Opened {saved}" in n for n in notices(app))
        # the program now has its file: ctrl+s saves there without asking
        screen.editor.focus()
        await pilot.press("end", *" + 1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
        assert saved.read_text() == screen.editor.text and " + 1" in saved.read_text()


async def test_save_asks_before_replacing_another_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    other = tmp_path / "other.txt"
    other.write_text("precious\n")
    app = MicrogradApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await type_program(pilot, MINE)
        for answer in ("n", "y"):
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press(*"other.txt", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert str(other) in app.screen.question
            await pilot.press(answer)
            await pilot.pause()
            if answer == "n":
                assert other.read_text() == "precious\n"
                assert f"Not saved: {other} was left as it was." in notices(app)
        assert other.read_text() == MINE


async def test_the_palette_lists_the_apps_actions_first():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        commands = palette.query_one(CommandList)
        for _ in range(40):  # the palette gathers its list in a worker
            await pilot.pause(0.05)
            if palette.has_class("-ready"):
                break
        titles = [str(commands.get_option_at_index(i).prompt).split("\n")[0]
                  for i in range(commands.option_count)]
        assert titles[:6] == ["Run", "Backward", "Step", "Back", "Zero grad", "Save"]
        assert titles.index("Quit") < titles.index("Theme")
        # the editor's cursor commands are not listed; typing finds them
        assert "Cursor line start" not in titles and "Select all" not in titles


async def test_ctrl_c_outside_the_editor_says_how_to_quit_in_plain_words():
    app = MicrogradApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        playground(app).tree.focus()
        await pilot.press("ctrl+c")
        await pilot.pause()
        (toast,) = list(app._notifications)
        assert toast.message == "Press ctrl+q to quit the app"
        assert toast.title == "Do you want to quit?"


async def test_ctrl_a_selects_the_whole_program():
    app = MicrogradApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        editor = playground(app).editor
        await pilot.press("ctrl+a")
        assert editor.selected_text == editor.text


def test_every_written_path_is_absolute(tmp_path, monkeypatch):
    from micrograd_tui.playground.workspace import program_path

    monkeypatch.chdir(tmp_path)
    assert program_path("a.txt") == tmp_path / "a.txt"
    assert program_path(str(tmp_path / "b.txt")) == tmp_path / "b.txt"


def test_the_sandbox_confines_program_files(tmp_path, monkeypatch):
    from micrograd_tui.classroom.sandbox import ENV_SANDBOX
    from micrograd_tui.playground.workspace import ProgramFileError, program_path

    monkeypatch.setenv(ENV_SANDBOX, str(tmp_path))
    assert program_path("a.txt") == tmp_path / "a.txt"
    with pytest.raises(ProgramFileError, match="outside this session's folder"):
        program_path("../escape.txt")
