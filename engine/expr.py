"""The expression language: a small, safe, Python-like language that builds a graph.

    a = -4.0              # a name assigned a number becomes a leaf labelled "a"
    b = Value(2.0)        # the same, spelled the micrograd way
    c = a * b + b**3      # each assigned intermediate is labelled with its name
    c += relu(c) + 1      # augmented assignment: += -= *= /= **=
    d = (a - c).tanh()    # functions and methods: every name in engine.ops.FUNCTIONS
    d / 2                 # a bare expression on the LAST line is the output, named "out"

    w = rand(-3, 3)       # a number with one decimal place drawn from [-3, 3]: a leaf

``evaluate(source)`` runs a program and returns a :class:`Program`; ``parse(source)`` only
checks it.  Both raise :class:`ExprError` (a ``ValueError``) and nothing else, with a
1-based line and column in characters.

Safety: the text is never given to ``eval``/``exec``/``compile``.  Reading it (a flat scan
of the raw text, ``ast.parse``, and an allow-list of node types, all before anything runs) is
:mod:`engine.expr_check`; this module interprets the checked tree with explicit stacks (no
recursion).  The limits are a :class:`Limits` value (``evaluate(source, Limits(...))``).

Decisions:

* Numbers are floats (``2`` is ``2.0``); an expression of numbers alone is folded to a
  number (``x = 2 * 3`` is one leaf of 6.0).  A number meeting a Value uses the engine's
  operators as written: ``b**3`` is the constant-exponent op, ``2 * a`` and ``2 ** a`` the
  reflected ones.  ``relu(2)`` and ``(2).relu()`` make a constant leaf and the op node.
* Labels: a node created by a statement is labelled with the assigned name; a node that
  already has a name keeps it (``x = a`` binds ``x`` to the node labelled ``a``), so a node
  keeps the first name it was given.  ``c += 1`` makes a new node labelled ``c``.
* ``rand(lo, hi)`` (two numbers written out, lo <= hi) draws a multiple of 0.1 uniformly from
  [lo, hi] and makes it a constant leaf.  ``evaluate(source, seed=...)`` draws the same numbers
  for the same seed (an int or a str); without a seed each run draws fresh ones.
  ``Program.draws`` lists what was drawn, and ``Program.shown_source()`` is the program with
  each ``rand(...)`` replaced by the number drawn (what a learner is shown).
* A bare expression is allowed only as the last statement; it means ``out = <expression>``.
* Numeric errors point at the operator for ``+ - * / **`` and augmented assignments (the
  ``/`` of ``1/0``, the ``+=`` of ``c += ...``), at the function name for ``log(0)`` and at
  the method name for ``x.log()``.  They raise :class:`ExprNumericError`, which is both an
  ``ExprError`` and the engine's ``NumericError``; so does ``Program.backward()`` when the
  backward pass fails (e.g. d(a**b)/db for a < 0), pointing at the operation to blame.
"""

from __future__ import annotations

import ast
import math
import random
from dataclasses import dataclass, field
from typing import Mapping, NamedTuple

from .errors import ExprError, NumericError
from .expr_check import (BINOPS, CONSTRUCTOR, FUNCTIONS, OUTPUT_NAME, RANDOM, Limits, Text,
                         rand_range, read)
from .gcpause import paused_gc
from .operation import Op
from .value import OPS, Value, apply

__all__ = [
    "Draw", "ExprError", "ExprNumericError", "Limits", "Program", "Statement", "evaluate", "parse",
    "OUTPUT_NAME", "FUNCTIONS", "CONSTRUCTOR",
]

#: the limits a program is held to unless the caller passes others
DEFAULT_LIMITS = Limits()


class ExprNumericError(ExprError, NumericError):
    """A numeric error inside a program: catchable as ExprError and as NumericError."""

    def __init__(self, line: int, col: int, error: ArithmeticError, prefix: str = "") -> None:
        ExprError.__init__(self, line, col, prefix + str(error))
        self.op = getattr(error, "op", "")
        self.operands = getattr(error, "operands", ())
        self.reason = getattr(error, "reason", str(error))
        self.where = ""


class Statement(NamedTuple):
    """One statement: where the assigned name is (the expression, for a bare one)."""

    line: int
    col: int
    name: str


class Draw(NamedTuple):
    """One ``rand(lo, hi)`` of a program: where it is (1-based line, 0-based columns of the
    call, end exclusive) and the number drawn."""

    line: int
    col: int
    end_line: int
    end_col: int
    value: float


