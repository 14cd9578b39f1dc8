"""An operation written micrograd's way: the node carries its own ``_backward`` closure.

karpathy/micrograd defines an operation by building the node and giving it a closure::

    out = Value(math.sin(x.data), (x,), 'sin')
    def _backward():
        x.grad += math.cos(x.data) * out.grad
    out._backward = _backward

Such a node's ``_op`` becomes a :class:`ClosureOp`: still a ``str`` (its symbol, whatever the
user wrote, known to the engine or not), holding the closure, and the engine's own block for
that symbol when there is one (its ``forward`` lets the gradient check test the closure).
``graph.backward`` calls the closure for these nodes only; the built-in operations keep their
shared code, with no closure per node.
"""

from __future__ import annotations

import copy
import types
from typing import Any, Callable, cast

from .operation import Op, rule

__all__ = ["ClosureOp", "closure_op", "UnknownForward", "copy_closure"]


class UnknownForward(ValueError):
    """The engine cannot compute a node whose operation only the user's code knows."""


class ClosureOp(Op):
    """A node's operation given by the user's ``_backward`` closure (or awaiting one)."""

    closure: Callable[[], None] | None
    base: Op | None

    def __reduce__(self) -> Any:
        raise TypeError(f"the operation {self.symbol!r} is a _backward closure written in Python; "
                        "a closure cannot be pickled (deepcopy works)")

    def run(self, node: object) -> None:
        """Back-propagate through ``node`` by calling its closure."""
        if self.closure is None:
            raise ValueError(
                f"the node made by {self.symbol!r} has no _backward: the engine does not know "
                f"that operation; give the node its own, as micrograd does "
                f"(out._backward = _backward)")
        self.closure()


def closure_op(symbol: str, base: Op | None, closure: Callable[[], None] | None) -> ClosureOp:
    """The operation of a node called ``symbol`` whose derivative is ``closure``'s."""
    def forward(*inputs: float) -> float:
        if base is not None:
            return base.forward(*inputs)
        raise UnknownForward(f"the engine does not know how to compute {symbol!r} "
                             "(its node has only your _backward closure)")

    def derivative(out: float, *inputs: float) -> tuple[float, ...]:
        raise UnknownForward(f"the derivative of {symbol!r} is your _backward closure; "
                             "it has no formula the engine can read")

    op = cast(ClosureOp, ClosureOp.__new__(ClosureOp, symbol, name=f"{symbol}, your own _backward", arity=-1,
                           forward=forward, derivative=derivative,
                           formula=rule(f"d {symbol}/d input: computed by your own _backward "
                                        "closure (the engine does not read it)")))
    op.closure = closure
    op.base = base
    op.function = False
    return op


def copy_closure(fn: Callable[[], None], memo: dict[int, Any]) -> Callable[[], None]:
    """A deep copy of a closure: the same code over deep copies of what it captured (so the
    copied graph's closures point at the copied nodes)."""
    if not isinstance(fn, types.FunctionType) or not fn.__closure__:
        return fn
    cells = tuple(types.CellType(copy.deepcopy(c.cell_contents, memo)) if _filled(c) else c
                  for c in fn.__closure__)
    new = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, cells)
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__qualname__ = fn.__qualname__
    return new


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True
