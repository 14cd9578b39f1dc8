"""Write the backward: the learner defines an operation by its forward and its derivative.

:class:`OpEditorScreen` is a form over the playground (name, inputs, forward, derivative);
the engine (:mod:`engine.user_ops`) reads both expressions with the language's allow-list and
checks the derivative against central differences at random points.  A refused derivative
stays on the form with the point where it fails; an accepted one is returned to the
playground, whose programs can then call it (one node, the learner's formula in the
inspector).  :class:`OpKeys` is the playground's side: a mixin of
:class:`~micrograd_tui.playground.screen.PlaygroundScreen` holding the session's operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from engine.operation import Op
from engine.user_ops import (DerivativeCheck, OpDefinitionError, UserOp, check_derivative,
                              define_op)

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["OpEditorScreen", "OpKeys", "split_derivatives"]

#: the form's fields: (id, label, placeholder)
FIELDS = (
    ("op-name", "name", "softplus"),
    ("op-inputs", "inputs", "x   (or a, b for two inputs)"),
    ("op-forward", "forward", "log(1 + exp(x))"),
    ("op-derivative", "derivative", "sigmoid(x)   (two inputs: d/da; d/db)"),
)


def split_derivatives(text: str) -> list[str]:
    """``"b + 1; a"`` -> ``["b + 1", "a"]``: one derivative per input, separated by ``;``."""
    return [part.strip() for part in text.split(";")]


class OpEditorScreen(ModalScreen["DerivativeCheck | None"]):
    """The form; dismisses with the accepted check (its ``op``), or None when cancelled."""

    DEFAULT_CSS = """
    OpEditorScreen {
        align: center middle;
    }
    OpEditorScreen > Vertical {
        width: 90%;
        max-width: 90;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $panel;
        padding: 0 1;
    }
    OpEditorScreen #op-intro {
        height: auto;
        color: $text-muted;
    }
    OpEditorScreen .op-row {
        height: 1;
        margin-top: 1;
    }
    OpEditorScreen .op-label {
        width: 12;
        color: $text-muted;
    }
    OpEditorScreen Input {
        width: 1fr;
    }
    OpEditorScreen #op-verdict {
        height: auto;
        min-height: 2;
        margin-top: 1;
    }
    OpEditorScreen #op-verdict.-wrong {
        color: $text-warning;
    }
    """
    BINDINGS = [
        Binding("ctrl+r", "check", "Check", tooltip="Check the derivative and accept the operation"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, ops: dict[str, Op] | None = None, *, seed: int | None = None) -> None:
        super().__init__()
        self.ops = dict(ops or {})
        self.seed = seed
        self.verdict_text = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Write the backward: an operation's forward and its local "
                              "derivative, in the program language. Enter checks the "
                              "derivative against the slope at random points."), id="op-intro")
            for id_, label, placeholder in FIELDS:
                with Horizontal(classes="op-row"):
                    yield Static(Text(label), classes="op-label")
                    yield Input(placeholder=placeholder, id=id_, max_length=300, compact=True)
            yield Static(Text(""), id="op-verdict")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#op-name", Input).focus()

    def value(self, id_: str) -> str:
        return self.query_one(f"#{id_}", Input).value

    def fill(self, name: str, inputs: str, forward: str, derivative: str) -> None:
        """Put text in the four fields (what a learner would type)."""
        for (id_, _, _), text in zip(FIELDS, (name, inputs, forward, derivative)):
            self.query_one(f"#{id_}", Input).value = text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ids = [f[0] for f in FIELDS]
        i = ids.index(event.input.id) if event.input.id in ids else len(ids) - 1
        empty = next((j for j in range(i + 1, len(ids)) if not self.value(ids[j]).strip()), None)
        if empty is not None:  # Enter moves on to the next empty field first
            self.query_one(f"#{ids[empty]}", Input).focus()
            return
        self.action_check()

    def action_check(self) -> None:
        try:
            op = define_op(self.value("op-name"), self.value("op-inputs"), self.value("op-forward"),
                           split_derivatives(self.value("op-derivative")), self.ops)
        except OpDefinitionError as e:
            self._show(f"✗ {e.field}: {e.message}", wrong=True)
            return
        check = check_derivative(op, seed=self.seed)
        if not check.ok:
            self._show(f"✗ Not accepted: {check.message}.", wrong=True)
            return
        self.dismiss(check)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _show(self, text: str, *, wrong: bool) -> None:
        self.verdict_text = text
        verdict = self.query_one("#op-verdict", Static)
        verdict.update(Text(text))
        verdict.set_class(wrong, "-wrong")


class OpKeys:
    """The playground's F9: define an operation; the session's operations by name."""

    if TYPE_CHECKING:  # provided by PlaygroundScreen
        app: App[object]
        is_mounted: bool

        def evaluate_source(self, source: str, *, keep_expansion: bool = True) -> None: ...

        @property
        def editor(self): ...  # type: ignore[no-untyped-def]

    _user_ops: dict[str, Op] | None = None

    @property
    def user_ops(self) -> dict[str, Op]:
        """The operations this session accepted (programs in the playground may call them)."""
        if self._user_ops is None:
            self._user_ops = {}
        return self._user_ops

    def action_define_op(self) -> None:
        self.app.push_screen(OpEditorScreen(self.user_ops), self._op_defined)

    def _op_defined(self, check: DerivativeCheck | None) -> None:
        if check is None:
            return
        op = check.op
        d = op.definition
        call = f"{d.name}({', '.join(d.inputs)})"
        self.add_user_op(op)
        self.app.notify(f"{check.message}.\nUse it in a program, e.g. y = {call}: one node "
                        f"whose rule is {op.formula}", title=f"{d.name} accepted",
                        markup=False, timeout=10)

    def add_user_op(self, op: UserOp) -> None:
        """Let programs call ``op`` from now on (accepted here with F9, or in a lesson)."""
        # a new table, not a change to the old one: an evaluation running in a thread keeps
        # the table it started with
        self._user_ops = {**self.user_ops, op.definition.name: op}
        if self.is_mounted:
            self.evaluate_source(self.editor.text)  # a program that called it may run now
