"""The headless commands, ``eval`` and ``train``: the engine's work, printed with rich.

The engine stays free of rich; everything a terminal sees is built here.  Text that comes
from the user (programs, labels, file names) is always printed as plain ``Text``, never as
markup, so ``[`` in a program cannot be misread.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from engine import NumericError, Value
from engine.graph import topological_order

from .examples import README_EXAMPLE

if TYPE_CHECKING:
    from engine.expr import ExprError
    from engine.train import StepEvent, TrainConfig

#: exit codes: 2 for bad input (a wrong option, a program with an error), 1 for a failure
#: while running, 130 when Ctrl+C stopped training (the shell's convention for SIGINT).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: the tree view stops this deep and says so; ``--json`` and ``--dot`` always show everything.
MAX_TREE_DEPTH = 40


def _stdout() -> Console:
    return Console(highlight=False)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def print_error(message: str | Text, console: Console | None = None) -> None:
    """``error: message`` on stderr, as plain text."""
    console = console or _stderr()
    text = Text("error: ", style="bold red")
    text.append(message if isinstance(message, Text) else Text(message))
    console.print(text, soft_wrap=True)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _number(x: float) -> str:
    if x == 0.0 or 1e-4 <= abs(x) < 1e9:
        return f"{x:.4f}"
    return f"{x:.4e}"


# --- eval ------------------------------------------------------------------------------

def read_source(source: str | None, file: str | None) -> str:
    """The program to run: ``source``, the contents of ``file`` (``-`` is stdin), or the
    micrograd README example when neither is given.  Raises ``OSError``/``ValueError``."""
    if source is not None and file is not None:
        raise ValueError("give a program or --file, not both")
    if file is not None:
        if file == "-":
            return sys.stdin.read()
        return Path(file).read_text(encoding="utf-8")
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


def _uses(order: list[Value]) -> dict[int, int]:
    """How many times each node is an input of another node."""
    uses: dict[int, int] = {}
    for node in order:
        for child in node._prev:
            uses[id(child)] = uses.get(id(child), 0) + 1
    return uses


@dataclasses.dataclass
class _Row:
    node: Value
    depth: int
    parent: int  # index of the parent row, -1 for the root
    ref: bool = False  # shown in full elsewhere: a reference here
    cut: bool = False  # a "deeper nodes not shown" line


def _rows(root: Value, max_depth: int) -> Iterator[_Row]:
    """The tree's lines in print order (depth first, inputs in order), without recursion.

    A node that is an input of several nodes is printed in full the first time and as a
    reference afterwards, so a DAG with sharing stays as long as its number of edges.
    """
    shown: set[int] = set()
    stack: list[tuple[Value, int, int]] = [(root, 0, -1)]
    index = 0
    while stack:
        node, depth, parent = stack.pop()
        if id(node) in shown:
            yield _Row(node, depth, parent, ref=True)
            index += 1
            continue
        shown.add(id(node))
        yield _Row(node, depth, parent)
        me = index
        index += 1
        if not node._prev:
            continue
        if depth >= max_depth:
            yield _Row(node, depth + 1, me, cut=True)
            index += 1
            continue
        for child in reversed(node._prev):
            stack.append((child, depth + 1, me))


def graph_tree(root: Value, *, max_depth: int = MAX_TREE_DEPTH) -> tuple[Tree, int]:
    """The graph below ``root`` as a rich ``Tree`` and the width it needs.

    Each line: the node's name (its label, ``·`` when it has none), what it is (the
    operation that produced it, ``leaf`` for a named input, ``const`` for a number in the
    program), then data and grad in aligned columns.  Nodes used in several places carry a
    ``#id`` (the same ids as ``--json`` and ``--dot``); their later appearances read
    ``↑ above``.
    """
    order = topological_order(root)
    ids = {id(node): i for i, node in enumerate(order)}
    uses = _uses(order)
    rows = list(_rows(root, max_depth))

    def name(row: _Row) -> str:
        node = row.node
        text = node.label or "·"
        if uses.get(id(node), 0) > 1:
            text += f" #{ids[id(node)]}"
        return text

    def kind(row: _Row) -> str:
        node = row.node
        if row.ref:
            return "↑ above"
        if node._prev:
            return node._op.symbol
        return "leaf" if node.label else "const"

    body = [r for r in rows if not r.cut]
    name_w = max(cell_len(name(r)) + 4 * r.depth for r in body)
    kind_w = max(cell_len(kind(r)) for r in body)
    data_w = max(len(_number(r.node.data)) for r in body)
    grad_w = max(len(_number(r.node.grad)) for r in body)

    trees: list[Tree] = []
    for row in rows:
        if row.cut:
            label = Text("… deeper nodes not shown: use --json or --dot for the whole graph",
                         style="dim italic")
        else:
            node = row.node
            label = Text(no_wrap=True, overflow="ellipsis")
            n = name(row)
            style = "dim" if row.ref else ("bold" if node.label else "")
            label.append(n, style=style)
            label.append(" " * (name_w - 4 * row.depth - cell_len(n) + 2))
            k = kind(row)
            kstyle = ("dim" if row.ref else "cyan" if node._prev else
                      "green" if node.label else "yellow")
            label.append(k.ljust(kind_w), style=kstyle)
            label.append("  data ", style="dim")
            label.append(_number(node.data).rjust(data_w))
            label.append("  grad ", style="dim")
            label.append(_number(node.grad).rjust(grad_w), style="magenta")
        if row.parent < 0:
            tree = Tree(label, guide_style="dim")
        else:
            tree = trees[row.parent].add(label)
        trees.append(tree)
    width = name_w + 2 + kind_w + len("  data ") + data_w + len("  grad ") + grad_w
    return trees[0], width


def print_tree(root: Value, variables: dict[str, Value], console: Console | None = None) -> None:
    """The graph as a tree, then every variable's value and gradient."""
    console = console or _stdout()
    tree, width = graph_tree(root)
    if not console.is_terminal:
        console.width = max(console.width, width + 1)
    order = topological_order(root)
    leaves = sum(1 for n in order if not n._prev)
    out = root.label or "output"
    head = Text()
    head.append(f"{out} = {_number(root.data)}", style="bold")
    head.append(f"   {_plural(len(order), 'node')} ({_plural(leaves, 'leaf', 'leaves')}, "
                f"{_plural(len(order) - leaves, 'operation')}), grad = d {out} / d node",
                style="dim")
    console.print(head, soft_wrap=True)
    console.print(tree)
    if variables:
        console.print(Text("variables", style="bold"))
        nw = max(cell_len(k) for k in variables)
        dw = max(len(_number(v.data)) for v in variables.values())
        for name, value in variables.items():
            line = Text("  ")
            line.append(name.rjust(nw), style="bold")
            line.append(" = " + _number(value.data).rjust(dw))
            line.append("   " + name + ".grad = ", style="dim")
            line.append(_number(value.grad), style="magenta")
            console.print(line, soft_wrap=True)


