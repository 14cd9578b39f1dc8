"""The learner's own operations: a forward and its local derivative(s), both written in the
expression language, checked against central differences before they are accepted.

    op = define_op("softplus", ("x",), "log(1 + exp(x))", ("sigmoid(x)",))
    report = check_derivative(op)          # at >= 5 random points of the op's domain
    report.ok, report.message              # "at x = 0.3 your d/dx gives 0.41, the slope ..."
    evaluate("y = softplus(2.0)", ops={op.name: op})   # one node, for this session only

An operation is an :class:`engine.operation.Op` built at run time, so a graph, backward,
the step-through, the gradient check and the exports treat it like any block of
:mod:`engine.ops`; its formula is the learner's own text (``d softplus(x)/dx = sigmoid(x)``).
The session's operations are passed explicitly (``evaluate(..., ops=...)``): there is no
global table to change.

Safety: each expression is read by :func:`engine.expr_check.read` (the language's allow-list)
and then computed by the small evaluator below, on floats, over the checked tree; the text
never reaches ``eval``/``exec``/``compile``.  Leaving a function's domain raises a
``NumericError`` that names the learner's operation.
"""

from __future__ import annotations

import ast
import keyword
import math
import random
import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from .errors import ExprError, NumericError
from .expr_check import BINOPS, CONSTRUCTOR, OUTPUT_NAME, read, vocabulary
from .operation import Op, rule
from .ops import FUNCTIONS, OPS

__all__ = ["OpDefinitionError", "UserOp", "define_op", "check_derivative", "DerivativeCheck",
           "PointCheck", "MIN_POINTS"]

#: how many random points a derivative is checked at (at least)
MIN_POINTS = 5
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,23}$")
_MAX_EXPR_CHARS = 300


