"""The engine's errors: one base class, a numeric error that names the operation, and the
expression language's error that says where in the program.

A numeric error is also the built-in exception Python itself would raise, so code written for
karpathy/micrograd (``except ZeroDivisionError``) catches it: ``NumericError(op, operands,
reason)`` makes a :class:`ZeroDivisionNumericError`, an :class:`OverflowNumericError` or a
:class:`DomainNumericError` (a ``ValueError``) according to what ``reason`` says, so a raise
site only has to say what went wrong.  A reason of no known kind stays a plain
``NumericError`` (an ``ArithmeticError``).
"""

from __future__ import annotations

import re
from typing import Callable


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class ExprError(EngineError, ValueError):
    """A program of the expression language was refused or failed.

    ``line`` and ``col`` are 1-based, in characters; the message starts with them.
    """

    def __init__(self, line: int, col: int, message: str) -> None:
        self.line = line
        self.col = col
        self.message = message
        # not super(): in ExprNumericError the next class is NumericError, whose arguments differ
        Exception.__init__(self, f"line {line}, column {col}: {message}")


class NumericError(EngineError, ArithmeticError):
    """An operation left the real numbers: overflow, division by zero, a domain error.

    ``op`` is the operation's symbol (``"log"``, ``"/"``, ``"**"``), ``operands`` the input
    values, and the message says in words what went wrong, e.g.
    ``log(-1.0): log is only defined for x > 0``.
    """

    def __new__(cls, op: str = "", operands: tuple[float, ...] = (), reason: str = "",
                *args: object, **kwargs: object) -> "NumericError":
        if cls is NumericError and isinstance(reason, str):
            cls = _kind_of(reason)
        return super().__new__(cls)

    def __init__(self, op: str, operands: tuple[float, ...], reason: str, *, where: str = "") -> None:
        self.op = op
        self.operands = tuple(operands)
        self.reason = reason
        self.where = where
        super().__init__(self._message())

    def __reduce__(self) -> tuple[Callable[..., "NumericError"], tuple[object, ...]]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))

    def _message(self) -> str:
        shown = describe_call(self.op, self.operands)
        text = f"{shown}: {self.reason}"
        return f"{text} ({self.where})" if self.where else text


class ZeroDivisionNumericError(NumericError, ZeroDivisionError):
    """A division by zero, or a derivative that is one (``x ** 0.5`` at 0): ``1 / 0``."""


class OverflowNumericError(NumericError, OverflowError):
    """A result too large for a float: ``exp(1000)``, a training run that diverged."""


class DomainNumericError(NumericError, ValueError):
    """An input outside the operation's domain: ``log(0)``, ``(-8) ** 0.5``, a NaN."""


# What a reason says -> the kind of error.  Tried in this order: "zero to a negative power is
# undefined (division by zero)" is a division by zero, not a domain error.
_KINDS: tuple[tuple[re.Pattern[str], type[NumericError]], ...] = (
    (re.compile(r"division by zero|\bis infinite\b"), ZeroDivisionNumericError),
    (re.compile(r"overflow|too large|diverged"), OverflowNumericError),
    (re.compile(r"only defined|not a real number|needs a|not a finite|not a number|must be a finite"),
     DomainNumericError),
)


def _kind_of(reason: str) -> type[NumericError]:
    for pattern, kind in _KINDS:
        if pattern.search(reason):
            return kind
    return NumericError


def _rebuild(cls: type[NumericError], args: tuple[object, ...], state: dict[str, object]) -> NumericError:
    """Unpickling (and copying): the same class, message and attributes, without calling
    ``__init__`` again, so a subclass with its own signature comes back too."""
    err = Exception.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


def _fmt(x: float) -> str:
    return repr(float(x)) if isinstance(x, (int, float)) else str(x)


def describe_call(op: str, operands: tuple[float, ...]) -> str:
    """How an operation applied to numbers reads: ``2.0 * 3.0``, ``log(-1.0)``."""
    args = [_fmt(x) for x in operands]
    if op in ("+", "-", "*", "/", "**") and len(args) == 2:
        a, b = (f"({x})" if x.startswith("-") else x for x in args)
        return f"{a} {op} {b}"
    if op.startswith("**") and len(args) == 1:
        a = f"({args[0]})" if args[0].startswith("-") else args[0]
        return f"{a} {op}"
    if op == "neg" and len(args) == 1:
        return f"-({args[0]})"
    if len(args) > 4:  # a fused neuron has dozens of inputs: the sentence must stay readable
        args = args[:3] + [f"... {len(args)} inputs in all"]
    return f"{op}({', '.join(args)})"
