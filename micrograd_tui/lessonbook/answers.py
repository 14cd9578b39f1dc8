"""Checks: the engine computes each answer from the check's program; the learner's is graded.

An answer is an arithmetic expression read by a small allow-list walker over Python's ``ast``
(numbers, names, ``.data``/``.grad``, ``+ - * / **``, unary ``-``, a few functions); nothing is
ever passed to ``eval``.  The same walker reads the learner's typed answer, so ``-3/2`` works.
"""

from __future__ import annotations

import ast
import math
import warnings
from dataclasses import dataclass, field
from typing import Callable, Mapping

from engine.errors import NumericError
from engine.graph import topological_order
from engine.ops import FUNCTIONS
from engine.value import Value

from .model import CheckBlock, FitBlock, Step

MAX_ANSWER_CHARS = 200
#: the words of the problem "this wrong entry is the right answer"
SAME_AS_ANSWER = "the right answer itself"

#: the answer's functions: abs and sqrt, then every operation the engine calls by name
_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "abs": abs,
    "sqrt": math.sqrt,
    **{name: op.forward for name, op in FUNCTIONS.items()},
}


class AnswerError(ValueError):
    """An answer expression that cannot be computed; the message says why."""


@dataclass
class Solution:
    """A check's answer as the engine computed it, with what the worked answer shows."""

    value: float
    expression: str
    #: variable name -> (data, grad) after backward (and the nudge), for the worked answer
    variables: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: the check's expected mistakes: (value, message), in the lesson's order
    wrong: list[tuple[float, str]] = field(default_factory=list)
    #: what ``rand(lo, hi)`` drew for this attempt, as "a = 1.7" (empty: nothing random)
    drawn: list[str] = field(default_factory=list)
    #: wrong entries that could not be computed or equal the answer (file line, message)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        shown = format_number(self.value)
        if self.expression.strip() == shown:
            return shown
        return f"{self.expression} = {shown}"


@dataclass(frozen=True)
class Verdict:
    """How a typed answer fared: ``correct`` is None when it was not a number at all."""

    correct: bool | None
    given: float | None
    message: str
    diagnosed: bool = False  # a ``wrong`` entry of the check matched


def format_number(x: float) -> str:
    """A number as a learner reads it: up to 6 significant digits, no ``-0``."""
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return str(x)  # "inf", "-inf", "nan" (int(x) would raise)
    if x == int(x) and abs(x) < 1e12:
        return str(int(x))
    return f"{x:.6g}"


# --- the expression walker ---------------------------------------------------------------

