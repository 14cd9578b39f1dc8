"""``micrograd-tui eval --check``: the playground's gradient check, printed.

The summary and the table are :mod:`micrograd_tui.playground.gradcheck_table`'s, the very cells the
playground's gradient check screen shows, printed with rich (no Textual).  The exit status
is 1 when a leaf truly fails, 0 otherwise: a row whose numeric estimate is lost to rounding
(cancellation) is shown as unreliable and does not fail the check.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine import NumericError

from .headless import EXIT_FAILED, EXIT_OK, EXIT_USAGE, load_program, print_error
from .playground.gradcheck_table import (COLUMNS, GRADCHECK_MAX_WORK, any_failed, check_work,
                                         inputs_first, row_cells, summary)
from .playground.graph_index import GraphIndex


def check_table(rows, name_of=None) -> Table:
    """The rows (inputs first) as a rich ``Table`` with the playground's columns and cells."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for title, justify in COLUMNS:
        table.add_column(title, justify=justify or "left", no_wrap=title != "leaf")
    for row in inputs_first(rows):
        table.add_row(*row_cells(row, name_of))
    return table


def run_check(source: str | None = None, file: str | None = None,
              console: Console | None = None) -> int:
    """Evaluate a program, check every leaf's gradient, print the table; the exit code."""
    from engine.gradcheck import check_gradients

    program = load_program(source, file)
    if isinstance(program, int):
        return program
    root = program.output
    index = GraphIndex(root, dict(program.variables))
    leaves = len(index.leaves())
    if check_work(len(index), leaves) > GRADCHECK_MAX_WORK:
        print_error(f"--check: the gradient check would evaluate this graph of {len(index)} "
                    f"nodes {2 * leaves} times, more than the playground allows "
                    f"({GRADCHECK_MAX_WORK:,} node visits): try a smaller program")
        return EXIT_USAGE
    try:
        rows = check_gradients(root)
    except NumericError as e:  # backward already ran once: not expected, but said plainly
        print_error(f"--check: {e}")
        return EXIT_FAILED
    console = console or Console(highlight=False)
    console.print(summary(rows, index.name(root)), soft_wrap=True)
    console.print(Text())
    console.print(check_table(rows, index.name))
    return EXIT_FAILED if any_failed(rows) else EXIT_OK
