"""Check back-propagated gradients against central differences.

For each leaf ``x`` of the graph, the graph is evaluated again with ``x`` nudged to
``x + h`` and ``x - h`` (``h = eps * max(1, |x|)``), using only each operation's ``forward``
function in topological order, and ``(f(x + h) - f(x - h)) / 2h`` is compared with the
gradient ``backward()`` gives.  The check reads ``forward``, never ``local``: a wrong local
derivative shows up as a failing row.

Cancellation.  A float holds about 16 significant digits, so a node of size ``|n|`` is
rounded by up to ``eps·|n|/2`` (``eps = sys.float_info.epsilon``).  When the step ``h`` is
small next to a value it flows through (``b`` in ``1e10 + b``: ``h = 1e-6`` but the sum
moves in steps of ``1.9e-6``), that rounding swamps the difference and the numeric estimate
is noise, though backward's gradient is right.  So each row also gets a bound on the
rounding error of its numeric estimate: every node whose inputs differ between ``f(x + h)``
and ``f(x - h)`` adds ``eps·|n|·|d root/d n| / h`` (its rounding, carried to the root by its
gradient, twice the half-ulp of each evaluation, over the ``2h`` of the difference).  A row
that misses the tolerance but lies within it plus that bound is *unreliable*, not failing:
the check cannot tell.  A wrong derivative is still a failure wherever the values are well
resolved, since there the bound is ~1e-10 of the gradient.

Domains.  Near the edge of an operation's domain (``log(x)`` at ``x = 1e-9``) ``x ± h`` may
leave it.  The step then shrinks tenfold until the graph can be evaluated on both sides, and
a thousand times more, so that it is small next to the distance to the edge (the central
difference's error grows as (step / distance)²); the row's note says so.  A row that no step
can nudge is not checked (``unreliable``), never failed.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any, Iterable

from .closure_op import UnknownForward
from .errors import NumericError
from .graph import topological_order
from .value import Value

__all__ = ["GradCheckRow", "check_gradients", "UNRELIABLE"]

#: what a row whose numeric estimate is lost to rounding says
UNRELIABLE = "numeric estimate unreliable here (cancellation)"

_EPS = sys.float_info.epsilon
#: what an operation raises when the nudged graph leaves its domain or overflows
_OUT_OF_DOMAIN = (NumericError, OverflowError, ZeroDivisionError, ValueError)


@dataclass(frozen=True)
class GradCheckRow:
    """One leaf's verdict.  ``name`` is its label, or ``leaf #i`` (1-based, in graph order).

    ``ok``: the two gradients agree.  ``unreliable``: they do not, but the difference is
    within ``rounding``, the bound on the numeric estimate's rounding error (cancellation:
    the step is below the float resolution of a value it passes through), so the row is
    not a failure.  ``note`` says why a row is unreliable, or explains a failure that is
    not a mismatch (the graph cannot be evaluated at ``x ± h``; ``numeric`` is then NaN).
    """

    leaf: Value
    name: str
    analytic: float
    numeric: float
    ok: bool
    note: str = ""
    unreliable: bool = False
    rounding: float = 0.0

    @property
    def failed(self) -> bool:
        """A true failure: the gradients disagree beyond what rounding can explain."""
        return not self.ok and not self.unreliable

    @property
    def status(self) -> str:
        """``pass``, ``unreliable`` or ``FAIL``."""
        return "pass" if self.ok else "unreliable" if self.unreliable else "FAIL"


def check_gradients(root: Any, eps: float = 1e-6, rtol: float = 1e-4, atol: float = 1e-6, *,
                    leaves: Iterable[Value] | None = None) -> list[GradCheckRow]:
    """Compare every leaf's gradient of ``root`` with central differences.

    ``root`` is a ``Value`` or anything with an ``output`` Value (an expression
    ``Program``).  Sets every grad of the graph to 0 and runs ``root.backward()`` for the analytic
    gradients.  A node with its own ``_backward`` closure (an operation written micrograd's
    way) is checked through the engine's ``forward`` of its symbol (``'sin'``); one whose
    symbol the engine does not know cannot be evaluated, and its leaves' rows say so.  A row passes when
    ``|analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)``; one that fails
    that but passes with the rounding bound added is ``unreliable`` (see the module's
    docstring), not failed.  The leaves come
    in topological order (the order a graph view lists them); ``leaves`` restricts the check
    to some of them.  The cost is about two graph evaluations per leaf checked.
    """
    if not isinstance(root, Value) and isinstance(getattr(root, "output", None), Value):
        root = root.output
    if not isinstance(root, Value):
        raise TypeError(f"check_gradients needs a Value, not {type(root).__name__}")
    if not (eps > 0.0 and rtol >= 0.0 and atol >= 0.0):
        raise ValueError("eps must be > 0, rtol and atol >= 0")

    order = topological_order(root)
    for node in order:  # backward() adds into the leaves: start them from 0
        node.grad = 0.0
    root.backward()
    index = {id(node): i for i, node in enumerate(order)}
    base = [node.data for node in order]
    children = [tuple(index[id(c)] for c in node._prev) for node in order]
    forwards = [node._op.forward for node in order]
    grads = [abs(node.grad) for node in order]

    def evaluate(leaf_pos: int, value: float) -> list[float]:
        vals = base.copy()
        vals[leaf_pos] = value
        # nodes before the leaf in topological order cannot depend on it
        for i in range(leaf_pos + 1, len(order)):
            ch = children[i]
            if ch:
                vals[i] = forwards[i](*[vals[j] for j in ch])
        return vals

    def rounding(leaf_pos: int, up: list[float], down: list[float], h: float) -> float:
        """The bound on the rounding error of ``(f(x+h) - f(x-h)) / 2h`` (see above)."""
        total = max(abs(up[leaf_pos]), abs(down[leaf_pos])) * grads[leaf_pos]
        for i in range(leaf_pos + 1, len(order)):
            # a node whose inputs are the same in both evaluations rounds the same way
            for j in children[i]:
                if up[j] != down[j]:
                    total += max(abs(up[i]), abs(down[i])) * grads[i]
                    break
        return _EPS * total / h

    def nudged(leaf_pos: int, x: float, h: float
               ) -> tuple[float, list[float], list[float], tuple[float, str] | None]:
        """The graph at ``x ± step``: ``step`` is ``h``, or, when ``x ± h`` leaves an
        operation's domain (``log`` of ``1e-9 - 1e-6``), a thousandth of the largest tenth
        of ``h`` that stays inside, so the step is small next to the distance to the edge
        and central differences stay accurate there.  Also says what ``x ± h`` left (None:
        nothing).  Raises the last domain error when no step can be taken."""
        step, left = h, None
        while True:
            try:
                up, down = evaluate(leaf_pos, x + step), evaluate(leaf_pos, x - step)
            except _OUT_OF_DOMAIN as e:
                step /= 10.0
                if left is None:
                    left = (h, str(e))
                if x + step == x or x - step == x:  # no nudge is left to take
                    raise
                continue
            if left is None:
                return step, up, down, None
            fine = step / 1000.0
            if x + fine != x and x - fine != x:
                try:
                    return fine, evaluate(leaf_pos, x + fine), evaluate(leaf_pos, x - fine), left
                except _OUT_OF_DOMAIN:
                    pass
            return step, up, down, left

    wanted = None if leaves is None else {id(v) for v in leaves}
    rows: list[GradCheckRow] = []
    n_leaf = 0
    for pos, node in enumerate(order):
        if node._prev:
            continue
        n_leaf += 1
        if wanted is not None and id(node) not in wanted:
            continue
        name = node.label or f"leaf #{n_leaf}"
        x = node.data
        h = eps * max(1.0, abs(x))
        analytic = node.grad
        try:
            step, up, down, left = nudged(pos, x, h)
        except UnknownForward as e:  # a node written micrograd's way, with a name of its own
            rows.append(GradCheckRow(node, name, analytic, math.nan, False,
                                     f"{name}: not checked: {e}", unreliable=True))
            continue
        except _OUT_OF_DOMAIN as e:  # no step small enough: the check cannot tell
            rows.append(GradCheckRow(node, name, analytic, math.nan, False,
                                     f"{name}: not checked: the graph cannot be evaluated at "
                                     f"{name} ± any step ({e})", unreliable=True))
            continue
        h, reduced = step, (f"{name}: {name} ± {left[0]:.3g} leaves the domain ({left[1]}), so "
                            f"the step is {step:.3g}" if left is not None else "")
        numeric = (up[-1] - down[-1]) / (2.0 * h)
        noise = rounding(pos, up, down, h)
        tolerance = atol + rtol * max(abs(analytic), abs(numeric))
        diff = abs(analytic - numeric)
        ok = math.isfinite(numeric) and diff <= tolerance
        unreliable = not ok and math.isfinite(numeric) and math.isfinite(noise) \
            and diff <= tolerance + noise
        note = reduced
        if unreliable:
            note = (f"{name}: {UNRELIABLE}: the step {h:.3g} is below the float resolution "
                    f"of values it passes through (rounding error of the estimate up to "
                    f"{noise:.3g})" + (f"; {reduced}" if reduced else ""))
        rows.append(GradCheckRow(node, name, analytic, numeric, ok, note, unreliable, noise))
    return rows
