"""The GPT screen's widgets: the loss curve (braille, drawn line by line), the status line
and the sampled names.  User text (names from a teacher's file) is shown as plain Text."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from .curve import Cell, LossHistory, braille_curves, y_range

#: columns for the y labels left of the curve
GUTTER = 7
RAW_STYLE = Style(color="bright_black")
SMOOTH_STYLE = Style(color="yellow", bold=True)
LABEL_STYLE = Style(dim=True)


class LossCurve(Widget):
    """The loss of every step (grey band) and its moving average (yellow line)."""

    DEFAULT_CSS = """
    LossCurve {
        width: 1fr;
        height: 1fr;
        border: round $primary 50%;
        border-title-color: $text;
    }
    """

    def __init__(self, history: LossHistory, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history = history
        self.border_title = "Loss: raw (grey) and smoothed (yellow)"
        self._cache: tuple[tuple[int, int, int], list[list[Cell]], tuple[float, float] | None] | None = None

    def _rows(self) -> tuple[list[list[Cell]], tuple[float, float] | None]:
        width, height = max(1, self.size.width - GUTTER), max(1, self.size.height)
        key = (len(self.history), width, height)
        if self._cache is None or self._cache[0] != key:
            series = [self.history.raw, self.history.smooth]
            bounds = y_range(series)
            self._cache = (key, braille_curves(series, width, height, bounds), bounds)
        return self._cache[1], self._cache[2]

    def render_line(self, y: int) -> Strip:
        rows, bounds = self._rows()
        width = self.size.width
        if y >= len(rows):
            return Strip.blank(width, self.rich_style)
        label = ""
        if bounds is not None and y == 0:
            label = f"{bounds[1]:.2f}"
        elif bounds is not None and y == len(rows) - 1:
            label = f"{bounds[0]:.2f}"
        elif not len(self.history) and y == len(rows) // 2:
            return Strip([Segment("  no steps yet: Ctrl+R trains".ljust(width), LABEL_STYLE)],
                         width)
        base = self.rich_style
        segments = [Segment(label.rjust(GUTTER - 1) + " ", base + LABEL_STYLE)]
        styles = (base + RAW_STYLE, base + SMOOTH_STYLE)
        for char, who in rows[y]:
            segments.append(Segment(char, styles[who] if who >= 0 else base))
        return Strip(Segment.simplify(segments), width).crop(0, width)

    def changed(self) -> None:
        """The history grew or was cleared: redraw."""
        self._cache = None
        n = len(self.history)
        self.border_subtitle = f"steps 1–{n}" if n > 1 else ""
        self.refresh()


class GPTStatus(Widget):
    """``step 120/1000  loss 2.6  smoothed 2.7  lr 0.0088  steps/s 12.3  running``."""

    DEFAULT_CSS = """
    GPTStatus {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    """

    state: reactive[str] = reactive("ready")
    #: hide the speed (snapshot tests: it depends on the machine)
    show_speed: reactive[bool] = reactive(True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.step, self.total = 0, 0
        self.loss: float | None = None
        self.smooth: float | None = None
        self.lr: float | None = None
        self.speed: float | None = None

    def show(self, step: int, total: int, loss: float | None, smooth: float | None,
             lr: float | None, speed: float | None, state: str | None = None) -> None:
        self.step, self.total, self.loss, self.smooth = step, total, loss, smooth
        self.lr, self.speed = lr, speed
        if state is not None:
            self.state = state
        self.refresh()

    def fields(self) -> list[tuple[str, str]]:
        def num(x: float | None, spec: str) -> str:
            return "–" if x is None else format(x, spec)

        out = [("step", f"{self.step}/{self.total}"), ("loss", num(self.loss, ".4f")),
               ("smoothed", num(self.smooth, ".4f")), ("lr", num(self.lr, ".5f"))]
        if self.show_speed:
            out.append(("steps/s", num(self.speed, ".1f")))
        out.append(("", self.state))
        return out

    @property
    def plain(self) -> str:
        return "  ".join(f"{k} {v}" if k else v for k, v in self.fields())

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, (label, value) in enumerate(self.fields()):
            if i:
                text.append("  ")
            if label:
                text.append(label + " ", style="dim")
                text.append(value, style="bold")
            else:
                text.append(value, style={"running": "bold green", "paused": "bold yellow",
                                          "done": "bold cyan", "failed": "bold red"}
                            .get(value, "dim"))
        return text


class SamplesPanel(Static):
    """The names the model made up at the last sampling step."""

    DEFAULT_CSS = """
    SamplesPanel {
        width: 26;
        height: 1fr;
        padding: 0 1;
        border: round $secondary 50%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = "Samples"
        self.names: list[str] = []
        self.clear()

    def clear(self) -> None:
        self.names = []
        self.update(Text("Fresh names every few steps: gibberish first, then names.",
                         style="dim"))

    def show_names(self, step: int, names: list[str]) -> None:
        self.names = list(names)
        text = Text(f"at step {step}:\n", style="dim")
        for name in names:
            text.append(name or "(empty)", style="bold" if name else "dim")
            text.append("\n")
        self.update(text)
