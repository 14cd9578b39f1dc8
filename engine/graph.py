"""Walking the graph: topological order and the backward pass, both without recursion."""

from __future__ import annotations

import math

from .errors import NumericError
from .closure_op import ClosureOp
from .gcpause import paused_gc
from .value import ADD, DOT, MUL, NEURON, SUM, Value

_INF = math.inf


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, inputs before the nodes that use them; ``root`` last.

    A depth-first walk with an explicit stack of (node, iterator over its inputs), so a chain
    of a million nodes is fine, in the order a recursive walk would take: deterministic, a
    node's inputs visited in ``_prev`` order.
    """
    order: list[Value] = []
    seen: set[Value] = {root}
    add = seen.add
    covered = seen.issuperset
    emit = order.append
    stack = [(root, iter(root._prev))]
    push = stack.append
    pop = stack.pop
    # the walk makes a short-lived (node, iterator) pair per node: with the cyclic collector
    # running, a deep graph would be rescanned again and again (2.5x slower on a 10**6 chain)
    with paused_gc():
        while stack:
            node, inputs = stack[-1]
            for child in inputs:
                if child not in seen:
                    add(child)
                    prev = child._prev
                    # a node whose inputs are all placed already (common for fused neurons,
                    # whose weights every sample shares) is placed at once, without a walk
                    if prev and (len(prev) < 3 or not covered(prev)):
                        push((child, iter(prev)))
                        break
                    emit(child)
            else:
                pop()
                emit(node)
    return order


def backward(root: Value) -> list[Value]:
    """Back-propagate from ``root``; returns the topological order it used.

    The interior nodes' grads are reset first; the leaves keep theirs and the pass adds to
    them, as in PyTorch (zero them first to start from 0).  Then ``root.grad`` gets 1 (added,
    if ``root`` is itself a leaf) and each node, from ``root`` down, adds ``local × grad`` to
    its inputs, with the local derivatives from its operation's description (or the node's
    own ``_backward`` closure, for an operation written micrograd's way).
    """
    order = topological_order(root)
    for node in order:
        if node._prev:
            node.grad = 0.0
    root.grad += 1.0
    for node in reversed(order):
        prev = node._prev
        if not prev:
            continue
        g = node.grad
        if not -_INF < g < _INF:
            raise _grad_error(node)
        op = node._op
        # fast paths for the commonest operations; test_ops.py's
        # test_backward_fast_paths_equal_the_table keeps them equal to op.local
        if op is ADD:
            a, b = prev
            a.grad += g
            b.grad += g
        elif op is MUL:
            a, b = prev
            a.grad += b.data * g
            b.grad += a.data * g
        elif op is NEURON:
            prev[0].grad += g
            k = (len(prev) - 1) >> 1  # inputs are (b, w1..wk, x1..xk)
            for w, x in zip(prev[1:k + 1], prev[k + 1:]):
                w.grad += x.data * g
                x.grad += w.data * g
        elif op is DOT:
            # pairs (a1, b1, a2, b2, ...); the fine chain of products hands gradients back
            # from the last pair to the first: the same bits unless an input is in two pairs
            it = iter(prev)
            for a, b in zip(it, it):
                a.grad += b.data * g
                b.grad += a.data * g
        elif op is SUM:
            for child in prev:
                child.grad += g
        elif op.__class__ is ClosureOp:
            op.run(node)
        elif len(prev) == 1:
            child = prev[0]
            child.grad += op.derivative(node.data, child.data)[0] * g
        else:
            for child, d in zip(prev, op.local(node)):
                child.grad += d * g
    for node in order:
        if not node._prev and not -_INF < node.grad < _INF:
            raise _grad_error(node)
    return order


def _grad_error(node: Value) -> NumericError:
    what = f"'{node.label}'" if node.label else (f"the {node._op.symbol} node" if node._prev else "a leaf")
    return NumericError("backward", (node.data,),
                        f"the gradient of {what} is {node.grad} (overflow while back-propagating)")


def propagate_generic(node: Value) -> list[tuple[Value, float, float]]:
    """One node's local backward, from its operation's description alone.

    Adds ``local × node.grad`` to each input's grad and returns, per input,
    ``(input, local derivative, contribution)``; the app's step-through uses this, and the
    tests check that the fast paths in :func:`backward` agree with it.
    """
    g = node.grad
    if not -_INF < g < _INF:
        raise _grad_error(node)
    out = []
    op = node._op
    if isinstance(op, ClosureOp):  # the user's closure: its shares are what it added
        before = [child.grad for child in node._prev]
        op.run(node)
        for child, b in zip(node._prev, before):
            contribution = child.grad - b
            if not -_INF < child.grad < _INF:
                raise _grad_error(child)
            out.append((child, contribution / g if g else 0.0, contribution))
        return out
    for child, d in zip(node._prev, op.local(node)):
        contribution = d * g
        total = child.grad + contribution
        if not -_INF < total < _INF:
            child.grad = total
            raise _grad_error(child)
        child.grad = total
        out.append((child, d, contribution))
    return out
