"""Every operation of the engine, one block each.

A block says everything about one operation, side by side, as karpathy/micrograd's
``engine.py`` reads: its symbol, a name a learner can read, how many inputs it takes, the
forward function (numbers in, number out), the local derivative (d output / d each input,
from the output and input numbers) and one formula template that says the same derivative
in words.  Everything else is derived from this table:

* :data:`OPS` (every block below, by symbol), the expression language's functions and
  methods, the answer walker's functions and the ``Value`` methods (``function=True``), and
  the activations :mod:`engine.nn` and the trainer accept (``activation=True``);
* the text of a rule (``d tanh(x)/dx = 1 - tanh(x)^2``) for the inspector and the lessons,
  and one input's share in the step-through (``f.data``), both by ``str.format``.

A formula template is a :class:`Rule`: the left side ``d tanh({x})/d{wrt}``, then one
right side per input, written with the inputs' placeholder names (``{x}`` for one input,
``{a}`` and ``{b}`` for two; a variadic operation names its own, see ``NEURON``).  What a
block is, and how its words are rendered, is :mod:`engine.operation`.

Adding an operation is one block here; nothing else needs to change.  Fast paths elsewhere
(``Value.__add__``, ``graph.backward``) are checked against these blocks by
``tests/engine/test_ops.py``.
"""

from __future__ import annotations

import math

from .errors import NumericError
from .operation import Op, Rule, rule

__all__ = ["Op", "Rule", "OPS", "FUNCTIONS", "ACTIVATIONS", "LEAF", "pow_const_op", "find_op"]

_INF = math.inf


def _finite(op: str, result: float, *operands: float) -> float:
    if -_INF < result < _INF:
        return result
    raise NumericError(op, operands, "the result is too large for a float (overflow)"
                       if result == result else "the result is not a number")


# --- the operations, one block each ---------------------------------------------------

ADD = Op(
    "+", name="add", arity=2,
    forward=lambda a, b: _finite("+", a + b, a, b),
    derivative=lambda out, a, b: (1.0, 1.0),
    formula=rule("d({a} + {b})/d{wrt}", "1", "1"),
)

SUB = Op(
    "-", name="subtract", arity=2,
    forward=lambda a, b: _finite("-", a - b, a, b),
    derivative=lambda out, a, b: (1.0, -1.0),
    formula=rule("d({a} - {b})/d{wrt}", "1", "-1"),
)

MUL = Op(
    "*", name="multiply", arity=2,
    forward=lambda a, b: _finite("*", a * b, a, b),
    derivative=lambda out, a, b: (b, a),
    formula=rule("d({a} * {b})/d{wrt}", "{b}", "{a}"),
)


def _div(a: float, b: float) -> float:
    if b == 0.0:
        raise NumericError("/", (a, b), "division by zero")
    return _finite("/", a / b, a, b)


DIV = Op(
    "/", name="divide", arity=2,
    forward=_div,
    derivative=lambda out, a, b: (1.0 / b, -(a / b) / b),
    formula=rule("d({a} / {b})/d{wrt}", "1/{b}", "-{a}/{b}^2"),
)

NEG = Op(
    "neg", name="negate", arity=1,
    forward=lambda x: -x,
    derivative=lambda out, x: (-1.0,),
    formula=rule("d(-{x})/d{wrt}", "-1"),
)


def _power(a: float, b: float) -> float:
    if a == 0.0 and b < 0.0:
        raise NumericError("**", (a, b), "zero to a negative power is undefined (division by zero)")
    if a < 0.0 and b != math.floor(b):
        raise NumericError("**", (a, b), "a negative base to a non-integer power is not a real number")
    try:
        r: float = a ** b
    except OverflowError:
        raise NumericError("**", (a, b), "the result is too large for a float (overflow)") from None
    return _finite("**", r, a, b)


def _pow_partials(out: float, a: float, b: float) -> tuple[float, float]:
    if b == 0.0:
        da = 0.0
    elif a == 0.0 and b < 1.0:
        raise NumericError("**", (a, b), "the derivative of a**b with respect to a is infinite at a = 0")
    else:
        try:
            da = b * a ** (b - 1.0)
        except OverflowError:
            raise NumericError("**", (a, b), "the derivative is too large for a float (overflow)") from None
    if a > 0.0:
        return da, out * math.log(a)
    if a == 0.0 and b > 0.0:
        return da, 0.0
    raise NumericError("**", (a, b), "the derivative of a**b with respect to b needs a > 0")


