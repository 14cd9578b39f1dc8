"""Walking the graph: topological order and the backward pass, both without recursion."""

from __future__ import annotations

import math
from operator import attrgetter

from .errors import NumericError
from .closure_op import ClosureOp
from .gcpause import paused_gc
from .ops import EXP, LOG, RELU, _pow_const_partial
from .value import ADD, DOT, MUL, NEURON, SUM, Value

_INF = math.inf
_grads = attrgetter("grad")


def topological_order(root: Value, *, zero_interior: bool = False) -> list[Value]:
    """Every node ``root`` depends on, inputs before the nodes that use them; ``root`` last.

    A depth-first walk with an explicit stack of (node, iterator over its inputs), so a chain
    of a million nodes is fine, in the order a recursive walk would take: deterministic, a
    node's inputs visited in ``_prev`` order.  With ``zero_interior`` every node that has
    inputs gets ``grad = 0.0`` as it is met (what :func:`backward` needs, without a second
    pass over the order); leaves keep theirs.
    """
    if zero_interior and root._prev:
        root.grad = 0.0
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
                    if prev:
                        if zero_interior:
                            child.grad = 0.0
                        # a node whose inputs are all placed already (common for fused
                        # neurons, whose weights every sample shares) is placed at once
                        if len(prev) < 3 or not covered(prev):
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
    order = topological_order(root, zero_interior=True)
    root.grad += 1.0
    for node in reversed(order):
        prev = node._prev
        if not prev:
            continue
        g = node.grad
        if not -_INF < g < _INF:
            raise _grad_error(node)
        op = node._op
        # fast paths for the commonest operations (the tiny GPT's first); test_ops.py's
        # test_backward_fast_paths_equal_the_table keeps them equal to op.local, each the
        # same expression as its block's derivative, so the same bits
        if op is DOT:
            # pairs (a1, b1, a2, b2, ...); the fine chain of products hands gradients back
            # from the last pair to the first: the same bits unless an input is in two pairs
            it = iter(prev)
            for a, b in zip(it, it):
                a.grad += b.data * g
                b.grad += a.data * g
        elif op is ADD:
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
        elif op is SUM:
            for child in prev:
                child.grad += g
        elif op.__class__ is ClosureOp:
            op.run(node)
        elif len(prev) == 1:
            child = prev[0]
            # one-input operations without the table's lambda and tuple; kept equal to it by
            # test_ops.py's test_unary_backward_fast_paths_equal_the_table
            if op is RELU:
                child.grad += (1.0 if node.data > 0.0 else 0.0) * g
            elif op is EXP:
                child.grad += node.data * g
            elif op.exponent is not None:  # x ** k for a constant k
                child.grad += _pow_const_partial(child.data, op.exponent) * g
            elif op is LOG:
                child.grad += 1.0 / child.data * g
            else:
                child.grad += op.derivative(node.data, child.data)[0] * g
        else:
            for child, d in zip(prev, op.local(node)):
                child.grad += d * g
    # every interior grad was checked above and none changes after its node's turn, so the
    # sum of all grads is finite exactly when the leaves' are (inf or nan would make it so);
    # a non-finite sum (an overflow of the sum itself included) looks for the culprit
    if not -_INF < sum(map(_grads, order)) < _INF:
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
