"""What each neuron computes over the input plane, in plain floats (no widgets, no graphs).

:func:`neuron_maps` runs the model's layers over a small grid of points that covers the data
(12×8 by default) and keeps every shown neuron's activation there, TensorFlow Playground's
pictures of the hidden units.  The selected neuron also gets a finer grid for its large view.
It reads only the parameters' ``data``, so the training thread may call it between steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from engine.nn import MLP
from engine.train import layer_columns

#: the first this many neurons of a layer get a picture; the panel says how many more
SHOWN = 8
#: small pictures: points across and down (a half-block cell is two points tall)
SMALL = (12, 8)
#: the selected neuron's large picture
LARGE = (36, 24)

#: TensorFlow Playground's hues: orange for negative, blue for positive; neutral in between
NEGATIVE = (245, 147, 34)
POSITIVE = (8, 119, 189)
NEUTRAL = (44, 44, 52)

Bounds = tuple[float, float, float, float]  # x0, x1, y0, y1

@dataclass(frozen=True)
class Heatmap:
    """``values[r][c]`` at the grid's column c, row r (row 0 at the top, the largest y),
    scaled to [-1, 1] by the largest magnitude; ``low``/``high`` are the raw extremes."""

    values: tuple[tuple[float, ...], ...]
    low: float
    high: float

    @property
    def size(self) -> tuple[int, int]:
        return (len(self.values[0]) if self.values else 0, len(self.values))


@dataclass(frozen=True)
class LayerMaps:
    """One layer: its name, its true width, and its first :data:`SHOWN` neurons' pictures,
    incoming weights and biases."""

    name: str
    width: int
    maps: tuple[Heatmap, ...]
    weights: tuple[tuple[float, ...], ...]
    biases: tuple[float, ...]

    @property
    def hidden_count(self) -> int:
        """How many neurons have no picture."""
        return self.width - len(self.maps)


@dataclass(frozen=True)
class NeuronMaps:
    """Every layer's pictures, and the selected neuron's large one."""

    layers: tuple[LayerMaps, ...]
    inputs: tuple[str, ...]
    selected: tuple[int, int]
    large: Heatmap | None
    bounds: Bounds

    def weight_scale(self, layer: int) -> float:
        """The largest incoming weight magnitude of ``layer`` (1 when all are zero)."""
        biggest = max((abs(w) for ws in self.layers[layer].weights for w in ws), default=0.0)
        return biggest or 1.0


def plane_bounds(X: Sequence[Sequence[float]], aspect: float = SMALL[0] / SMALL[1],
                 pad: float = 0.1) -> Bounds:
    """A rectangle around the points, padded, with width/height ``aspect`` (so that one
    grid step is the same length across and down)."""
    if not X:
        return (-1.0, 1.0, -1.0, 1.0)
    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    w = max(max(xs) - min(xs), 1e-6) * (1 + 2 * pad)
    h = max(max(ys) - min(ys), 1e-6) * (1 + 2 * pad)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return (cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2)


def _grid(bounds: Bounds, cols: int, rows: int) -> list[tuple[float, float]]:
    """Cell centres, row by row from the top (largest y)."""
    x0, x1, y0, y1 = bounds
    dx, dy = (x1 - x0) / cols, (y1 - y0) / rows
    return [(x0 + (c + 0.5) * dx, y1 - (r + 0.5) * dy) for r in range(rows) for c in range(cols)]


def _forward(model: MLP, points: list[tuple[float, float]],
             last_layer: int) -> list[list[list[float]]]:
    """Each layer's activations (per neuron, per point) up to ``last_layer``: one pass over
    all the points, a layer at a time (an overflow shows as a large value, never raises)."""
    return layer_columns(model, points, last_layer + 1, checked=False)


def _heatmap(values: list[float], cols: int) -> Heatmap:
    # an overflow (a picture, not training) shows as large; a nan as nothing
    finite = [v if math.isfinite(v) else 0.0 if math.isnan(v) else math.copysign(1e300, v)
              for v in values]
    low, high = min(finite), max(finite)
    scale = max(abs(low), abs(high)) or 1.0
    rows = [tuple(v / scale for v in finite[r * cols:(r + 1) * cols])
            for r in range(len(finite) // cols)]
    return Heatmap(tuple(rows), low, high)


def neuron_maps(model: MLP, bounds: Bounds, selected: tuple[int, int] = (0, 0), *,
                shown: int = SHOWN, small: tuple[int, int] = SMALL,
                large: tuple[int, int] = LARGE) -> NeuronMaps:
    """Pictures of what each neuron of a 2-input ``model`` computes over ``bounds``.

    ``selected`` (layer, neuron) is clamped to the model; it gets a ``large`` picture."""
    if model.nin != 2:
        raise ValueError(f"neuron pictures need a model with 2 inputs, not {model.nin}")
    n_layers = len(model.layers)
    li = min(max(selected[0], 0), n_layers - 1)
    ni = min(max(selected[1], 0), min(shown, len(model.layers[li].neurons)) - 1)
    acts = _forward(model, _grid(bounds, *small), n_layers - 1)
    layers = []
    for i, (layer, layer_acts) in enumerate(zip(model.layers, acts)):
        neurons = layer.neurons[:shown]
        layers.append(LayerMaps(
            "output" if i == n_layers - 1 else f"hidden {i + 1}",
            len(layer.neurons),
            tuple(_heatmap(a, small[0]) for a in layer_acts[:shown]),
            tuple(tuple(w.data for w in nr.w) for nr in neurons),
            tuple(nr.b.data for nr in neurons)))
    big = _forward(model, _grid(bounds, *large), li)[li][ni]
    return NeuronMaps(tuple(layers), ("x1", "x2"), (li, ni), _heatmap(big, large[0]), bounds)


def blend(t: float) -> tuple[int, int, int]:
    """The colour of a scaled value ``t`` in [-1, 1]: orange below 0, blue above."""
    t = max(-1.0, min(1.0, t))
    end = POSITIVE if t >= 0 else NEGATIVE
    a = abs(t) ** 0.7  # pale only close to zero
    return tuple(round(n + (e - n) * a) for n, e in zip(NEUTRAL, end))  # type: ignore[return-value]


def weight_glyph(w: float, scale: float) -> str:
    """A glyph whose size tells ``|w|`` relative to ``scale`` (the layer's largest)."""
    r = abs(w) / scale if scale else 0.0
    return "·" if r < 0.2 else "•" if r < 0.5 else "●"