class OpDefinitionError(ValueError):
    """An operation that cannot be defined; ``field`` says which part (``name``, ``inputs``,
    ``forward``, ``derivative``, ``d/db``, ...) and the message says what is wrong there."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


# --- reading and computing one expression -------------------------------------------------

Compiled = Callable[[Sequence[float]], float]


def _compile(text: str, inputs: Sequence[str], field: str, ops: Mapping[str, Op]) -> Compiled:
    """Check ``text`` with the language's reader and return a float evaluator for it."""
    if not isinstance(text, str) or not text.strip():
        raise OpDefinitionError(field, "write an expression, such as 1 - tanh(x)**2")
    text = text.strip()
    if "\n" in text or "\r" in text or len(text) > _MAX_EXPR_CHARS:
        raise OpDefinitionError(field, f"write one expression on one line (at most "
                                       f"{_MAX_EXPR_CHARS} characters)")
    head = "".join(f"{name} = 0.0\n" for name in inputs)
    try:
        _, tree = read(head + text, ops=ops)
    except ExprError as e:
        line = e.line - len(inputs)
        where = f"column {e.col}" if line >= 1 else "its inputs"
        raise OpDefinitionError(field, f"{where}: {e.message}") from None
    last = tree.body[-1]
    if len(tree.body) != len(inputs) + 1 or not isinstance(last, ast.Expr):
        raise OpDefinitionError(field, "write one expression, not a statement (no '=' or ';')")
    root = last.value
    position = {name: i for i, name in enumerate(inputs)}
    table: dict[str, Op] = {**FUNCTIONS, **ops}

    def run(values: Sequence[float]) -> float:
        results: list[float] = []
        stack: list[tuple[ast.expr, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            kids: tuple[ast.expr, ...] = ()
            if isinstance(node, ast.BinOp):
                kids = (node.left, node.right)
            elif isinstance(node, ast.UnaryOp):
                kids = (node.operand,)
            elif isinstance(node, ast.Call):
                f = node.func
                kids = (f.value,) if isinstance(f, ast.Attribute) else tuple(node.args)
            if kids and not ready:
                stack.append((node, True))
                stack.extend((k, False) for k in reversed(kids))
                continue
            args = results[len(results) - len(kids):]
            del results[len(results) - len(kids):]
            results.append(_compute(node, args, values, position, table))
        return results[0]

    return run


def _compute(node: ast.expr, args: list[float], values: Sequence[float],
             position: Mapping[str, int], table: Mapping[str, Op]) -> float:
    if isinstance(node, ast.Constant):
        v = node.value  # the reader let only finite numbers through
        return float(v) if isinstance(v, (int, float)) else math.nan
    if isinstance(node, ast.Name):
        return values[position[node.id]]
    if isinstance(node, ast.BinOp):
        return OPS[BINOPS[type(node.op)][0]].forward(args[0], args[1])
    if isinstance(node, ast.UnaryOp):
        return -args[0] if isinstance(node.op, ast.USub) else args[0]
    if isinstance(node, ast.Call):
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if name == CONSTRUCTOR:
            return args[0]
        result: float = table[name].forward(*args)
        if not math.isfinite(result):
            raise NumericError(name, tuple(args), "the result is not a finite number")
        return result
    raise OpDefinitionError("expression", f"{type(node).__name__} is not part of the language")


# --- the operation ------------------------------------------------------------------------

@dataclass(frozen=True)
class Definition:
    """What the learner wrote: enough to build the operation again (a pickle, an export)."""

    name: str
    inputs: tuple[str, ...]
    forward: str
    derivatives: tuple[str, ...]


class UserOp(Op):
    """An operation the learner wrote; ``definition`` is their text."""

    definition: Definition

    def __reduce__(self) -> tuple[Callable[..., "UserOp"], tuple[object, ...]]:  # type: ignore[override]
        d = self.definition
        return _rebuild, (d.name, d.inputs, d.forward, d.derivatives)


def _rebuild(name: str, inputs: tuple[str, ...], forward: str,
             derivatives: tuple[str, ...]) -> "UserOp":
    return define_op(name, inputs, forward, derivatives)


def _placeholders(text: str, inputs: Sequence[str]) -> str:
    """The learner's text as a formula template: each input name becomes ``{name}``."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, inputs)) + r")\b")
    return pattern.sub(lambda m: "{" + m.group(1) + "}", text)


def _check_names(name: object, inputs: object, ops: Mapping[str, Op]) -> tuple[str, tuple[str, ...]]:
    if not isinstance(name, str) or not _NAME.match(name.strip()):
        raise OpDefinitionError("name", "a name is a letter then letters, digits or _ "
                                        "(at most 24), such as softplus")
    name = name.strip()
    taken = set(FUNCTIONS) | set(OPS) | {CONSTRUCTOR, OUTPUT_NAME}
    if name in taken or keyword.iskeyword(name):
        raise OpDefinitionError("name", f"{name!r} is already taken by the language: "
                                        "choose another name")
    if isinstance(inputs, str):
        inputs = [s for s in re.split(r"[\s,]+", inputs) if s]
    if not isinstance(inputs, (list, tuple)) or not 1 <= len(inputs) <= 2:
        raise OpDefinitionError("inputs", "an operation takes one input (x) or two (a, b)")
    names = tuple(str(i).strip() for i in inputs)
    for i in names:
        if not _NAME.match(i) or i in taken or keyword.iskeyword(i) or i in ops:
            raise OpDefinitionError("inputs", f"{i!r} cannot name an input: use a short "
                                              "name such as x, a or b")
        if i == name:
            raise OpDefinitionError("inputs", f"the input {i!r} has the operation's name")
    if len(set(names)) != len(names):
        raise OpDefinitionError("inputs", "the two inputs need different names")
    return name, names


def define_op(name: str, inputs: Sequence[str] | str, forward: str,
              derivatives: Sequence[str], ops: Mapping[str, Op] | None = None) -> UserOp:
    """Build an operation from the learner's text (see the module's docstring).

    ``inputs``: one name or two (``"a, b"`` works too); ``derivatives``: d out / d each input,
    in the same order; ``ops``: the session's operations already accepted, which the
    expressions may call.  Raises :class:`OpDefinitionError` naming the field at fault.
    """
    ops = dict(ops or {})
    name, names = _check_names(name, inputs, ops)
    if name in ops:
        ops.pop(name)  # a new version replaces the old one; it cannot call itself
    if isinstance(derivatives, str):
        derivatives = (derivatives,)
    derivatives = tuple(derivatives)
    if len(derivatives) != len(names):
        raise OpDefinitionError("derivative", f"give one derivative per input: d/d"
                                              f"{', d/d'.join(names)}")
    try:
        vocabulary(ops)
    except ValueError as e:
        raise OpDefinitionError("name", str(e)) from None
    fwd = _compile(forward, names, "forward", ops)
    fields = ["derivative" if len(names) == 1 else f"d/d{i}" for i in names]
    parts = [_compile(d, names, f, ops) for d, f in zip(derivatives, fields)]

    def forward_fn(*xs: float) -> float:
        try:
            out = fwd(xs)
        except ArithmeticError as e:
            raise NumericError(name, xs, f"in {forward.strip()}: {e}") from None
        if not math.isfinite(out):
            raise NumericError(name, xs, "the result is too large for a float (overflow)")
        return out

    def derivative_fn(out: float, *xs: float) -> tuple[float, ...]:
        values = []
        for part, text in zip(parts, derivatives):
            try:
                d = part(xs)
            except ArithmeticError as e:
                raise NumericError(name, xs, f"in the derivative {text.strip()}: {e}") from None
            if not math.isfinite(d):
                raise NumericError(name, xs, "the derivative is too large for a float (overflow)")
            values.append(d)
        return tuple(values)

    call = f"{name}({', '.join('{' + i + '}' for i in names)})"
    left = f"d {call}/d{{wrt}}"
    op = UserOp(name, name=f"{name} (your operation: {forward.strip()})", arity=len(names),
                forward=forward_fn, derivative=derivative_fn, roles=names, function=True,
                formula=rule(left, *(_placeholders(d.strip(), names) for d in derivatives)))
    op.definition = Definition(name, names, forward.strip(), tuple(d.strip() for d in derivatives))
    return op


# --- checking the derivative --------------------------------------------------------------

@dataclass(frozen=True)
class PointCheck:
    """One input's derivative at one point: what the learner's formula gives, and the slope."""

    point: tuple[float, ...]
    input: str
    given: float
    slope: float
    ok: bool


@dataclass(frozen=True)
class DerivativeCheck:
    """The verdict: ``ok`` when every point agrees; ``message`` says where it failed."""

    op: UserOp
    points: tuple[PointCheck, ...]
    ok: bool
    message: str

    @property
    def failures(self) -> tuple[PointCheck, ...]:
        return tuple(p for p in self.points if not p.ok)


def _fmt(x: float) -> str:
    return f"{x:.4g}" if x != 0 else "0"


def _at(names: Sequence[str], point: Sequence[float]) -> str:
    return ", ".join(f"{n} = {_fmt(v)}" for n, v in zip(names, point))


def _candidates(rng: random.Random, n: int) -> list[tuple[float, ...]]:
    """Points to try, rounded so a learner can read them: most in [-3, 3], then some in
    (0, 4] for operations defined on positive numbers only (log, x ** 0.5)."""
    wide = [tuple(round(rng.uniform(-3.0, 3.0), 2) for _ in range(n)) for _ in range(40)]
    positive = [tuple(round(rng.uniform(0.05, 4.0), 2) for _ in range(n)) for _ in range(40)]
    return wide + positive


def check_derivative(op: UserOp, *, seed: int | None = None, points: int = 8,
                     rtol: float = 1e-4, atol: float = 1e-5) -> DerivativeCheck:
    """Compare ``op``'s derivative(s) with central differences of its forward at ``points``
    random points of its domain (at least :data:`MIN_POINTS`).

    A point is skipped where the forward is not defined at it or at its neighbours, or where
    the forward has a kink (the one-sided slopes disagree): there is no slope to compare.
    """
    rng = random.Random(seed)
    names = op.definition.inputs
    wanted = max(MIN_POINTS, points)
    checked: list[PointCheck] = []
    used = 0
    for point in _candidates(rng, len(names)):
        if used >= wanted:
            break
        slopes = _slopes(op, point)
        if slopes is None:
            continue
        try:
            given = op.derivative(op.forward(*point), *point)
        except ArithmeticError as e:
            return DerivativeCheck(op, tuple(checked), False,
                                   f"at {_at(names, point)} your derivative cannot be computed, "
                                   f"though the forward can: {e}")
        used += 1
        for name, g, s in zip(names, given, slopes):
            ok = abs(g - s) <= atol + rtol * max(abs(g), abs(s))
            checked.append(PointCheck(tuple(point), name, g, s, ok))
    if used == 0:
        return DerivativeCheck(op, (), False, "the forward is not defined (or not smooth) at "
                                              "any point tried in [-3, 3] and (0, 4]: there is "
                                              "no slope to compare with")
    bad = [p for p in checked if not p.ok]
    if bad:
        p = bad[0]
        which = "derivative" if len(names) == 1 else f"d/d{p.input}"
        wrong = len({q.point for q in bad})
        return DerivativeCheck(op, tuple(checked), False,
                               f"at {_at(names, p.point)} your {which} gives {_fmt(p.given)}, "
                               f"the slope there is {_fmt(p.slope)} (wrong at {wrong} of "
                               f"{used} points)")
    few = "" if used >= MIN_POINTS else f" (only {used} points of its domain could be used)"
    return DerivativeCheck(op, tuple(checked), True,
                           f"your derivative matches the slope of {op.definition.forward} at "
                           f"{used} random points{few}")


def _slopes(op: UserOp, point: tuple[float, ...]) -> list[float] | None:
    """The central-difference slope along each input, or None where there is none."""
    slopes = []
    try:
        f0 = op.forward(*point)
        for i, x in enumerate(point):
            h = 1e-5 * max(1.0, abs(x))
            up = list(point)
            down = list(point)
            up[i] = x + h
            down[i] = x - h
            fu, fd = op.forward(*up), op.forward(*down)
            right, left = (fu - f0) / h, (f0 - fd) / h
            if abs(right - left) > 1e-2 * max(1.0, abs(right), abs(left)):
                return None  # a kink (relu at 0, abs): no single slope here
            slopes.append((fu - fd) / (2.0 * h))
    except ArithmeticError:
        return None
    return slopes
