"""A trained model as a program in the playground's expression language.

:func:`model_program` writes the statements that compute a model's output for one input, so
its graph can be explored in the playground.  Plain Python (no Textual).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from engine.nn import MLP

#: a model with more parameters than this is written with its weights as plain numbers
NAMED_WEIGHT_LIMIT = 60
#: a model with more neurons than this makes a graph too big for the playground
PROGRAM_NEURON_LIMIT = 40


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