POW = Op(
    "**", name="power", arity=2,
    forward=_power,
    derivative=_pow_partials,
    formula=rule("d({a} ** {b})/d{wrt}", "{b} * {a}^({b}-1)", "{a}^{b} * ln({a})"),
)

RELU = Op(
    "relu", name="rectified linear unit", arity=1, function=True, activation=True,
    forward=lambda x: x if x > 0.0 else 0.0,
    derivative=lambda out, x: (1.0 if out > 0.0 else 0.0,),
    formula=rule("d relu({x})/d{wrt}", "1 if {x} > 0 else 0"),
)

TANH = Op(
    "tanh", name="hyperbolic tangent", arity=1, function=True, activation=True,
    forward=math.tanh,
    derivative=lambda out, x: (1.0 - out * out,),
    formula=rule("d tanh({x})/d{wrt}", "1 - tanh({x})^2"),
)


def _exp(x: float) -> float:
    if x > 709.782712893384:  # math.log(sys.float_info.max)
        raise NumericError("exp", (x,), "the result is too large for a float (overflow)")
    return math.exp(x)


EXP = Op(
    "exp", name="exponential", arity=1, function=True,
    forward=_exp,
    derivative=lambda out, x: (out,),
    formula=rule("d exp({x})/d{wrt}", "exp({x})"),
)


def _log(x: float) -> float:
    if x <= 0.0:
        raise NumericError("log", (x,), "log is only defined for x > 0")
    return math.log(x)


LOG = Op(
    "log", name="natural logarithm", arity=1, function=True,
    forward=_log,
    derivative=lambda out, x: (1.0 / x,),
    formula=rule("d log({x})/d{wrt}", "1/{x}"),
)


