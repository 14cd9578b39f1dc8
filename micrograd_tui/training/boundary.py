"""The decision boundary as half-block cells, shaded by confidence.

Each character cell shows two square-ish "pixels", its top and bottom halves (``▀`` with the
top colour as foreground and the bottom colour as background), so the field has twice the
vertical resolution of the text grid.  A pixel's colour says which class the model picks and
how sure it is: blue for +1 and orange for -1 (told apart by colour-blind eyes, as in
TensorFlow Playground), pale grey near the boundary, saturated far from it.  Data points are
drawn over the shading, one glyph per cell: ``●`` for training points, ``○`` for test points,
in a light tint of their class's colour.

Plain Rich segments (no Textual widget here): :func:`render_boundary` returns the strips,
:mod:`.plots` shows them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

#: shading levels on each side of the boundary (0: unsure ... LEVELS: sure)
LEVELS = 6
NEUTRAL = (88, 88, 96)
POS_FAR = (30, 100, 190)      # blue: the model says +1
NEG_FAR = (205, 105, 20)      # orange: the model says -1
POS_POINT = (150, 210, 255)   # data points of class +1
NEG_POINT = (255, 200, 130)   # ... and -1
TRAIN_GLYPH = "●"
TEST_GLYPH = "○"
_TITLE = Style(bold=True)
_LABEL = Style(color="rgb(150,150,150)")


def confidence(score: float, probabilistic: bool) -> float:
    """How sure, in [-1, 1], signed by class: 2p - 1 for a logit (BCE), else tanh(score)."""
    if math.isnan(score):
        return 0.0
    return math.tanh(score / 2.0) if probabilistic else math.tanh(score)


def level(t: float) -> int:
    """A confidence in [-1, 1] as a shading level in [-LEVELS, LEVELS] (0 only at the boundary)."""
    k = round(abs(t) * LEVELS)
    k = max(1, k) if t != 0 else 0
    return k if t > 0 else -k


def level_color(k: int) -> tuple[int, int, int]:
    far = POS_FAR if k > 0 else NEG_FAR
    a = abs(k) / LEVELS
    return tuple(round(n + (f - n) * a) for n, f in zip(NEUTRAL, far))  # type: ignore[return-value]


def _rgb(c: tuple[int, int, int]) -> str:
    return f"rgb({c[0]},{c[1]},{c[2]})"


@dataclass(frozen=True)
class Field:
    """Shading levels of a pixel grid (row 0 at the top) and where the points fall."""

    levels: list[list[int]]           # [pixel row][pixel column]
    points: dict[tuple[int, int], tuple[str, tuple[int, int, int]]]  # (row, col) -> glyph, colour

    @property
    def shaded_cells(self) -> tuple[int, int]:
        """Pixels across and down (half-cells: twice the character rows)."""
        return (len(self.levels[0]) if self.levels else 0), len(self.levels)


def make_field(xs: Sequence[float], ys: Sequence[float], grid: Sequence[Sequence[float]],
               cols: int, rows: int, probabilistic: bool,
               train: tuple[Sequence[Sequence[float]], Sequence[float]],
               test: tuple[Sequence[Sequence[float]], Sequence[float]]) -> Field:
    """The shading of ``cols`` x ``rows`` character cells (``2 * rows`` pixel rows) from the
    scores ``grid[j][i]`` at (``xs[i]``, ``ys[j]``), ys ascending, and the points on it.

    The grid may be coarser than the pixels (each pixel takes its nearest grid point).
    """
    gx, gy = len(xs), len(ys)
    prow = 2 * rows
    lv_grid = [[level(confidence(s, probabilistic)) for s in row] for row in grid]
    col_idx = [min(gx - 1, c * gx // cols) for c in range(cols)]
    levels = []
    for r in range(prow):
        src = lv_grid[gy - 1 - min(gy - 1, r * gy // prow)]
        levels.append([src[i] for i in col_idx])
    # the window the grid covers: half a grid step beyond the outer grid points
    hx = (xs[-1] - xs[0]) / (gx - 1) / 2 if gx > 1 else 0.5
    hy = (ys[-1] - ys[0]) / (gy - 1) / 2 if gy > 1 else 0.5
    x0, x1 = xs[0] - hx, xs[-1] + hx
    y0, y1 = ys[0] - hy, ys[-1] + hy
    points: dict[tuple[int, int], tuple[str, tuple[int, int, int]]] = {}
    for (X, y), glyph in ((test, TEST_GLYPH), (train, TRAIN_GLYPH)):  # train drawn last: on top
        for p, t in zip(X, y):
            c = math.floor((p[0] - x0) / (x1 - x0) * cols)
            r = math.floor((y1 - p[1]) / (y1 - y0) * prow)
            if 0 <= c < cols and 0 <= r < prow:
                points[(r // 2, c)] = (glyph, POS_POINT if t > 0 else NEG_POINT)
    return Field(levels, points)


class _Styles:
    """Rich styles by (foreground, background), made once."""

    def __init__(self) -> None:
        self._cache: dict[tuple, Style] = {}

    def get(self, fg: tuple[int, int, int], bg: tuple[int, int, int]) -> Style:
        key = (fg, bg)
        style = self._cache.get(key)
        if style is None:
            style = self._cache[key] = Style(color=_rgb(fg), bgcolor=_rgb(bg))
        return style


_STYLES = _Styles()
_COLORS = {k: level_color(k) if k else NEUTRAL for k in range(-LEVELS, LEVELS + 1)}


def field_strips(field: Field, cols: int) -> list[Strip]:
    """One strip per character row of ``field``: ``▀`` with top over bottom colour, or a point."""
    strips = []
    levels, points = field.levels, field.points
    for r in range(len(levels) // 2):
        top, bottom = levels[2 * r], levels[2 * r + 1]
        segs: list[Segment] = []
        run: list[str] = []
        run_style: Style | None = None
        for c in range(cols):
            pt = points.get((r, c))
            if pt is not None:
                style = _STYLES.get(pt[1], _COLORS[top[c]])
                ch = pt[0]
            else:
                style = _STYLES.get(_COLORS[top[c]], _COLORS[bottom[c]])
                ch = "▀"
            if style is not run_style and run:
                segs.append(Segment("".join(run), run_style))
                run = []
            run_style = style
            run.append(ch)
        if run:
            segs.append(Segment("".join(run), run_style))
        strips.append(Strip(segs, cols))
    return strips


def legend(width: int, has_test: bool) -> Strip:
    """``-1 ▇▇▇…▇▇▇ +1  ● train ○ test``: the shading scale and the point glyphs."""
    segs = [Segment("-1 ", _LABEL)]
    for k in list(range(-LEVELS, 0, 2)) + [0] + list(range(2, LEVELS + 1, 2)):
        segs.append(Segment("█", Style(color=_rgb(_COLORS[k]))))
    segs.append(Segment(" +1  ", _LABEL))
    segs.append(Segment(TRAIN_GLYPH + " train", _LABEL))
    if has_test:
        segs.append(Segment("  " + TEST_GLYPH + " test", _LABEL))
    return Strip(segs).crop(0, width).adjust_cell_length(width)


def title(text: str, width: int) -> Strip:
    return Strip([Segment(text, _TITLE)]).crop(0, width).adjust_cell_length(width)
