"""Walking the backward pass one node at a time, forward and back.

Plain Python (no Textual).  :class:`BackwardStepper` starts like the Backward key does (every
grad 0, the root's grad 1), then each :meth:`~BackwardStepper.forward` runs one node's local
backward with :func:`engine.graph.propagate_generic`, in reverse topological order, and
describes it with the actual numbers::

    a.grad += b.data × c.grad = 2.0 × -3.0 = -6.0

:meth:`~BackwardStepper.back` undoes the last step exactly (it restores the grads it
changed), so a learner can go back and forth.  After the last step every grad equals what
``backward()`` gives from zeroed grads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from engine.graph import propagate_generic, topological_order
from engine.value import Value

from .graph_index import short_number

@dataclass(frozen=True)
class Update:
    """One input's share of one step."""

    child: Value
    local: float
    contribution: float
    before: float
    after: float
    text: str


@dataclass(frozen=True)
class Step:
    """One node's local backward: ``node`` passes its grad on to each of its inputs."""

    number: int  # 1-based
    node: Value
    updates: tuple[Update, ...]
    formula: str

    @property
    def text(self) -> str:
        return "\n".join(u.text for u in self.updates)


class BackwardStepper:
    """The backward pass from ``root``, one node per step (leaves have nothing to pass on)."""

    def __init__(self, root: Value, name: Callable[[Value], str] | None = None,
                 order: list[Value] | None = None) -> None:
        """``order``: the graph's topological order when the caller has it already."""
        self.root = root
        self.name = name or (lambda v: v.label or v._op.symbol or short_number(v.data))
        self.order = order if order is not None else topological_order(root)
        #: the nodes whose local backward runs, in the order it runs: root first
        self.nodes = [v for v in reversed(self.order) if v._prev]
        self.steps: list[Step] = []
        self.started = False

    @property
    def total(self) -> int:
        return len(self.nodes)

    @property
    def position(self) -> int:
        """How many steps are done."""
        return len(self.steps)

    @property
    def done(self) -> bool:
        return self.started and self.position >= self.total

    @property
    def current(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    @property
    def next_node(self) -> Value | None:
        return self.nodes[self.position] if self.position < self.total else None

    def start(self) -> None:
        """Zero every grad and seed the root with 1, as the Backward key begins (it zeroes,
        then ``backward()``, which resets the interior nodes and adds into the leaves)."""
        for node in self.order:
            node.grad = 0.0
        self.root.grad = 1.0
        self.steps.clear()
        self.started = True

    def forward(self) -> Step | None:
        """Run the next node's local backward; ``None`` when the pass is complete.

        A local derivative that cannot be computed (``a ** b`` with ``a < 0``) raises the
        engine's ``NumericError`` and leaves every grad as it was.
        """
        if not self.started:
            self.start()
        if self.position >= self.total:
            return None
        node = self.nodes[self.position]
        children = node._prev
        befores = [c.grad for c in children]
        try:
            # The same input can appear twice (a + a): each use adds in turn.
            results = propagate_generic(node)
        except ArithmeticError:
            for child, before in zip(reversed(children), reversed(befores)):
                child.grad = before  # a failed step changes nothing
            raise
        updates = []
        running: dict[int, float] = {}
        for i, (child, local, contribution) in enumerate(results):
            before = running.get(id(child), befores[i])
            after = before + contribution
            running[id(child)] = after
            text = self.describe(node, i, local, contribution)
            updates.append(Update(child, local, contribution, before, after, text))
        from .inspector import rule_text  # the rule in the node's own names, never a/b

        step = Step(self.position + 1, node, tuple(updates), rule_text(node, self.name))
        self.steps.append(step)
        return step

    def back(self) -> Step | None:
        """Undo the last step; returns the step undone, ``None`` if there was none."""
        if not self.steps:
            return None
        step = self.steps.pop()
        for update in reversed(step.updates):
            update.child.grad = update.before
        return step

    def run_to_end(self) -> None:
        while self.forward() is not None:
            pass

    # --- words ----------------------------------------------------------------------
    def local_expression(self, node: Value, i: int) -> str:
        """The local derivative d node / d input ``i`` in terms of the graph's names."""
        return local_expression(node, i, self.name)

    def describe(self, node: Value, i: int, local: float, contribution: float) -> str:
        child = node._prev[i]
        expr = self.local_expression(node, i)
        if not _is_simple(expr):
            expr = f"({expr})"
        n = self.name
        return (f"{n(child)}.grad += {expr} × {n(node)}.grad"
                f" = {short_number(local)} × {short_number(node.grad)}"
                f" = {short_number(contribution)}")


def local_expression(node: Value, i: int, name: Callable[[Value], str]) -> str:
    """The local derivative d node / d input ``i`` written with the graph's own names.

    The engine's formula template for the operation is filled in (``str.format``) with the
    node's real inputs (``f.data``), or the number itself for a constant, so ``L = d * f``
    reads ``f.data`` and never a learner's own ``b``.
    """
    text = node._op.local_text(i, [data_of(child, name) for child in node._prev])
    if text is None:
        return "local"
    try:  # a plain number (``1``, ``-1``) reads the way every other number does: ``1.0``
        return short_number(float(text))
    except ValueError:
        return text


def data_of(value: Value, name: Callable[[Value], str]) -> str:
    """How an input's data reads in a formula: ``b.data``, or the number for a constant."""
    if not value._prev and not value.label:
        return short_number(value.data)
    return f"{name(value)}.data"


def _is_simple(text: str) -> bool:
    return " " not in text
