"""Value, a scalar that remembers how it was computed, and every operation on it.

Each operation is described exactly once, by an :class:`Op`: its symbol, a name a learner
can read, the forward function, the local derivative of the output with respect to each
input, and a formula in words (``d tanh(x)/dx = 1 - tanh(x)^2``).  The engine's backward
pass, the app's node inspector and step-through, and the lessons all read the same ``Op``,
so the text a learner sees cannot drift from the code that computes.

The graph is a DAG: ``_prev`` is the ordered tuple of a node's inputs (``a + a`` has two),
``_op`` the operation that produced it (an ``Op``, which is also a ``str`` such as ``"+"``,
so code written for karpathy/micrograd that prints ``v._op`` keeps working).
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Sequence

from .errors import NumericError

_INF = math.inf
_isfinite = math.isfinite


class Op(str):
    """One operation, described once.

    The ``str`` value is the symbol shown in graphs (``"+"``, ``"tanh"``, ``"**2"``).

    * ``forward(*inputs) -> float`` computes the output from the input numbers and raises
      :class:`NumericError` when the result is not a finite real number.
    * ``local(node) -> tuple`` gives d(output)/d(input) for each input of ``node``, in the
      order of ``node._prev``; backward multiplies each by the output's grad.
    * ``formula`` is the local derivative in words, ``rule`` how one input's gradient
      update reads (``{child}.grad += {local} × {out}.grad``).
    """

    name: str
    arity: int
    forward: Callable[..., float]
    local: Callable[["Value"], tuple[float, ...]]
    formula: str
    exponent: float | None

    def __new__(
        cls,
        symbol: str,
        *,
        name: str,
        arity: int,
        forward: Callable[..., float],
        local: Callable[["Value"], tuple[float, ...]],
        formula: str,
        local_text: Sequence[str] = (),
        exponent: float | None = None,
    ) -> "Op":
        self = super().__new__(cls, symbol)
        self.name = name
        self.arity = arity  # -1: any number of inputs
        self.forward = forward
        self.local = local
        self.formula = formula
        self.local_text = tuple(local_text)
        self.exponent = exponent
        return self

    @property
    def symbol(self) -> str:
        return str.__str__(self)


def _finite(op: str, result: float, *operands: float) -> float:
    if -_INF < result < _INF:
        return result
    raise NumericError(op, operands, "the result is too large for a float (overflow)"
                       if result == result else "the result is not a number")


# --- forward functions ---------------------------------------------------------------

def _add(a: float, b: float) -> float:
    return _finite("+", a + b, a, b)


def _sub(a: float, b: float) -> float:
    return _finite("-", a - b, a, b)


def _mul(a: float, b: float) -> float:
    return _finite("*", a * b, a, b)


def _div(a: float, b: float) -> float:
    if b == 0.0:
        raise NumericError("/", (a, b), "division by zero")
    return _finite("/", a / b, a, b)


def _neg(a: float) -> float:
    return -a


def _power(a: float, b: float) -> float:
    if a == 0.0 and b < 0.0:
        raise NumericError("**", (a, b), "zero to a negative power is undefined (division by zero)")
    if a < 0.0 and b != math.floor(b):
        raise NumericError("**", (a, b), "a negative base to a non-integer power is not a real number")
    try:
        r = a ** b
    except OverflowError:
        raise NumericError("**", (a, b), "the result is too large for a float (overflow)") from None
    return _finite("**", r, a, b)


def _relu(a: float) -> float:
    return a if a > 0.0 else 0.0


def _exp(a: float) -> float:
    if a > 709.782712893384:  # math.log(sys.float_info.max)
        raise NumericError("exp", (a,), "the result is too large for a float (overflow)")
    return math.exp(a)


def _log(a: float) -> float:
    if a <= 0.0:
        raise NumericError("log", (a,), "log is only defined for x > 0")
    return math.log(a)


def _sigmoid(a: float) -> float:
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _neuron(*xs: float) -> float:
    # inputs are (b, w1, ..., wn, x1, ..., xn): the fused form of b + w1*x1 + w2*x2 + ...
    n = (len(xs) - 1) // 2
    acc = xs[0]
    for w, x in zip(xs[1:n + 1], xs[n + 1:]):
        acc = acc + w * x
    return _finite("neuron", acc, *xs)


def _sum(*xs: float) -> float:
    acc = 0.0
    for x in xs:
        acc = acc + x
    return _finite("sum", acc, *xs)


# --- local derivatives (d output / d each input) ------------------------------------

def _pow_base_partial(a: float, b: float) -> float:
    if b == 0.0:
        return 0.0
    if a == 0.0 and b < 1.0:
        raise NumericError("**", (a, b), "the derivative of a**b with respect to a is infinite at a = 0")
    try:
        return b * a ** (b - 1.0)
    except OverflowError:
        raise NumericError("**", (a, b), "the derivative is too large for a float (overflow)") from None


def _pow_exponent_partial(a: float, b: float, out: float) -> float:
    if a > 0.0:
        return out * math.log(a)
    if a == 0.0 and b > 0.0:
        return 0.0
    raise NumericError("**", (a, b), "the derivative of a**b with respect to b needs a > 0")


def _l_add(n: "Value") -> tuple[float, ...]:
    return (1.0, 1.0)


def _l_sub(n: "Value") -> tuple[float, ...]:
    return (1.0, -1.0)


def _l_mul(n: "Value") -> tuple[float, ...]:
    a, b = n._prev
    return (b.data, a.data)


def _l_div(n: "Value") -> tuple[float, ...]:
    a, b = n._prev
    return (1.0 / b.data, -(a.data / b.data) / b.data)


def _l_neg(n: "Value") -> tuple[float, ...]:
    return (-1.0,)


def _l_pow(n: "Value") -> tuple[float, ...]:
    a, b = n._prev
    return (_pow_base_partial(a.data, b.data), _pow_exponent_partial(a.data, b.data, n.data))


def _pow_const_partial(a: float, k: float) -> float:
    if k == 0.0:
        return 0.0  # x**0 is constant: gradient 0 everywhere, 0**0 included
    if k == 1.0:
        return 1.0
    if a == 0.0 and k < 1.0:
        raise NumericError(f"**{_fmt_exponent(k)}", (a,),
                           f"the derivative of x ** {_fmt_exponent(k)} at x = 0 is infinite")
    try:
        return k * a ** (k - 1.0)
    except OverflowError:
        raise NumericError(f"**{_fmt_exponent(k)}", (a,),
                           "the derivative is too large for a float (overflow)") from None


def _l_relu(n: "Value") -> tuple[float, ...]:
    return (1.0 if n.data > 0.0 else 0.0,)


def _l_tanh(n: "Value") -> tuple[float, ...]:
    t = n.data
    return (1.0 - t * t,)


def _l_exp(n: "Value") -> tuple[float, ...]:
    return (n.data,)


def _l_log(n: "Value") -> tuple[float, ...]:
    return (1.0 / n._prev[0].data,)


def _l_sigmoid(n: "Value") -> tuple[float, ...]:
    s = n.data
    return (s * (1.0 - s),)


def _l_neuron(n: "Value") -> tuple[float, ...]:
    prev = n._prev
    k = (len(prev) - 1) // 2
    # d/db = 1, d/dw_i = x_i, d/dx_i = w_i
    return (1.0, *(x.data for x in prev[k + 1:]), *(w.data for w in prev[1:k + 1]))


def _l_sum(n: "Value") -> tuple[float, ...]:
    return (1.0,) * len(n._prev)


ADD = Op("+", name="add", arity=2, forward=_add, local=_l_add,
         formula="d(a + b)/da = 1,  d(a + b)/db = 1", local_text=("1", "1"))
SUB = Op("-", name="subtract", arity=2, forward=_sub, local=_l_sub,
         formula="d(a - b)/da = 1,  d(a - b)/db = -1", local_text=("1", "-1"))
MUL = Op("*", name="multiply", arity=2, forward=_mul, local=_l_mul,
         formula="d(a * b)/da = b,  d(a * b)/db = a", local_text=("b", "a"))
DIV = Op("/", name="divide", arity=2, forward=_div, local=_l_div,
         formula="d(a / b)/da = 1/b,  d(a / b)/db = -a/b^2", local_text=("1/b", "-a/b^2"))
NEG = Op("neg", name="negate", arity=1, forward=_neg, local=_l_neg,
         formula="d(-x)/dx = -1", local_text=("-1",))
POW = Op("**", name="power", arity=2, forward=_power, local=_l_pow,
         formula="d(a ** b)/da = b * a^(b-1),  d(a ** b)/db = a^b * ln(a)",
         local_text=("b * a^(b-1)", "a^b * ln(a)"))
RELU = Op("relu", name="rectified linear unit", arity=1, forward=_relu, local=_l_relu,
          formula="d relu(x)/dx = 1 if x > 0 else 0", local_text=("1 if x > 0 else 0",))
TANH = Op("tanh", name="hyperbolic tangent", arity=1, forward=math.tanh, local=_l_tanh,
          formula="d tanh(x)/dx = 1 - tanh(x)^2", local_text=("1 - tanh(x)^2",))
EXP = Op("exp", name="exponential", arity=1, forward=_exp, local=_l_exp,
         formula="d exp(x)/dx = exp(x)", local_text=("exp(x)",))
LOG = Op("log", name="natural logarithm", arity=1, forward=_log, local=_l_log,
         formula="d log(x)/dx = 1/x", local_text=("1/x",))
SIGMOID = Op("sigmoid", name="logistic sigmoid", arity=1, forward=_sigmoid, local=_l_sigmoid,
             formula="d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x))",
             local_text=("sigmoid(x) * (1 - sigmoid(x))",))
NEURON = Op("neuron", name="fused neuron b + sum(w_i * x_i)", arity=-1, forward=_neuron,
            local=_l_neuron, formula="d/db = 1,  d/dw_i = x_i,  d/dx_i = w_i",
            local_text=("1", "x_i", "w_i"))
SUM = Op("sum", name="sum of many", arity=-1, forward=_sum, local=_l_sum,
         formula="d(x_1 + ... + x_n)/dx_i = 1", local_text=("1",))
LEAF = Op("", name="leaf (an input or parameter)", arity=0, forward=float,
          local=lambda n: (), formula="a leaf has no inputs: its grad is where backward stops")

_POW_CACHE: dict[float, Op] = {}


def _fmt_exponent(k: float) -> str:
    return str(int(k)) if k == int(k) and abs(k) < 1e15 else repr(k)


def pow_const_op(k: float) -> Op:
    """The operation ``x ** k`` for a constant ``k`` (one per exponent, cached)."""
    op = _POW_CACHE.get(k)
    if op is None:
        ks = _fmt_exponent(k)

        def forward(a: float, _k: float = k) -> float:
            return _power(a, _k)

        def local(n: "Value", _k: float = k) -> tuple[float, ...]:
            return (_pow_const_partial(n._prev[0].data, _k),)

        text = "0" if k == 0 else f"{ks} * x^{_fmt_exponent(k - 1)}"
        op = Op(f"**{ks}", name=f"power {ks}", arity=1, forward=forward, local=local,
                formula=f"d(x ** {ks})/dx = {text}", local_text=(text,), exponent=k)
        if len(_POW_CACHE) < 4096:
            _POW_CACHE[k] = op
    return op


#: every operation with a fixed symbol, by symbol; ``x ** k`` ops come from ``pow_const_op``.
OPS: dict[str, Op] = {op.symbol: op for op in (ADD, SUB, MUL, DIV, NEG, POW, RELU, TANH, EXP,
                                                LOG, SIGMOID, NEURON, SUM)}


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

    __slots__ = ("data", "grad", "_prev", "_op", "label")

    data: float
    grad: float
    _prev: tuple["Value", ...]
    _op: Op
    label: str

    def __init__(self, data: float, label: str = "", _children: Iterable["Value"] = (),
                 _op: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"a Value's label must be a str, not {type(label).__name__} "
                            "(the signature is Value(data, label=''))")
        self.data = _as_float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        if not isinstance(_op, Op):
            if isinstance(_op, str) and _op.startswith("**"):
                _op = pow_const_op(_as_float(float(_op[2:]), "**"))
            elif _op and _op not in OPS:
                raise ValueError(f"unknown operation {_op!r}: one of {', '.join(OPS)} or **k")
            else:
                _op = OPS[_op] if _op else LEAF
        if self._prev and _op is LEAF:
            raise ValueError("a Value with inputs needs the operation that combined them (_op)")
        self._op = _op
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

    def tanh(self) -> "Value":
        return _unary(TANH, self)

    def exp(self) -> "Value":
        return _unary(EXP, self)

    def log(self) -> "Value":
        return _unary(LOG, self)

    def sigmoid(self) -> "Value":
        return _unary(SIGMOID, self)

    # --- gradients -------------------------------------------------------------------
    def backward(self, *, accumulate: bool = False) -> None:
        """Fill ``grad`` of every node this value depends on with d(self)/d(node).

        Gradients are recomputed from zero, so calling ``backward()`` twice gives the same
        gradients, not doubled ones.  With ``accumulate=True`` the leaves (inputs and
        parameters) keep what they had and this pass adds to it: call it once per loss to
        sum the gradients of several losses.
        """
        from .graph import backward

        backward(self, accumulate=accumulate)

    def zero_grad(self) -> None:
        """Set the grad of this value and of everything it depends on to 0."""
        from .graph import topological_order

        for node in topological_order(self):
            node.grad = 0.0


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
    prev = tuple(x if x.__class__ is Value else _lift(x) for x in inputs)
    v = _new(Value)
    v.data = op.forward(*[p.data for p in prev])
    v.grad = 0.0
    v._prev = prev
    v._op = op
    v.label = ""
    return v


def fused_neuron(w: Sequence[Value], x: Sequence["Value | float"], b: Value) -> Value:
    """One node for ``b + w[0]*x[0] + w[1]*x[1] + ...``, summed in that order.

    It gives exactly the numbers of the fine-grained graph that karpathy/micrograd's
    ``sum((wi*xi for wi, xi in zip(w, x)), b)`` builds, with one node instead of 2n.
    Its inputs are ``(b, w[0], ..., w[n-1], x[0], ..., x[n-1])``.
    """
    if len(w) != len(x):
        raise ValueError(f"a neuron with {len(w)} weights got {len(x)} inputs")
    acc = b.data
    try:
        for wi, xi in zip(w, x):  # left to right: ((b + w0*x0) + w1*x1) + ...
            acc = acc + wi.data * xi.data
    except AttributeError:  # plain numbers among the inputs become constant leaves
        if all(xi.__class__ is Value for xi in x):
            raise TypeError("a neuron's weights and bias must be Values") from None
        return fused_neuron(w, [xi if xi.__class__ is Value else _lift(xi) for xi in x], b)
    if not -_INF < acc < _INF:
        _finite("neuron", acc, b.data, *(p.data for p in w), *(p.data for p in x))
    v = _new(Value)
    v.data = acc
    v.grad = 0.0
    v._prev = (b, *w, *x)
    v._op = NEURON
    v.label = ""
    return v


def vsum(values: Iterable["Value | float"]) -> Value:
    """One node for the sum of many values, added left to right (same numbers as ``sum``)."""
    return apply(SUM, *values)
