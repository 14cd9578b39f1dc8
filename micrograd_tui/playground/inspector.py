"""The node inspector: one node's operation, inputs, derivative formula, value and gradient.

It also shows how the node's gradient is put together: one contribution per use
(``local derivative × user's grad``), summed.  For a leaf that the program set to a number
there is a field to type a new value; the screen then rewrites that line and evaluates again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Static

from engine.value import Value

from .graph_index import GraphIndex, as_variable, format_number, short_number
from .stepper import local_expression


class NodeInspector(VerticalScroll, can_focus=False):
    """Details of the selected node, rendered as plain text.

    Not focusable itself, so Tab from the tree goes straight to the value field of a leaf.
    """

    DEFAULT_CSS = """
    NodeInspector {
        height: 1fr;
        padding: 0 1;
    }
    NodeInspector > #details {
        width: 1fr;
    }
    NodeInspector > #leaf-edit {
        display: none;
        height: 1;
        margin-bottom: 1;
    }
    NodeInspector.-editable > #leaf-edit {
        display: block;
    }
    NodeInspector #leaf-edit > Label {
        color: $text-muted;
        padding-right: 1;
    }
    NodeInspector #leaf-value {
        width: 1fr;
    }
    """

    @dataclass
    class LeafEdited(Message):
        """The learner typed a new value for a leaf."""

        inspector: "NodeInspector"
        value: Value
        name: str
        new_data: float

        @property
        def control(self) -> "NodeInspector":
            return self.inspector

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.index: GraphIndex | None = None
        self.value: Value | None = None
        #: quiz mode: whether a node's grad is hidden (None: nothing is)
        self.grad_hidden: Callable[[Value], bool] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="leaf-edit"):
            yield Label("set to", id="leaf-label")
            yield Input(placeholder="a number, then Enter", type="number", id="leaf-value",
                        compact=True)
        yield Static(Text("Select a node in the graph to see how its gradient is made."),
                     id="details")

    # --- showing ----------------------------------------------------------------------------
    def show(self, index: GraphIndex | None, value: Value | None, *, editable: bool = False) -> None:
        changed = value is not self.value
        self.index = index
        self.value = value
        self.set_class(editable and value is not None, "-editable")
        if changed and index is not None and value is not None and editable:
            self.query_one("#leaf-label", Label).update(Text(f"set {index.name(value)} ="))
            field = self.query_one("#leaf-value", Input)
            field.value = short_number(value.data)
        self.refresh_values()

    def refresh_values(self) -> None:
        details = self.query_one("#details", Static)
        if self.index is None or self.value is None:
            details.update(Text("Select a node in the graph to see how its gradient is made."))
            return
        details.update(describe(self.index, self.value, self.grad_hidden))

    @property
    def text(self) -> str:
        """What the inspector says, as plain text."""
        if self.index is None or self.value is None:
            return ""
        return describe(self.index, self.value, self.grad_hidden).plain

    @on(Input.Submitted, "#leaf-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.value is None or self.index is None:
            return
        try:
            new = float(event.value)
        except ValueError:
            self.notify(f"{event.value!r} is not a number", severity="error")
            return
        if new != new or new in (float("inf"), float("-inf")):
            self.notify("a value must be a finite number", severity="error")
            return
        self.post_message(self.LeafEdited(self, self.value, self.index.name(self.value), new))


def describe(index: GraphIndex, value: Value,
             hidden: Callable[[Value], bool] | None = None) -> Text:
    """The inspector's text for ``value``: plain ``Text`` with a few styles, never markup.

    ``hidden``: quiz mode's grads shown as ``?`` (and no number that gives them away)."""
    name = index.name
    hide = hidden or (lambda v: False)
    op = value._op
    t = Text(no_wrap=False)
    t.append(name(value), "bold")
    if value._prev:
        t.append(f"  = {op.symbol}(", "")
        t.append(", ".join(name(c) for c in value._prev))
        t.append(")")
        t.append(f"   {op.name}\n", "dim")
    elif value.label:
        t.append("   leaf: an input or parameter\n", "dim")
    else:
        t.append("   constant (a number in the program)\n", "dim")
    t.append("data ", "dim")
    t.append(format_number(value.data), "bold")
    t.append("   grad ", "dim")
    t.append("?" if hide(value) else format_number(value.grad), "bold")
    t.append("\n")
    if value._prev:
        t.append("inputs: ", "dim")
        t.append(", ".join(f"{name(c)} = {short_number(c.data)}" for c in value._prev))
        t.append("\n")
    if value._prev:
        t.append(local_derivatives(value, name) + "\n")
        t.append("rule: ", "dim")
        t.append(rule_text(value, name) + "\n", "italic")  # the engine's own words
    else:
        t.append(op.formula + "\n", "italic")
    t.append("\n")
    if value is index.root:
        t.append("This is the root: backward starts with its grad = 1.\n")
        return t
    contributions = index.contributions(value)
    if not contributions:
        t.append("Not used by the root's graph.\n", "dim")
        return t
    t.append("grad = sum over its uses of local × user.grad:\n", "dim")
    if hide(value):
        for c in contributions:
            t.append(f"  {name(c.user)}: local × {name(c.user)}.grad\n")
        t.append("  total ?  (quiz: work it out, then type it under the graph)\n", "dim")
        return t
    total = 0.0
    ok = True
    for c in contributions:
        user = name(c.user)
        if c.local is None or c.contribution is None:
            ok = False
            t.append(f"  {user} (input {c.index + 1}): {c.error}\n", "red")
            continue
        total += c.contribution
        t.append(f"  {user}: ")
        if hide(c.user):  # the user's grad is a quiz question still open
            t.append(f"{short_number(c.local)} × {user}.grad (hidden)"
                     f" = {short_number(c.contribution)}\n")
            continue
        t.append(f"{short_number(c.local)} × {short_number(c.user_grad)}"
                 f" = {short_number(c.contribution)}\n")
    if ok:
        t.append("  total ", "dim")
        t.append(format_number(total), "bold")
        if len(contributions) > 1:
            t.append(f"  ({len(contributions)} uses)", "dim")
        t.append("\n")
    return t


