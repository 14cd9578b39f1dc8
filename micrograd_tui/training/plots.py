"""Live plots of a training run: loss, accuracy, and what the model learned.

Our own widgets over Rich segments (:mod:`.curves` draws braille line plots,
:mod:`.boundary` the half-block decision boundary).  A plot keeps what it was last given and
builds its lines once per change (or resize), on the UI thread; ``render_line`` then only
hands out the cached lines.  Histories are decimated to a few hundred points, and
``draw_cost`` measures a build so the screen can space redraws by what they cost.
"""

from __future__ import annotations

import math
import time
from typing import Any, Sequence

from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from . import boundary
from .curves import Chart, Series, render_chart
from .plot_data import GRID_SIZE, MAX_PLOT_POINTS, decimate

TRAIN_COLOR = (80, 170, 255)
TEST_COLOR = (255, 150, 60)
FIT_COLOR = (120, 230, 120)

_LOG_FLOOR = 1e-12
#: the most grid points a decision boundary is computed at (a bigger plot is sampled coarser)
MAX_GRID_POINTS = 3000

Points = tuple[Sequence[Sequence[float]], Sequence[float]]


def _series(history: Sequence[Any], attr: str, idx: Sequence[int]) -> tuple[list[int], list[float]]:
    xs: list[int] = []
    ys: list[float] = []
    for i in idx:
        v = getattr(history[i], attr)
        if v is None or not math.isfinite(v):
            continue
        xs.append(history[i].step + 1)
        ys.append(v)
    return xs, ys


class StripPlot(Widget):
    """A widget whose lines are built at once (``build``) after each change, then cached.

    ``draw_cost`` is a running average of the CPU time of one repaint after new data (our
    build plus Textual's styling of the lines), so the screen can space
    redraws to spend a fixed share of the time on plotting whatever the terminal size.
    """

    DEFAULT_CSS = """
    StripPlot {
        height: 1fr;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.draw_cost = 0.0
        self._measure = False
        self._lines: list[Strip] | None = None
        self._built_for: tuple[int, int] = (0, 0)

    def mark_changed(self) -> None:
        """New data: build the lines again at the next repaint, and time that repaint."""
        self._lines = None
        self._measure = True
        self.refresh()

    def build(self, width: int, height: int) -> list[Strip]:  # pragma: no cover - abstract
        raise NotImplementedError

    def lines(self) -> list[Strip]:
        """The plot's lines at its current size (built if stale)."""
        size = (self.size.width, self.size.height)
        if self._lines is None or self._built_for != size:
            self._lines, self._built_for = self.build(*size), size
        return self._lines

    def render_line(self, y: int) -> Strip:
        lines = self.lines()
        return lines[y] if 0 <= y < len(lines) else Strip.blank(self.size.width)

    def render_lines(self, crop: Region) -> list[Strip]:
        # timed here, not in build(): Textual's own styling of the lines costs as much again
        if not self._measure:
            return super().render_lines(crop)
        start = time.thread_time()
        lines = super().render_lines(crop)
        cost = time.thread_time() - start
        self._measure = False
        self.draw_cost = cost if not self.draw_cost else 0.7 * self.draw_cost + 0.3 * cost
        return lines


class _HistoryPlot(StripPlot):
    """A line plot of one or two series of a StepEvent history (train solid, test dashed)."""

    TITLE = ""
    #: (attribute, label, colour, kind): the train series first, so it is never hidden
    SERIES = (("loss", "train", TRAIN_COLOR, "line"), ("test_loss", "test", TEST_COLOR, "dashed"))

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._chart = Chart(self.TITLE)
        self.points_plotted = 0

    def on_mount(self) -> None:
        self._draw((), 0)

    def show_history(self, history: Sequence[Any], count: int | None = None) -> None:
        """Plot the first ``count`` events of ``history`` (all by default), thinned out."""
        self._draw(history, len(history) if count is None else min(count, len(history)))

    def clear_history(self) -> None:
        self.show_history((), 0)

    def plot_title(self) -> str:
        return self.TITLE

    def transform(self, v: float) -> float:
        return v

    def y_range(self) -> tuple[float, float] | None:
        return None

    def _draw(self, history: Sequence[Any], count: int) -> None:
        self._history, self._count = history, count
        chart = Chart(self.plot_title(), y_range=self.y_range())
        self.points_plotted = 0
        idx = decimate(count, MAX_PLOT_POINTS) if count else range(0)
        for attr, label, color, kind in self.SERIES:
            xs, ys = _series(history, attr, idx)
            if not xs:
                continue
            chart.series.append(Series(xs, [self.transform(v) for v in ys], color, label, kind))
            self.points_plotted += len(xs)
        if count:
            chart.x_range = (1, max(2, history[count - 1].step + 1))
        else:
            chart.x_range = (1, 2)
        self._chart = chart
        self.mark_changed()

    def build(self, width: int, height: int) -> list[Strip]:
        return render_chart(self._chart, width, height)


