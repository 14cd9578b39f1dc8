"""The gradient check's table and verdict, shared by the playground and ``eval --check``.

A leaf is either an *input* (a named value: ``a = 2.0``, a weight) or a *constant* (a number
written inside an expression, ``2 * a``).  Both are checked, but a learner thinks of the
inputs, so they come first and the two are counted apart.

Each row is ``pass``, ``FAIL`` or ``unreliable``: the numeric estimate is lost to rounding
(the step is below the float resolution of a value it passes through, see
:mod:`engine.gradcheck`), so the check cannot tell; such a row is not a failure.

This module builds rich ``Text`` only: it never imports Textual, so the headless command can
print the very cells the playground's screen shows.
"""

from __future__ import annotations

from typing import Callable, Sequence

from rich.text import Text

from .graph_index import format_number

__all__ = [
    "COLUMNS", "GRADCHECK_MAX_WORK", "GRADCHECK_THREAD_WORK", "any_failed", "check_work",
    "inputs_first", "is_input", "result_cell", "row_cells", "summary", "verdict",
]

#: the check evaluates the graph twice per leaf: above this many node visits the playground
#: runs it in a worker thread; above the second limit it is refused as too slow to be useful
GRADCHECK_THREAD_WORK = 200_000
GRADCHECK_MAX_WORK = 5_000_000

#: the table's column titles and their justification (None: the default, left)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("leaf", None), ("kind", None), ("analytic", "right"), ("numeric", "right"),
    ("difference", "right"), ("result", None),
)


def check_work(nodes: int, leaves: int) -> int:
    """Node visits of a check: two evaluations of the graph per leaf."""
    return nodes * max(1, leaves) * 2


def is_input(row) -> bool:
    """A named leaf (an input or parameter), as opposed to a constant in the program."""
    return bool(row.leaf.label)


def _failed(row) -> bool:
    return not row.ok and not getattr(row, "unreliable", False)


def _unreliable(row) -> bool:
    return not row.ok and getattr(row, "unreliable", False)


def any_failed(rows: Sequence) -> bool:
    """Whether some leaf truly fails (an unreliable row is not a failure)."""
    return any(_failed(r) for r in rows)


def inputs_first(rows: Sequence) -> list:
    """Named inputs first, then constants, each group in graph order."""
    return sorted(rows, key=lambda r: not is_input(r))


def _pass(n: int, noun: str) -> str:
    return f"{n} {noun} {'passes' if n == 1 else 'pass'}"


def verdict(rows: Sequence) -> str:
    """``4 inputs and 4 constants pass``, ``1 of 2 inputs FAIL, 3 constants pass``,
    ``1 of 2 inputs unreliable (cancellation), 1 constant passes``."""
    groups = []
    for wanted, noun in ((True, "input"), (False, "constant")):
        group = [r for r in rows if is_input(r) is wanted]
        if group:
            failed = sum(1 for r in group if _failed(r))
            unsure = sum(1 for r in group if _unreliable(r))
            groups.append((len(group), noun if len(group) == 1 else noun + "s", failed, unsure))
    if not groups:
        return "the graph has no leaves to check"
    if not any(failed or unsure for _, _, failed, unsure in groups):
        counted = " and ".join(f"{n} {noun}" for n, noun, _, _ in groups)
        verb = "passes" if len(groups) == 1 and groups[0][0] == 1 else "pass"
        return f"{counted} {verb}"
    parts = []
    for n, noun, failed, unsure in groups:
        if failed:
            parts.append(f"{failed} of {n} {noun} FAIL")
        if unsure:
            parts.append(f"{unsure} of {n} {noun} unreliable (cancellation)")
        if not failed and not unsure:
            parts.append(_pass(n, noun))
    return ", ".join(parts)


def summary(rows: Sequence, root_name: str = "", ran_backward: str = "") -> Text:
    """What the table is, the verdict (green, yellow when only unreliable rows stand out,
    red when a leaf fails) and each row's note.  ``ran_backward`` is an extra dim line."""
    of = f" of {root_name}" if root_name else ""
    text = Text(f"Gradient check{of}: backward's gradient (analytic) against central "
                "differences (numeric), for each input, then each constant.\n")
    if ran_backward:
        text.append(ran_backward + "\n", "dim")
    said = verdict(rows)
    said = said[0].upper() + said[1:] + "."
    if not rows:
        text.append(said, "bold")
    elif any_failed(rows):
        text.append(said, "bold red")
    elif any(_unreliable(r) for r in rows):
        text.append(said, "bold yellow")
    else:
        text.append(said, "bold green")
    for r in rows:
        note = getattr(r, "note", "")
        if note:
            # a passing row's note says how it was checked (a smaller step near a domain edge)
            text.append(f"\n{note}", "yellow" if _unreliable(r) else "red" if _failed(r)
                        else "dim")
    return text


def result_cell(row) -> Text:
    if row.ok:
        return Text("pass", "green")
    if _unreliable(row):
        return Text("unreliable", "bold yellow")
    return Text("FAIL", "bold red")


def row_cells(row, name_of: Callable[[object], str] | None = None) -> tuple[Text, ...]:
    """One row of the table: leaf, kind, analytic, numeric, difference, result."""
    name = name_of(row.leaf) if name_of is not None else str(row.name)
    diff = abs(row.analytic - row.numeric)  # NaN when the graph could not be evaluated
    kind = Text("input") if is_input(row) else Text("constant", "dim")
    return (Text(name), kind, Text(format_number(row.analytic), justify="right"),
            Text(format_number(row.numeric), justify="right"),
            Text(f"{diff:.2e}", justify="right"), result_cell(row))
