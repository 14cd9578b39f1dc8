"""The Train screen's picture of what the model learned: where to ask the model, and what.

A *view* is a :class:`BoundaryView` for 2-D data (the model's score on a grid) or a
:class:`CurveView` for 1-D data; its *axes* (:class:`BoundaryAxes`, :class:`CurveAxes`) are
where to ask the model, without the answers.
Plain Python: :func:`compute_view` runs on the training thread as well as on the UI thread;
only :func:`draw_view` touches a widget (on the UI thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence, Union

from engine.train import Trainer

from .plot_data import MAX_PLOT_POINTS, curve_axis, decimate, grid_axes

if TYPE_CHECKING:
    from .plots import ModelPlot


@dataclass(frozen=True)
class BoundaryAxes:
    """A grid over 2-D data: columns at ``xs``, rows at ``ys``."""

    xs: list[float]
    ys: list[float]


@dataclass(frozen=True)
class CurveAxes:
    """Inputs along 1-D data."""

    xs: list[float]


@dataclass(frozen=True)
class BoundaryView:
    """The model's score on a grid: ``grid[i][j]`` at (``xs[j]``, ``ys[i]``)."""

    xs: list[float]
    ys: list[float]
    grid: list[list[float]]


@dataclass(frozen=True)
class CurveView:
    """The model's output ``preds[i]`` at ``xs[i]``."""

    xs: list[float]
    preds: list[float]


ViewAxes = Union[BoundaryAxes, CurveAxes]
ModelView = Union[BoundaryView, CurveView]


def plot_points(trainer: Trainer) -> tuple[list, list]:
    """The data points to draw (training and test), at most a few hundred."""
    t = trainer
    X = list(t.train_set.X) + (list(t.test_set.X) if t.test_set is not None else [])
    y = list(t.train_set.y) + (list(t.test_set.y) if t.test_set is not None else [])
    idx = decimate(len(X), MAX_PLOT_POINTS)
    if len(idx) < len(X):
        X, y = [X[i] for i in idx], [y[i] for i in idx]
    return X, y


def view_axes(dim: int, X: Sequence[Sequence[float]],
              grid_shape: tuple[int, int]) -> ViewAxes | None:
    """Where to ask a model on ``dim``-D data around the points ``X`` (None: no picture)."""
    if dim == 2:
        return BoundaryAxes(*grid_axes(X, *grid_shape))
    if dim == 1:
        return CurveAxes(curve_axis(X))
    return None


def compute_view(trainer: Trainer, axes: ViewAxes | None, coarse: int = 1) -> ModelView | None:
    """The model's picture at ``axes`` (None: no axes, or the model cannot be evaluated).

    ``coarse`` > 1 (while training): the boundary's model is asked at every ``coarse``-th
    column and row only (and the last), ~``coarse``² times less work, and the score between
    is interpolated (bilinear); a run ends with the exact picture."""
    if axes is None:
        return None
    try:
        if isinstance(axes, BoundaryAxes):
            if coarse > 1 and len(axes.xs) > 2 * coarse and len(axes.ys) > 2 * coarse:
                cols, rows = _every(len(axes.xs), coarse), _every(len(axes.ys), coarse)
                few = trainer.predict_grid([axes.xs[j] for j in cols], [axes.ys[i] for i in rows])
                return BoundaryView(axes.xs, axes.ys, _spread(few, rows, cols,
                                                              len(axes.ys), len(axes.xs)))
            return BoundaryView(axes.xs, axes.ys, trainer.predict_grid(axes.xs, axes.ys))
        return CurveView(axes.xs, trainer.predict_many([(x,) for x in axes.xs]))
    except (ArithmeticError, ValueError):
        return None


def _every(n: int, k: int) -> list[int]:
    """Every ``k``-th index of ``n``, and the last."""
    picked = list(range(0, n, k))
    return picked if picked[-1] == n - 1 else picked + [n - 1]


def _spread(few: list[list[float]], rows: list[int], cols: list[int],
            n_rows: int, n_cols: int) -> list[list[float]]:
    """A full grid from the values at (``rows`` × ``cols``), bilinear in between."""
    def weights(picked: list[int], n: int) -> list[tuple[int, float]]:
        out, k = [], 0
        for i in range(n):
            while k + 1 < len(picked) - 1 and picked[k + 1] <= i:
                k += 1
            lo, hi = picked[k], picked[k + 1]
            out.append((k, (i - lo) / (hi - lo)))
        return out

    across = weights(cols, n_cols)
    grid = []
    for i, (r, t) in enumerate(weights(rows, n_rows)):
        top, bottom = few[r], few[r + 1]
        line = [(1 - t) * a + t * b for a, b in zip(top, bottom)]
        grid.append([(1 - u) * line[c] + u * line[c + 1] for c, u in across])
    return grid


def split_points(trainer: Trainer) -> tuple[tuple[list, list], tuple[list, list]]:
    """The training and the test points to draw, each thinned to a few hundred."""
    out = []
    for ds in (trainer.train_set, trainer.test_set):
        X = list(ds.X) if ds is not None else []
        y = list(ds.y) if ds is not None else []
        idx = decimate(len(X), MAX_PLOT_POINTS)
        if len(idx) < len(X):
            X, y = [X[i] for i in idx], [y[i] for i in idx]
        out.append((X, y))
    return out[0], out[1]


def draw_view(plot: ModelPlot, trainer: Trainer, view: ModelView | None,
              step: int | None) -> None:
    """Show ``view`` (None: the data points alone) on ``plot``; ``step`` is the view's step."""
    train, test = split_points(trainer)
    dim = trainer.train_set.dim
    if dim == 2:
        if isinstance(view, BoundaryView):
            plot.show_boundary(train, test, view.xs, view.ys, view.grid, step=step,
                               probabilistic=trainer.config.loss == "bce")
        else:
            plot.show_boundary(train, test, step=step)
    elif dim == 1:
        if isinstance(view, CurveView):
            plot.show_curve(train, test, view.xs, view.preds, step=step)
        else:
            plot.show_curve(train, test, step=step)
    else:
        plot.show_message(f"{dim}-D data: no picture")
