"""The Trainer's fast path: an MLP trained a whole layer at a time over the batch.

The graph path builds one node per neuron *per sample* (8,318 nodes for a micrograd demo
step) and walks them.  Here a layer is one node for the whole batch: its input is one list of
floats per input (a *column*: that input's value for every sample), its output one column per
neuron, and it has its own local backward.  No :class:`~engine.value.Value` is made per sample;
the model's parameter Values are read at each step and receive their gradients in ``grad``,
so the optimizers, ``Trainer.model``, saving and "open the model's graph" see the same model.

**The same bits.**  Every float operation is the one the graph does, in the same order, so
the losses and parameters are identical to the graph path's to the last bit (a test compares
whole runs for every preset).  What fixes the order (see ``engine.graph``): ``backward`` resets
every grad to 0.0 and walks the reversed topological order, and ``topological_order`` is a
depth-first post-order that visits a node's inputs in ``_prev`` order.  For the Trainer's loss
``data_loss + reg_loss`` that means:

* the root's second input, ``reg_loss = alpha * sum(p*p)``, is walked *first*: every
  parameter's grad starts as ``(0.0 + p*alpha) + p*alpha`` (``0.0`` without L2);
* then the data loss, whose samples come last-first: sample 0's nodes were placed first by
  the depth-first walk, so they are reached last.  A parameter's grad therefore adds one term
  per sample, from the last sample of the batch to the first;
* within a sample, a layer's neuron nodes come last-first too (layer ``l+1``'s neuron ``k`` was
  reached from the next layer's first neuron, in order), so a hidden value's grad is
  ``((0.0 + w[K]*g[K]) + w[K-1]*g[K-1]) + ... + w[1]*g[1]``, neurons from the last to the first;
* every node's grad starts at 0.0 and is added to (``0.0 + x``), which the formulas below
  keep: it turns a ``-0.0`` into ``0.0``.

**No ``sum()``, no ``math.sumprod``, no ``math.fsum``.**  On Python >= 3.12 ``sum()`` of floats
and ``math.sumprod`` use compensated summation, which changes the last bits; the graph adds
left to right.  Every sum here is written out: ``a + w0*x0 + w1*x1 + ...`` in a
comprehension (:func:`_mul_add`; Python adds it left to right), ``functools.reduce(operator.add,
...)`` (plain float additions in order) or an explicit loop.  (``sum`` appears once, only to
test whether a column holds an overflow, where the last bits do not matter.)

**When the graph decides.**  The graph raises :class:`~engine.errors.NumericError` at the
first overflow, naming the node.  This path does not try to: when a neuron's output, the loss,
a gradient (or a bound on the inputs' gradients) is not a finite float, :meth:`BatchPath.step`
returns ``None`` having changed nothing, and the Trainer runs the step on the graph, which
raises the exact error (or, if the bound was merely cautious, gives the same numbers).
"""

from __future__ import annotations

import math
from functools import reduce
from operator import add
from typing import Sequence

from .nn import MLP, Layer
from .value import SIGMOID, TANH, Value

__all__ = ["BatchPath", "LayerNode"]

_isfinite = math.isfinite
_exp = math.exp
_log = math.log

# activation -> forward function on a float (relu is inlined: a if a > 0.0 else 0.0)
_ACT_FORWARD = {"tanh": TANH.forward, "sigmoid": SIGMOID.forward}
#: the activations this path knows (with their local derivatives in LayerNode.backward);
#: a model with another one trains on the graph
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")

#: a gradient of an input larger than this might overflow: let the graph check it
_INPUT_GRAD_BOUND = 1e300


class _Declined(Exception):
    """Something overflowed or might have: the graph must run this step."""


def _finite_column(col: list[float]) -> bool:
    # only "is anything inf or nan?": an overflowing sum of finite numbers is a harmless
    # false alarm (the graph then runs the step), so sum()'s rounding does not matter here
    return _isfinite(sum(col))


