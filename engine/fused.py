"""Fused nodes: one node for what would be many, with exactly the numbers of the fine graph.

``fused_neuron`` is ``b + w0*x0 + w1*x1 + ...`` (an MLP neuron), ``vsum`` an n-ary sum, and
``dot``/``dot_of`` a dot product summed left to right as ``sum(w*x for ...)`` does (the tiny
GPT's linear maps).  Each is one ``Value`` whose operation (``NEURON``, ``SUM``, ``DOT`` in
:mod:`engine.ops`) gives the local derivatives; backward has fast paths for them.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence, cast

from .ops import DOT, NEURON, SUM, _finite
from .value import Value, _lift, _new, apply

__all__ = ["dot", "dot_of", "fused_neuron", "vsum"]

_INF = math.inf


def fused_neuron(w: Sequence[Value], x: Sequence["Value | float"], b: Value) -> Value:
    """One node for ``b + w[0]*x[0] + w[1]*x[1] + ...``, summed in that order.

    It gives exactly the numbers of the fine-grained graph that karpathy/micrograd's
    ``sum((wi*xi for wi, xi in zip(w, x)), b)`` builds, with one node instead of 2n.
    Its inputs are ``(b, w[0], ..., w[n-1], x[0], ..., x[n-1])``.
    """
    if len(w) != len(x):
        raise ValueError(f"a neuron with {len(w)} weights got {len(x)} inputs")
    acc = b.data
    # usually every input is a Value; a plain number among them is caught (AttributeError)
    # and lifted below, which is cheaper than checking each input first
    xv = cast("Sequence[Value]", x)
    try:
        for wi, xi in zip(w, xv):  # left to right: ((b + w0*x0) + w1*x1) + ...
            acc = acc + wi.data * xi.data
    except AttributeError:  # plain numbers among the inputs become constant leaves
        if all(xi.__class__ is Value for xi in x):
            raise TypeError("a neuron's weights and bias must be Values") from None
        return fused_neuron(w, [xi if xi.__class__ is Value else _lift(xi) for xi in x], b)
    if not -_INF < acc < _INF:
        _finite("neuron", acc, b.data, *(p.data for p in w), *(p.data for p in xv))
    v = _new(Value)
    v.data = acc
    v.grad = 0.0
    v._prev = (b, *w, *xv)
    v._op = NEURON
    v.label = ""
    return v


def vsum(values: Iterable["Value | float"]) -> Value:
    """One node for the sum of many values, added left to right (same numbers as ``sum``)."""
    return apply(SUM, *values)


def dot(a: Sequence[Value], b: Sequence[Value]) -> Value:
    """One node for ``sum(x * y for x, y in zip(a, b))``, the same numbers to the last bit.

    Python's ``sum`` over Values starts from 0 and adds left to right; so does this node.
    Its inputs are the pairs interleaved, ``(a[0], b[0], a[1], b[1], ...)``: the order in
    which the fine graph meets them, so that gradients reach shared inputs in the same order.
    (Backward hands them back from the first pair to the last, the fine chain from the last
    to the first: that changes a bit only when one input is in two pairs.)
    """
    if len(a) != len(b) or not a:
        raise ValueError(f"a dot product needs two equally long, non-empty lists, "
                         f"not {len(a)} and {len(b)} values")
    return dot_of(a, b, [y.data for y in b])


def dot_of(a: Sequence[Value], b: Sequence[Value], b_data: Sequence[float]) -> Value:
    """:func:`dot` with ``b``'s numbers already read (``b_data[i] == b[i].data``): a linear
    map reads its input once for all its outputs."""
    acc = 0.0
    for x, y in zip(a, b_data):
        acc = acc + x.data * y
    n = len(a)
    prev: list[Value] = [a[0]] * (2 * n)
    prev[1::2] = b
    prev[2::2] = a[1:]
    if not -_INF < acc < _INF:
        _finite("dot", acc, *(p.data for p in prev))
    v = _new(Value)
    v.data = acc
    v.grad = 0.0
    v._prev = tuple(prev)
    v._op = DOT
    v.label = ""
    return v