def format_draw(value: float) -> str:
    """A drawn number as the learner sees it (one decimal place, no ``-0.0``)."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


@dataclass
class Program:
    """An evaluated program: its variables, in order of first assignment, and its output."""

    source: str
    variables: dict[str, Value]
    output: Value
    statements: list[Statement]
    values: list[Value] = field(default_factory=list)   # what each statement assigned
    draws: list[Draw] = field(default_factory=list)     # each rand(...) and what it drew
    _text: "Text | None" = field(default=None, repr=False, compare=False)
    _nodes: list[Value] = field(default_factory=list, repr=False, compare=False)
    _origin: dict[int, tuple[int, ast.expr | ast.stmt | None]] = field(default_factory=dict, repr=False,
                                                          compare=False)

    def backward(self) -> None:
        """Back-propagate from the output, every grad of the program set to 0 first (so a
        second call shows the same numbers; ``output.backward()`` adds into the leaves).
        A numeric failure is an ExprNumericError."""
        try:
            self.output.zero_grad()
            self.output.backward()
        except ArithmeticError as err:
            line, col = self._culprit()
            raise ExprNumericError(line, col, err, "in the backward pass: ") from err

    def shown_source(self) -> str:
        """The source with each ``rand(lo, hi)`` replaced by the number it drew."""
        if not self.draws:
            return self.source
        lines = self.source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for d in sorted(self.draws, reverse=True):  # right to left keeps columns valid
            if d.line != d.end_line:  # a call split over lines: keep it as written
                continue
            text = lines[d.line - 1]
            shown = format_draw(d.value)
            before, after = text[:d.col].rstrip()[-1:], text[d.end_col:].lstrip()[:1]
            if after in (".", "*") or (shown.startswith("-") and before not in ("", "=", "(")):
                shown = f"({shown})"  # keeps it a valid program: (1.4).tanh(), 2*(-1.0)
            lines[d.line - 1] = text[:d.col] + shown + text[d.end_col:]
        return "\n".join(lines)

    def names_of(self, value: Value) -> list[str]:
        """The names bound to ``value`` now, in order of first assignment."""
        return [name for name, v in self.variables.items() if v is value]

    def statement_of(self, value: Value) -> Statement | None:
        """The statement whose evaluation created ``value`` (None if it did not)."""
        origin = self._origin.get(id(value))
        return None if origin is None else self.statements[origin[0]]

    def line_of(self, value: Value) -> int | None:
        st = self.statement_of(value)
        return None if st is None else st.line

    def _culprit(self) -> tuple[int, int]:
        # the first node whose local derivative fails, else the first that sent an input a
        # non-finite gradient (nodes are in creation order: inputs before their users)
        found = None
        for node in self._nodes:
            if node._prev:
                try:
                    node._op.local(node)
                except ArithmeticError:
                    found = node
                    break
        if found is None:
            found = next((node for node in self._nodes
                          if any(not math.isfinite(c.grad) for c in node._prev)), None)
        origin = self._origin.get(id(found)) if found is not None else None
        if origin is None or origin[1] is None or self._text is None:
            st = self.statement_of(self.output) or self.statements[-1]
            return st.line, st.col
        return self._text.where(origin[1])


# --- evaluation ----------------------------------------------------------------------

def _children(node: ast.expr) -> tuple[ast.expr, ...]:
    if isinstance(node, ast.BinOp):
        return (node.left, node.right)
    if isinstance(node, ast.UnaryOp):
        return (node.operand,)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            return (func.value,)
        return () if isinstance(func, ast.Name) and func.id == RANDOM else tuple(node.args)
    return ()


def _name(target: ast.expr) -> ast.Name:
    """The name a checked statement assigns (engine.expr_check refused anything else)."""
    if isinstance(target, ast.Name):
        return target
    raise ExprError(target.lineno, target.col_offset + 1, "assign one name at a time")


class _Evaluator:
    """Runs a checked tree.  Expressions are walked with an explicit stack (no recursion)."""

    def __init__(self, text: Text, limits: Limits, seed: int | str | None = None,
                 ops: Mapping[str, Op] | None = None) -> None:
        self.text = text
        self.random = random.Random(seed)  # None: a fresh seed from the system
        self.draws: list[Draw] = []
        self.ops: Mapping[str, Op] = ops or {}
        self.max_nodes = limits.nodes
        self.variables: dict[str, Value] = {}
        self.nodes: list[Value] = []
        self.origin: dict[int, tuple[int, ast.expr | ast.stmt | None]] = {}
        self.index = 0

    def run(self, source: str, tree: ast.Module) -> Program:
        statements: list[Statement] = []
        values: list[Value] = []
        for self.index, st in enumerate(tree.body):
            result: Value | float
            if isinstance(st, ast.AugAssign):
                target = _name(st.target)
                name = target.id
                right = self.expression(st.value)
                result = self.binop(st, type(st.op), self.variables[name], right)
                pos = (target.lineno, target.col_offset + 1)
            elif isinstance(st, ast.Assign):
                target = _name(st.targets[0])
                name = target.id
                result = self.expression(st.value)
                pos = (target.lineno, target.col_offset + 1)
            elif isinstance(st, ast.Expr):
                name = OUTPUT_NAME
                result = self.expression(st.value)
                pos = (st.lineno, st.col_offset + 1)
            else:  # engine.expr_check refused every other statement
                raise ExprError(st.lineno, st.col_offset + 1, "not an assignment")
            value = result if isinstance(result, Value) else self.record(Value(result), st.value)
            if not value.label:
                value.label = name
            self.variables[name] = value
            statements.append(Statement(pos[0], pos[1], name))
            values.append(value)
        return Program(source, self.variables, values[-1], statements, values, self.draws,
                       self.text, self.nodes, self.origin)

    def expression(self, root: ast.expr) -> Value | float:
        results: list[Value | float] = []
        stack: list[tuple[ast.expr, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            kids = _children(node)
            if kids and not ready:
                stack.append((node, True))
                stack.extend((kid, False) for kid in reversed(kids))
                continue
            if kids:
                args = results[-len(kids):]
                del results[-len(kids):]
            else:
                args = []
            results.append(self.compute(node, args))
        return results[0]

    def compute(self, node: ast.expr, args: list[Value | float]) -> Value | float:
        if isinstance(node, ast.Constant):
            number = node.value
            if isinstance(number, (int, float)):  # engine.expr_check refused other constants
                return float(number)
            raise ExprError(*self.text.where(node), f"{number!r} is not a number")
        if isinstance(node, ast.Name):
            return self.variables[node.id]
        if isinstance(node, ast.BinOp):
            return self.binop(node, type(node.op), args[0], args[1])
        if isinstance(node, ast.UnaryOp):
            x = args[0]
            if isinstance(node.op, ast.UAdd):
                return x
            return -x if isinstance(x, float) else self.record(-x, node)
        if not isinstance(node, ast.Call):  # engine.expr_check refused every other node
            raise ExprError(*self.text.where(node), "not part of the language")
        # a call: a function, a method or Value(number)
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else _name(func).id
        if name == RANDOM:
            first, last = rand_range(node)
            drawn = self.random.randint(first, last) / 10
            self.draws.append(Draw(node.lineno, node.col_offset, node.end_lineno or node.lineno,
                                   node.end_col_offset or node.col_offset, drawn))
            return self.record(Value(drawn), node)
        x = args[0]
        if name == CONSTRUCTOR:
            if isinstance(x, Value):  # engine.expr_check lets only numbers through
                raise ExprError(*self.text.where(node), "Value() takes a number")
            return self.record(Value(x), node)
        try:
            result = apply(self.ops.get(name) or OPS[name], *args)
        except ArithmeticError as err:
            raise ExprNumericError(*self.text.where(node), err) from err
        return self.record(result, node)

    def binop(self, node: ast.BinOp | ast.AugAssign, op: type[ast.operator],
              left: Value | float, right: Value | float) -> Value | float:
        symbol, fn = BINOPS[op]
        try:
            if isinstance(left, float) and isinstance(right, float):
                return OPS[symbol].forward(left, right)
            result: Value = fn(left, right)
        except ArithmeticError as err:
            raise ExprNumericError(*self.text.where(node), err) from err
        return self.record(result, node)

    def record(self, value: Value, node: ast.expr | ast.stmt) -> Value:
        """Note the nodes this operation created (it and any constant it lifted)."""
        origin = self.origin
        if id(value) in origin:
            return value
        origin[id(value)] = (self.index, node)
        self.nodes.append(value)
        for child in value._prev:
            if id(child) not in origin:
                origin[id(child)] = (self.index, None)
                self.nodes.append(child)
        if len(self.nodes) > self.max_nodes:
            raise ExprError(*self.text.where(node), f"graph too large: more than "
                                                    f"{self.max_nodes} nodes (Limits.nodes)")
        return value


# --- the public functions ------------------------------------------------------------

def parse(source: str, limits: Limits = DEFAULT_LIMITS, *,
          ops: Mapping[str, Op] | None = None) -> None:
    """Check a program without running it; raises :class:`ExprError` if it is refused.

    ``ops``: a session's own operations by name (see :mod:`engine.user_ops`), callable in
    the program like the engine's functions."""
    read(source, limits, ops)


def evaluate(source: str, limits: Limits = DEFAULT_LIMITS, *,
             seed: int | str | None = None, ops: Mapping[str, Op] | None = None) -> Program:
    """Run a program and return its variables and output; raises :class:`ExprError` only.

    ``seed`` fixes what ``rand(lo, hi)`` draws (None: fresh numbers each run); ``ops``: as
    for :func:`parse`, each call of one is a single node of the graph.

    The cyclic GC is paused meanwhile (see :mod:`engine.gcpause`): a program of 200,000
    nodes evaluates ~3x faster, in a time linear in its size."""
    text, tree = read(source, limits, ops)
    with paused_gc():
        return _Evaluator(text, limits, seed, ops).run(source, tree)
