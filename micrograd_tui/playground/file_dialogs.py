"""The playground's small modal screens: open a program file, save it, confirm replacing a
file, and pick an example program.

Each dismisses with its answer (a path, True/False, a program's text, or None when the
learner cancels with Escape); the screen decides what to do with it.  Every text from the
learner or the disk (file names, folder names) is shown as plain ``Text``.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, DirectoryTree, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..classroom.sandbox import confine, sandbox_root
from .workspace import ProgramFileError, program_path

#: a folder with more entries than this is not searched for a completion
MAX_COMPLETION_ENTRIES = 5_000

DIALOG_CSS = """
{cls} {{
    align: center middle;
}}
{cls} > Vertical {{
    width: 76;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: round $primary;
    background: $surface;
    padding: 0 1;
}}
{cls} .dialog-hint {{
    color: $text-muted;
}}
{cls} .dialog-error {{
    color: $text-error;
    height: auto;
}}
"""


class PathSuggester(Suggester):
    """Completes the last part of a typed path from the names in its folder (folders end
    with ``/``); nothing is suggested outside the served session's folder."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        head, _, stem = value.rpartition("/")
        folder_text = head + "/" if head or value.startswith("/") else "."
        try:
            folder = confine(folder_text, "folder")
            names = []
            with os.scandir(folder) as entries:
                for k, entry in enumerate(entries):
                    if k >= MAX_COMPLETION_ENTRIES:
                        return None
                    if entry.name.startswith(stem) and entry.name != stem and (
                            stem.startswith(".") or not entry.name.startswith(".")):
                        names.append(entry.name + ("/" if entry.is_dir() else ""))
        except (OSError, ValueError):
            return None
        if not names:
            return None
        prefix = head + "/" if head or value.startswith("/") else ""
        return prefix + min(names)


class OpenDialog(ModalScreen[Path | None]):
    """Pick a program file in the folder tree, or type its name (Right completes)."""

    DEFAULT_CSS = DIALOG_CSS.format(cls="OpenDialog") + """
    OpenDialog DirectoryTree {
        height: 12;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Open a program from {self.start}", "bold"))
            yield DirectoryTree(self.start, id="open-tree")
            yield Input(placeholder="or type a file name, e.g. program.txt", id="open-path",
                        suggester=PathSuggester())
            yield Static(Text(""), classes="dialog-error", id="open-error")
            yield Label(Text("Enter opens · → completes a name · Esc cancels"),
                        classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#open-path", Input).focus()

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self._answer(str(event.path))

    @on(Input.Submitted, "#open-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer(event.value)

    def _answer(self, text: str) -> None:
        try:
            path = program_path(text)
        except ProgramFileError as error:
            self.query_one("#open-error", Static).update(Text(str(error)))
            return
        if path.is_dir():
            self.query_one("#open-error", Static).update(
                Text(f"{path} is a folder: choose a file in it."))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveDialog(ModalScreen[Path | None]):
    """Type the file to save the program in."""

    DEFAULT_CSS = DIALOG_CSS.format(cls="SaveDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggested: str, folder: Path) -> None:
        super().__init__()
        self.suggested = suggested
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Save the program (names count from {self.folder})", "bold"))
            yield Input(self.suggested, id="save-path", suggester=PathSuggester())
            yield Static(Text(""), classes="dialog-error", id="save-error")
            yield Label(Text("Enter saves · → completes a name · Esc cancels"),
                        classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#save-path", Input).focus()

    @on(Input.Submitted, "#save-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            path = program_path(event.value)
        except ProgramFileError as error:
            self.query_one("#save-error", Static).update(Text(str(error)))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A question with Replace / Cancel (y / n, Escape cancels)."""

    DEFAULT_CSS = DIALOG_CSS.format(cls="ConfirmDialog") + """
    ConfirmDialog Horizontal {
        height: auto;
        align-horizontal: right;
    }
    ConfirmDialog Button {
        margin: 0 1;
    }
    """
    BINDINGS = [Binding("escape,n", "answer(False)", "Cancel"),
                Binding("y", "answer(True)", "Replace")]

    def __init__(self, question: str, yes: str = "Replace") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            with Horizontal():
                yield Button(f"{self.yes} (y)", variant="warning", id="confirm-yes")
                yield Button("Cancel (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ExamplePicker(ModalScreen[str | None]):
    """The lecture's programs (and an empty one); dismisses with the chosen program's text."""

    DEFAULT_CSS = DIALOG_CSS.format(cls="ExamplePicker") + """
    ExamplePicker OptionList {
        height: auto;
        max-height: 12;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, examples: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self.examples = examples

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Open an example (your program is kept: Alt+P brings it back)",
                             "bold"))
            yield OptionList(*(Option(Text(title), id=str(i))
                               for i, (title, _) in enumerate(self.examples)),
                             id="example-list")
            yield Label(Text("Enter opens · Esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.examples[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


def start_folder() -> Path:
    """Where file dialogs start: the served session's folder, else the current folder (or
    the home folder when the current one was deleted)."""
    root = sandbox_root()
    if root is not None:
        return root
    try:
        return Path.cwd()
    except OSError:
        return Path.home()
