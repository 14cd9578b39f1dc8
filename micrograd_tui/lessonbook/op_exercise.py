"""Op exercises: the learner writes an operation's local derivative (``` ```op ``` blocks).

An op block is a check whose answer is an expression, not a number::

    ```op
    name: mytanh
    inputs: x
    forward: (exp(2*x) - 1) / (exp(2*x) + 1)
    answer: 1 - tanh(x)**2
    hint: ...
    explain: ...
    ```

``name``, ``inputs`` (``x``, or ``a, b``), ``forward`` and ``answer`` (the lesson's own
derivative, never shown before the worked answer; two inputs: ``d/da; d/db``) are required;
``question``, ``hint`` and ``explain`` as for a check.  When the lesson loads, the engine
(:mod:`engine.user_ops`) checks ``answer`` against central differences, so a lesson cannot
ship a wrong derivative.  The learner types a derivative in the answer box; it is graded by
the same check, at fresh random points each time, and a wrong one is told where it fails
("at x = 0.3 your derivative gives 0.41, the slope there is 0.57").

The block is stored as the step's check (an :class:`OpExercise`, a ``CheckBlock``), so
progress, hints and the worked answer work as for any check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .answers import CheckError, Solution, Verdict
from .model import CheckBlock, Field

if TYPE_CHECKING:
    from engine.user_ops import UserOp

OP_KEYS = ("name", "inputs", "forward", "answer", "question", "hint", "explain")
_REQUIRED = ("name", "inputs", "forward", "answer")


@dataclass
class OpExercise(CheckBlock):
    """A ```` ```op ```` block: write the derivative of ``forward``."""

    op_name: str = ""
    inputs: tuple[str, ...] = ()
    forward: str = ""


class OpSolution(Solution):
    """The lesson's derivative, as the worked answer shows it."""

    @property
    def text(self) -> str:
        return self.expression


def split_answer(text: str) -> list[str]:
    """``"b + 1; a"`` -> ``["b + 1", "a"]``: one derivative per input."""
    return [part.strip() for part in text.split(";")]


def wants(exercise: OpExercise) -> str:
    """What to type: ``d/dx`` or ``d/da; d/db``."""
    return "; ".join(f"d/d{i}" for i in exercise.inputs)


def parse_op_block(line: int, index: int, fields: list[Field],
                   problem: Callable[[int, str], None],
                   expand: Callable[[str, int], str]) -> OpExercise:
    """Build the exercise from the block's ``key: value`` lines (read by the parser)."""
    by_key = {f.key: f for f in fields}
    ex = OpExercise(line=line, index=index, fields=by_key, source="", source_line=line)
    for key in _REQUIRED:
        f = by_key.get(key)
        if f is None or not f.value:
            problem(f.line if f else line, f"the op block has no {key}")
    ex.op_name = by_key["name"].value if "name" in by_key else ""
    ex.inputs = tuple(s for s in re.split(r"[\s,]+", by_key["inputs"].value) if s) \
        if "inputs" in by_key else ()
    ex.forward = by_key["forward"].value if "forward" in by_key else ""
    ex.answer = by_key["answer"].value if "answer" in by_key else ""
    for key in ("question", "hint", "explain"):
        if key in by_key:
            setattr(ex, key, expand(by_key[key].value, by_key[key].line))
    if not ex.question and ex.op_name and ex.forward:
        call = f"{ex.op_name}({', '.join(ex.inputs)})"
        ex.question = (f"{call} = {ex.forward}. Write its local derivative "
                       f"{wants(ex)} as an expression"
                       + (" (separate the two with ;)." if len(ex.inputs) > 1 else "."))
    return ex


def _define(ex: OpExercise, derivatives: list[str]) -> "UserOp":
    from engine.user_ops import define_op

    return define_op(ex.op_name, ex.inputs, ex.forward, derivatives)


def solve_op(ex: OpExercise) -> OpSolution:
    """Check the lesson's own derivative (``answer``); a lesson whose derivative is refused
    is broken, at the line that is wrong."""
    from engine.user_ops import OpDefinitionError, check_derivative

    try:
        op = _define(ex, split_answer(ex.answer))
    except OpDefinitionError as e:
        key = {"name": "name", "inputs": "inputs", "forward": "forward"}.get(e.field, "answer")
        raise CheckError(ex.key_line(key), f"the op block's {key}: {e}") from None
    report = check_derivative(op, seed=0)
    if not report.ok:
        raise CheckError(ex.key_line("answer"), f"the op block's answer is not the derivative "
                                                f"of its forward: {report.message}")
    shown = "; ".join(f"d/d{i} = {d}" for i, d in zip(ex.inputs, op.definition.derivatives))
    return OpSolution(0.0, shown)


def grade_op(ex: OpExercise, typed: str) -> Verdict:
    """Grade a typed derivative by central differences at fresh random points."""
    from engine.user_ops import OpDefinitionError, check_derivative

    if not typed.strip():
        return Verdict(None, None, f"Type the derivative as an expression: {wants(ex)}.")
    try:
        op = _define(ex, split_answer(typed))
    except OpDefinitionError as e:
        return Verdict(None, None, f"{e.field}: {e.message}")
    report = check_derivative(op)
    if report.ok:
        return Verdict(True, None, f"Correct: {report.message}. {ex.op_name} is yours now: "
                                   "Ctrl+O calls it in the playground, with your derivative.")
    return Verdict(False, None, f"Not quite: {report.message}.")


def learner_op(ex: OpExercise, typed: str) -> "UserOp | None":
    """The operation with the learner's own derivative (``typed``, graded right), for the
    playground; None if it cannot be built."""
    from engine.user_ops import OpDefinitionError

    try:
        return _define(ex, split_answer(typed))
    except OpDefinitionError:
        return None


def try_program(ex: OpExercise, op: "UserOp") -> str:
    """A program that calls ``op`` (what Ctrl+O opens once it is the learner's), at inputs
    where its forward is defined."""
    from engine.errors import EngineError
    from engine.expr import evaluate

    call = f"y = {ex.op_name}({', '.join(ex.inputs)})\n"
    program = ""
    for starts in (("0.5", "-1.5"), ("0.5", "1.5"), ("1.5", "2.5"), ("-0.5", "0.5")):
        program = "".join(f"{name} = {x}\n" for name, x in zip(ex.inputs, starts)) + call
        try:
            evaluate(program, ops={ex.op_name: op})
            return program
        except (EngineError, ArithmeticError, ValueError):
            continue
    return program  # the playground says what is wrong with it


def op_markdown(ex: OpExercise) -> str:
    """How the exercise's operation is shown in the step (above the answer box)."""
    call = f"{ex.op_name}({', '.join(ex.inputs)})"
    return f"```python\n{call} = {ex.forward}\n```\n\n*Write {wants(ex)} in the answer box below.*"

