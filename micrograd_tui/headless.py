"""The headless commands' shared output (errors, exit codes) and ``eval``: the engine's
work, printed with rich.  ``train`` is in :mod:`.headless_train`.

The engine stays free of rich; everything a terminal sees is built here and in
:mod:`.headless_train`.  Text that comes
from the user (programs, labels, file names) is always printed as plain ``Text``, never as
markup, so ``[`` in a program cannot be misread.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from typing import TYPE_CHECKING, Iterator

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from engine import NumericError, Value

from .playground.examples import README_EXAMPLE
from .playground.graph_index import GraphIndex, Row, format_number

if TYPE_CHECKING:
    from engine.expr import ExprError, Program

#: exit codes: 2 for bad input (a wrong option, a program with an error), 1 for a failure
#: while running, 130 when Ctrl+C stopped training (the shell's convention for SIGINT).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: the tree view stops this deep and says so; ``--json`` and ``--dot`` always show everything.
MAX_TREE_DEPTH = 40


def _stdout() -> Console:
    return Console(highlight=False)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


#: a value quoted in a message shows at most this many characters
MAX_QUOTED = 80

# a quote right after a letter is an apostrophe (don't), not the start of a value
_QUOTED = re.compile(r"(?<!\w)'(?:[^'\\\n]|\\.)*'" + r'|(?<!\w)"(?:[^"\\\n]|\\.)*"')


def clip_quoted(message: str, limit: int = MAX_QUOTED) -> str:
    """``message`` with each quoted value (``'...'`` or ``"..."``) longer than ``limit``
    characters cut to its start and ``…``: a 10,000-character option value is named, not
    printed whole."""
    def clip(m: re.Match[str]) -> str:
        q = m.group()
        return q if len(q) <= limit else f"{q[:limit - 2]}…{q[-1]}"

    return _QUOTED.sub(clip, message)


def print_error(message: str | Text, console: Console | None = None) -> None:
    """``error: message`` on stderr, as plain text; quoted values are clipped
    (:func:`clip_quoted`)."""
    console = console or _stderr()
    text = Text("error: ", style="bold red")
    text.append(message if isinstance(message, Text) else Text(clip_quoted(message)))
    console.print(text, soft_wrap=True)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --- eval ------------------------------------------------------------------------------

def read_program_file(file: str, *, stdin: bool = True) -> str:
    """The program in ``file`` (``-``: standard input, when ``stdin``), read with a bound.

    Only a regular file or standard input is read, never more than 4 bytes per allowed
    character (UTF-8's worst case) plus one; then the character limit of the expression
    language (``Limits.source_chars``) applies.  A FIFO, a device (``/dev/zero``), a folder, a
    file too large or not UTF-8 raises :class:`~engine.persist.FileReadError` saying why.
    """
    from engine.expr import Limits
    from engine.persist import FileReadError, read_text_limited

    limit = Limits().source_chars
    text = read_text_limited(file, 4 * limit, what="program file", stdin=stdin)
    if len(text) > limit:
        where = "standard input" if stdin and file == "-" else file
        raise FileReadError(f"{where}: this program is too long ({len(text):,} characters; "
                            f"the limit is {limit:,})")
    return text


def read_source(source: str | None, file: str | None) -> str:
    """The program to run: ``source``, the contents of ``file`` (``-`` is stdin, see
    :func:`read_program_file`), or the micrograd README example when neither is given.
    Raises ``FileReadError`` for a file that cannot be read, ``ValueError`` for both."""
    if source is not None and file is not None:
        raise ValueError("give a program or --file, not both")
    if file is not None:
        return read_program_file(file)
    return README_EXAMPLE if source is None else source


def _visible(ch: str) -> str:
    """A character as shown in an error snippet: control characters become ``�``."""
    return "\ufffd" if (ch < " " and ch != "\t") or ch == "\x7f" else ch


def error_snippet(source: str, line: int, col: int, width: int = 72) -> Text | None:
    """The source line of an error with a caret under column ``col`` (both 1-based).

    Long lines are cut to a window around the column; ``None`` when the position is not on
    a line of ``source`` (an error at the very end of the input, say).
    """
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        if line == len(lines) + 1 and col == 1:
            lines.append("")
        else:
            return None
    text = lines[line - 1]
    col = max(1, min(col, len(text) + 1))
    start = max(0, col - 1 - width // 2) if len(text) > width else 0
    shown = "".join(_visible(ch) for ch in text[start:start + width])
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    indent = "".join("\t" if ch == "\t" else " " * cell_len(ch)
                     for ch in prefix + shown[: col - 1 - start])
    out = Text("  ")
    out.append(prefix, style="dim")
    out.append(shown)
    out.append(suffix, style="dim")
    out.append("\n  " + indent)
    out.append("^", style="bold red")
    return out


def print_expr_error(source: str, err: "ExprError", console: Console | None = None) -> None:
    console = console or _stderr()
    print_error(f"line {err.line}, column {err.col}: {err.message}", console)
    snippet = error_snippet(source, err.line, err.col)
    if snippet is not None:
        console.print(snippet, soft_wrap=True)


@dataclasses.dataclass
class _Line:
    row: Row
    parent: int  # index of the parent line, -1 for the root
    cut: bool = False  # a "deeper nodes not shown" line


def _lines(index: GraphIndex, max_depth: int) -> Iterator[_Line]:
    """The tree's lines in print order (depth first, inputs in order), without recursion.

    The rows are the playground's (:meth:`GraphIndex.child_rows`): a node used in several
    places is printed in full where the playground shows it in full, and as a reference
    (``↪ name``) everywhere else, so a DAG with sharing stays as long as its number of edges.
    """
    stack: list[tuple[Row, int]] = [(index.root_row(), -1)]
    number = 0
    while stack:
        row, parent = stack.pop()
        yield _Line(row, parent)
        me = number
        number += 1
        if not row.expandable:
            continue
        if row.depth >= max_depth:
            yield _Line(row, me, cut=True)
            number += 1
            continue
        for child in reversed(index.child_rows(row)):
            stack.append((child, me))


def graph_tree(root: Value, *, max_depth: int = MAX_TREE_DEPTH,
               variables: dict[str, Value] | None = None,
               index: GraphIndex | None = None) -> tuple[Tree, int]:
    """The graph below ``root`` as a rich ``Tree`` and the width it needs.

    Each line: the node's name, what it is (the operation that produced it, ``leaf`` for a
    named input, ``const`` for a number in the program), then data and grad in aligned
    columns.  Names are the playground's (:meth:`GraphIndex.name`): a variable's current
    value is its name (``c``), earlier values of a reassigned variable are numbered
    (``c#1``, ``c#2``), unnamed operations are ``t1``, ``t2`` ... in topological order, constants
    their value (``(2.0)``).  A node used in several places is shown in full once; its other
    appearances read ``↪ name`` with the kind ``shared``, as in the playground.
    """
    if index is None or index.root is not root:
        index = GraphIndex(root, variables)
    lines = list(_lines(index, max_depth))

    def name(line: _Line) -> str:
        return ("↪ " if line.row.is_ref else "") + line.row.name

    def kind(line: _Line) -> str:
        node = line.row.value
        if line.row.is_ref:
            return "shared"
        if node._prev:
            return node._op.symbol
        return "leaf" if node.label else "const"

    body = [line for line in lines if not line.cut]
    name_w = max(cell_len(name(r)) + 4 * r.row.depth for r in body)
    kind_w = max(cell_len(kind(r)) for r in body)
    data_w = max(len(format_number(r.row.value.data)) for r in body)
    grad_w = max(len(format_number(r.row.value.grad)) for r in body)

    trees: list[Tree] = []
    for line in lines:
        if line.cut:
            label = Text("… deeper nodes not shown: use --json or --dot for the whole graph",
                         style="dim italic")
        else:
            node = line.row.value
            ref = line.row.is_ref
            label = Text(no_wrap=True, overflow="ellipsis")
            n = name(line)
            style = "dim" if ref else ("bold" if node.label else "")
            label.append(n, style=style)
            label.append(" " * (name_w - 4 * line.row.depth - cell_len(n) + 2))
            k = kind(line)
            kstyle = ("dim" if ref else "cyan" if node._prev else
                      "green" if node.label else "yellow")
            label.append(k.ljust(kind_w), style=kstyle)
            label.append("  data ", style="dim")
            label.append(format_number(node.data).rjust(data_w))
            label.append("  grad ", style="dim")
            label.append(format_number(node.grad).rjust(grad_w), style="magenta")
        if line.parent < 0:
            tree = Tree(label, guide_style="dim")
        else:
            tree = trees[line.parent].add(label)
        trees.append(tree)
    width = name_w + 2 + kind_w + len("  data ") + data_w + len("  grad ") + grad_w
    return trees[0], width


def print_tree(root: Value, variables: dict[str, Value], console: Console | None = None) -> None:
    """The graph as a tree, then every variable's value and gradient."""
    console = console or _stdout()
    index = GraphIndex(root, variables)
    tree, width = graph_tree(root, index=index)
    if not console.is_terminal:
        console.width = max(console.width, width + 1)
    order = index.order
    inputs = len(index.named_leaves())
    constants = len(index.leaves()) - inputs
    out = index.name(root)
    head = Text()
    head.append(f"{out} = {format_number(root.data)}", style="bold")
    head.append(f"   {_plural(len(order), 'node')} ({_plural(inputs, 'input')}, "
                f"{_plural(constants, 'constant')}, "
                f"{_plural(len(order) - inputs - constants, 'operation')}), "
                f"grad = d {out} / d node",
                style="dim")
    console.print(head, soft_wrap=True)
    console.print(tree)
    if variables:
        console.print(Text("variables", style="bold"))
        nw = max(cell_len(k) for k in variables)
        dw = max(len(format_number(v.data)) for v in variables.values())
        for name, value in variables.items():
            line = Text("  ")
            line.append(name.rjust(nw), style="bold")
            line.append(" = " + format_number(value.data).rjust(dw))
            line.append("   " + name + ".grad = ", style="dim")
            line.append(format_number(value.grad), style="magenta")
            console.print(line, soft_wrap=True)


def load_program(source: str | None, file: str | None) -> "Program | int":
    """Read, evaluate and back-propagate a program, as ``eval`` and ``eval --check`` do.

    On any failure the reason is printed (with line, column and a caret for the program's
    own errors) and the exit code is returned instead of the program.
    """
    from engine.expr import ExprError, evaluate
    from engine.persist import FileReadError

    try:
        text = read_source(source, file)
    except FileReadError as e:
        print_error(f"--file: cannot read {e}")
        return EXIT_USAGE
    except ValueError as e:
        print_error(str(e))
        return EXIT_USAGE
    try:
        program = evaluate(text)
        program.backward()  # a numeric failure here is an ExprError with a position too
    except ExprError as e:
        print_expr_error(text, e)
        return EXIT_USAGE
    except NumericError as e:
        print_error(f"backward: {e}")
        return EXIT_USAGE
    return program


def run_eval(source: str | None = None, file: str | None = None, fmt: str = "tree") -> int:
    """``micrograd-tui eval``: evaluate, back-propagate from the output, print the graph.

    ``fmt`` is ``"tree"`` (rich), ``"dot"`` (Graphviz) or ``"json"``.  Returns the exit code.
    """
    from engine.export import to_dot, to_json

    program = load_program(source, file)
    if isinstance(program, int):
        return program
    root = program.output
    if fmt == "dot":
        sys.stdout.write(to_dot(root))
    elif fmt == "json":
        sys.stdout.write(json.dumps(to_json(root), indent=1) + "\n")
    else:
        print_tree(root, dict(program.variables))
    return EXIT_OK
