"""Neurons, layers and multi-layer perceptrons, compatible with karpathy/micrograd's ``nn.py``.

``random.seed(1337); MLP(2, [16, 16, 1])`` draws exactly micrograd's weights (uniform in
[-1, 1], neuron by neuron, bias 0), ReLU on hidden layers and a linear output.  A layer of one
neuron returns a bare ``Value`` when called, as in micrograd, but an MLP can still have a
hidden layer of one neuron (micrograd issue #13).
"""

from __future__ import annotations

import random
from functools import partial
from typing import Any, Callable, Sequence

from .ops import ACTIVATIONS as _ACTIVATION_OPS
from .ops import RELU, Op
from .value import Value, _unary, fused_neuron

#: activation name -> its operation (``None``: linear): every operation of engine.ops
#: marked ``activation``, then "linear"
ACTIVATIONS: dict[str, Op | None] = {**_ACTIVATION_OPS, "linear": None}


def _activation_function(op: Op | None) -> Callable[[Value], Value] | None:
    if op is None:
        return None
    if op is RELU:
        return Value.relu  # the inlined fast path (test_ops.py keeps it equal to RELU)
    return partial(_unary, op)

#: activation name -> how a neuron's repr spells it, as micrograd does (``ReLUNeuron(2)``)
DISPLAY_NAMES: dict[str, str] = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid",
                                 "linear": "Linear"}


def _check_activation(name: str) -> str:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}: choose one of {', '.join(ACTIVATIONS)}")
    return name


class Module:
    """Anything with parameters."""

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        return []