def local_derivatives(value: Value, name: Callable[[Value], str]) -> str:
    """``dL/dd = f.data = -2.0,  dL/df = d.data = 4.0``: each local derivative of ``value``
    with its real inputs' names (never the engine's placeholder ``a``/``b``/``x``)."""
    inputs = value._prev
    try:
        locals_: tuple | None = tuple(value._op.local(value))
        error = ""
    except (ArithmeticError, ValueError) as e:
        locals_, error = None, str(e)
    counts: dict[int, int] = {}
    for child in inputs:
        counts[id(child)] = counts.get(id(child), 0) + 1
    top = as_variable(name(value))
    parts = []
    for i, child in enumerate(inputs):
        which = f" (input {i + 1})" if counts[id(child)] > 1 else ""
        expr = local_expression(value, i, name)
        part = f"d{top}/d{as_variable(name(child))}{which} = {expr}"
        if locals_ is not None and i < len(locals_):
            local = float(locals_[i])
            if not _reads_as(expr, local):
                part += f" = {short_number(local)}"
        parts.append(part)
    text = ",  ".join(parts)
    if error:
        text += f"  (cannot be computed here: {error})"
    return text


def rule_text(value: Value, name: Callable[[Value], str]) -> str:
    """The operation's rule written with ``value``'s real inputs: ``d(x * w)/dx = w``.

    The engine's placeholders (``a``, ``b``, ``x``) could be other variables of the program,
    so they never show for an operation with fixed inputs.  Operations with any number of inputs (``sum``) keep their ``x_i`` words."""
    op = value._op
    inputs = value._prev
    if op.arity < 0 or len(inputs) != len(op.roles) or not op.template.rights:
        return op.formula
    words = {role: as_variable(name(child)) for role, child in zip(op.roles, inputs)}
    return op.rule(words)


def _reads_as(expr: str, x: float) -> bool:
    """``expr`` is already the number ``x`` (``1``, ``-1``): no need to say it twice."""
    try:
        return float(expr) == x
    except ValueError:
        return False
