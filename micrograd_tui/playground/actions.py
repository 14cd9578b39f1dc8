"""The playground's actions that are more words than wiring: export, and what backward,
a step of it and the gradient check say.

Plain Python (rich ``Text`` at most, no Textual): the screen calls these and shows the
result, so ``playground/screen.py`` stays about layout and events.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from rich.text import Text

from engine.value import Value

from .messages import GraphExported
from ..classroom.sandbox import confine
from .stepper import BackwardStepper

#: the file name Export writes (then ``micrograd-graph-2.dot`` and so on)
EXPORT_STEM = "micrograd-graph"


# --- export ----------------------------------------------------------------------------------

class ExportFailed(Exception):
    """Export cannot start; ``str()`` is the sentence shown to the learner."""


def export_path(folder: Path | None) -> Path:
    """A DOT file name not used yet in ``folder`` (``None``: the current folder).

    Raises :class:`ExportFailed` with a readable reason, e.g. when the current folder was
    deleted after the app started (``Path.cwd()`` then raises ``FileNotFoundError``).
    """
    try:
        where = folder if folder is not None else Path.cwd()
        return confine(unused_path(where, EXPORT_STEM, ".dot"), "export")  # while served
    except FileNotFoundError as error:
        raise ExportFailed("Export failed: the folder to write into does not exist any "
                           f"more ({error.strerror or error}).") from error
    except Exception as error:  # noqa: BLE001 - any failure is a sentence, never a crash
        raise ExportFailed(f"Export failed: {error}") from error


def unused_path(folder: Path, stem: str, suffix: str) -> Path:
    path = folder / f"{stem}{suffix}"
    k = 2
    while path.exists():
        path = folder / f"{stem}-{k}{suffix}"
        k += 1
    return path


def write_export(root: Value, path: Path, title: str) -> GraphExported:
    """Write the DOT file (and the SVG when Graphviz is installed); never raises."""
    try:
        from engine.export import render_svg, write_dot

        dot = write_dot(root, path, title=title)
    except Exception as error:  # noqa: BLE001
        return GraphExported(None, None, f"Export failed: could not write {path}: {error}")
    try:
        svg = render_svg(dot)
    except Exception as error:  # noqa: BLE001
        return GraphExported(dot, None, f"SVG not drawn: {error}")
    return GraphExported(dot, svg)


def export_report(message: GraphExported) -> str:
    """What the status line says about an export that wrote its DOT file."""
    text = f"Wrote {message.dot_path}"
    if message.svg_path is not None:
        text += f" and {message.svg_path.name}"
    elif not message.error:
        text += " (install Graphviz's dot to get an SVG too)"
    if message.error:
        text += f"; {message.error}"
    return text


# --- backward and its steps ----------------------------------------------------------------

def backward_text(root_name: str, changed: int, total: int) -> Text:
    """``backward from g: 31 of 33 grads changed.`` and what a grad means now."""
    return Text.assemble(
        "backward from ", (root_name, "bold"), f": {changed} of {total} grads changed.\n",
        (f"Each grad is d {root_name}/d node. Ctrl+G zero grad · Ctrl+N step", "dim"))


def step_text(stepper: BackwardStepper, name: Callable[[Value], str], *, started: bool,
              shown: bool = True) -> Text:
    """The status line after a step forward or back: the chain rule with the numbers.

    ``started``: the step-through has just begun (grads were reset); ``shown``: the node
    could be opened in the tree (not too deep).
    """
    step = stepper.current
    text = Text()
    if started:
        text.append(f"Every grad set to 0, {name(stepper.root)}.grad = 1.\n", "dim")
    if step is None:
        text.append(f"Step 0 of {stepper.total}: {name(stepper.root)}.grad = 1, "
                    "nothing passed on yet. Ctrl+N steps.")
        return text
    node = step.node
    text.append(f"Step {step.number} of {stepper.total}: ", "bold")
    text.append(f"{name(node)} = {node._op.symbol}(…) passes its grad on\n")
    for update in step.updates:
        text.append(update.text + "\n")
    text.append("rule: " + step.formula, "dim italic")  # the engine's words, placeholders
    if not shown:
        text.append(f"\n({name(node)} is too deep in the tree to show here.)", "dim")
    return text


def step_failed_text(stepper: BackwardStepper, name: Callable[[Value], str],
                     error: BaseException) -> str:
    node = stepper.next_node
    where = f" at {name(node)}" if node is not None else ""
    return f"Step {stepper.position + 1}{where} cannot run: {error}"


def pass_complete_text(stepper: BackwardStepper) -> str:
    return (f"Backward pass complete: {stepper.total} of {stepper.total} steps. "
            "Every grad now equals what backward() gives. Ctrl+T steps back.")


def root_changed_text(name: str, data: str, nodes: str, picked: bool = True) -> Text:
    """After picking another root: every grad is back to 0, backward is the next move;
    ``picked``: the root stays when the program runs again (else it is the output)."""
    kept = " (kept when you run again)" if picked else " (the program's output)"
    return Text.assemble("root is now ", (name, "bold"), kept, ": press Ctrl+B for backward.\n",
                         (f"{name} = {data}   ({nodes}); every grad is 0", "dim"))
