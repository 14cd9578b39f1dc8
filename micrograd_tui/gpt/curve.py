"""Plain: the loss history (raw and smoothed) and its picture in braille dots.

A terminal cell holds a 2 × 4 grid of braille dots (U+2800 + a bit per dot), so a curve
``width`` cells wide and ``height`` cells high has ``2·width`` columns of ``4·height`` dots.
:func:`braille_curves` turns series of numbers into rows of ``(character, series)`` cells;
the widget only colours them.  No Textual here, so it is quick to test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["LossHistory", "braille_curves", "SMOOTHING", "Cell"]

#: the smoothed loss is an exponential moving average with this weight on the past
SMOOTHING = 0.95

# bit of the braille dot at (column 0/1, row 0..3 from the top)
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
_BLANK = 0x2800

#: one cell: its character, and the index of the series drawn in it (-1: empty)
Cell = tuple[str, int]


@dataclass
class LossHistory:
    """Every step's loss, and its exponential moving average (bias-corrected, so the first
    points are not pulled towards 0)."""

    raw: list[float] = field(default_factory=list)
    smooth: list[float] = field(default_factory=list)
    _ema: float = 0.0

    def add(self, loss: float) -> None:
        self.raw.append(loss)
        self._ema = SMOOTHING * self._ema + (1 - SMOOTHING) * loss
        self.smooth.append(self._ema / (1 - SMOOTHING ** len(self.raw)))

    def clear(self) -> None:
        self.raw.clear()
        self.smooth.clear()
        self._ema = 0.0

    def keep(self, n: int) -> None:
        """Only the first ``n`` losses (the steps after them were undone)."""
        if n < len(self.raw):
            raw = self.raw[:max(0, n)]
            self.clear()
            for loss in raw:
                self.add(loss)

    def __len__(self) -> int:
        return len(self.raw)


def _buckets(values: list[float], columns: int) -> list[tuple[float, float]]:
    """(min, max) for each of ``columns`` dot columns, the values spread over all of them:
    with more values than columns a column covers a run of steps, with fewer a step spans
    several columns.  Each column reaches back to the value before it, so the dots join up."""
    n = len(values)
    if not n:
        return []
    out = []
    last = 0  # the last value the previous column covered
    for c in range(columns):
        lo, hi = c * n // columns, max((c + 1) * n // columns, c * n // columns + 1)
        chunk = values[lo:hi]
        if last < lo:  # a new value starts here: join it to the one before
            chunk = values[last:hi]
        out.append((min(chunk), max(chunk)))
        last = hi - 1
    return out


def y_range(series: list[list[float]]) -> tuple[float, float] | None:
    """The lowest and highest finite number of all the series (None: nothing to draw)."""
    finite = [x for s in series for x in s if math.isfinite(x)]
    if not finite:
        return None
    lo, hi = min(finite), max(finite)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    return lo, hi


def braille_curves(series: list[list[float]], width: int, height: int,
                   bounds: tuple[float, float] | None = None) -> list[list[Cell]]:
    """``height`` rows of ``width`` cells picturing each series over the whole width.

    Each dot column shows the range of the values it covers (a noisy curve is a band, a
    smooth one a line).  Where series share a cell, the later one's index is given (its
    colour wins) and the dots of both are drawn.
    """
    width, height = max(1, width), max(1, height)
    bounds = bounds or y_range(series)
    dots = [[0] * width for _ in range(height)]
    owner = [[-1] * width for _ in range(height)]
    if bounds is not None:
        lo, hi = bounds
        rows = 4 * height

        def dot_row(y: float) -> int:  # 0 at the top
            y = min(max(y, lo), hi)
            return min(rows - 1, max(0, round((hi - y) / (hi - lo) * (rows - 1))))

        for index, values in enumerate(series):
            finite = [v for v in values if math.isfinite(v)]
            for col, (vmin, vmax) in enumerate(_buckets(finite, 2 * width)):
                top, bottom = dot_row(vmax), dot_row(vmin)
                for r in range(top, bottom + 1):
                    cell_row, cell_col = r // 4, col // 2
                    dots[cell_row][cell_col] |= _DOTS[r % 4][col % 2]
                    owner[cell_row][cell_col] = index
    return [[(chr(_BLANK + bits) if bits else " ", who) for bits, who in zip(drow, orow)]
            for drow, orow in zip(dots, owner)]