def _sigmoid(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


SIGMOID = Op(
    "sigmoid", name="logistic sigmoid", arity=1, function=True, activation=True,
    forward=_sigmoid,
    derivative=lambda out, x: (out * (1.0 - out),),
    formula=rule("d sigmoid({x})/d{wrt}", "sigmoid({x}) * (1 - sigmoid({x}))"),
)

SIN = Op(
    "sin", name="sine", arity=1, function=True,
    forward=math.sin,
    derivative=lambda out, x: (math.cos(x),),
    formula=rule("d sin({x})/d{wrt}", "cos({x})"),
)

COS = Op(
    "cos", name="cosine", arity=1, function=True,
    forward=math.cos,
    derivative=lambda out, x: (-math.sin(x),),
    formula=rule("d cos({x})/d{wrt}", "-sin({x})"),
)


def _neuron(*xs: float) -> float:
    # inputs are (b, w1, ..., wn, x1, ..., xn): the fused form of b + w1*x1 + w2*x2 + ...
    n = (len(xs) - 1) // 2
    acc = xs[0]
    for w, x in zip(xs[1:n + 1], xs[n + 1:]):
        acc = acc + w * x
    return _finite("neuron", acc, *xs)


def _neuron_partials(out: float, *xs: float) -> tuple[float, ...]:
    k = (len(xs) - 1) // 2
    return (1.0, *xs[k + 1:], *xs[1:k + 1])  # d/db = 1, d/dw_i = x_i, d/dx_i = w_i


def _neuron_roles(i: int, n: int) -> tuple[int, dict[str, int]]:
    k = (n - 1) // 2  # input i is b (i = 0), w_i (1..k) or x_i (k+1..2k); its partner is the other
    if i == 0:
        return 0, {}
    return (1, {"x_i": i + k}) if i <= k else (2, {"w_i": i - k})


NEURON = Op(
    "neuron", name="fused neuron b + sum(w_i * x_i)", arity=-1,
    accepts=lambda n: n >= 3 and n % 2 == 1,  # b, then as many weights as inputs
    roles=("b", "w_i", "x_i"), bind=_neuron_roles,
    forward=_neuron,
    derivative=_neuron_partials,
    formula=rule("d/d{wrt}", "1", "{x_i}", "{w_i}"),
)


def _dot(*xs: float) -> float:
    # inputs are interleaved pairs (a1, b1, a2, b2, ...): the fused form of the fine graph that
    # ``sum(a * b for a, b in zip(as, bs))`` builds, summed the same way, from 0, left to right
    acc = 0.0
    for i in range(0, len(xs) - 1, 2):
        acc = acc + xs[i] * xs[i + 1]
    return _finite("dot", acc, *xs)


def _dot_partials(out: float, *xs: float) -> tuple[float, ...]:
    # d/da_i = b_i, d/db_i = a_i: each input's partner, the pairs kept in place
    swapped = [0.0] * len(xs)
    swapped[0::2] = xs[1::2]
    swapped[1::2] = xs[0::2]
    return tuple(swapped)


def _dot_roles(i: int, n: int) -> tuple[int, dict[str, int]]:
    # input i is a_k (even i) or b_k (odd i); its partner is the other one of the pair
    return (0, {"b_i": i + 1}) if i % 2 == 0 else (1, {"a_i": i - 1})


DOT = Op(
    "dot", name="dot product sum(a_i * b_i)", arity=-1,
    accepts=lambda n: n >= 2 and n % 2 == 0,  # pairs (a1, b1, a2, b2, ...)
    roles=("a_i", "b_i"), bind=_dot_roles,
    forward=_dot,
    derivative=_dot_partials,
    formula=rule("d(a_1*b_1 + ... + a_n*b_n)/d{wrt}", "{b_i}", "{a_i}"),
)


def _sum(*xs: float) -> float:
    acc = 0.0
    for x in xs:
        acc = acc + x
    return _finite("sum", acc, *xs)


SUM = Op(
    "sum", name="sum of many", arity=-1, roles=("x_i",), bind=lambda i, n: (0, {}),
    forward=_sum,
    derivative=lambda out, *xs: (1.0,) * len(xs),
    formula=rule("d(x_1 + ... + x_n)/d{wrt}", "1"),
)

LEAF = Op(
    "", name="leaf (an input or parameter)", arity=0,
    forward=float,
    derivative=lambda out: (),
    formula=rule("a leaf has no inputs: its grad is where backward stops"),
)


# --- x ** k for a constant k: one operation per exponent -------------------------------

def _fmt_exponent(k: float) -> str:
    return str(int(k)) if k == int(k) and abs(k) < 1e15 else repr(k)


def _pow_const_partial(x: float, k: float) -> float:
    if k == 0.0:
        return 0.0  # x**0 is constant: gradient 0 everywhere, 0**0 included
    if k == 1.0:
        return 1.0
    if x == 0.0 and k < 1.0:
        raise NumericError(f"**{_fmt_exponent(k)}", (x,),
                           f"the derivative of x ** {_fmt_exponent(k)} at x = 0 is infinite")
    try:
        d: float = k * x ** (k - 1.0)
        return d
    except OverflowError:
        raise NumericError(f"**{_fmt_exponent(k)}", (x,),
                           "the derivative is too large for a float (overflow)") from None


_POW_CACHE: dict[float, Op] = {}


def pow_const_op(k: float) -> Op:
    """The operation ``x ** k`` for a constant ``k`` (one per exponent, cached)."""
    op = _POW_CACHE.get(k)
    if op is None:
        ks = _fmt_exponent(k)
        op = Op(
            f"**{ks}", name=f"power {ks}", arity=1, exponent=k,
            forward=lambda x: _power(x, k),
            derivative=lambda out, x: (_pow_const_partial(x, k),),
            formula=rule(f"d({{x}} ** {ks})/d{{wrt}}",
                         "0" if k == 0 else f"{ks} * {{x}}^{_fmt_exponent(k - 1)}"),
        )
        if len(_POW_CACHE) < 4096:
            _POW_CACHE[k] = op
    return op


#: every operation with a fixed symbol (each block above), by symbol, in the order written;
#: ``x ** k`` operations come from :func:`pow_const_op`
OPS: dict[str, Op] = {v.symbol: v for v in list(globals().values())
                      if isinstance(v, Op) and v is not LEAF}
#: the operations called by name (``tanh(x)``, ``x.tanh()``), by name
FUNCTIONS: dict[str, Op] = {s: op for s, op in OPS.items() if op.function}
#: the operations a neuron may use as its nonlinearity, by name
ACTIVATIONS: dict[str, Op] = {s: op for s, op in OPS.items() if op.activation}


def find_op(symbol: str) -> Op | None:
    """The operation for a symbol (``"tanh"``, ``"*"``, ``"**2"``, ``""`` for a leaf), or None."""
    if not symbol:
        return LEAF
    op = OPS.get(symbol)
    if op is None and symbol.startswith("**") and len(symbol) > 2:
        try:
            k = float(symbol[2:])
        except ValueError:
            return None
        if -_INF < k < _INF:
            op = pow_const_op(k)
    return op