class LossPlot(_HistoryPlot):
    """Training (and test) loss per step; ``log_scale`` plots log10(loss)."""

    TITLE = "Loss"
    log_scale: reactive[bool] = reactive(False, init=False)

    def watch_log_scale(self) -> None:
        self._draw(self._history, self._count)

    def plot_title(self) -> str:
        return "log10(loss)" if self.log_scale else "Loss"

    def transform(self, v: float) -> float:
        return math.log10(max(v, _LOG_FLOOR)) if self.log_scale else v


class AccuracyPlot(_HistoryPlot):
    """Training (and test) accuracy in percent (classification only)."""

    TITLE = "Accuracy %"
    SERIES = (("accuracy", "train", TRAIN_COLOR, "line"),
              ("test_accuracy", "test", TEST_COLOR, "dashed"))

    def transform(self, v: float) -> float:
        return 100.0 * v

    def y_range(self) -> tuple[float, float] | None:
        return (0.0, 100.0)


class ModelPlot(StripPlot):
    """What the model learned: a 2-D decision boundary, or the fitted curve of 1-D data."""

    class Resized(Message):
        """The plot changed size: its grid should follow (one grid point per pixel)."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.kind = "empty"   # "boundary", "curve" or "empty"
        self.title_text = "Decision boundary"
        self.grid_step: int | None = None  # the step the shown prediction belongs to
        self._boundary: dict[str, Any] | None = None
        self._chart: Chart | None = None
        #: pixels across and down of the last boundary drawn (half-cells down)
        self.shaded_cells = (0, 0)

    def field_size(self) -> tuple[int, int]:
        """Character cells of the shaded field: the width, less a title and a legend line."""
        w, h = self.size
        return max(1, w), max(1, h - 2)

    def grid_shape(self) -> tuple[int, int]:
        """Grid points across and down: one per pixel (two per cell down), fewer if huge."""
        cols, rows = self.field_size()
        nx, ny = max(GRID_SIZE[0] // 4, cols), max(GRID_SIZE[1] // 4, 2 * rows)
        scale = min(1.0, (MAX_GRID_POINTS / (nx * ny)) ** 0.5)
        return max(4, int(nx * scale)), max(4, int(ny * scale))

    def show_boundary(self, train: Points, test: Points | None = None,
                      xs: Sequence[float] | None = None, ys: Sequence[float] | None = None,
                      grid: Sequence[Sequence[float]] | None = None, step: int | None = None,
                      probabilistic: bool = False) -> None:
        """Points over the model's confidence, from ``grid[j][i]`` = score at ``(xs[i], ys[j])``.

        ``probabilistic``: scores are logits (BCE), shaded by the predicted probability.
        """
        self.kind = "boundary"
        self.grid_step = step
        self.title_text = "Decision boundary" + (f" (step {step})" if step else "")
        self._boundary = dict(train=train, test=test or ((), ()), xs=xs, ys=ys, grid=grid,
                              probabilistic=probabilistic)
        self.mark_changed()

    def show_curve(self, train: Points, test: Points | None = None,
                   xs: Sequence[float] | None = None, preds: Sequence[float] | None = None,
                   step: int | None = None) -> None:
        """1-D data points (train ``●``, test ``○``) and the model's curve ``preds`` over ``xs``."""
        self.kind = "curve"
        self.grid_step = step
        self.title_text = "Fit" + (f" (step {step})" if step else "")
        self.shaded_cells = (0, 0)
        chart = Chart(self.title_text, int_x=False)
        if xs and preds:
            chart.series.append(Series(list(xs), list(preds), FIT_COLOR, "model"))
        # the curve keeps its cells; then the (fewer) test points, then the training points
        points = [Series([p[0] for p in train[0]], list(train[1]), TRAIN_COLOR, "train",
                         "points", boundary.TRAIN_GLYPH)]
        if test is not None and test[0]:
            points.insert(0, Series([p[0] for p in test[0]], list(test[1]), TEST_COLOR, "test",
                                    "points", boundary.TEST_GLYPH))
        chart.series += points
        self._chart = chart
        self.mark_changed()

    def show_message(self, title: str) -> None:
        """No picture for this data (more than two inputs): just say so."""
        self.kind = "empty"
        self.shaded_cells = (0, 0)
        self.grid_step = None
        self.title_text = title
        self.mark_changed()

    def build(self, width: int, height: int) -> list[Strip]:
        if self.kind == "curve" and self._chart is not None:
            return render_chart(self._chart, width, height)
        lines = [boundary.title(self.title_text, width)]
        b = self._boundary
        cols, rows = self.field_size()
        if self.kind == "boundary" and b is not None and b["grid"] and height >= 3:
            field = boundary.make_field(b["xs"], b["ys"], b["grid"], cols, rows,
                                        b["probabilistic"], b["train"], b["test"])
            self.shaded_cells = field.shaded_cells
            lines += boundary.field_strips(field, cols)
            lines.append(boundary.legend(width, bool(b["test"][0])))
        return lines