def _mul_add(acc: list[float], ws: Sequence[float],
             cols: Sequence[Sequence[float]]) -> list[float]:
    """``[((acc[i] + ws[0]*cols[0][i]) + ws[1]*cols[1][i]) + ...]``: added left to right, up to
    eight columns per pass (Python evaluates ``a + b*x + c*y`` as ``(a + b*x) + c*y``, so this
    is exactly one addition after another, in about half the time of one pass per column)."""
    k, m = 0, len(ws)
    while m - k >= 8:
        w0, w1, w2, w3, w4, w5, w6, w7 = ws[k:k + 8]
        acc = [a + w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4 + w5 * x5 + w6 * x6 + w7 * x7
               for a, x0, x1, x2, x3, x4, x5, x6, x7 in zip(acc, *cols[k:k + 8])]
        k += 8
    if m - k >= 4:
        w0, w1, w2, w3 = ws[k:k + 4]
        acc = [a + w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3
               for a, x0, x1, x2, x3 in zip(acc, *cols[k:k + 4])]
        k += 4
    if m - k == 3:
        w0, w1, w2 = ws[k:]
        acc = [a + w0 * x0 + w1 * x1 + w2 * x2 for a, x0, x1, x2 in zip(acc, *cols[k:])]
    elif m - k == 2:
        w0, w1 = ws[k:]
        acc = [a + w0 * x0 + w1 * x1 for a, x0, x1 in zip(acc, *cols[k:])]
    elif m - k == 1:
        w0 = ws[k]
        acc = [a + w0 * x0 for a, x0 in zip(acc, cols[k])]
    return acc