def run_eval(source: str | None = None, file: str | None = None, fmt: str = "tree") -> int:
    """``micrograd-tui eval``: evaluate, back-propagate from the output, print the graph.

    ``fmt`` is ``"tree"`` (rich), ``"dot"`` (Graphviz) or ``"json"``.  Returns the exit code.
    """
    from engine.export import to_dot, to_json
    from engine.expr import ExprError, evaluate

    try:
        text = read_source(source, file)
    except (OSError, UnicodeDecodeError) as e:
        print_error(f"--file: cannot read {file}: {getattr(e, 'strerror', None) or e}")
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
    root = program.output
    if fmt == "dot":
        sys.stdout.write(to_dot(root))
    elif fmt == "json":
        sys.stdout.write(json.dumps(to_json(root), indent=1) + "\n")
    else:
        print_tree(root, dict(program.variables))
    return EXIT_OK


# --- train -----------------------------------------------------------------------------

#: TrainConfig field -> the command-line option that sets it (for error messages).
TRAIN_OPTIONS: dict[str, str] = {
    "dataset": "--dataset",
    "n_samples": "--samples",
    "noise": "--noise",
    "test_fraction": "--test-fraction",
    "hidden": "--layers",
    "activation": "--activation",
    "loss": "--loss",
    "l2": "--l2",
    "optimizer": "--optimizer",
    "lr": "--lr",
    "schedule": "--schedule",
    "batch_size": "--batch-size",
    "steps": "--steps",
    "seed": "--seed",
}


def option_error(err: Exception) -> str:
    """``"lr: must be > 0"`` -> ``"--lr: must be > 0"``: name the option the user typed."""
    text = str(err)
    field, sep, rest = text.partition(":")
    if sep and field.strip() in TRAIN_OPTIONS:
        return f"{TRAIN_OPTIONS[field.strip()]}:{rest}"
    return text