def evaluate_expression(text: str, names: Mapping[str, object] | None = None) -> float:
    """The value of an answer expression; ``names`` maps to Values or numbers."""
    names = names or {}
    text = text.strip()
    if not text:
        raise AnswerError("empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerError(f"longer than {MAX_ANSWER_CHARS} characters")
    if not text.isascii() or any(ord(c) < 32 for c in text):
        raise AnswerError("use plain ASCII characters")
    tree = _parse(text)
    if tree is None:
        raise AnswerError(f"not an arithmetic expression: {_short(repr(text))}")
    try:
        result = _walk(tree.body, names)
    except AnswerError:
        raise
    except RecursionError:
        raise AnswerError("nested too deeply") from None
    except (ArithmeticError, ValueError, TypeError) as e:
        # a number the walker did not expect (inf, nan, a huge power): say so, never crash
        raise AnswerError(f"cannot be computed ({e})") from None
    except Exception as e:  # the last guard: a typed answer must never take the app down
        raise AnswerError(f"cannot be computed ({type(e).__name__})") from None
    if not math.isfinite(result):
        raise AnswerError("the result is not a finite number")
    return result


def _parse(text: str) -> ast.Expression | None:
    """``ast.parse`` in eval mode, or None; its SyntaxWarnings ("invalid decimal literal" for
    ``1if``) are not printed over the app's screen."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text, mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


def _walk(node: ast.AST, names: Mapping[str, object]) -> float:
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise AnswerError(f"{v!r} is not a number")
        return float(v)
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise AnswerError(f"no variable named {node.id!r}")
        return _number(names[node.id], node.id)
    if isinstance(node, ast.Attribute):
        if not isinstance(node.value, ast.Name) or node.attr not in ("data", "grad"):
            raise AnswerError("only name.data and name.grad can be read")
        target = names.get(node.value.id)
        if not isinstance(target, Value):
            raise AnswerError(f"no variable named {node.value.id!r}")
        return float(getattr(target, node.attr))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _walk(node.operand, names)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp):
        a = _walk(node.left, names)
        b = _walk(node.right, names)
        op = node.op
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div):
            if b == 0:
                raise AnswerError("division by zero")
            return a / b
        if isinstance(op, ast.Pow):
            if a == 0 and b < 0:
                raise AnswerError("zero to a negative power")
            if a < 0 and not b.is_integer():  # also inf and nan: int(b) would raise
                raise AnswerError("a negative number to a power that is not a whole number")
            try:
                return float(a ** b)
            except (OverflowError, ZeroDivisionError):
                raise AnswerError("the power is too large") from None
            except (ValueError, TypeError):  # e.g. a complex result
                raise AnswerError("the power is not a real number") from None
        raise AnswerError("only + - * / ** are allowed")
    if isinstance(node, ast.Call):
        if (not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS
                or len(node.args) != 1 or node.keywords):
            raise AnswerError(f"the only functions are {', '.join(_FUNCTIONS)} (one argument)")
        x = _walk(node.args[0], names)
        try:
            return float(_FUNCTIONS[node.func.id](x))
        except (ArithmeticError, ValueError, TypeError):
            raise AnswerError(f"{node.func.id}({format_number(x)}) is not defined") from None
    raise AnswerError("only numbers, names, name.grad, name.data and + - * / ** are allowed")


def _number(v: object, name: str) -> float:
    if isinstance(v, Value):
        return v.data
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    raise AnswerError(f"{name!r} is not a number")


# --- computing a check's answer ------------------------------------------------------------

class CheckError(ValueError):
    """A check whose answer cannot be computed; ``line`` is the file line to report."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def block_seed(seed: int | None, line: int) -> int | None:
    """The seed a program block draws with in an attempt (each block its own numbers; the
    same block, shown in two steps, the same ones)."""
    return None if seed is None else seed * 100_003 + line


def solve(check: CheckBlock, step: Step | None = None, seed: int | None = None) -> Solution:
    """Compute ``check``'s answer with the engine (raises :class:`CheckError`); ``seed``
    fixes what ``rand(lo, hi)`` draws (see :func:`block_seed`)."""
    if check.source.strip():
        return _solve_program(check, check.source, check.source_line, seed)
    if step is not None:
        if step.program is not None:
            return _solve_program(check, step.program.source, step.program.line, seed)
        if step.fit is not None:
            return _solve_fit(check, step.fit)
        if step.program_context is not None:
            return _solve_program(check, step.program_context.source, step.program_context.line,
                                  seed)
        if step.fit_context is not None:
            return _solve_fit(check, step.fit_context)
    raise CheckError(check.line, "the check has no program of its own, and there is no "
                                 "program or fit block before it to use")


def _solve_program(check: CheckBlock, source: str, line0: int, seed: int | None) -> Solution:
    from engine.expr import ExprError, evaluate, format_draw

    try:
        program = evaluate(source, seed=block_seed(seed, line0))
    except ExprError as e:
        raise CheckError(line0 + max(1, e.line), f"the check's program: {e.message}") from None
    try:
        if check.backward >= 1:
            program.backward()
        for _ in range(1, check.backward):
            program.output.backward()  # adds into the leaves: as if zero_grad was forgotten
        if check.nudge is not None:
            nudge(program.variables, check.nudge)
    except ExprError as e:
        raise CheckError(line0 + max(1, e.line), f"the check's program: {e.message}") from None
    except NumericError as e:
        raise CheckError(check.key_line("nudge" if check.nudge is not None else "backward"),
                         f"running the check's program: {e}") from None
    variables = dict(program.variables)
    value = _answer(check, variables)
    shown = {name: (v.data, v.grad) for name, v in variables.items()}
    solution = Solution(value, check.answer, shown)
    drawn = {id(v) for v in program.values if v.is_leaf} if program.draws else set()
    solution.drawn = [f"{name} = {format_draw(v.data)}" for name, v in variables.items()
                      if id(v) in drawn and any(v.data == d.value for d in program.draws)]
    _wrong(check, variables, solution)
    return solution


def _wrong(check: CheckBlock, names: Mapping[str, object], solution: Solution) -> None:
    """Compute each ``wrong`` entry; a bad one is a problem, never a diagnosis."""
    for entry in check.wrong:
        try:
            value = evaluate_expression(entry.expression, names)
        except AnswerError as e:
            solution.problems.append((entry.line, f"the wrong entry {entry.expression!r}: {e}"))
            continue
        if abs(value - solution.value) <= check.tolerance:
            solution.problems.append((entry.line, f"the wrong entry {entry.expression!r} is "
                                                  f"{format_number(value)}, {SAME_AS_ANSWER} "
                                                  "(within the tolerance)"))
            continue
        solution.wrong.append((value, entry.message))


def nudge(variables: Mapping[str, Value], step: float) -> None:
    """Move every named leaf by ``step × grad``, then recompute every variable forward."""
    leaves = {id(v): v for v in variables.values() if v.is_leaf}
    for v in leaves.values():
        v.data = v.data + step * v.grad
    done: set[int] = set()
    for v in variables.values():
        for node in topological_order(v):
            if id(node) in done:
                continue
            done.add(id(node))
            if node._prev:
                node.data = node._op.forward(*[c.data for c in node._prev])


def _solve_fit(check: CheckBlock, fit: FitBlock) -> Solution:
    result = fit.result
    if result is None:
        raise CheckError(check.line, f"the fit block on line {fit.line} did not run, so this "
                                     "check has no answer")
    names = result.names()  # type: ignore[attr-defined]
    value = _answer(check, names)
    solution = Solution(value, check.answer, {})
    _wrong(check, names, solution)
    return solution


def names_used(text: str) -> set[str]:
    """The variable names an answer expression reads (empty if it does not parse)."""
    tree = _parse(text.strip())
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in _FUNCTIONS}


