"""A small line plot drawn with braille dots, and the ticks around it.

Plain Python over Rich segments (no plotext): :func:`nice_step`, :func:`y_axis` and :func:`int_ticks` choose
round ticks, :class:`Chart` lays a plot out (y labels on the left, x labels below, legend on
the title line, off the curve) and returns one :class:`~textual.strip.Strip` per line.

A braille cell holds 2x4 dots; a cell shows one series only.  Series are drawn in order and a
cell keeps the *first* series that reached it (line or point), so the first series (train, or
a fitted curve) is never hidden by a later one (test, or data points); a dashed series leaves every other dot column out, so it reads apart from
a solid one even in one colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

#: bit of each dot in a braille cell, by (column, row) in the cell
_DOT = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
_LABEL = Style(color="rgb(150,150,150)")
_TITLE = Style(bold=True)
_AXIS = Style(color="rgb(90,90,90)")


def nice_step(span: float, count: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) cutting ``span`` in ~``count``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(1, count)
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * mag >= raw * (1 - 1e-9):
            return m * mag
    return 10.0 * mag  # pragma: no cover - the loop always returns


def fmt_tick(v: float, step: float) -> str:
    """A tick label with as many decimals as ``step`` needs (``-0`` reads ``0``)."""
    decimals = 0
    while decimals < 9 and abs(round(step, decimals) - step) > 1e-9 * max(1.0, abs(step)):
        decimals += 1
    text = f"{v:.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text


@dataclass
class YAxis:
    """Round ticks on exact rows: ``lo`` at the bottom row, each tick ``rows_per_tick`` up."""

    lo: float
    step: float
    rows_per_tick: int
    rows: int

    @property
    def per_row(self) -> float:
        return self.step / self.rows_per_tick

    @property
    def hi(self) -> float:
        return self.lo + (self.rows - 1) * self.per_row

    def labels(self) -> dict[int, str]:
        """Row (0 at the top) -> label, for the rows that carry a tick."""
        out = {}
        for k in range(0, self.rows, self.rows_per_tick):
            out[self.rows - 1 - k] = fmt_tick(self.lo + (k // self.rows_per_tick) * self.step,
                                              self.step)
        return out

    def dot_row(self, v: float) -> float:
        """Dot row of value ``v`` (0 at the top; a labelled row's value sits on its middle)."""
        return (self.rows - 1 - (v - self.lo) / self.per_row) * 4 + 1.5


def y_axis(lo: float, hi: float, rows: int) -> YAxis:
    """An axis covering [lo, hi] in ``rows`` rows, with round ticks on the rows they label."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi <= lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    rows = max(2, rows)
    most = max(1, min(6, (rows - 1) // 2))  # labels at most every other row, six at most
    options = []  # (range covered, -ticks, axis) for round steps from fine to coarse
    step = nice_step(hi - lo, rows - 1)
    for _ in range(12):
        base = math.floor(lo / step + 1e-9) * step
        ticks = max(1, math.ceil((hi - base) / step - 1e-9))
        if ticks <= most:
            rpt = (rows - 1) // ticks
            options.append(((rows - 1) / rpt * step, -ticks, YAxis(base, step, rpt, rows)))
        step = nice_step(step * 1.5, 1)  # the next round step up
    # the least wasted room, but more labels when that costs under a fifth more room
    if not options:  # pragma: no cover - twelve steps up always fit
        return YAxis(lo, hi - lo, rows - 1, rows)
    least = min(o[0] for o in options)
    return min((o for o in options if o[0] <= 1.2 * least), key=lambda o: (o[1], o[0]))[2]


def int_ticks(lo: int, hi: int, width: int, label_width: int) -> list[int]:
    """Integer ticks from ``lo`` to ``hi`` spaced so labels ``label_width`` wide fit ``width``."""
    if hi <= lo:
        return [lo]
    most = max(1, width // (label_width + 2))
    step = max(1, math.ceil(nice_step(hi - lo, most)))
    while (hi - lo) // step + 1 > most + 1:
        step = math.ceil(nice_step(step * 1.5, 1))
    first = math.ceil(lo / step) * step
    return list(range(first, hi + 1, step)) or [lo]


@dataclass
class Series:
    """Points to draw: ``kind`` is "line", "dashed" or "points" (``glyph`` per point)."""

    xs: Sequence[float]
    ys: Sequence[float]
    color: tuple[int, int, int]
    label: str
    kind: str = "line"
    glyph: str = "●"


@dataclass
class Chart:
    """A chart to render: title, series, and the ranges (x as integers if ``int_x``)."""

    title: str
    series: list[Series] = field(default_factory=list)
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    int_x: bool = True


def _legend(chart: Chart) -> list[Segment]:
    segs: list[Segment] = [Segment(chart.title, _TITLE)]
    for s in chart.series:
        mark = {"line": "⣀⣀", "dashed": "⣀ ⣀"}.get(s.kind, s.glyph)
        segs += [Segment("  "), Segment(mark, Style(color=_rgb(s.color))),
                 Segment(" " + s.label, _LABEL)]
    return segs


def _rgb(c: tuple[int, int, int]) -> str:
    return f"rgb({c[0]},{c[1]},{c[2]})"


def _fit(segs: list[Segment], width: int) -> Strip:
    return Strip(segs).crop(0, width).adjust_cell_length(width) if width > 0 else Strip([])


def _line_dots(x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
    n = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
    return [(round(x0 + (x1 - x0) * k / n), round(y0 + (y1 - y0) * k / n)) for k in range(n + 1)]


def render_chart(chart: Chart, width: int, height: int) -> list[Strip]:
    """The chart as ``height`` strips ``width`` cells wide."""
    blank = Strip.blank(width)
    if width < 12 or height < 4:
        return [_fit(_legend(chart), width)] + [blank] * (height - 1)
    pts = [(x, y) for s in chart.series for x, y in zip(s.xs, s.ys)
           if math.isfinite(x) and math.isfinite(y)]
    rows = height - 2  # title line, x labels
    if chart.y_range is not None:
        ylo, yhi = chart.y_range
    elif pts:
        ylo, yhi = min(p[1] for p in pts), max(p[1] for p in pts)
    else:
        ylo, yhi = 0.0, 1.0
    ax = y_axis(ylo, yhi, rows)
    ylabels = ax.labels()
    lw = max(len(t) for t in ylabels.values()) + 1
    cols = width - lw - 2  # a blank column on the right keeps labels off a neighbour
    if chart.x_range is not None:
        xlo, xhi = chart.x_range
    elif pts:
        xlo, xhi = min(p[0] for p in pts), max(p[0] for p in pts)
    else:
        xlo, xhi = 0.0, 1.0
    xspan = (xhi - xlo) or 1.0
    dots_w, dots_h = cols * 2, rows * 4

    def px(x: float) -> float:
        return (x - xlo) / xspan * (dots_w - 1)

    cells: dict[tuple[int, int], list[int]] = {}  # (row, col) -> [bits, series index]
    glyphs: dict[tuple[int, int], int] = {}  # (row, col) -> series index, for point glyphs
    for si, s in enumerate(chart.series):
        xy = [(px(x), ax.dot_row(y)) for x, y in zip(s.xs, s.ys)
              if math.isfinite(x) and math.isfinite(y)]
        if s.kind == "points":
            for x, y in xy:
                key = (int(y) // 4, int(x) // 2)
                if 0 <= key[0] < rows and 0 <= key[1] < cols and key not in cells:
                    glyphs.setdefault(key, si)
            continue
        dots: list[tuple[int, int]] = []
        if len(xy) == 1:
            dots = [(round(xy[0][0]), round(xy[0][1]))]
        for (x0, y0), (x1, y1) in zip(xy, xy[1:]):
            dots += _line_dots(x0, y0, x1, y1)
        for dx, dy in dots:
            if not (0 <= dx < dots_w and 0 <= dy < dots_h):
                continue
            if s.kind == "dashed" and (dx // 2) % 2:
                continue
            key = (dy // 4, dx // 2)
            if key in glyphs:
                continue
            cell = cells.get(key)
            if cell is None:
                cells[key] = cell = [0, si]
            if cell[1] == si:
                cell[0] |= _DOT[dx % 2][dy % 4]
    styles = [Style(color=_rgb(s.color)) for s in chart.series]
    lines = [_fit(_legend(chart), width)]
    for r in range(rows):
        label = ylabels.get(r)
        segs = [Segment((label or "").rjust(lw - 1) + " ", _LABEL),
                Segment("┤" if label else "│", _AXIS)]
        run_style: Style | None = None
        run: list[str] = []
        for c in range(cols):
            g = glyphs.get((r, c))
            cell = cells.get((r, c))
            if g is not None:
                ch, st = chart.series[g].glyph, styles[g]
            elif cell is not None:
                ch, st = chr(0x2800 + cell[0]), styles[cell[1]]
            else:
                ch, st = " ", None
            if st is not run_style and run:
                segs.append(Segment("".join(run), run_style))
                run = []
            run_style = st
            run.append(ch)
        if run:
            segs.append(Segment("".join(run), run_style))
        lines.append(_fit(segs, width))
    lines.append(_fit(_x_labels(chart, xlo, xhi, lw + 1, cols, dots_w), width))
    return lines


def _x_labels(chart: Chart, xlo: float, xhi: float, left: int, cols: int,
              dots_w: int) -> list[Segment]:
    if chart.int_x:
        lo, hi = math.ceil(xlo), math.floor(xhi)
        width = len(str(hi))
        ticks: list[float] = list(int_ticks(lo, hi, cols, width))
        texts = [str(int(t)) for t in ticks]
    else:
        step = nice_step(xhi - xlo, max(1, cols // 8))
        ticks = [math.ceil(xlo / step - 1e-9) * step + k * step for k in range(cols)]
        ticks = [t for t in ticks if t <= xhi + 1e-9]
        texts = [fmt_tick(t, step) for t in ticks]
    line = [" "] * (left + cols)
    span = (xhi - xlo) or 1.0
    last_end = -1
    for t, text in zip(ticks, texts):
        col = left + int(round((t - xlo) / span * (dots_w - 1))) // 2
        start = min(max(col - len(text) // 2, left), left + cols - len(text))
        if start <= last_end:
            continue
        line[start:start + len(text)] = list(text)
        last_end = start + len(text)
    return [Segment("".join(line), _LABEL)]
