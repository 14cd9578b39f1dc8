"""Every draw a lesson check can make: its program with each ``rand(lo, hi)`` replaced by one
of the numbers the call may draw (a helper for the tests about random inputs)."""

from __future__ import annotations

import ast
import itertools
import random
from dataclasses import replace
from typing import Iterator

from engine.expr_rand import rand_range
from micrograd_tui.lessonbook.answers import Solution, solve
from micrograd_tui.lessonbook.model import CheckBlock, Step


def _calls(source: str) -> list[tuple[int, int, int, int, list[float]]]:
    """Each rand(...) call: (line, col, end line, end col, the numbers it may draw)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "rand":
            first, last = rand_range(node)
            out.append((node.lineno, node.col_offset, node.end_lineno or node.lineno,
                        node.end_col_offset or 0, [k / 10 for k in range(first, last + 1)]))
    return out


def _filled(source: str, calls, values) -> str:
    lines = source.split("\n")
    for (line, col, _, end, _), value in sorted(zip(calls, values), reverse=True):
        text = lines[line - 1]
        lines[line - 1] = text[:col] + f"({value!r})" + text[end:]
    return "\n".join(lines)


def drawn_source(check: CheckBlock, step: Step) -> tuple[str, str] | None:
    """Which program ``check`` runs ("check", "program" or "context") and its source."""
    if check.source.strip():
        return "check", check.source
    if step.program is not None:
        return "program", step.program.source
    if step.fit is None and step.program_context is not None:
        return "context", step.program_context.source
    return None


def draws_inputs(check: CheckBlock, step: Step) -> bool:
    found = drawn_source(check, step)
    return found is not None and bool(_calls(found[1]))


def every_draw(check: CheckBlock, step: Step, cap: int = 400,
               seed: int = 0) -> Iterator[tuple[dict[str, float], Solution]]:
    """(the numbers drawn, the solution) for every draw of the check's program, or ``cap``
    of them picked at random (with ``seed``) when there are more."""
    found = drawn_source(check, step)
    if found is None:
        return
    kind, source = found
    calls = _calls(source)
    grids = [c[4] for c in calls]
    total = 1
    for g in grids:
        total *= len(g)
    if total <= cap:
        combos = itertools.product(*grids)
    else:
        rng = random.Random(seed)
        combos = (tuple(rng.choice(g) for g in grids) for _ in range(cap))
    for values in combos:
        text = _filled(source, calls, values)
        if kind == "check":
            solution = solve(replace(check, source=text), step)
        elif kind == "program":
            solution = solve(check, replace(step, program=replace(step.program, source=text)))
        else:
            solution = solve(check, replace(step, program_context=replace(
                step.program_context, source=text)))
        yield {f"line{c[0]}": v for c, v in zip(calls, values)}, solution
