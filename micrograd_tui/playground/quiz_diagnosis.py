"""Quiz mode's diagnoses: which common mistake a wrong gradient is, worked out from the graph.

Plain Python (no Textual).  A node's gradient is the sum over its uses of ``local × the
user's grad``.  Each way of getting that wrong gives a number the engine can compute from the
node's uses: the local derivative alone (the upstream grad forgotten), the upstream grad alone
(the local derivative forgotten), one use's share of a node used several times, the sum of the
local derivatives, a sign flip, and in the step-through the share of this step alone (what
``=`` instead of ``+=`` gives).  :func:`mistakes` lists them, most specific first, as
``(value, message)`` pairs the lessons' grader matches with its own tolerance; a number two
mistakes share is said once, by the first.

A message names nodes as the playground does (``t1``, ``e``) and never states the answer.  It
gives a user's grad as a number only when that grad is on show: one the quiz still hides is
named, not given, and a mistake whose number would give it away is left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from .graph_index import as_variable, short_number


@dataclass(frozen=True)
class Use:
    """One use of the node asked about: ``user`` takes it as an input."""

    user: str  # the user's name, as the tree shows it
    local: float  # d user / d node, a number
    local_text: str  # the same, written with the graph's names ("b.data")
    user_grad: float  # the upstream grad, user.grad
    share: float  # local × user_grad: what this use adds to the node's grad


def root_message(name: str) -> str:
    """What any answer other than 1 for the root's grad gets."""
    return f"the output's own gradient is 1: {_d(name, name)}."


def mistakes(name: str, expected: float, uses: tuple[Use, ...], shown: Callable[[str], bool],
             *, before: float = 0.0, tolerance: float = 1e-3) -> list[tuple[float, str]]:
    """The common mistakes for ``name``'s grad, ``(value, message)``, most specific first.

    ``uses``: the node's uses (for a step question, the uses this step adds); ``before``: what
    the grad holds before them (a step question's earlier steps; 0 for a final grad);
    ``shown(user)``: that user's grad is on show.  No value is the answer (within
    ``tolerance``), and no two values are the same mistake twice."""
    k = len(uses)
    found: list[tuple[float, str]] = []

    def add(value: float, message: str) -> None:
        if not math.isfinite(value) or abs(value - expected) <= tolerance:
            return
        if any(abs(value - seen) <= tolerance for seen, _ in found):
            return  # the same number: the earlier, more specific mistake says it
        found.append((value, message))

    if before and k:
        held = f"holds {short_number(before)}" if shown(name) else "has a share"
        add(expected - before,
            f"that is this step's share alone (= instead of +=): {name}.grad {held} already; "
            "add to it.")
    others = f", and add its other uses ({k} in all)" if k >= 2 else ""
    if k >= 2:
        for use in uses:
            if shown(use.user):
                add(before + use.share,
                    f"that is one of its {k} uses (through {use.user}); add the others: grads "
                    "accumulate (+=).")
        add(sum(use.local for use in uses),
            f"that is the sum of its {k} local derivatives; multiply each by its user's grad "
            "first.")
    for use in uses:
        add(use.local,
            f"that is {_d(use.user, name)} = {use.local_text} alone; multiply by "
            f"{_grad(use.user, use.user_grad, shown)}{others}.")
    for use in uses:
        if shown(use.user):
            add(use.user_grad,
                f"that is {use.user}.grad alone; multiply by {_d(use.user, name)} = "
                f"{use.local_text}{others}.")
    add(-expected, "a sign flip: check the sign of each local derivative and upstream grad.")
    return found


def _grad(name: str, value: float, shown: Callable[[str], bool]) -> str:
    """``e.grad = -2.0``, or ``e.grad (still ?: work it out first)`` while the quiz hides it."""
    if shown(name):
        return f"{name}.grad = {short_number(value)}"
    return f"{name}.grad (still ?: work it out first)"


def _d(top: str, name: str) -> str:
    """``de/da``: the derivative of ``top`` by ``name``, as the inspector writes it."""
    return f"d{as_variable(top)}/d{as_variable(name)}"
