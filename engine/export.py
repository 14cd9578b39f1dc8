"""Exporting a graph: Graphviz DOT (micrograd's ``draw_dot`` look) and plain JSON.

Both walk the graph once in topological order (inputs first, the root last) and number the
nodes in that order, so the same graph always gives the same text: node ``n0`` is the first
input, ``n{len-1}`` the root.

The DOT text follows karpathy/micrograd's ``draw_dot``: one record node per Value showing
``label | data 2.0000 | grad 1.0000``, and one small node per operation (``+``, ``tanh``)
with an edge to the Value it produced.  ``render_svg`` turns a ``.dot`` file into an ``.svg``
with Graphviz's ``dot`` program when it is installed, and returns ``None`` when it is not.
Standard library only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .errors import EngineError
from .graph import topological_order
from .user_ops import UserOp
from .value import Value

__all__ = ["ExportError", "to_dot", "to_json", "write_dot", "render_svg"]

JSON_FORMAT = "micrograd-tui/graph"


class ExportError(EngineError, RuntimeError):
    """Graphviz's ``dot`` failed or took too long; the message has its own words."""


def _number(x: float) -> str:
    """micrograd's ``%.4f``, switching to exponent notation for very large or tiny numbers."""
    if x == 0.0 or 1e-4 <= abs(x) < 1e9:
        return f"{x:.4f}"
    return f"{x:.4e}"


_RECORD_SPECIAL = frozenset("{}|<>")


def _escape(text: str, *, record: bool = False) -> str:
    """Text for inside a DOT double-quoted label.

    Graphviz reads such a label twice: the DOT parser turns ``\\"`` into ``"``, then the
    label parser treats ``\\`` as an escape (``\\\\`` is a backslash, ``\\n`` a line
    break) and, in a record, ``{ } | < >`` as structure.  So backslashes are doubled, quotes
    and (in records) the structure characters get a backslash, line breaks become ``\\n``,
    and other control characters are dropped.
    """
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch < " " or ch == "\x7f":
            continue
        elif record and ch in _RECORD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _quoted(text: str) -> str:
    body = _escape(text)
    # Graphviz's scanner would read a final backslash and the closing quote as an escaped quote
    return '"' + (body + " " if body.endswith("\\") else body) + '"'


def _record_label(node: Value) -> str:
    fields = [f"data {_number(node.data)}", f"grad {_number(node.grad)}"]
    if node.label:
        fields.insert(0, _escape(node.label, record=True))
    return '"{ ' + " | ".join(fields) + ' }"'


def to_dot(root: Value, *, title: str = "", rankdir: str = "LR") -> str:
    """The graph below ``root`` as Graphviz DOT text (``dot -Tsvg`` draws it).

    Each Value is a record ``label | data | grad`` (the label field only when it has one);
    each operation is a small ellipse ``n{i}_op`` wired to the Value ``n{i}`` it produced.
    An input used twice (``a + a``) has two edges into the operation.
    """
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be LR, TB, RL or BT, not {rankdir!r}")
    order = topological_order(root)
    ids = {id(node): i for i, node in enumerate(order)}
    lines = ["digraph micrograd {", f"  graph [rankdir={rankdir}];"]
    if title:
        lines.append(f"  graph [label={_quoted(title)}, labelloc=t];")
    lines.append('  node [shape=record, fontname="Helvetica"];')
    edges: list[str] = []
    for i, node in enumerate(order):
        lines.append(f"  n{i} [label={_record_label(node)}];")
        if node._prev:
            lines.append(f"  n{i}_op [label={_quoted(node._op.symbol)}, shape=ellipse];")
            for child in node._prev:
                edges.append(f"  n{ids[id(child)]} -> n{i}_op;")
            edges.append(f"  n{i}_op -> n{i};")
    lines.extend(edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json(root: Value) -> dict[str, Any]:
    """The graph below ``root`` as plain data, ready for ``json.dumps``.

    ``{"format", "version", "root": id, "nodes": [{"id", "label", "op", "data", "grad",
    "children": [ids]}]}`` with nodes in topological order (every child before its users),
    ``id`` being the position in that list; ``op`` is ``""`` for inputs and parameters.
    A graph that uses the learner's own operations also has ``"ops": {name: {"inputs",
    "forward", "derivatives"}}``, their text as written.
    """
    order = topological_order(root)
    ids = {id(node): i for i, node in enumerate(order)}
    nodes = [
        {
            "id": i,
            "label": node.label,
            "op": node._op.symbol,
            "data": node.data,
            "grad": node.grad,
            "children": [ids[id(child)] for child in node._prev],
        }
        for i, node in enumerate(order)
    ]
    out: dict[str, Any] = {"format": JSON_FORMAT, "version": 1, "root": len(order) - 1,
                           "nodes": nodes}
    # the learner's own operations (engine.user_ops) travel with the graph, as they wrote them
    own = {node._op.symbol: node._op.definition for node in order if isinstance(node._op, UserOp)}
    if own:
        out["ops"] = {name: {"inputs": list(d.inputs), "forward": d.forward,
                             "derivatives": list(d.derivatives)} for name, d in own.items()}
    return out


def write_dot(root: Value, path: str | Path, *, title: str = "") -> Path:
    """Write ``to_dot(root)`` to ``path`` atomically; returns the path."""
    from .persist import atomic_write_text

    path = Path(path)
    atomic_write_text(path, to_dot(root, title=title))
    return path


def render_svg(dot_path: str | Path, svg_path: str | Path | None = None, *,
               timeout: float = 10.0) -> Path | None:
    """Draw a ``.dot`` file as SVG with Graphviz (next to it unless ``svg_path`` is given).

    Returns the SVG's path, or ``None`` when the ``dot`` program is not installed.  A
    failing or too slow ``dot`` raises :class:`ExportError` with its message.  ``dot`` writes
    a temporary file that replaces the SVG only when it succeeded, so a failure never leaves
    half a picture.
    """
    dot = shutil.which("dot")
    if dot is None:
        return None
    dot_path = Path(dot_path)
    out = Path(svg_path) if svg_path is not None else dot_path.with_suffix(".svg")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        try:
            done = subprocess.run([dot, "-Tsvg", str(dot_path), "-o", tmp],
                                  capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ExportError(f"dot took longer than {timeout:g} s on {dot_path}") from None
        except OSError as e:
            raise ExportError(f"could not run dot: {e}") from None
        if done.returncode != 0:
            reason = (done.stderr or done.stdout or "").strip() or f"exit code {done.returncode}"
            raise ExportError(f"dot failed on {dot_path}: {reason}")
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
