"""The engine's errors: one base class, a numeric error that names the operation, and the
expression language's error that says where in the program."""

from __future__ import annotations


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

    def __init__(self, op: str, operands: tuple[float, ...], reason: str, *, where: str = "") -> None:
        self.op = op
        self.operands = tuple(operands)
        self.reason = reason
        self.where = where
        super().__init__(self._message())

    def __reduce__(self) -> tuple[type["NumericError"], tuple[str, tuple[float, ...], str], dict[str, str]]:
        return (type(self), (self.op, self.operands, self.reason), {"where": self.where})

    def _message(self) -> str:
        shown = describe_call(self.op, self.operands)
        text = f"{shown}: {self.reason}"
        return f"{text} ({self.where})" if self.where else text


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
