"""Copies and pickles of a graph of Values, without recursion.

A Value refers to its inputs, so the obvious copy (copy each input, then the node) recurses
as deep as the graph: a chain of 10**5 nodes would hit ``RecursionError``.  Here:

* ``copy.deepcopy`` walks the graph once in topological order (an explicit stack, see
  :func:`engine.graph.topological_order`) and makes every copy from copies already made.
  Shared nodes stay shared (one ``memo``), and a node's own ``_backward`` closure is copied
  over the copies of what it captured, so the copy back-propagates into the copied graph.
* ``pickle`` saves a node as ``(its interior ancestors in topological order, data, grad,
  inputs, operation, label)``: the pickler writes that list first, each ancestor's inputs
  already written before it, so it never nests deeper than a few levels.  The ancestors are
  real Values in the pickle's memo, so nodes shared between several pickled objects (a model
  and a loss built from it) come back shared.  A node met in such a list does not list its
  own ancestors again (``_LISTED``), so a graph of n nodes pickles in O(n).

Attributes a user attached (``p.m = 0``) travel along, as the node's state.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from .closure_op import ClosureOp, closure_op, copy_closure
from .graph import topological_order
from .value import Value

__all__ = ["deepcopy_value", "reduce_value"]

#: ids of nodes whose inputs a pickle already writes before them (see the module's docstring);
#: only a speed-up: a node missing here still pickles right, just with its own list
_LISTED: set[int] = set()
_new = object.__new__


def _extras(v: Value) -> dict[str, Any] | None:
    d: dict[str, Any] = v.__dict__
    return d or None


def reduce_value(v: Value) -> tuple[Callable[..., Value], tuple[Any, ...], dict[str, Any] | None]:
    """``Value.__reduce_ex__``: how pickle rebuilds ``v`` (see the module's docstring)."""
    ancestors: list[Value] = []
    key = id(v)
    if key in _LISTED:
        _LISTED.discard(key)
    elif v._prev:
        ancestors = [n for n in topological_order(v)[:-1] if n._prev]
        _LISTED.update(map(id, ancestors))
    return _restore, (ancestors, v.data, v.grad, v._prev, v._op, v.label), _extras(v)


def _restore(ancestors: list[Value], data: float, grad: float, prev: tuple[Value, ...],
             op: Any, label: str) -> Value:
    v: Value = _new(Value)
    v.data = data
    v.grad = grad
    v._prev = prev
    v._op = op
    v.label = label
    return v


def deepcopy_value(root: Value, memo: dict[int, Any]) -> Value:
    """``Value.__deepcopy__``: ``root`` and everything it depends on, copied once each."""
    made: list[tuple[Value, Value]] = []
    for node in topological_order(root):
        if id(node) in memo:
            continue
        c: Value = _new(Value)
        c.data = node.data
        c.grad = node.grad
        c._prev = tuple([memo[id(p)] for p in node._prev])
        c._op = node._op
        c.label = node.label
        memo[id(node)] = c
        made.append((node, c))
    # closures and attributes last: they may refer to any node of the graph
    for node, c in made:
        op = node._op
        if isinstance(op, ClosureOp) and op.closure is not None:
            c._op = closure_op(op.symbol, op.base, copy_closure(op.closure, memo))
        extras = _extras(node)
        if extras:
            c.__dict__.update(copy.deepcopy(extras, memo))
    copied: Value = memo[id(root)]
    return copied
