"""The gradient check, shown over the playground: analytic vs numeric gradient per leaf.

The table's rows, the verdict and the summary are :mod:`micrograd_tui.playground.gradcheck_table`'s,
which ``micrograd-tui eval --check`` prints too.
"""

from __future__ import annotations

from typing import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from .gradcheck_table import (COLUMNS, GRADCHECK_MAX_WORK, GRADCHECK_THREAD_WORK, any_failed,
                              inputs_first, is_input, row_cells, verdict)
from .gradcheck_table import summary as table_summary
from .graph_index import format_number
from .messages import GradientsChecked

__all__ = ["GRADCHECK_MAX_WORK", "GRADCHECK_THREAD_WORK", "GradCheckScreen", "inputs_first",
           "is_input", "run_gradient_check", "verdict"]


def run_gradient_check(root) -> GradientsChecked:
    """``engine.gradcheck.check_gradients`` as a message; any failure becomes its text."""
    try:
        from engine.gradcheck import check_gradients

        rows = check_gradients(root)
    except Exception as error:  # noqa: BLE001 - shown to the learner, never raised
        return GradientsChecked([], f"{type(error).__name__}: {error}")
    return GradientsChecked(list(rows))


class GradCheckScreen(ModalScreen[None]):
    """A table of every leaf: backward's gradient, central differences', pass or fail."""

    DEFAULT_CSS = """
    GradCheckScreen {
        align: center middle;
    }
    GradCheckScreen > Vertical {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: thick $primary;
        background: $panel;
        padding: 0 1;
    }
    GradCheckScreen #gradcheck-summary {
        height: auto;
        margin-bottom: 1;
    }
    GradCheckScreen DataTable {
        height: 1fr;
    }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
        Binding("ctrl+l", "close", "Close", show=False),
    ]

    def __init__(self, rows: Sequence, name_of: Callable[[object], str] | None = None,
                 *, root_name: str = "") -> None:
        super().__init__()
        self.rows = inputs_first(rows)
        self.name_of = name_of
        self.root_name = root_name

    @property
    def passed(self) -> bool:
        """No leaf truly fails (a row lost to rounding is unreliable, not failed)."""
        return not any_failed(self.rows)

    def summary(self) -> Text:
        root = self.root_name or "the root"
        return table_summary(self.rows, self.root_name,
                             f"The check ran backward from {root}: the grads in the graph are now "
                             "filled in.")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.summary(), id="gradcheck-summary")
            table: DataTable = DataTable(id="gradcheck-table", cursor_type="row", zebra_stripes=True)
            yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(Text(title, justify=justify) for title, justify in COLUMNS))
        for r in self.rows:
            table.add_row(*row_cells(r, self.name_of))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
