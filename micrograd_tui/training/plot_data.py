"""What the Train screen's plots are drawn from: how many points, and where.

* :func:`decimate` picks a few hundred points out of a long history for plotting.
* :func:`grid_axes` places the decision-boundary grid around a 2-D data set.
* :func:`curve_axis` places the inputs of a 1-D model's fitted curve.

Plain Python (no Textual), so it is easy to test and time.
"""

from __future__ import annotations

import math
from typing import Sequence

#: the most points a line plot gets; longer histories are thinned out evenly
MAX_PLOT_POINTS = 300
#: decision-boundary grid resolution (columns x rows); a plot cell per grid point or so
GRID_SIZE = (40, 20)


def decimate(n: int, max_points: int = MAX_PLOT_POINTS) -> range | list[int]:
    """Indices of at most ``max_points`` items out of ``n``, evenly spread, always with the last."""
    if n <= max_points:
        return range(n)
    stride = math.ceil(n / max_points)
    idx = list(range(0, n, stride))
    if idx[-1] != n - 1:
        idx.append(n - 1)
    return idx


def grid_axes(X: Sequence[Sequence[float]], nx: int = GRID_SIZE[0], ny: int = GRID_SIZE[1],
              margin: float = 0.1) -> tuple[list[float], list[float]]:
    """Grid coordinates covering the points ``X`` (2-D) with a margin on each side.

    The grid's points are equally spaced in x and y (one scale for both), so a picture of
    square pixels keeps the data's aspect ratio; the longer side of the grid gets the extra
    room around the data.
    """
    xs0 = [p[0] for p in X] or [0.0]
    ys0 = [p[1] for p in X] or [0.0]
    x_lo, x_hi = min(xs0), max(xs0)
    y_lo, y_hi = min(ys0), max(ys0)
    dx = (x_hi - x_lo) or 1.0
    dy = (y_hi - y_lo) or 1.0
    nx, ny = max(2, nx), max(2, ny)
    scale = max(dx * (1 + 2 * margin) / (nx - 1), dy * (1 + 2 * margin) / (ny - 1))
    cx, cy = (x_lo + x_hi) / 2, (y_lo + y_hi) / 2
    xs = [cx + (i - (nx - 1) / 2) * scale for i in range(nx)]
    ys = [cy + (j - (ny - 1) / 2) * scale for j in range(ny)]
    return xs, ys


def curve_axis(X: Sequence[Sequence[float]], n: int = 80, margin: float = 0.05) -> list[float]:
    """Inputs at which to draw a 1-D model's fitted curve."""
    xs0 = [p[0] for p in X] or [0.0]
    lo, hi = min(xs0), max(xs0)
    d = (hi - lo) or 1.0
    lo, hi = lo - margin * d, hi + margin * d
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]
