"""Help: what the current screen is for, in plain words, and every key it answers to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Markdown, Static

from .syntax import PLAIN_TEXT_NOTE, python_highlighting_available

GENERAL_HELP = """\
**micrograd-tui** shows how backpropagation works, one scalar at a time.

* **F2 Playground**: type a small program, see its graph, run backward.
* **F3 Train**: train a small neural network and watch it learn.
* **F4 Lessons**: guided lessons, from a derivative to a trained classifier.
* **Ctrl+P** opens the command palette, which lists every action.
"""


class HelpScreen(ModalScreen[None]):
    """A modal with the screen's own ``HELP`` text and its keys."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: thick $primary;
        background: $panel;
        padding: 0 1;
    }
    HelpScreen #keys {
        margin-top: 1;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f1", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, about: Screen) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        text = getattr(self.about, "HELP", None) or ""
        if not python_highlighting_available():
            text = f"{text}\n\n{PLAIN_TEXT_NOTE}"
        with VerticalScroll():
            yield Markdown(f"{text}\n\n---\n\n{GENERAL_HELP}")
            yield Static(self._keys_text(), id="keys", markup=False)
        yield Footer()

    def _keys_text(self) -> str:
        lines = ["Keys on this screen:"]
        seen = set()
        for key, active in self.about.active_bindings.items():
            b = active.binding
            if not b.description or (b.action, b.description) in seen:
                continue
            seen.add((b.action, b.description))
            lines.append(f"  {self.app.get_key_display(b):>10}  {b.description}")
        return "\n".join(lines)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
