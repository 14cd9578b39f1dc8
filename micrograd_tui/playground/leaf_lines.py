"""Where a leaf's number is written in the program, so the inspector can change it there.

Plain Python (no Textual): :func:`leaf_number_span` finds the number in a plain
``name = number`` (or ``name = Value(number)``) line.
"""

from __future__ import annotations

import re

from engine.expr import Program
from engine.value import Value

_NUMBER = r"[-+]?\s*(?:\d[\d_]*\.?[\d_]*(?:[eE][-+]?\d+)?|\.\d[\d_]*(?:[eE][-+]?\d+)?)"
_LEAF_LINE = re.compile(r"^\s*(?P<name>[A-Za-z_]\w*)\s*=\s*(?:Value\(\s*)?(?P<number>"
                        + _NUMBER + r")\s*\)?\s*(?:#.*)?$")


def leaf_number_span(program: Program, value: Value) -> tuple[int, int, int] | None:
    """Where the number that sets the leaf ``value`` is in ``program.source``:
    ``(row, start column, end column)``, 0-based, or ``None`` when it is not a plain
    ``name = number`` (or ``name = Value(number)``) line."""
    if value._prev or not value.label:
        return None
    statement = program.statement_of(value)
    if statement is None or statement.name != value.label:
        return None
    lines = program.source.split("\n")
    if not 1 <= statement.line <= len(lines):
        return None
    match = _LEAF_LINE.match(lines[statement.line - 1])
    if match is None or match.group("name") != value.label:
        return None
    return statement.line - 1, match.start("number"), match.end("number")