class LayerNode:
    """One MLP layer applied to every sample of a batch: an autograd node over columns.

    ``forward(columns)`` returns one column per neuron (its activation over the batch) and
    keeps what ``backward`` needs; ``backward(grads, alpha)`` takes the gradient column of each
    output and returns each parameter's grad (in ``Layer.parameters()`` order) and, if asked,
    the gradient column of each input.
    """

    __slots__ = ("layer", "inputs", "outputs", "weights")

    def __init__(self, layer: Layer) -> None:
        self.layer = layer
        self.inputs: list[list[float]] = []
        self.outputs: list[list[float]] = []
        self.weights: list[list[float]] = []

    def forward(self, cols: list[list[float]]) -> list[list[float]]:
        """The neurons' activations, one column each (``_Declined`` if a neuron overflows)."""
        n = len(cols[0])
        self.inputs = cols
        self.weights = []
        outs = []
        for neuron in self.layer.neurons:
            ws = [w.data for w in neuron.w]
            self.weights.append(ws)
            # the fused neuron's order: ((b + w0*x0) + w1*x1) + ...
            acc = _mul_add([neuron.b.data] * n, ws, cols)
            if not _finite_column(acc):
                raise _Declined
            act = neuron.activation
            if act == "relu":
                acc = [a if a > 0.0 else 0.0 for a in acc]
            elif act != "linear":
                acc = list(map(_ACT_FORWARD[act], acc))
            outs.append(acc)
        self.outputs = outs
        return outs

    def backward(self, grads: list[list[float]], alpha: float,
                 input_grads: bool) -> tuple[list[float], list[list[float]] | None]:
        """Parameter grads (w..., b per neuron) and, if ``input_grads``, one gradient column
        per input; ``grads[k]`` is the gradient column of neuron ``k``'s output."""
        neuron_grads = []
        for neuron, out, g in zip(self.layer.neurons, self.outputs, grads):
            # the activation node: pre.grad = 0.0 + local * out.grad (its only contribution)
            act = neuron.activation
            if act == "relu":  # local 1.0 or 0.0 (1.0 * g is g, bit for bit)
                g = [0.0 + h if o > 0.0 else 0.0 + 0.0 * h for o, h in zip(out, g)]
            elif act == "tanh":
                g = [0.0 + (1.0 - t * t) * h for t, h in zip(out, g)]
            elif act == "sigmoid":
                g = [0.0 + (s * (1.0 - s)) * h for s, h in zip(out, g)]
            neuron_grads.append(g)
        param_grads = self._parameter_grads(neuron_grads, alpha)
        if not input_grads:
            # the inputs are leaves (the data): the graph checks their grads, which nothing
            # else shows, so make sure none can overflow (else let the graph decide)
            if not self._input_grads_bounded(neuron_grads):
                raise _Declined
            return param_grads, None
        # an input's grad: 0.0, then w*g from each neuron, the last neuron first
        zeros = [0.0] * len(self.inputs[0])
        neuron_grads.reverse()
        weights = self.weights[::-1]
        columns = [_mul_add(zeros, [ws[j] for ws in weights], neuron_grads)
                   for j in range(len(self.inputs))]
        return param_grads, columns

    def _parameter_grads(self, neuron_grads: list[list[float]], alpha: float) -> list[float]:
        """Each weight's grad is its L2 start plus one term x*g per sample, the last sample
        first (see the module docstring); a bias adds g alone.  Computed as a _mul_add over
        samples (last first) whose columns are the samples' rows of inputs, one list entry per
        weight of a neuron, or, when the layer has more neurons than inputs, per neuron of an
        input: fewer and longer lists, the same additions."""
        neurons = self.layer.neurons
        lasts_first = [g[::-1] for g in neuron_grads]
        starts = [[_l2_start(w.data, alpha) for w in neuron.w] for neuron in neurons]
        if len(neurons) <= len(self.inputs):
            rows = list(zip(*self.inputs))  # one tuple per sample: its inputs to this layer
            rows.reverse()
            by_neuron = [_mul_add(start, g, rows) for start, g in zip(starts, lasts_first)]
        else:
            g_rows = list(zip(*neuron_grads))  # one tuple per sample: its neurons' grads
            g_rows.reverse()
            by_input = [_mul_add([start[j] for start in starts], x[::-1], g_rows)
                        for j, x in enumerate(self.inputs)]
            by_neuron = [list(ws) for ws in zip(*by_input)]
        out: list[float] = []
        for neuron, w_grads, g in zip(neurons, by_neuron, lasts_first):
            out.extend(w_grads)
            out.append(reduce(add, g, _l2_start(neuron.b.data, alpha)))
        return out

    def _input_grads_bounded(self, neuron_grads: list[list[float]]) -> bool:
        biggest = 0.0
        for g in neuron_grads:
            m = max(map(abs, g))
            if not m <= _INPUT_GRAD_BOUND:  # (nan too)
                return False
            biggest = max(biggest, m)
        for j in range(len(self.inputs)):
            total = 0.0
            for ws in self.weights:
                total = total + abs(ws[j])
            if not total * biggest <= _INPUT_GRAD_BOUND:
                return False
        return True


def _l2_start(p: float, alpha: float) -> float:
    # the L2 node p*p is reached before any sample: grad = (0.0 + p*alpha) + p*alpha
    if alpha == 0.0:
        return 0.0
    g = 0.0 + p * alpha
    return g + p * alpha


