"""A step as the Markdown the Lessons screen shows: interactive blocks become code and a hint."""

from __future__ import annotations

import re

from .answers import format_number, values_asked
from .model import CheckBlock, FitBlock, ProgramBlock, Step, TrainBlock
from .op_exercise import OpExercise, op_markdown

OPEN_PROGRAM_HINT = "*Ctrl+O opens this program in the playground.*"
OPEN_AFTER_CHECK_HINT = ("*Ctrl+O opens this program in the playground once the check is "
                         "answered: its graph shows the answer.*")
OPEN_SETUP_HINT = "*Ctrl+T opens this setup in the trainer.*"


def _fence(text: str, info: str = "") -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}"


def fit_table(block: FitBlock) -> str:
    result = block.result
    if result is None:
        return ""
    rows = result.table()  # type: ignore[attr-defined]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  loss {format_number(loss)}" for label, loss in rows]
    return _fence("\n".join(lines), "text")


def open_program_hint(step: Step) -> str:
    """How Ctrl+O works here: at once, or, when the check asks for a value the program's
    graph would show, once the check is answered."""
    check = step.check
    if check is not None and not isinstance(check, OpExercise) and values_asked(check.answer):
        return OPEN_AFTER_CHECK_HINT
    return OPEN_PROGRAM_HINT


def block_markdown(part: ProgramBlock | TrainBlock | FitBlock | CheckBlock, step: Step,
                   sources: dict[int, str] | None = None) -> str:
    """The Markdown an interactive block of ``step`` is shown as ("" for none); ``sources``:
    programs as drawn in this attempt, by their first line (see :mod:`.attempt`)."""
    sources = sources or {}
    out: list[str] = []
    if isinstance(part, ProgramBlock):
        out.append(_fence(sources.get(part.line, part.source), "python"))
        out.append(open_program_hint(step))
    elif isinstance(part, TrainBlock):
        out.append(_fence(part.text, "yaml"))
        out.append(OPEN_SETUP_HINT)
    elif isinstance(part, FitBlock):
        out.append(_fence(part.text, "yaml"))
        table = fit_table(part)
        if table:
            out.append("The engine ran it; the loss at each step:")
            out.append(table)
    elif isinstance(part, OpExercise):
        out.append(op_markdown(part))
    elif isinstance(part, CheckBlock):
        if part.source.strip():
            out.append(_fence(sources.get(part.source_line, part.source), "python"))
            if step.program is None:
                out.append(open_program_hint(step))
        elif step.program is None and step.fit is None and step.program_context is not None:
            # the check is about a program of an earlier step: show it again
            out.append("The check is about this program:")
            context = step.program_context
            out.append(_fence(sources.get(context.line, context.source), "python"))
            out.append(open_program_hint(step))
    return "\n\n".join(out)


def step_markdown(step: Step, sources: dict[int, str] | None = None) -> str:
    """The Markdown of one step (the check's question and answer box are shown separately)."""
    out: list[str] = []
    for part in step.parts:
        text = part if isinstance(part, str) else block_markdown(part, step, sources)
        if text:
            out.append(text)
    return "\n\n".join(out) + "\n"