class _CtrlC:
    """Turns the first Ctrl+C into a request to stop after the current step; a second
    Ctrl+C interrupts at once.  Only the main thread can own signals: elsewhere it does
    nothing and ``KeyboardInterrupt`` is handled by the caller."""

    def __init__(self) -> None:
        self.requested = False
        self._old: Any = None

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self) -> "_CtrlC":
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


def _short(x: float) -> str:
    return f"{x:.4f}" if abs(x) < 1e5 else f"{x:.3e}"


def _percent(x: float | None) -> str:
    return "n/a" if x is None else f"{100.0 * x:.1f}%"


def describe_config(config: "TrainConfig", sizes: list[int]) -> Text:
    """One line saying what is trained; ``sizes`` are the layer sizes, inputs first."""
    text = Text("training ", style="bold")
    text.append(f"MLP {'-'.join(map(str, sizes))} ({config.activation}) on {config.dataset} "
                f"({config.n_samples} samples), {config.loss} + {config.l2:g}·L2, "
                f"{config.optimizer} lr {config.lr:g} ({config.schedule}), "
                f"{config.steps} steps, seed {config.seed}")
    if config.batch_size:
        text.append(f", batches of {config.batch_size}")
    return text


def build_config(preset: str | None, overrides: dict[str, Any]) -> "TrainConfig":
    """A preset (or the defaults) with the options the user gave; validated.

    Raises ``ValueError`` with the option's name first (``"--lr: must be > 0"``).
    """
    from engine.train import PRESETS, TrainConfig

    if preset is None:
        base = TrainConfig()
    elif preset in PRESETS:
        base = PRESETS[preset]
    else:
        raise ValueError(f"--preset: unknown preset {preset!r} (choose from "
                         f"{', '.join(PRESETS)})")
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        config = dataclasses.replace(base, **given)
        config.validate()
    except (TypeError, ValueError) as e:
        raise ValueError(option_error(e)) from None
    return config


def run_train(preset: str | None = None, overrides: dict[str, Any] | None = None,
              save: str | None = None) -> int:
    """``micrograd-tui train``: train headless with a progress bar; returns the exit code.

    Ctrl+C stops after the step in progress; the figures of the last finished step are
    printed (and the model saved if ``save`` was given).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from engine.train import Trainer

    out = _stdout()
    try:
        config = build_config(preset, overrides or {})
        trainer = Trainer(config)
    except ValueError as e:
        print_error(option_error(e))
        return EXIT_USAGE

    last: StepEvent | None = None
    stopped = False
    failure: str | None = None
    started = time.perf_counter()
    with _CtrlC() as ctrl_c:
        out.print(describe_config(config, [trainer.model.nin, *trainer.model.nouts]),
                  soft_wrap=True)
        progress = Progress(
            TextColumn("step"), MofNCompleteColumn(), BarColumn(),
            TextColumn("loss {task.fields[loss]}"), TextColumn("accuracy {task.fields[acc]}"),
            TimeElapsedColumn(), console=out, transient=False,
        )
        try:
            with progress:
                task = progress.add_task("train", total=config.steps, loss="-", acc="-")
                for event in trainer.steps():
                    last = event
                    progress.update(task, completed=event.step + 1, loss=_short(event.loss),
                                    acc=_percent(event.accuracy))
                    if ctrl_c.requested:
                        stopped = not trainer.done
                        break
        except KeyboardInterrupt:
            stopped = True
        except NumericError as e:
            failure = str(e)
    elapsed = time.perf_counter() - started

    if stopped:
        out.print(Text(f"stopped by Ctrl+C after {trainer.step_count} of {config.steps} steps",
                       style="yellow"))
    if failure is not None:
        print_error(f"training failed: {failure}")
    if last is not None:
        summary = Text("final ", style="bold")
        summary.append(f"loss {last.loss:.10g}   accuracy {_percent(last.accuracy)}")
        if last.test_loss is not None:
            summary.append(f"   test loss {last.test_loss:.10g}   "
                           f"test accuracy {_percent(last.test_accuracy)}")
        summary.append(f"   ({trainer.step_count} steps, {elapsed:.2f} s)", style="dim")
        out.print(summary, soft_wrap=True)
    if save is not None and last is not None:
        try:
            trainer.save(save)
        except (OSError, ValueError) as e:
            print_error(f"--save: cannot write {save}: {e}")
            return EXIT_FAILED
        out.print(Text(f"saved the model to {save}"), soft_wrap=True)
    if failure is not None:
        return EXIT_FAILED
    return EXIT_INTERRUPTED if stopped else EXIT_OK