def _loss_head(loss: str, scores: list[float], ys: Sequence[float]) -> tuple[float, list[float]]:
    """(sum of the per-sample losses, gradient of each score), as ``engine.losses`` builds them
    and ``engine.graph.backward`` walks them.  Each per-sample loss is >= 0, so an overflow
    anywhere shows in the sum."""
    n = len(scores)
    inv_n = 1.0 / n
    # data_loss = S * inv_n: S.grad = 0.0 + inv_n * 1.0, then each loss_i.grad = 0.0 + 1.0 * S.grad
    top = 0.0 + 1.0 * (0.0 + inv_n * 1.0)
    total = 0.0  # vsum: 0.0 + l0 + l1 + ..., left to right
    grads: list[float] = []
    append = grads.append
    if loss == "max_margin":  # relu(1 + (-y) * s)
        for y, s in zip(ys, scores):
            cy = -y
            m = 1.0 + cy * s
            if m > 0.0:
                total = total + m
                g_m = 0.0 + 1.0 * top
            else:
                total = total + 0.0
                g_m = 0.0 + 0.0 * top
            append(0.0 + cy * (0.0 + g_m))
    elif loss == "mse":  # d * d with d = s - y
        for y, s in zip(ys, scores):
            d = s - y
            total = total + d * d
            g_d = (0.0 + d * top) + d * top
            append(0.0 + 1.0 * g_d)
    elif loss == "bce":  # softplus(c * s), c = -1 for y > 0 else 1, in losses._softplus's form
        for y, s in zip(ys, scores):
            c = -1.0 if y > 0 else 1.0
            z = c * s
            if z > 0.0:  # z + log(1 + exp(-z))
                e = _exp(-z)
                a = 1.0 + e
                total = total + (z + _log(a))
                g_a = 0.0 + (1.0 / a) * (0.0 + top)
                g_z = (0.0 + top) + -1.0 * (0.0 + e * (0.0 + g_a))
            else:  # log(1 + exp(z))
                e = _exp(z)
                a = 1.0 + e
                total = total + _log(a)
                g_a = 0.0 + (1.0 / a) * top
                g_z = 0.0 + e * (0.0 + g_a)
            append(0.0 + c * g_z)
    else:
        raise ValueError(f"loss: the batch path has no loss {loss!r}")
    return total, grads


class BatchPath:
    """A training step of an MLP over a batch, with the same numbers as the graph.

    ``BatchPath(X)`` keeps the training inputs as columns; :meth:`step` computes the loss
    of a batch, the scores, and every parameter's ``grad``, for whatever model it is given.
    """

    #: the losses this path knows (engine.losses' three)
    LOSSES = ("max_margin", "mse", "bce")

    def __init__(self, X: Sequence[Sequence[float]]) -> None:
        if not X:
            raise ValueError("X: the batch path needs at least one sample")
        self.columns = [[float(row[j]) for row in X] for j in range(len(X[0]))]

    def step(self, model: MLP, params: Sequence[Value], batch: Sequence[int] | None,
             ys: Sequence[float], loss: str, alpha: float) -> tuple[float, list[float]] | None:
        """Set ``grad`` of every parameter and return (loss, scores) for the samples
        ``batch`` (indices; None: all, in order) with targets ``ys``: what
        ``LOSSES[loss](scores, ys, params, alpha).backward()`` gives, bit for bit.

        ``params`` is ``model.parameters()``.  Returns None, changing nothing, when something
        overflows (then the graph must run the step, to raise its error).
        """
        if loss not in self.LOSSES or any(n.activation not in ACTIVATIONS
                                           for layer in model.layers for n in layer.neurons):
            return None
        cols = self.columns if batch is None else [[c[i] for i in batch] for c in self.columns]
        try:
            return self._step(model, params, cols, ys, loss, alpha)
        except _Declined:
            return None

    def _step(self, model: MLP, params: Sequence[Value], cols: list[list[float]],
              ys: Sequence[float], loss: str, alpha: float) -> tuple[float, list[float]]:
        nodes = [LayerNode(layer) for layer in model.layers]
        for node in nodes:
            cols = node.forward(cols)
        scores = cols[0]
        data_sum, grads = _loss_head(loss, scores, ys)
        total = data_sum * (1.0 / len(scores))
        if alpha != 0.0:
            reg = 0.0
            for p in params:
                d = p.data
                reg = reg + d * d
            total = total + alpha * reg
        if not _isfinite(total):
            raise _Declined
        per_layer = []
        columns: list[list[float]] | None = [grads]
        for i in range(len(nodes) - 1, -1, -1):
            assert columns is not None  # only the first layer's backward returns no columns
            layer_grads, columns = nodes[i].backward(columns, alpha, input_grads=i > 0)
            per_layer.append(layer_grads)
        flat = [g for layer_grads in reversed(per_layer) for g in layer_grads]
        if len(flat) != len(params):
            raise ValueError(f"params: {len(params)} parameters for a model with {len(flat)}")
        if not all(map(_isfinite, flat)):
            raise _Declined
        for p, g in zip(params, flat):
            p.grad = g
        return total, scores
