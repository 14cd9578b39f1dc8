"""The playground's workspace keys: save, open, examples, a new program, the previous program,
and keeping the learner's program between runs of the app.

A program is never replaced without being kept: opening a lesson's program, a model's graph,
a file, an example or a new program puts the one on screen at the front of a short history
(:class:`~.workspace.Workspace`); Alt+P swaps back, and Ctrl+Z undoes the replacement in the
editor.  The workspace is saved (atomically, in the data folder) a moment after each edit and
whenever a program is replaced, so a restart opens the last program.  :class:`WorkspaceKeys`
is a mixin of :class:`~.screen.PlaygroundScreen`, which provides what its ``TYPE_CHECKING``
block lists.  Its handlers use Textual's ``on_*`` names (a mixin's ``@on`` is not seen).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widgets import TextArea

from .examples import EXAMPLES, README_EXAMPLE
from .file_dialogs import ConfirmDialog, ExamplePicker, OpenDialog, SaveDialog, start_folder
from .workspace import (ProgramFileError, Workspace, WorkspaceFile, needs_confirmation,
                        read_program, write_program)

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from .editor import ProgramEditor

#: seconds after the last keystroke before the program is written to the data folder
KEEP_DELAY = 1.0
PREVIOUS_KEY = "Alt+P"

#: in the footer
FILE_BINDINGS = [
    Binding("ctrl+s", "save_program", "Save", tooltip="Save the program to its file"),
    Binding("ctrl+o", "open_program", "Open", tooltip="Open a program file"),
]
#: in the command palette and on F1 (the footer fits 80 columns)
WORKSPACE_BINDINGS = [
    Binding("alt+p", "previous_program", "Previous program", show=False, priority=True,
            tooltip="Swap back to the program you had before this one"),
    Binding("alt+e", "examples", "Examples", show=False, priority=True,
            tooltip="Open one of the lecture's programs (yours is kept)"),
    Binding("alt+n", "new_program", "New program", show=False, priority=True,
            tooltip="Start an empty program (yours is kept)"),
    Binding("alt+s", "save_program_as", "Save as", show=False, priority=True,
            tooltip="Save the program to another file"),
]


class WorkspaceKeys:
    """Ctrl+S save, Ctrl+O open, Alt+P previous program, Alt+E examples, Alt+N new."""

    if TYPE_CHECKING:  # provided by PlaygroundScreen
        app: App[Any]
        editor: ProgramEditor
        root_name: str | None
        is_mounted: bool

        def evaluate_source(self, source: str, *, keep_expansion: bool = True) -> None: ...

        def notify(self, message: str, *, title: str = "", severity: Any = "information",
                   timeout: float | None = None, markup: bool = True) -> None: ...

        def set_timer(self, delay: float, callback: Any = None, *,
                      name: str | None = None, pause: bool = False) -> Timer: ...

    _workspace: Workspace
    _workspace_file: WorkspaceFile
    _keep_timer: Timer | None = None

    # --- starting and keeping ------------------------------------------------------------
    def open_workspace(self, source: str | None) -> str:
        """Load the saved workspace; the program to show first: ``source`` when given (the
        saved one is then kept in the history), else the last program, else the README
        example."""
        self._workspace_file = WorkspaceFile.default()
        saved = self._workspace_file.load()
        self._workspace = saved if saved is not None else Workspace(README_EXAMPLE)
        if self._workspace_file.notice:
            self.notify(self._workspace_file.notice, severity="warning", timeout=20,
                        markup=False)
        if source is not None:
            self._workspace.replace(source)
        return self._workspace.program

    def keep_program(self) -> None:
        """Write the program on screen (and the history) to the data folder now."""
        if self._keep_timer is not None:
            self._keep_timer.stop()
            self._keep_timer = None
        if not hasattr(self, "_workspace"):
            return  # not mounted yet: nothing was shown, nothing to keep
        error = self._workspace_file.save(self._workspace)
        if error:
            self.notify(error, severity="warning", timeout=10, markup=False)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id != "pg-editor" or not hasattr(self, "_workspace"):
            return
        self._workspace.program = event.text_area.text  # kept even after the editor is gone
        if self._keep_timer is not None:
            self._keep_timer.stop()
        self._keep_timer = self.set_timer(KEEP_DELAY, self.keep_program)

    def on_screen_suspend(self) -> None:
        self.keep_program()

    def on_unmount(self) -> None:
        self.keep_program()

    # --- replacing the program -----------------------------------------------------------
    def replace_program(self, source: str, *, path: Path | None = None,
                        evaluate: bool = True, said: str = "") -> None:
        """Show ``source`` in the editor (undoable), keep the old program, and say so:
        ``said`` (what happened, e.g. ``Opened /home/me/a.txt``) and how to get it back."""
        self._workspace.program = self.editor.text
        kept = self._workspace.replace(source, path)
        self.root_name = None  # a new program starts at its own output
        self.editor.replace_all(source)
        if evaluate:
            self.evaluate_source(source, keep_expansion=False)
        self.keep_program()
        if kept:
            said = (f"{said}. " if said else "") + (
                f"Your program is kept: {PREVIOUS_KEY} brings it back (or Ctrl+Z in the editor).")
        if said:
            self.notify(said, title="Program kept" if kept else "", markup=False)

    def action_previous_program(self) -> None:
        self._workspace.program = self.editor.text
        source = self._workspace.previous()
        if source is None:
            self.notify("There is no earlier program: programs you replace are kept here.",
                        markup=False)
            return
        self.root_name = None
        self.editor.replace_all(source)
        self.evaluate_source(source, keep_expansion=False)
        self.keep_program()
        self.notify(f"Back to your previous program; {PREVIOUS_KEY} again swaps back.",
                    markup=False)

    def action_new_program(self) -> None:
        self.replace_program("", evaluate=False, said="A new, empty program")

    def action_examples(self) -> None:
        def chosen(source: str | None) -> None:
            if source is not None:
                self.replace_program(source, said="Opened the example")

        self.app.push_screen(ExamplePicker(EXAMPLES), chosen)

    # --- files ---------------------------------------------------------------------------------
    def action_open_program(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is None:
                return
            try:
                source = read_program(path)
            except ProgramFileError as error:
                self.notify(str(error), severity="error", timeout=10, markup=False)
                return
            self.replace_program(source, path=path, said=f"Opened {path}")

        self.app.push_screen(OpenDialog(start_folder()), chosen)

    def action_save_program(self) -> None:
        """Save to the program's own file when it has one, else ask for a name."""
        own = self._workspace.path
        if own is None:
            self.action_save_program_as()
        else:
            self._save_to(own)

    def action_save_program_as(self) -> None:
        folder = start_folder()
        own = self._workspace.path
        suggested = "program.txt"
        if own is not None:
            suggested = own.name if own.parent == folder else str(own)

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if needs_confirmation(path, own):
                self.app.push_screen(
                    ConfirmDialog(f"{path} already exists. Replace it with this program?"),
                    lambda yes: self._save_to(path) if yes else self.notify(
                        f"Not saved: {path} was left as it was.", markup=False))
            else:
                self._save_to(path)

        self.app.push_screen(SaveDialog(suggested, folder), chosen)

    def _save_to(self, path: Path) -> None:
        source = self.editor.text
        try:
            write_program(path, source)
        except ProgramFileError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        self._workspace.program = source
        self._workspace.path = path
        self.keep_program()
        self.notify(f"Saved the program to {path}", title="Saved", markup=False)
