"""Loss functions built from engine operations, so gradients flow back through them.

Each loss takes the model's raw scores (one ``Value`` per sample), the targets, and
optionally the parameters with an L2 strength ``alpha``; it returns one ``Value``:
``data_loss + alpha * sum(p * p)``.  Classification targets are -1.0 / +1.0.

``max_margin`` does exactly the micrograd demo's arithmetic, in its order, so the numbers
match the notebook to the last bit.  :func:`loss_value` computes the same numbers with plain
floats (no graph), for test sets and predictions.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Sequence

from .errors import NumericError
from .value import Value, vsum

__all__ = ["LOSSES", "LOSS_TASKS", "accuracy", "bce", "loss_value", "max_margin", "mse"]


def _check(scores: Sequence[object], ys: Sequence[float], alpha: float) -> None:
    if len(scores) != len(ys):
        raise ValueError(f"ys: {len(ys)} targets for {len(scores)} scores")
    if not scores:
        raise ValueError("scores: a loss needs at least one sample")
    if not (isinstance(alpha, (int, float)) and 0.0 <= alpha < math.inf):
        raise ValueError(f"alpha: must be a finite number >= 0, not {alpha!r}")


def _with_l2(data_loss: Value, params: Iterable[Value] | None, alpha: float) -> Value:
    if params is None or alpha == 0.0:
        return data_loss
    reg_loss = alpha * vsum([p * p for p in params])
    return data_loss + reg_loss


def max_margin(scores: Sequence[Value], ys: Sequence[float], params: Iterable[Value] | None = None,
               alpha: float = 0.0) -> Value:
    """The SVM hinge loss ``mean(relu(1 - y * score))`` (+ ``alpha * sum(p*p)``).

    The arithmetic is the micrograd demo's, step for step::

        losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = alpha * sum((p*p for p in model.parameters()))
    """
    _check(scores, ys, alpha)
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(ys, scores)]
    data_loss = vsum(losses) * (1.0 / len(losses))
    return _with_l2(data_loss, params, alpha)


def mse(scores: Sequence[Value], ys: Sequence[float], params: Iterable[Value] | None = None,
        alpha: float = 0.0) -> Value:
    """Mean squared error ``mean((score - y)^2)`` (+ ``alpha * sum(p*p)``)."""
    _check(scores, ys, alpha)
    squares = []
    for yi, si in zip(ys, scores):
        d = si - yi
        squares.append(d * d)
    data_loss = vsum(squares) * (1.0 / len(squares))
    return _with_l2(data_loss, params, alpha)


def _softplus(z: Value) -> Value:
    # log(1 + exp(z)) without overflow: exp is only ever taken of a number <= 0
    if z.data > 0.0:
        return z + (1 + (-z).exp()).log()
    return (1 + z.exp()).log()


def bce(scores: Sequence[Value], ys: Sequence[float], params: Iterable[Value] | None = None,
        alpha: float = 0.0) -> Value:
    """Binary cross-entropy on raw scores (logits), labels -1/+1 read as 0/1.

    With ``t = (y + 1) / 2`` and ``p = sigmoid(score)`` it is ``-t log p - (1-t) log(1-p)``,
    computed as ``softplus(-y * score)`` = ``log(1 + exp(-y * score))`` in the stable form
    ``max(z, 0) + log(1 + exp(-|z|))``: no overflow whatever the scores.
    """
    _check(scores, ys, alpha)
    losses = [_softplus((-1.0 if yi > 0 else 1.0) * si) for yi, si in zip(ys, scores)]
    data_loss = vsum(losses) * (1.0 / len(losses))
    return _with_l2(data_loss, params, alpha)


LossFn = Callable[..., Value]

#: loss name -> function
LOSSES: dict[str, LossFn] = {"max_margin": max_margin, "mse": mse, "bce": bce}

#: loss name -> the tasks it makes sense for
LOSS_TASKS: dict[str, tuple[str, ...]] = {
    "max_margin": ("classification",),
    "mse": ("classification", "regression"),
    "bce": ("classification",),
}


def accuracy(scores: Sequence[Value | float], ys: Sequence[float]) -> float:
    """The fraction of samples whose score has the label's sign (score > 0 means +1)."""
    if not scores:
        return 0.0
    hits = 0
    for yi, si in zip(ys, scores):
        s = si.data if isinstance(si, Value) else si
        hits += (yi > 0) == (s > 0)
    return hits / len(scores)


# --- the same losses with plain floats -------------------------------------------------

def _softplus_f(z: float) -> float:
    if z > 0.0:
        return z + math.log(1 + math.exp(-z))
    return math.log(1 + math.exp(z))


def loss_value(name: str, scores: Sequence[float], ys: Sequence[float],
               params: Iterable[float] | None = None, alpha: float = 0.0) -> float:
    """The loss ``name`` computed with floats, in the same order as the graph version.

    ``params`` are parameter values (floats).  Gives the same number as
    ``LOSSES[name](...).data`` without building a graph.
    """
    if name not in LOSSES:
        raise ValueError(f"loss: unknown loss {name!r}; choose one of {', '.join(LOSSES)}")
    _check(scores, ys, alpha)
    acc = 0.0
    if name == "max_margin":
        for yi, si in zip(ys, scores):
            m = 1 + -yi * si
            acc = acc + (m if m > 0.0 else 0.0)
    elif name == "mse":
        for yi, si in zip(ys, scores):
            d = si - yi
            acc = acc + d * d
    else:
        for yi, si in zip(ys, scores):
            acc = acc + _softplus_f((-1.0 if yi > 0 else 1.0) * si)
    total = acc * (1.0 / len(scores))
    if params is not None and alpha != 0.0:
        reg = 0.0
        for p in params:
            reg = reg + p * p
        total = total + alpha * reg
    if not math.isfinite(total):
        raise NumericError(name, (total,), "the loss is too large for a float (overflow)")
    return total
