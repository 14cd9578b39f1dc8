"""The program editor: a ``TextArea`` for the expression language that can point at an error."""

from __future__ import annotations

from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from ..widgets.syntax import python_highlighting_available


class ProgramEditor(TextArea):
    """A multi-line editor; :meth:`mark_error` selects the spot an error points at."""

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
