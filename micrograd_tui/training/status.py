"""The Train screen's status line: step, loss, accuracy, learning rate, speed and state."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from .figures import format_accuracy, format_loss, format_lr


class TrainStatus(Widget):
    """One or two lines of ``label value`` pairs, packed to the widget's width."""

    DEFAULT_CSS = """
    TrainStatus {
        height: 2;
        padding: 0 1;
        background: $boost;
    }
    """

    #: shown last: "ready", "running", "paused", "done", "failed"
    state: reactive[str] = reactive("ready")
    #: hide the speed (snapshot tests: it depends on the machine)
    show_speed: reactive[bool] = reactive(True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.step = 0
        self.total = 0
        self.event: Any = None
        self.speed: float | None = None

    def show(self, step: int, total: int, event: Any = None, speed: float | None = None,
             state: str | None = None) -> None:
        """Show ``event`` (a StepEvent or None) after ``step`` of ``total`` steps."""
        self.step, self.total, self.event, self.speed = step, total, event, speed
        if state is not None:
            self.state = state
        self.refresh()

    def fields(self) -> list[tuple[str, str]]:
        ev = self.event
        out = [("step", f"{self.step}/{self.total}")]
        out.append(("loss", format_loss(ev.loss if ev else None)))
        if ev is not None and ev.test_loss is not None:
            out.append(("test loss", format_loss(ev.test_loss)))
        if ev is None or ev.accuracy is not None:
            out.append(("accuracy", format_accuracy(ev.accuracy if ev else None)))
        if ev is not None and ev.test_accuracy is not None:
            out.append(("test acc", format_accuracy(ev.test_accuracy)))
        out.append(("lr", format_lr(ev.lr if ev else None)))
        if self.show_speed:
            out.append(("steps/s", "–" if self.speed is None else f"{self.speed:.1f}"))
        out.append(("", self.state))
        return out

    @property
    def plain(self) -> str:
        """The status as plain text (one line)."""
        return "  ".join(f"{k} {v}" if k else v for k, v in self.fields())

    def render(self) -> Text:
        width = max(10, self.size.width)
        text = Text(no_wrap=True, overflow="ellipsis")
        line_len = 0
        for label, value in self.fields():
            piece_len = len(label) + 1 + len(value) if label else len(value)
            if line_len and line_len + 2 + piece_len > width:
                text.append("\n")
                line_len = 0
            elif line_len:
                text.append("  ")
                line_len += 2
            if label:
                text.append(label + " ", style="dim")
                text.append(value, style="bold")
            else:
                style = {"running": "bold green", "paused": "bold yellow",
                         "done": "bold cyan", "failed": "bold red"}.get(value, "dim")
                text.append(value, style=style)
            line_len += piece_len
        return text
