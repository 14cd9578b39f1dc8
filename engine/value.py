"""Value, a scalar that remembers how it was computed.

Every operation a Value can undergo is described once, in :mod:`engine.ops` (forward,
local derivative and formula side by side); this module is the node, its operator
overloading and backward's entry point.  The arithmetic operators and ``relu`` keep inlined
fast paths, each checked against its block in ``engine.ops`` by ``tests/engine/test_ops.py``;
every operation called by name (``tanh``, ``sin``, ...) is a method, from the table.

The graph is a DAG: ``_prev`` is the ordered tuple of a node's inputs (``a + a`` has two),
``_op`` the operation that produced it (an ``Op``, which is also a ``str`` such as ``"+"``,
so code written for karpathy/micrograd that prints ``v._op`` keeps working).
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Iterable, SupportsIndex

from .closure_op import ClosureOp, closure_op
from .errors import NumericError
from .ops import (ADD, DIV, DOT, EXP, FUNCTIONS, LEAF, LOG, MUL, NEG, NEURON, OPS, POW, RELU,
                  SIGMOID, SUB, SUM, TANH, Op, _finite, find_op, pow_const_op)

__all__ = ["Value", "Op", "OPS", "LEAF", "apply", "dot", "dot_of", "fused_neuron", "pow_const_op", "vsum",
           # the operations themselves, re-exported where code has always found them
           "ADD", "SUB", "MUL", "DIV", "NEG", "POW", "RELU", "TANH", "EXP", "LOG", "SIGMOID",
           "NEURON", "SUM", "DOT", "NumericError"]

_INF = math.inf


def _as_float(x: object, where: str = "Value") -> float:
    if x.__class__ is float:
        f = x
    elif isinstance(x, float):
        f = float(x)  # a float subclass such as numpy.float64 becomes a plain float
    elif isinstance(x, (int,)) and not isinstance(x, bool):
        try:
            f = float(x)
        except OverflowError:
            raise NumericError(where, (), f"the integer {x} is too large for a float") from None
    elif hasattr(x, "__float__") and not isinstance(x, (str, bytes, bool)):
        try:
            f = float(x)  # numpy scalars, Fractions, Decimals: converted once, here
        except (OverflowError, ValueError) as e:
            raise NumericError(where, (), f"{type(x).__name__} {x} is not a finite float ({e})") from None
    else:
        raise TypeError(f"{where} needs a real number, not {type(x).__name__}: {x!r}")
    if not -_INF < f < _INF:
        raise NumericError(where, (f,), "a Value must be a finite number")
    return f


_new = object.__new__


class Value:
    """A scalar with a gradient, and the graph of operations that produced it."""

    # __dict__: attributes of your own (``p.m = 0``), as on micrograd's Value; it costs one
    # pointer per node while unused (the 10**6-node chain stays under 200 bytes per node)
    __slots__ = ("data", "grad", "_prev", "_op", "label", "__dict__")

    data: float
    grad: float
    _prev: tuple["Value", ...]
    _op: Op
    label: str

    def __init__(self, data: float, _children: "Iterable[Value] | str" = (), _op: "str | Iterable[Value]" = "",
                 label: str = "") -> None:
        """``Value(data, _children=(), _op='', label='')``, micrograd's order.

        A ``str`` second argument is a label (``Value(2.0, "a")``, this engine's older order
        ``Value(data, label, _children, _op)``): inputs are a tuple or list, never a string.
        """
        if isinstance(_children, str):  # the older order: Value(data, label, _children, _op)
            if not isinstance(_op, (tuple, list)) and (_op != "" or label):
                raise TypeError(f"Value({data!r}, {_children!r}, ...): a str second argument is "
                                "the label, then come the inputs (a tuple) and the operation; "
                                "the signature is Value(data, _children=(), _op='', label='')")
            label, _children, _op = _children, (() if _op == "" else _op), label
        if not isinstance(label, str):
            raise TypeError(f"a Value's label must be a str, not {type(label).__name__} "
                            "(the signature is Value(data, _children=(), _op='', label=''))")
        self.data = _as_float(data)
        self.grad = 0.0
        if isinstance(_children, str) or not isinstance(_op, str):
            raise TypeError("Value(data, _children=(), _op='', label=''): _children is a tuple of "
                            f"Values, _op a str, not {type(_children).__name__} and {type(_op).__name__}")
        self._prev = tuple(_children)
        self._op = _known_op(_op, self._prev)
        self.label = label

    # --- structure --------------------------------------------------------------------
    @property
    def op(self) -> Op:
        """The operation that produced this value (``LEAF`` for inputs and parameters)."""
        return self._op

    @property
    def children(self) -> tuple["Value", ...]:
        return self._prev

    @property
    def is_leaf(self) -> bool:
        return not self._prev

    def __repr__(self) -> str:
        name = f"{self.label}, " if self.label else ""
        return f"Value({name}data={self.data}, grad={self.grad})"

    # --- operations ------------------------------------------------------------------
    # + - * neg and relu are inlined fast paths of their blocks in engine.ops;
    # tests/engine/test_ops.py::test_value_fast_paths_equal_the_table keeps them equal
    def __add__(self, other: "Value | float") -> "Value":
        if other.__class__ is not Value:
            other = _lift(other)
        r = self.data + other.data
        if not -_INF < r < _INF:
            _finite("+", r, self.data, other.data)
        v = _new(Value)
        v.data = r
        v.grad = 0.0
        v._prev = (self, other)
        v._op = ADD
        v.label = ""
        return v

    def __mul__(self, other: "Value | float") -> "Value":
        if other.__class__ is not Value:
            other = _lift(other)
        r = self.data * other.data
        if not -_INF < r < _INF:
            _finite("*", r, self.data, other.data)
        v = _new(Value)
        v.data = r
        v.grad = 0.0
        v._prev = (self, other)
        v._op = MUL
        v.label = ""
        return v

    def __radd__(self, other: float) -> "Value":
        return _lift(other) + self

    def __rmul__(self, other: float) -> "Value":
        return _lift(other) * self

    def __sub__(self, other: "Value | float") -> "Value":
        if other.__class__ is not Value:
            other = _lift(other)
        r = self.data - other.data
        if not -_INF < r < _INF:
            _finite("-", r, self.data, other.data)
        v = _new(Value)
        v.data = r
        v.grad = 0.0
        v._prev = (self, other)
        v._op = SUB
        v.label = ""
        return v

    def __rsub__(self, other: float) -> "Value":
        return _lift(other) - self

    def __truediv__(self, other: "Value | float") -> "Value":
        return _binary(DIV, self, other)

    def __rtruediv__(self, other: float) -> "Value":
        return _binary(DIV, _lift(other), self)

    def __neg__(self) -> "Value":
        v = _new(Value)
        v.data = -self.data
        v.grad = 0.0
        v._prev = (self,)
        v._op = NEG
        v.label = ""
        return v

    def __pos__(self) -> "Value":
        return self

    def __pow__(self, other: "Value | float") -> "Value":
        if other.__class__ is Value:
            return _binary(POW, self, other)
        return _unary(pow_const_op(_as_float(other, "**")), self)

    def __rpow__(self, other: float) -> "Value":
        return _binary(POW, _lift(other), self)

    def relu(self) -> "Value":
        d = self.data
        if not -_INF < d < _INF:
            raise NumericError("relu", (d,), "the input is not a finite number")
        v = _new(Value)
        v.data = d if d > 0.0 else 0.0
        v.grad = 0.0
        v._prev = (self,)
        v._op = RELU
        v.label = ""
        return v

    # typed shortcuts for the operations micrograd users know; every other operation called
    # by name (sin, cos, ...) gets its method from the table, after this class
    def tanh(self) -> "Value":
        return _unary(TANH, self)

    def exp(self) -> "Value":
        return _unary(EXP, self)

    def log(self) -> "Value":
        return _unary(LOG, self)

    def sigmoid(self) -> "Value":
        return _unary(SIGMOID, self)

    # --- gradients -------------------------------------------------------------------
    def backward(self) -> None:
        """Add d(self)/d(leaf) to the ``grad`` of every leaf (input, parameter) this value
        depends on, as PyTorch and micrograd do: call ``zero_grad()`` first to start from 0.

        The grads of the interior nodes are recomputed from zero at every call, so two calls
        give exactly twice the leaves' gradients (micrograd's second call, which keeps the
        interior grads, gives wrong ones).  Summing the gradients of several losses is one
        ``backward()`` per loss.
        """
        from .graph import backward

        backward(self)

    @property
    def _backward(self) -> Callable[[], None]:
        """micrograd's per-node closure: pass this node's grad on to its inputs.

        Setting it (``out._backward = fn``, micrograd's way to write an operation) makes
        ``backward()`` call ``fn`` for this node; built-in operations need no closure.
        """
        op = self._op
        if isinstance(op, ClosureOp) and op.closure is not None:
            return op.closure
        return partial(_local_backward, self)

    @_backward.setter
    def _backward(self, fn: Callable[[], None]) -> None:
        if not callable(fn):
            raise TypeError(f"_backward must be a function taking no arguments, not {type(fn).__name__}")
        op = self._op
        base = op.base if isinstance(op, ClosureOp) else None if op is LEAF else op
        self._op = closure_op(op.symbol, base, fn)

    # --- copies and pickles: iterative, see engine.graph_copy ------------------------
    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        from .graph_copy import reduce_value

        return reduce_value(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> "Value":
        from .graph_copy import deepcopy_value

        return deepcopy_value(self, memo)

    def __copy__(self) -> "Value":
        """A new node with the same inputs, numbers and attributes (not a copy of the graph)."""
        v: Value = _new(Value)
        v.data, v.grad, v._prev, v._op, v.label = self.data, self.grad, self._prev, self._op, self.label
        if self.__dict__:
            v.__dict__.update(self.__dict__)
        return v

    def zero_grad(self) -> None:
        """Set the grad of this value and of everything it depends on to 0."""
        from .graph import topological_order

        for node in topological_order(self):
            node.grad = 0.0


def _method(op: Op) -> Callable[[Value], Value]:
    def method(self: Value) -> Value:
        return _unary(op, self)

    method.__name__ = method.__qualname__ = op.symbol
    method.__doc__ = f"{op.name}: {op.formula}"
    return method


for _name, _fn_op in FUNCTIONS.items():
    if not hasattr(Value, _name):
        setattr(Value, _name, _method(_fn_op))
del _name, _fn_op


def _known_op(op: object, children: tuple[Value, ...]) -> Op:
    """The operation of a node made from outside (``Value(..., _children, _op)``), its
    number of inputs checked.  A symbol the engine does not know (or inputs without a
    symbol, micrograd's default) is a :class:`ClosureOp`: the node's ``_backward``, which
    micrograd-style code sets next, gives its derivative."""
    if isinstance(op, Op):
        found = op
    elif isinstance(op, str):
        known = find_op(op)
        if known is None or (known is LEAF and children):
            return closure_op(op, None, None)
        found = known
    else:
        raise TypeError(f"_op must be an operation's symbol (str), not {type(op).__name__}")
    if found is not LEAF:
        found.check_inputs(len(children))
    return found


def _local_backward(node: Value) -> None:
    """One node's share of backward (what micrograd's ``node._backward()`` does)."""
    g = node.grad
    op = node._op
    if isinstance(op, ClosureOp):
        op.run(node)
        return
    for child, d in zip(node._prev, op.local(node)):
        child.grad += d * g


def _lift(x: object) -> Value:
    """A number used in an operation becomes a constant leaf."""
    if isinstance(x, Value):
        return x
    v = _new(Value)
    v.data = _as_float(x)
    v.grad = 0.0
    v._prev = ()
    v._op = LEAF
    v.label = ""
    return v


def _unary(op: Op, a: Value) -> Value:
    if not -_INF < a.data < _INF:
        raise NumericError(op, (a.data,), "the input is not a finite number")
    v = _new(Value)
    v.data = op.forward(a.data)
    v.grad = 0.0
    v._prev = (a,)
    v._op = op
    v.label = ""
    return v


def _binary(op: Op, a: Value, b: "Value | float") -> Value:
    if b.__class__ is not Value:
        b = _lift(b)
    if not (-_INF < a.data < _INF and -_INF < b.data < _INF):
        raise NumericError(op, (a.data, b.data), "an input is not a finite number")
    v = _new(Value)
    v.data = op.forward(a.data, b.data)
    v.grad = 0.0
    v._prev = (a, b)
    v._op = op
    v.label = ""
    return v


def apply(op: Op, *inputs: "Value | float") -> Value:
    """Apply ``op`` to values (numbers become constant leaves): one new node."""
    prev = tuple(x if isinstance(x, Value) else _lift(x) for x in inputs)
    if len(prev) != op.arity:
        op.check_inputs(len(prev))
    v = _new(Value)
    v.data = op.forward(*[p.data for p in prev])
    v.grad = 0.0
    v._prev = prev
    v._op = op
    v.label = ""
    return v


# the fused nodes (one node for many operations) live in engine.fused; importable from here too
from .fused import dot, dot_of, fused_neuron, vsum  # noqa: E402  (needs Value defined above)
