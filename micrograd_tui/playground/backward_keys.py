"""The playground's backward keys: run backward, zero the grads, step through backward.

:class:`BackwardKeys` is a mixin of :class:`~micrograd_tui.playground.screen.PlaygroundScreen`,
which provides what its ``TYPE_CHECKING`` block lists; the words each key shows come from
:mod:`.actions`, the step-through itself from :mod:`.stepper`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.expr import ExprError

from .actions import backward_text, pass_complete_text, step_failed_text, step_text
from .stepper import BackwardStepper

if TYPE_CHECKING:
    from rich.text import Text

    from engine.expr import Program

    from .editor import ProgramEditor
    from .graph_index import GraphIndex
    from .graph_tree import GraphTree


class BackwardKeys:
    """Ctrl+B, Ctrl+G, Ctrl+N and Ctrl+T of the playground."""

    if TYPE_CHECKING:  # provided by PlaygroundScreen
        program: Program | None
        index: GraphIndex | None
        stepper: BackwardStepper | None
        editor: ProgramEditor
        tree: GraphTree

        def _ready(self) -> bool: ...

        def _say(self, text: str | Text, *, error: bool = False) -> None: ...

        def _values_changed(self) -> int: ...

        def _inspect_cursor(self) -> None: ...

        def _quiz_holds_step(self, stepper: BackwardStepper, started: bool) -> bool: ...

        def _quiz_said(self, text: Text) -> Text: ...

    def action_backward(self) -> None:
        if not self._ready():
            return
        assert self.index is not None
        root = self.index.root
        order = self.index.order
        before = [node.grad for node in order]
        self.stepper = None
        self.tree.set_step_node(None)
        try:
            if self.program is not None and root is self.program.output:
                self.program.backward()  # its errors point at a line and column
            else:  # zero first, so pressing Backward twice shows the same numbers
                for node in order:
                    node.grad = 0.0
                root.backward()
        except ArithmeticError as error:
            self._values_changed()
            if isinstance(error, ExprError):
                self.editor.mark_error(error.line, error.col)
            self._say(f"backward failed: {error}", error=True)
            return
        self._values_changed()
        changed = sum(1 for node, grad in zip(order, before) if node.grad != grad)
        self._say(backward_text(self.index.name(root), changed, len(order)))

    def action_zero_grad(self) -> None:
        if not self._ready():
            return
        assert self.index is not None
        self.stepper = None
        self.tree.set_step_node(None)
        self.index.root.zero_grad()
        self._values_changed()
        self._say("Every grad is 0. Ctrl+B backward · Ctrl+N step through it.")

    def action_step(self) -> None:
        if not self._ready():
            return
        assert self.index is not None
        stepper = self.stepper
        started = False
        if stepper is None or stepper.root is not self.index.root:
            stepper = self.stepper = BackwardStepper(self.index.root, self.index.name,
                                                     self.index.order)
            stepper.start()
            started = True
        if self._quiz_holds_step(stepper, started):
            return  # quiz mode asks for the step's grads first
        try:
            step = stepper.forward()
        except ArithmeticError as error:
            self._say(step_failed_text(stepper, self.index.name, error), error=True)
            return
        if step is None:
            self.tree.set_step_node(None)
            self._values_changed()
            self._say(pass_complete_text(stepper))
            return
        self._show_step(stepper, started)

    def action_step_back(self) -> None:
        if not self._ready():
            return
        stepper = self.stepper
        if stepper is None or stepper.back() is None:
            self._say("Nothing to step back: Ctrl+N starts stepping through backward.")
            return
        self._show_step(stepper, False)

    def _show_step(self, stepper: BackwardStepper, started: bool) -> None:
        assert self.index is not None
        step = stepper.current
        self.tree.set_step_node(step.node if step is not None else None)
        shown = step is None or self.tree.reveal(step.node) is not None
        self._values_changed()
        self._inspect_cursor()
        self._say(self._quiz_said(step_text(stepper, self.index.name, started=started,
                                            shown=shown)))
