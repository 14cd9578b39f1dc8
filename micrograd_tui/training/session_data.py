"""Plain-Python helpers for the Train screen: no Textual here, so they are easy to test and time.

* :func:`decimate` picks a few hundred points out of a long history for plotting.
* :func:`grid_axes` places the decision-boundary grid around a 2-D data set.
* :func:`history_csv` / :func:`export_history_csv` write the loss history as CSV (atomically).
* :func:`model_program` writes a program in the playground's expression language that computes
  a trained model's output for one input, so its graph can be explored there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from engine.persist import atomic_write_text

if TYPE_CHECKING:
    from engine.nn import MLP

#: the most points a line plot gets; longer histories are thinned out evenly
MAX_PLOT_POINTS = 300
#: decision-boundary grid resolution (columns x rows); a plot cell per grid point or so
GRID_SIZE = (40, 20)
#: a model with more parameters than this is written with its weights as plain numbers
NAMED_WEIGHT_LIMIT = 60
#: a model with more neurons than this makes a graph too big for the playground
PROGRAM_NEURON_LIMIT = 40


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
    """Grid coordinates covering the points ``X`` (2-D) with a margin on each side."""
    xs0 = [p[0] for p in X] or [0.0]
    ys0 = [p[1] for p in X] or [0.0]
    x_lo, x_hi = min(xs0), max(xs0)
    y_lo, y_hi = min(ys0), max(ys0)
    dx = (x_hi - x_lo) or 1.0
    dy = (y_hi - y_lo) or 1.0
    x_lo, x_hi = x_lo - margin * dx, x_hi + margin * dx
    y_lo, y_hi = y_lo - margin * dy, y_hi + margin * dy
    xs = [x_lo + (x_hi - x_lo) * i / (nx - 1) for i in range(nx)]
    ys = [y_lo + (y_hi - y_lo) * j / (ny - 1) for j in range(ny)]
    return xs, ys


def curve_axis(X: Sequence[Sequence[float]], n: int = 80, margin: float = 0.05) -> list[float]:
    """Inputs at which to draw a 1-D model's fitted curve."""
    xs0 = [p[0] for p in X] or [0.0]
    lo, hi = min(xs0), max(xs0)
    d = (hi - lo) or 1.0
    lo, hi = lo - margin * d, hi + margin * d
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


# --- CSV ---------------------------------------------------------------------------------
CSV_COLUMNS = ("step", "loss", "accuracy", "lr", "test_loss", "test_accuracy", "seconds")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    return str(v)


def history_csv(history: Sequence[Any]) -> str:
    """The loss history (a list of ``StepEvent``) as CSV text, one row per step (1-based)."""
    lines = [",".join(CSV_COLUMNS)]
    for ev in history:
        lines.append(",".join((
            str(ev.step + 1), _cell(ev.loss), _cell(ev.accuracy), _cell(ev.lr),
            _cell(ev.test_loss), _cell(ev.test_accuracy), _cell(ev.seconds),
        )))
    return "\n".join(lines) + "\n"


def export_history_csv(history: Sequence[Any], path: str) -> None:
    """Write :func:`history_csv` to ``path`` atomically."""
    atomic_write_text(path, history_csv(history))


# --- the model as a playground program ----------------------------------------------------
def _num(v: float) -> str:
    """A float as a plain decimal literal (no exponent), close to full precision."""
    if v == 0:
        return "0.0"
    text = repr(float(v))
    if "e" not in text and "E" not in text:
        return text
    digits = max(1, 17 - int(math.floor(math.log10(abs(v)))))
    text = f"{v:.{min(digits, 30)}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


@dataclass
class ModelProgram:
    """A program text and what the user should know about it."""

    source: str
    neurons: int
    parameters: int
    named_weights: bool
    note: str


def model_program(model: "MLP", x: Sequence[float], *,
                  named_limit: int = NAMED_WEIGHT_LIMIT,
                  neuron_limit: int = PROGRAM_NEURON_LIMIT) -> ModelProgram:
    """A program computing ``model(x)``: inputs ``x1..xn``, one statement per neuron.

    Small models name every weight (``w1_2_1`` = layer 1, neuron 2, weight 1; ``b1_2`` its
    bias) so their gradients show in the playground; bigger ones write weights as numbers.
    Raises ``ValueError`` when the model has more than ``neuron_limit`` neurons.
    """
    layers = model.layers
    n_neurons = sum(len(layer.neurons) for layer in layers)
    n_params = len(model.parameters())
    if len(x) != model.nin:
        raise ValueError(f"the model takes {model.nin} inputs, got {len(x)}")
    if n_neurons > neuron_limit:
        raise ValueError(
            f"the model has {n_neurons} neurons ({n_params} parameters): its graph is too big "
            f"for the playground (at most {neuron_limit} neurons); try hidden layers like 4,4")
    named = n_params <= named_limit
    shown = ", ".join(_num(v) for v in x)
    lines: list[str] = [
        f"# a trained MLP ({n_neurons} neurons, {n_params} parameters) on the input ({shown})",
        "# out is its raw score" + ("; weights are numbers here, the model is large"
                                    if not named else "; w<layer>_<neuron>_<input>, b<layer>_<neuron>"),
    ]
    for i, xi in enumerate(x, 1):
        lines.append(f"x{i} = {_num(xi)}")
    inputs = [f"x{i}" for i in range(1, len(x) + 1)]
    last = len(layers)
    for li, layer in enumerate(layers, 1):
        outs = []
        for ni, neuron in enumerate(layer.neurons, 1):
            terms = []
            if named:
                for wi, w in enumerate(neuron.w, 1):
                    lines.append(f"w{li}_{ni}_{wi} = {_num(w.data)}")
                lines.append(f"b{li}_{ni} = {_num(neuron.b.data)}")
                terms = [f"w{li}_{ni}_{wi} * {inp}" for wi, inp in enumerate(inputs, 1)]
                expr = " + ".join(terms) + f" + b{li}_{ni}"
            else:
                expr = _num(neuron.b.data)
                for w, inp in zip(neuron.w, inputs):
                    sign = "-" if w.data < 0 else "+"
                    expr += f" {sign} {_num(abs(w.data))} * {inp}"
            act = neuron.activation
            if act != "linear":
                expr = f"{act}({expr})"
            name = "out" if li == last and len(layer.neurons) == 1 else f"h{li}_{ni}"
            lines.append(f"{name} = {expr}")
            outs.append(name)
        inputs = outs
    note = (f"{n_neurons} neurons, {n_params} parameters"
            + ("" if named else "; weights are written as numbers (a large model)"))
    return ModelProgram("\n".join(lines) + "\n", n_neurons, n_params, named, note)

