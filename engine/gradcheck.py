"""Check back-propagated gradients against central differences.

For each leaf ``x`` of the graph, the graph is evaluated again with ``x`` nudged to
``x + h`` and ``x - h`` (``h = eps * max(1, |x|)``), using only each operation's ``forward``
function in topological order, and ``(f(x + h) - f(x - h)) / 2h`` is compared with the
gradient ``backward()`` gives.  The check reads ``forward``, never ``local``: a wrong local
derivative shows up as a failing row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

from .errors import NumericError
from .graph import topological_order
from .value import Value

__all__ = ["GradCheckRow", "check_gradients"]


@dataclass(frozen=True)
class GradCheckRow:
    """One leaf's verdict.  ``name`` is its label, or ``leaf #i`` (1-based, in graph order).

    ``note`` explains a failure that is not a mismatch (the graph cannot be evaluated at
    ``x ± h``); ``numeric`` is then NaN.
    """

    leaf: Value
    name: str
    analytic: float
    numeric: float
    ok: bool
    note: str = ""


def check_gradients(root: Any, eps: float = 1e-6, rtol: float = 1e-4, atol: float = 1e-6, *,
                    leaves: Iterable[Value] | None = None) -> list[GradCheckRow]:
    """Compare every leaf's gradient of ``root`` with central differences.

    ``root`` is a ``Value`` or anything with an ``output`` Value (an expression
    ``Program``).  Runs ``root.backward()`` for the analytic gradients.  A row passes when
    ``|analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)``.  The leaves come
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
    root.backward()
    index = {id(node): i for i, node in enumerate(order)}
    base = [node.data for node in order]
    children = [tuple(index[id(c)] for c in node._prev) for node in order]
    forwards = [node._op.forward for node in order]

    def evaluate(leaf_pos: int, value: float) -> float:
        vals = base.copy()
        vals[leaf_pos] = value
        # nodes before the leaf in topological order cannot depend on it
        for i in range(leaf_pos + 1, len(order)):
            ch = children[i]
            if ch:
                vals[i] = forwards[i](*[vals[j] for j in ch])
        return vals[-1]

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
            numeric = (evaluate(pos, x + h) - evaluate(pos, x - h)) / (2.0 * h)
        except (NumericError, OverflowError, ZeroDivisionError, ValueError) as e:
            rows.append(GradCheckRow(node, name, analytic, math.nan, False,
                                     f"cannot evaluate the graph at {name} ± {h:g}: {e}"))
            continue
        ok = math.isfinite(numeric) and abs(analytic - numeric) <= atol + rtol * max(abs(analytic), abs(numeric))
        rows.append(GradCheckRow(node, name, analytic, numeric, ok))
    return rows
