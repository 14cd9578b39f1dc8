"""The Train screen's look inside the network: a small heatmap per neuron, laid out by layer.

Each layer is a row of half-block pictures (:mod:`.neuron_maps` computes them: the neuron's
activation over the input plane, orange negative, blue positive), with the neuron's incoming
weights under it as glyphs (colour: sign; size: magnitude in the layer).  The selected
neuron (arrow keys or a click) is shown large beside or below, with its bias and weights.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from .neuron_maps import NEGATIVE, POSITIVE, Heatmap, NeuronMaps, blend, weight_glyph

_STEPS = 24  # colours per hue (values are rounded to this many steps)
_styles: dict[tuple[int, int], Style] = {}
DIM = Style(dim=True)
BOLD = Style(bold=True)
SELECTED = Style(reverse=True, bold=True)


def _cell(top: float, bottom: float) -> Segment:
    """One half-block cell: ``top`` and ``bottom`` are scaled values in [-1, 1]."""
    key = (round(top * _STEPS), round(bottom * _STEPS))
    style = _styles.get(key)
    if style is None:
        style = _styles[key] = Style(color=Color.from_rgb(*blend(key[0] / _STEPS)),
                                     bgcolor=Color.from_rgb(*blend(key[1] / _STEPS)))
    return Segment("▀", style)


def heatmap_rows(heatmap: Heatmap, width: int, height: int) -> list[list[Segment]]:
    """``heatmap`` resampled (nearest) to ``width`` cells by ``height`` half-block rows."""
    cols, rows = heatmap.size
    if not cols or width < 1 or height < 1:
        return [[Segment(" " * max(width, 0))] for _ in range(max(height, 0))]
    v = heatmap.values
    xs = [min(cols - 1, c * cols // width) for c in range(width)]
    out = []
    for r in range(height):
        top = v[min(rows - 1, (2 * r) * rows // (2 * height))]
        bottom = v[min(rows - 1, (2 * r + 1) * rows // (2 * height))]
        out.append([_cell(top[x], bottom[x]) for x in xs])
    return out


def _weight_style(w: float) -> Style:
    return Style(color=Color.from_rgb(*(POSITIVE if w >= 0 else NEGATIVE)), bold=True)


def _text(line: list[Segment], text: str, style: Style | None = None) -> int:
    line.append(Segment(text, style))
    return len(text)


class NeuronPanel(Widget, can_focus=True):
    """Pictures of every shown neuron; ``maps`` is set by the screen (None: nothing to show)."""

    DEFAULT_CSS = """
    NeuronPanel {
        height: 1fr;
        width: 1fr;
        padding: 0 1;
        border: round $foreground 30%;
        border-title-color: $text-accent;
    }
    NeuronPanel:focus {
        border: round $accent;
    }
    """

    BINDINGS = [
        Binding("left", "move(0, -1)", "Neuron", tooltip="Select the previous neuron"),
        Binding("right", "move(0, 1)", "Neuron", show=False),
        Binding("up", "move(-1, 0)", "Layer", tooltip="Select a neuron of the layer above"),
        Binding("down", "move(1, 0)", "Layer", show=False),
    ]

    @dataclass
    class Selected(Message):
        """The learner selected another neuron (layer, index among the shown)."""

        panel: "NeuronPanel"
        selected: tuple[int, int]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Inside the network"
        self.maps: NeuronMaps | None = None
        self.note = ""  # said instead of the pictures (e.g. "needs 2-D data")
        self.selected: tuple[int, int] = (0, 0)
        self._lines: list[list[Segment]] = []
        self._hits: list[tuple[int, int, int, int, tuple[int, int]]] = []  # y0, y1, x0, x1, id
        #: CPU seconds to lay out new pictures (running average; the screen paces by it)
        self.draw_cost = 0.0

    # --- data -----------------------------------------------------------------------------
    def show(self, maps: NeuronMaps | None, note: str = "") -> None:
        start = time.thread_time()
        self.maps, self.note = maps, note
        if maps is not None:
            self.selected = self._clamp(self.selected)
        self._layout()
        cost = time.thread_time() - start
        self.draw_cost = 0.7 * self.draw_cost + 0.3 * cost if self.draw_cost else cost

    def _clamp(self, sel: tuple[int, int]) -> tuple[int, int]:
        assert self.maps is not None
        li = min(max(sel[0], 0), len(self.maps.layers) - 1)
        return li, min(max(sel[1], 0), len(self.maps.layers[li].maps) - 1)

    def action_move(self, d_layer: int, d_neuron: int) -> None:
        if self.maps is not None:
            self._select(self._clamp((self.selected[0] + d_layer, self.selected[1] + d_neuron)))

    def _select(self, sel: tuple[int, int]) -> None:
        if sel != self.selected:
            self.selected = sel
            self._layout()
            self.post_message(self.Selected(self, sel))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for y0, y1, x0, x1, sel in self._hits:
            if y0 <= offset.y < y1 and x0 <= offset.x < x1:
                self._select(sel)
                return

    # --- drawing --------------------------------------------------------------------------
    def on_resize(self) -> None:
        self._layout()

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width  # render_line is given content rows
        if 0 <= y < len(self._lines):
            return Strip(self._lines[y]).crop_extend(0, width, None)
        return Strip.blank(width)

    def _layout(self) -> None:
        self._lines, self._hits = [], []
        W, H = self.content_size.width, self.content_size.height
        m = self.maps
        if m is None or W < 8 or H < 4:
            self._lines = [[Segment(self.note or "", DIM)]]
            self.refresh()
            return
        right = W >= 64
        detail_w = min(44, max(26, W // 3)) if right else W
        grid_w = W - detail_w - 1 if right else W
        shown = max(len(layer.maps) for layer in m.layers)
        tile_w = max(4, min(12, (grid_w + 1) // shown - 1))
        per_row = max(1, (grid_w + 1) // (tile_w + 1))
        n = len(m.layers)
        budget = H - 1 if right else H - 1 - 5
        # a half-block cell is about square: keep the pictures' 3:2 shape
        tile_h = max(1, min(4, budget // n - 2, round(tile_w / 3)))
        lines = self._lines
        legend: list[Segment] = []
        _text(legend, "− ", _weight_style(-1.0))
        _text(legend, "orange  blue ", DIM)
        _text(legend, "+", _weight_style(1.0))
        _text(legend, "   ←→↑↓/click: select", DIM)
        lines.append(legend)
        for li, layer in enumerate(m.layers):
            count = min(len(layer.maps), per_row)
            more = layer.width - count
            header: list[Segment] = []
            _text(header, layer.name, BOLD)
            _text(header, f" · {layer.width} neuron{'s' if layer.width != 1 else ''}", DIM)
            if more:
                _text(header, f" (+{more} more)", DIM)
            lines.append(header)
            rows: list[list[Segment]] = [[] for _ in range(tile_h + 1)]
            y0 = len(lines)
            scale = m.weight_scale(li)
            for ni in range(count):
                x0 = ni * (tile_w + 1)
                for r, cells in enumerate(heatmap_rows(layer.maps[ni], tile_w, tile_h)):
                    rows[r].extend(cells)
                    rows[r].append(Segment(" "))
                ws = layer.weights[ni][:tile_w]
                sel = (li, ni) == self.selected
                for w in ws:
                    style = _weight_style(w) + SELECTED if sel else _weight_style(w)
                    rows[-1].append(Segment(weight_glyph(w, scale), style))
                pad = tile_w - len(ws)
                rows[-1].append(Segment(("▔" if sel else " ") * pad, BOLD if sel else None))
                rows[-1].append(Segment(" "))
                self._hits.append((y0, y0 + tile_h + 1, x0, x0 + tile_w, (li, ni)))
            lines.extend(rows)
        if right:
            self._detail(detail_w, H, grid_w + 1)
        elif H - len(lines) >= 3:
            self._detail(W, H - len(lines), 0, below=True)
        self.refresh()

    def _detail(self, width: int, height: int, x: int, below: bool = False) -> None:
        """The selected neuron large, with its bias and incoming weights, at column ``x``
        (beside the grid) or under it."""
        m = self.maps
        assert m is not None
        li, ni = self.selected
        layer = m.layers[li]
        heat = m.large if m.selected == self.selected and m.large is not None else layer.maps[ni]
        title = f"{layer.name} · neuron {ni + 1}"
        ins = m.inputs if li == 0 else tuple(f"h{k + 1}" for k in range(len(layer.weights[ni])))
        text: list[list[Segment]] = [[Segment(title, BOLD)],
                                     [Segment(f"bias {layer.biases[ni]:+.3g}", DIM)]]
        item: list[Segment] = []
        used = 0
        scale = m.weight_scale(li)
        text_w = width if not below else max(10, width // 2)
        for name, w in zip(ins, layer.weights[ni]):
            piece = f"{name} {w:+.2f} "
            if used + len(piece) + 1 > text_w:
                text.append(item)
                item, used = [], 0
            used += _text(item, weight_glyph(w, scale), _weight_style(w))
            used += _text(item, piece)
        if item:
            text.append(item)
        text.append([Segment(f"range {heat.low:+.2g} … {heat.high:+.2g}", DIM)])
        if below:
            pic_h = max(1, min(height, (width - text_w - 1) // 3))
            pic_w = pic_h * 3
            pic = heatmap_rows(heat, pic_w, pic_h)
            for r in range(height):
                line = [*pic[r], Segment(" ")] if r < len(pic) else [Segment(" " * (pic_w + 1))]
                line.extend(text[r] if r < len(text) else [])
                self._lines.append(line)
            return
        pic_h = max(2, min(height - len(text), width // 3))
        block = [[*row] for row in heatmap_rows(heat, pic_h * 3, pic_h)] + text
        lines = self._lines
        while len(lines) < len(block):
            lines.append([])
        for r, row in enumerate(block[:height]):
            line = lines[r]
            used = sum(seg.cell_length for seg in line)
            line.append(Segment(" " * max(0, x - used)))
            line.extend(row)
