"""The gradient check, shown over the playground: analytic vs numeric gradient per leaf."""

from __future__ import annotations

from typing import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from ..graphview import format_number
from ..messages import GradientsChecked

#: the check evaluates the graph twice per leaf: above this many node visits it runs in a
#: worker thread, above the second limit it is refused as too slow to be useful here
GRADCHECK_THREAD_WORK = 200_000
GRADCHECK_MAX_WORK = 5_000_000


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
        self.rows = list(rows)
        self.name_of = name_of
        self.root_name = root_name

    @property
    def passed(self) -> bool:
        return all(r.ok for r in self.rows)

    def summary(self) -> Text:
        n = len(self.rows)
        failed = sum(1 for r in self.rows if not r.ok)
        of = f" of {self.root_name}" if self.root_name else ""
        text = Text(f"Gradient check{of}: backward's gradient (analytic) against central "
                    f"differences (numeric), for each leaf.\n")
        if n == 0:
            text.append("The graph has no leaves to check.", "bold")
        elif failed:
            text.append(f"{failed} of {n} leaves FAIL.", "bold red")
        else:
            text.append(f"All {n} leaves pass.", "bold green")
        for r in self.rows:
            note = getattr(r, "note", "")
            if note:
                text.append(f"\n{note}", "red")
        return text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.summary(), id="gradcheck-summary")
            table: DataTable = DataTable(id="gradcheck-table", cursor_type="row", zebra_stripes=True)
            yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(Text("leaf"), Text("analytic", justify="right"),
                          Text("numeric", justify="right"), Text("difference", justify="right"),
                          Text("result"))
        for r in self.rows:
            name = self.name_of(r.leaf) if self.name_of is not None else str(r.name)
            diff = abs(r.analytic - r.numeric)  # NaN when the graph could not be evaluated
            result = Text("pass", "green") if r.ok else Text("FAIL", "bold red")
            table.add_row(Text(name), Text(format_number(r.analytic), justify="right"),
                          Text(format_number(r.numeric), justify="right"),
                          Text(f"{diff:.2e}", justify="right"), result)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
