"""Live plots of a training run (textual-plotext): loss, accuracy, and what the model learned.

Each plot draws through its own ``.plt`` and is then refreshed; ``build()`` runs on the UI
thread at every repaint, so a plot never holds more than a few hundred points (histories are
decimated) and the decision boundary is a modest grid.
"""

from __future__ import annotations

import math
import time
from typing import Any, Sequence

from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual_plotext import PlotextPlot

from .plot_data import GRID_SIZE, MAX_PLOT_POINTS, decimate

TRAIN_COLOR = (80, 170, 255)
TEST_COLOR = (255, 150, 60)
POS_FILL = (40, 70, 130)     # grid cells where the model says +1
NEG_FILL = (120, 50, 50)     # ... and -1
POS_POINT = (120, 200, 255)  # data points of class +1
NEG_POINT = (255, 120, 100)  # ... and -1
FIT_COLOR = (120, 230, 120)

_LOG_FLOOR = 1e-12
#: the most grid points a decision boundary is computed at (a big plot is sampled coarser)
MAX_GRID_POINTS = 3000


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


class TimedPlot(PlotextPlot):
    """A PlotextPlot that measures what drawing it costs (UI-thread CPU seconds).

    ``draw_cost`` is a running average of the CPU time of one redraw after new data (plotext
    build, ANSI decoding, cutting into lines), so the screen can space redraws to spend a
    fixed share of the time on plotting whatever the terminal size.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.draw_cost = 0.0
        self._measure = False

    def mark_changed(self) -> None:
        """New data: refresh, and time the next render."""
        self._measure = True
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self._measure:
            return super().render_lines(crop)
        start = time.thread_time()
        lines = super().render_lines(crop)
        cost = time.thread_time() - start
        self._measure = False
        self.draw_cost = cost if not self.draw_cost else 0.7 * self.draw_cost + 0.3 * cost
        return lines


class _HistoryPlot(TimedPlot):
    """A line plot of one or two series of a StepEvent history."""

    TITLE = ""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._history: Sequence[Any] = ()
        self._count = 0
        self.points_plotted = 0

    def on_mount(self) -> None:
        super().on_mount()
        self._draw()

    def show_history(self, history: Sequence[Any], count: int | None = None) -> None:
        """Plot the first ``count`` events of ``history`` (all by default), thinned out."""
        self._history = history
        self._count = len(history) if count is None else min(count, len(history))
        self._draw()

    def clear_history(self) -> None:
        self.show_history((), 0)

    def plot_title(self) -> str:
        return self.TITLE

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(self.plot_title())
        self.points_plotted = 0
        if self._count:
            self._draw_series(plt, decimate(self._count, MAX_PLOT_POINTS))
        self.mark_changed()

    def _draw_series(self, plt: Any, idx: Sequence[int]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class LossPlot(_HistoryPlot):
    """Training (and test) loss per step; ``log_scale`` plots log10(loss)."""

    TITLE = "Loss"
    log_scale: reactive[bool] = reactive(False, init=False)

    def watch_log_scale(self) -> None:
        self._draw()

    def plot_title(self) -> str:
        return "log10(loss)" if self.log_scale else "Loss"

    def _draw_series(self, plt: Any, idx: Sequence[int]) -> None:
        for attr, label, color in (("loss", "train", TRAIN_COLOR),
                                   ("test_loss", "test", TEST_COLOR)):
            xs, ys = _series(self._history, attr, idx)
            if not xs:
                continue
            if self.log_scale:
                ys = [math.log10(max(v, _LOG_FLOOR)) for v in ys]
            plt.plot(xs, ys, label=label, color=color, marker="braille")
            self.points_plotted += len(xs)


class AccuracyPlot(_HistoryPlot):
    """Training (and test) accuracy in percent (classification only)."""

    TITLE = "Accuracy %"

    def _draw_series(self, plt: Any, idx: Sequence[int]) -> None:
        any_points = False
        for attr, label, color in (("accuracy", "train", TRAIN_COLOR),
                                   ("test_accuracy", "test", TEST_COLOR)):
            xs, ys = _series(self._history, attr, idx)
            if not xs:
                continue
            plt.plot(xs, [100.0 * v for v in ys], label=label, color=color, marker="braille")
            self.points_plotted += len(xs)
            any_points = True
        if any_points:
            plt.ylim(0, 100)


class ModelPlot(TimedPlot):
    """What the model learned: a 2-D decision boundary, or the fitted curve of 1-D data."""

    class Resized(Message):
        """The plot changed size: its grid should follow (one grid point per cell)."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def grid_shape(self) -> tuple[int, int]:
        """Grid points across and down: about one per character cell of the canvas."""
        w, h = self.size  # the canvas is about (w - 7) x (h - 4); a little more fills it
        nx, ny = max(GRID_SIZE[0] // 2, w - 4), max(GRID_SIZE[1] // 2, h - 2)
        scale = min(1.0, (MAX_GRID_POINTS / (nx * ny)) ** 0.5)
        return max(10, int(nx * scale)), max(5, int(ny * scale))

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.kind = "empty"   # "boundary", "curve" or "empty"
        self.title_text = "Decision boundary"
        self.grid_step: int | None = None  # the step the shown prediction belongs to

    def on_mount(self) -> None:
        super().on_mount()
        self.plt.title(self.title_text)

    def _points(self, X: Sequence[Sequence[float]], y: Sequence[float]) -> None:
        plt = self.plt
        for cls, color in ((1.0, POS_POINT), (-1.0, NEG_POINT)):
            px = [p[0] for p, t in zip(X, y) if (t > 0) == (cls > 0)]
            py = [p[1] for p, t in zip(X, y) if (t > 0) == (cls > 0)]
            if px:
                plt.scatter(px, py, marker="●", color=color)

    def show_boundary(self, X: Sequence[Sequence[float]], y: Sequence[float],
                      xs: Sequence[float] | None = None, ys: Sequence[float] | None = None,
                      grid: Sequence[Sequence[float]] | None = None,
                      step: int | None = None) -> None:
        """Data points over the sign of ``grid[j][i]`` = score at ``(xs[i], ys[j])``."""
        plt = self.plt
        plt.clear_figure()
        self.kind = "boundary"
        self.grid_step = step
        self.title_text = "Decision boundary" + (f" (step {step})" if step else "")
        plt.title(self.title_text)
        if grid is not None and xs and ys:
            pos_x: list[float] = []
            pos_y: list[float] = []
            neg_x: list[float] = []
            neg_y: list[float] = []
            for yj, row in zip(ys, grid):
                for xi, score in zip(xs, row):
                    if score > 0:
                        pos_x.append(xi)
                        pos_y.append(yj)
                    else:
                        neg_x.append(xi)
                        neg_y.append(yj)
            if pos_x:
                plt.scatter(pos_x, pos_y, marker="█", color=POS_FILL)
            if neg_x:
                plt.scatter(neg_x, neg_y, marker="█", color=NEG_FILL)
            plt.xlim(xs[0], xs[-1])
            plt.ylim(ys[0], ys[-1])
        self._points(X, y)
        self.mark_changed()

    def show_curve(self, X: Sequence[Sequence[float]], y: Sequence[float],
                   xs: Sequence[float] | None = None, preds: Sequence[float] | None = None,
                   step: int | None = None) -> None:
        """1-D data points and the model's curve ``preds`` over ``xs``."""
        plt = self.plt
        plt.clear_figure()
        self.kind = "curve"
        self.grid_step = step
        self.title_text = "Fitted curve" + (f" (step {step})" if step else "")
        plt.title(self.title_text)
        plt.scatter([p[0] for p in X], list(y), marker="●", color=POS_POINT)
        if xs and preds:
            plt.plot(list(xs), list(preds), color=FIT_COLOR, marker="braille", label="model")
        self.mark_changed()

    def show_message(self, title: str) -> None:
        """No picture for this data (more than two inputs): just say so."""
        self.plt.clear_figure()
        self.kind = "empty"
        self.grid_step = None
        self.title_text = title
        self.plt.title(title)
        self.mark_changed()
