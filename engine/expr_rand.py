"""``rand(lo, hi)`` in the expression language: which numbers a call may draw.

A call takes two numbers written out and draws, when the program runs, a number with one
decimal place uniformly from [lo, hi] (:mod:`engine.expr` draws it; the checker here only
reads the bounds, so a bad call is refused with its position before anything runs).
"""

from __future__ import annotations

import ast
import math

from .errors import ExprError

#: ``rand(lo, hi)``: a number with one decimal place drawn uniformly from [lo, hi] (a leaf)
RANDOM = "rand"


def _literal(node: ast.expr) -> float | None:
    """The value of a number literal, maybe negated (``-3``, ``2.5``), else None."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        try:
            value = sign * float(node.value)
        except OverflowError:
            return None
        return value if math.isfinite(value) and abs(value) <= 1e12 else None
    return None


def rand_range(node: ast.Call) -> tuple[int, int]:
    """The tenths ``rand(lo, hi)`` may draw: (ceil(10 lo), floor(10 hi)); raises ExprError."""
    pos = (node.lineno, node.col_offset + 1)
    if node.keywords or len(node.args) != 2:
        raise ExprError(*pos, f"{RANDOM}() takes two numbers, e.g. {RANDOM}(-3, 3)")
    bounds = []
    for arg in node.args:
        value = _literal(arg)
        if value is None:
            raise ExprError(arg.lineno, arg.col_offset + 1,
                            f"{RANDOM}(lo, hi) takes numbers written out (at most 1e12), "
                            f"e.g. {RANDOM}(-3, 3)")
        bounds.append(value)
    lo, hi = bounds
    if lo > hi:
        raise ExprError(*pos, f"{RANDOM}({lo:g}, {hi:g}): lo is greater than hi")
    first, last = math.ceil(round(lo * 10, 6)), math.floor(round(hi * 10, 6))
    if first > last:
        raise ExprError(*pos, f"{RANDOM}({lo:g}, {hi:g}) has no number with one decimal place "
                              "to draw: widen the range")
    return first, last