class Neuron(Module):
    """``act(b + sum(w_i * x_i))``; ``w`` is a list of Values and ``b`` a Value, as in micrograd."""

    def __init__(self, nin: int, nonlin: bool = True, *, activation: str | None = None,
                 fused: bool = False, rng: random.Random | None = None) -> None:
        if not isinstance(nin, int) or nin < 1:
            raise ValueError(f"a neuron needs at least one input, not {nin!r}")
        uniform = (rng or random).uniform
        self.w = [Value(uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.activation = _check_activation(activation or ("relu" if nonlin else "linear"))
        self.nonlin = self.activation != "linear"
        self.fused = fused
        self._act = _activation_function(ACTIVATIONS[self.activation])

    def __call__(self, x: Sequence[Value | float]) -> Value:
        if isinstance(x, Value):
            x = [x]
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        if self.fused:
            act = fused_neuron(self.w, x, self.b)
        else:
            act = self.b  # b + w0*x0 + w1*x1 + ...: micrograd's order, so the same numbers
            for wi, xi in zip(self.w, x):
                act = act + wi * xi
        return self._act(act) if self._act is not None else act

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        name = DISPLAY_NAMES.get(self.activation) or self.activation[:1].upper() + self.activation[1:]
        return f"{name}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons that share the same inputs."""

    def __init__(self, nin: int, nout: int, **kwargs: Any) -> None:
        if not isinstance(nout, int) or nout < 1:
            raise ValueError(f"a layer needs at least one neuron, not {nout!r}")
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def forward(self, x: Sequence[Value | float]) -> list[Value]:
        """The outputs as a list, always (an MLP chains layers with this)."""
        return [n(x) for n in self.neurons]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = self.forward(x)
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(nin, [16, 16, 1])``.

    ``activation`` is used on hidden layers (relu, tanh, sigmoid or linear),
    ``output_activation`` on the last one (linear by default, as in micrograd).  ``fused``
    builds one node per neuron (fast, for training) instead of the fine graph.
    """

    def __init__(self, nin: int, nouts: Sequence[int], *, activation: str = "relu",
                 output_activation: str = "linear", fused: bool = False,
                 rng: random.Random | None = None) -> None:
        if not isinstance(nin, int) or nin < 1:
            raise ValueError(f"an MLP needs at least one input, not {nin!r}")
        nouts = list(nouts)
        if not nouts:
            raise ValueError("an MLP needs at least one layer")
        _check_activation(activation)
        _check_activation(output_activation)
        self.nin = nin
        self.nouts = nouts
        self.activation = activation
        self.output_activation = output_activation
        sz = [nin] + nouts
        self.layers = [
            Layer(sz[i], sz[i + 1], fused=fused, rng=rng,
                  activation=activation if i != len(nouts) - 1 else output_activation)
            for i in range(len(nouts))
        ]

    @property
    def fused(self) -> bool:
        return self.layers[0].neurons[0].fused

    @fused.setter
    def fused(self, value: bool) -> None:
        for layer in self.layers:
            for n in layer.neurons:
                n.fused = value

    def forward(self, x: Sequence[Value | float]) -> list[Value]:
        for layer in self.layers:
            x = layer.forward(x)
        return x  # type: ignore[return-value]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = self.forward(x)
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def label_parameters(self) -> None:
        """Name every weight and bias (``L1.N3.w2``, ``L1.N3.b``) for graph views."""
        for li, layer in enumerate(self.layers, 1):
            for ni, n in enumerate(layer.neurons, 1):
                for wi, w in enumerate(n.w, 1):
                    w.label = f"L{li}.N{ni}.w{wi}"
                n.b.label = f"L{li}.N{ni}.b"

    # --- saving and loading ----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "micrograd-tui/mlp",
            "version": 1,
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activation": self.activation,
            "output_activation": self.output_activation,
            "parameters": [p.data for p in self.parameters()],
        }

    @classmethod
    def from_dict(cls, d: Any, *, fused: bool = False) -> "MLP":
        """Rebuild a model from ``to_dict()``; a malformed dict raises ``ValueError`` saying what."""
        if not isinstance(d, dict) or d.get("format") != "micrograd-tui/mlp":
            raise ValueError("not a micrograd-tui model (the 'format' field is missing or wrong)")
        nin, nouts, params = d.get("nin"), d.get("nouts"), d.get("parameters")
        if not isinstance(nin, int) or isinstance(nin, bool) or nin < 1:
            raise ValueError(f"'nin' must be a positive integer, not {nin!r}")
        if (not isinstance(nouts, list) or not nouts
                or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in nouts)):
            raise ValueError(f"'nouts' must be a list of positive integers, not {nouts!r}")
        sizes = [nin] + nouts
        count = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
        if count > 1_000_000:
            raise ValueError(f"the model is too large ({count} parameters)")
        if not isinstance(params, list) or len(params) != count:
            got = len(params) if isinstance(params, list) else type(params).__name__
            raise ValueError(f"'parameters' must be a list of {count} numbers, got {got}")
        model = cls(nin, nouts, activation=str(d.get("activation", "relu")),
                    output_activation=str(d.get("output_activation", "linear")), fused=fused,
                    rng=random.Random(0))
        for i, (p, v) in enumerate(zip(model.parameters(), params)):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ValueError(f"parameter {i} is not a number: {v!r}")
            try:
                p.data = float(v)
            except OverflowError:
                raise ValueError(f"parameter {i} is too large for a float") from None
            if not -float("inf") < p.data < float("inf"):
                raise ValueError(f"parameter {i} is not finite: {v!r}")
        return model

    def save(self, path: str) -> None:
        """Write the model as JSON, atomically (a crash never leaves half a file)."""
        import json

        from .persist import atomic_write_text

        atomic_write_text(path, json.dumps(self.to_dict(), indent=1))

    @classmethod
    def load(cls, path: str, *, fused: bool = False) -> "MLP":
        """Read a model saved by :meth:`save`; a bad file raises ``ModelFileError`` naming it."""
        from .persist import ModelFileError, read_json

        d = read_json(path, what="model")
        try:
            return cls.from_dict(d, fused=fused)
        except ValueError as e:
            raise ModelFileError(f"{path}: {e}") from None

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
