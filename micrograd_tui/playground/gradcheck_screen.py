"""The gradient check, shown over the playground: analytic vs numeric gradient per leaf.

A leaf is either an *input* (a named value: ``a = 2.0``, a weight) or a *constant* (a number
written inside an expression, ``2 * a``).  Both are checked, but a learner thinks of the
inputs, so they come first and the two are counted apart.
"""

from __future__ import annotations

from typing import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from .graph_index import format_number
from .messages import GradientsChecked

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


def is_input(row) -> bool:
    """A named leaf (an input or parameter), as opposed to a constant in the program."""
    return bool(row.leaf.label)


def inputs_first(rows: Sequence) -> list:
    """Named inputs first, then constants, each group in graph order."""
    return sorted(rows, key=lambda r: not is_input(r))


def verdict(rows: Sequence) -> str:
    """``4 inputs and 4 constants pass``, ``1 of 2 inputs FAIL, 3 constants pass``."""
    groups = []
    for wanted, noun in ((True, "input"), (False, "constant")):
        group = [r for r in rows if is_input(r) is wanted]
        if group:
            failed = sum(1 for r in group if not r.ok)
            groups.append((len(group), noun if len(group) == 1 else noun + "s", failed))
    if not groups:
        return "the graph has no leaves to check"
    if not any(failed for _, _, failed in groups):
        counted = " and ".join(f"{n} {noun}" for n, noun, _ in groups)
        verb = "passes" if len(groups) == 1 and groups[0][0] == 1 else "pass"
        return f"{counted} {verb}"
    return ", ".join(f"{failed} of {n} {noun} FAIL" if failed
                     else f"{n} {noun} {'passes' if n == 1 else 'pass'}"
                     for n, noun, failed in groups)


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
        return all(r.ok for r in self.rows)

    def summary(self) -> Text:
        of = f" of {self.root_name}" if self.root_name else ""
        root = self.root_name or "the root"
        text = Text(f"Gradient check{of}: backward's gradient (analytic) against central "
                    "differences (numeric), for each input, then each constant.\n")
        text.append(f"The check ran backward from {root}: the grads in the graph are now "
                    "filled in.\n", "dim")
        said = verdict(self.rows)
        said = said[0].upper() + said[1:] + "."
        if not self.rows:
            text.append(said, "bold")
        elif self.passed:
            text.append(said, "bold green")
        else:
            text.append(said, "bold red")
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
        table.add_columns(Text("leaf"), Text("kind"), Text("analytic", justify="right"),
                          Text("numeric", justify="right"), Text("difference", justify="right"),
                          Text("result"))
        for r in self.rows:
            name = self.name_of(r.leaf) if self.name_of is not None else str(r.name)
            diff = abs(r.analytic - r.numeric)  # NaN when the graph could not be evaluated
            result = Text("pass", "green") if r.ok else Text("FAIL", "bold red")
            kind = Text("input") if is_input(r) else Text("constant", "dim")
            table.add_row(Text(name), kind, Text(format_number(r.analytic), justify="right"),
                          Text(format_number(r.numeric), justify="right"),
                          Text(f"{diff:.2e}", justify="right"), result)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