def grads_asked(text: str) -> tuple[str, ...]:
    """The names whose ``.grad`` an answer expression reads, in order (``a.grad * 2``: a)."""
    tree = _parse(text.strip())
    found = [] if tree is None else [
        n.value.id for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and n.attr == "grad" and isinstance(n.value, ast.Name)]
    return tuple(dict.fromkeys(found))


def values_asked(text: str) -> list[str]:
    """The names whose values alone answer an answer expression (``L``, ``-e.data``), which
    a program's graph would show; empty when it needs a grad (quiz mode hides those)."""
    return [] if grads_asked(text) else sorted(names_used(text))


def _answer(check: CheckBlock, names: Mapping[str, object]) -> float:
    line = check.key_line("answer")
    try:
        value = evaluate_expression(check.answer, names)
    except AnswerError as e:
        raise CheckError(line, f"the answer {check.answer!r}: {e}") from None
    if not names_used(check.answer):
        raise CheckError(line, f"the answer {check.answer!r} must be computed from the program: "
                               "name a variable (such as a.grad or L), not a number")
    return value


# --- grading -------------------------------------------------------------------------------

def grade(check: CheckBlock, typed: str, solution: Solution | None = None) -> Verdict:
    """Compare a typed answer with the computed one (``solution``: this attempt's, default
    the check's own), within the check's tolerance; then with its expected mistakes."""
    solution = solution if solution is not None else check.solution  # type: ignore[assignment]
    if not isinstance(solution, Solution):
        return Verdict(None, None, "This check has no computed answer.")
    try:
        given = float(typed.strip())  # plain numbers first: "012", "1e-3", "+2"
        if not math.isfinite(given):
            raise ValueError
    except ValueError:
        try:
            given = evaluate_expression(typed)
        except AnswerError as e:
            return Verdict(None, None, f"Type a number, such as -1.5 or 3/2 ({_short(str(e))}).")
    if abs(given - solution.value) <= check.tolerance:
        return Verdict(True, given, f"Correct: {solution.text}.")
    for value, message in solution.wrong:
        if abs(given - value) <= check.tolerance:
            return Verdict(False, given, f"Not quite: {format_number(given)} — {message}",
                           diagnosed=True)
    return Verdict(False, given, f"Not quite: {format_number(given)} is not it.")


def _short(text: str, limit: int = 80) -> str:
    """At most ``limit`` characters of a message that may quote what the learner typed."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
