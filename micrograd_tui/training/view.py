"""The Train screen's picture of what the model learned: where to ask the model, and what.

A *view* is ``("boundary", xs, ys, grid)`` for 2-D data (the model's score on a grid) or
``("curve", xs, preds)`` for 1-D data; its *axes* are the same without the predictions.
Plain Python: :func:`compute_view` runs on the training thread as well as on the UI thread;
only :func:`draw_view` touches a widget (on the UI thread).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from engine.train import Trainer

from .session_data import MAX_PLOT_POINTS, curve_axis, decimate, grid_axes

if TYPE_CHECKING:
    from .plots import ModelPlot


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
              grid_shape: tuple[int, int]) -> tuple | None:
    """Where to ask a model on ``dim``-D data around the points ``X`` (None: no picture)."""
    if dim == 2:
        return ("boundary",) + grid_axes(X, *grid_shape)
    if dim == 1:
        return ("curve", curve_axis(X))
    return None


def compute_view(trainer: Trainer, axes: tuple | None) -> tuple | None:
    """The model's picture: ("boundary", xs, ys, grid) or ("curve", xs, preds)."""
    if axes is None:
        return None
    try:
        if axes[0] == "boundary":
            _, xs, ys = axes
            return ("boundary", xs, ys, trainer.predict_grid(xs, ys))
        _, xs = axes
        return ("curve", xs, trainer.predict_many([(x,) for x in xs]))
    except (ArithmeticError, ValueError):
        return None


def draw_view(plot: "ModelPlot", trainer: Trainer, view: tuple | None, step: int | None) -> None:
    """Show ``view`` (None: the data points alone) on ``plot``; ``step`` is the view's step."""
    X, y = plot_points(trainer)
    dim = trainer.train_set.dim
    if dim == 2:
        if view is None:
            plot.show_boundary(X, y, step=step)
        else:
            plot.show_boundary(X, y, view[1], view[2], view[3], step=step)
    elif dim == 1:
        if view is None:
            plot.show_curve(X, y, step=step)
        else:
            plot.show_curve(X, y, view[1], view[2], step=step)
    else:
        plot.show_message(f"{dim}-D data: no picture")
