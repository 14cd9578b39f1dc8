"""``draw_dot``: micrograd's trace_graph picture as a ``graphviz.Digraph``.

karpathy/micrograd's ``trace_graph.ipynb`` draws a graph with the ``graphviz`` Python package:
one record per Value (``label | data | grad``) and one ellipse per operation, wired
``input -> operation -> result``.  ``draw_dot(root)`` gives the same picture, so a notebook
written for micrograd runs unchanged (``draw_dot(y)`` shows it in Jupyter, ``.render()``
writes a file).

The ``graphviz`` package is optional (``pip install 'micrograd-tui[graphviz]'``) and imported
only when ``draw_dot`` is called: the engine stays standard library only.  Without it,
``draw_dot`` raises :class:`GraphvizMissingError` saying how to install it, and
:func:`engine.export.to_dot` still gives the same picture as DOT text.

Nodes are named in topological order as :mod:`engine.export` names them (``n0`` the first
input, the root last; ``n{i}_op`` the operation that made ``n{i}``), so the same graph
always gives the same source; numbers are micrograd's ``%.4f`` (exponent notation for very
large or tiny ones, as in the export).
"""

from __future__ import annotations

from typing import Any

from .errors import EngineError
from .export import _escape, _number
from .graph import topological_order
from .value import Value

__all__ = ["GraphvizMissingError", "draw_dot"]

RANKDIRS = ("LR", "TB", "RL", "BT")


class GraphvizMissingError(EngineError, ImportError):
    """``draw_dot`` was called without the optional ``graphviz`` Python package."""


def _graphviz() -> Any:
    try:
        import graphviz  # the optional extra; never imported at engine import time
    except ImportError as e:
        raise GraphvizMissingError(
            "draw_dot needs the 'graphviz' Python package, which is not installed: "
            "pip install 'micrograd-tui[graphviz]' (or pip install graphviz). "
            "engine.export.to_dot(root) gives the same graph as DOT text without it.",
            name="graphviz") from e
    return graphviz


def _text(text: str, *, record: bool = False) -> str:
    body = _escape(text, record=record)
    # a final backslash would escape the closing quote graphviz puts around the label
    return body + " " if body.endswith("\\") else body


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR") -> Any:
    """The graph below ``root`` as a ``graphviz.Digraph``, drawn as micrograd's trace_graph.

    ``format`` is the file format ``render()`` writes (``svg``, ``png``, ...), ``rankdir``
    the direction: ``LR`` (inputs on the left), ``TB``, ``RL`` or ``BT``.  Raises
    :class:`GraphvizMissingError` (an ``ImportError``) when ``graphviz`` is not installed.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot needs a Value, not {type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_dot: rankdir must be one of {', '.join(RANKDIRS)}, not {rankdir!r}")
    graphviz = _graphviz()
    try:
        dot = graphviz.Digraph(format=format, graph_attr={"rankdir": rankdir})
    except ValueError as e:
        raise ValueError(f"draw_dot: format {format!r} is not one Graphviz writes ({e})") from None
    nohtml = graphviz.nohtml  # a label like "<x>" is text, not Graphviz's HTML-like label
    order = topological_order(root)
    ids = {id(node): i for i, node in enumerate(order)}
    for i, node in enumerate(order):
        fields = [f"data {_number(node.data)}", f"grad {_number(node.grad)}"]
        if node.label:
            fields.insert(0, _text(node.label, record=True))
        dot.node(name=f"n{i}", label=nohtml("{ " + " | ".join(fields) + " }"), shape="record")
        if node._prev:
            symbol = str(getattr(node._op, "symbol", node._op))
            dot.node(name=f"n{i}_op", label=nohtml(_text(symbol)))
            dot.edge(f"n{i}_op", f"n{i}")
            for child in node._prev:  # `a + a`: two edges from a
                dot.edge(f"n{ids[id(child)]}", f"n{i}_op")
    return dot
