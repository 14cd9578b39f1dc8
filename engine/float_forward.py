"""The model's numbers without a graph: whole layers over many inputs, with floats.

:func:`layer_columns` runs an MLP over many points at once, one column of floats per neuron,
with the same operations in the same order as the graph of Values (hence the same numbers).
The trainer's predictions (the boundary, the fitted curve) and the neuron pictures use it.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

from .columnar import _mul_add
from .errors import NumericError
from .nn import ACTIVATIONS, MLP

__all__ = ["layer_columns"]


# float versions of the activations, for predictions without a graph: each operation's own
# forward (relu is also inlined in layer_columns, a fast path that
# tests/engine/test_ops.py::test_trainer_float_forward_equals_the_graph keeps equal)
_FLOAT_ACT: dict[str, Callable[[float], float] | None] = {
    name: (op.forward if op is not None else None) for name, op in ACTIVATIONS.items()}


def layer_columns(model: MLP, points: Sequence[Sequence[float]], layers: int | None = None,
                  *, checked: bool = True) -> list[list[list[float]]]:
    """Every layer's outputs over many points: ``out[l][k][i]`` is neuron ``k`` of layer ``l``
    at ``points[i]`` (only the first ``layers`` layers if given).

    Floats, column by column over the points, a neuron's inputs added eight at a time (the
    graph's order of operations, hence its numbers: :func:`~engine.columnar._mul_add`).
    ``checked``: a neuron whose sum is not a finite float raises :class:`NumericError`, as
    the graph would; unchecked (for pictures), it goes on, an activation that overflows
    giving an infinity of the sum's sign.
    """
    n = len(points)
    nin = model.nin
    cols = [[float(p[j]) for p in points] for j in range(nin)]
    isfinite = math.isfinite
    out: list[list[list[float]]] = []
    for layer in model.layers[:layers]:
        acts = []
        for neuron in layer.neurons:
            acc = _mul_add([neuron.b.data] * n, [w.data for w in neuron.w], cols)
            if checked and not all(map(isfinite, acc)):
                raise NumericError("neuron", (), "a neuron's output is too large for a float "
                                   "(overflow): the model's weights are too large")
            act = neuron.activation
            if act == "relu":
                acc = [a if a > 0.0 else 0.0 for a in acc]
            else:
                f = _FLOAT_ACT[act]
                if f is not None:  # None: linear
                    acc = _apply(f, acc, checked)
            acts.append(acc)
        out.append(acts)
        cols = acts
    return out


def _apply(f: Callable[[float], float], acc: list[float], checked: bool) -> list[float]:
    try:
        return list(map(f, acc))
    except (OverflowError, ValueError):
        if checked:
            raise
    out = []
    for a in acc:
        try:
            out.append(f(a))
        except (OverflowError, ValueError):
            out.append(math.copysign(math.inf, a))
    return out
