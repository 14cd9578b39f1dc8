"""The program editor: a ``TextArea`` for the expression language that can point at an error."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from ..widgets.syntax import python_highlighting_available


class ProgramEditor(TextArea):
    """A multi-line editor; :meth:`mark_error` selects the spot an error points at.

    Ctrl+A selects all, as in most editors (where the terminal delivers it; F7 does too);
    Home goes to the start of the line.
    """

    BINDINGS = [Binding("ctrl+a,f7", "select_all", "Select all", show=False)]

    DEFAULT_CSS = """
    ProgramEditor {
        height: 1fr;
        border: round $primary 60%;
    }
    ProgramEditor:focus {
        border: round $primary;
    }
    ProgramEditor.-error {
        border: round $error;
    }
    """

    def __init__(self, text: str = "", *, highlight: bool | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        if highlight is None:
            highlight = python_highlighting_available()
        super().__init__(text, language="python" if highlight else None,
                         soft_wrap=False, tab_behavior="focus", show_line_numbers=True,
                         id=id, classes=classes)
        self.error_at: tuple[int, int] | None = None

    def replace_all(self, text: str) -> None:
        """Replace the whole text as one edit that Ctrl+Z undoes (``load_text`` would forget
        the undo history), and put the cursor at the start."""
        self.history.checkpoint()
        self.replace(text, (0, 0), self.document.end)
        self.history.checkpoint()
        self.selection = Selection.cursor((0, 0))
        self.scroll_home(animate=False)

    def mark_error(self, line: int, col: int) -> None:
        """Select the character at 1-based ``line``/``col`` (clamped to the text) and show where."""
        lines = self.text.split("\n")
        row = min(max(line, 1), len(lines)) - 1
        width = len(lines[row])
        start = min(max(col, 1) - 1, width)
        end = min(start + 1, width)
        self.selection = Selection((row, start), (row, end))
        self.scroll_cursor_visible()
        self.error_at = (row + 1, start + 1)
        self.add_class("-error")
        self.border_subtitle = f"error at line {line}, column {col}"

    def clear_error(self) -> None:
        self.error_at = None
        self.remove_class("-error")
        self.border_subtitle = ""

    def _on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.error_at is not None:
            self.clear_error()
