"""The playground: type a program, see its graph, run backward and watch gradients flow.

The screen wires four parts together: the program editor, the graph pane (root picker, graph
tree, node inspector) and a status line.  The rest lives beside it in ``playground/`` and is
mostly plain Python: the expression language (``engine.expr``), the graph-to-rows mapping
(:mod:`.graph_index`), the step-through (:mod:`.stepper`), the words the actions show
(:mod:`.actions`), the backward keys (:mod:`.backward_keys`) and :mod:`.help_text`.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree
from textual.widgets.text_area import Selection

from engine.expr import ExprError, Program, evaluate

from ..widgets.nav_bar import NavBar
from .actions import ExportFailed, export_path, export_report, root_changed_text, write_export
from .backward_keys import BackwardKeys
from .editor import ProgramEditor
from .gradcheck_screen import (GRADCHECK_MAX_WORK, GRADCHECK_THREAD_WORK, GradCheckScreen,
                               run_gradient_check, verdict)
from .graph_index import GraphIndex, Row, format_number, short_number
from .graph_pane import GraphPane
from .graph_tree import GraphTree
from .graph_view_keys import GraphViewKeys
from .help_text import HELP
from .inspector import NodeInspector
from .leaf_lines import leaf_number_span
from .messages import EvaluationFailed, GradientsChecked, GraphEvaluated, GraphExported
from .op_editor import OpKeys
from .opened_graph import OpenedGraphs
from .quiz_keys import QuizKeys
from .stepper import BackwardStepper
from .styles import SCREEN_CSS
from .workspace_keys import FILE_BINDINGS, WORKSPACE_BINDINGS, WorkspaceKeys

#: programs longer than this are evaluated in a worker thread so the UI stays responsive
THREAD_SOURCE_CHARS = 2_000


class PlaygroundScreen(WorkspaceKeys, OpenedGraphs, BackwardKeys, QuizKeys, OpKeys, GraphViewKeys,
                       Screen):
    """Editor, graph tree, node inspector and a status line."""

    HELP = HELP
    SUB_TITLE = "Playground"

    DEFAULT_CSS = SCREEN_CSS

    BINDINGS = [
        Binding("ctrl+r", "run", "Run", tooltip="Evaluate the program and show its graph"),
        Binding("ctrl+b,f8", "backward", "Backward", tooltip="Run backward() from the root"),
        Binding("ctrl+n", "step", "Step", tooltip="Run the next node's local backward"),
        Binding("ctrl+t", "step_back", "Back", tooltip="Undo the last backward step"),
        Binding("ctrl+g", "zero_grad", "Zero grad", tooltip="Set every grad to 0"),
        *FILE_BINDINGS,  # ctrl+s save, ctrl+o open
        # the footer fits 80 columns: the rest are in the command palette and on F1
        Binding("alt+r", "pick_root", "Root", show=False, priority=True,
                tooltip="Choose which variable is the root (kept when you run again)"),
        Binding("ctrl+l", "gradcheck", "Check", show=False,
                tooltip="Compare every leaf's gradient with central differences"),
        *WORKSPACE_BINDINGS,  # previous program, examples, new, save as
        Binding("ctrl+e", "export", "Export graph", show=False, priority=True,
                tooltip="Write the graph as Graphviz DOT (and SVG) in the current folder"),
        Binding("f7", "quiz", "Quiz", show=False, priority=True,  # over the editor's own F7
                tooltip="Quiz mode: work out each grad before it shows"),
        Binding("f6", "give_up", "Give up", show=False, priority=True,  # editor focused too
                tooltip="Quiz: show the grad asked (given up)"),
        Binding("f9", "define_op", "Define op", show=False,
                tooltip="Define an operation: its forward and derivative"),
        Binding("f10", "toggle_graph", "Graph view", show=False,
                tooltip="Show the DAG as a graph, or as the tree"),
    ]

    def __init__(self, source: str | None = None, *, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        """``source``: the program shown first (``None``: the last program, else micrograd's
        README example)."""
        super().__init__(name=name, id=id, classes=classes)
        self._initial_source = source
        self.program: Program | None = None
        self.index: GraphIndex | None = None
        self.stepper: BackwardStepper | None = None
        self.root_name: str | None = None
        #: where Export writes (``None``: the current working directory)
        self.export_dir: Path | None = None
        self._pending: tuple[str, bool] | None = None
        self._generation = 0
        self._busy = ""
        self._status_plain = ""
        #: the DOT file the last export wrote
        self.last_export: Path | None = None

    # --- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield NavBar("playground")
        with Horizontal(id="pg-main"):
            with Vertical(id="pg-left"):
                editor = ProgramEditor(id="pg-editor")
                editor.border_title = "Program · Ctrl+R run"
                yield editor
            yield GraphPane(id="pg-right")
        yield Static(Text(""), id="pg-status")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def editor(self) -> ProgramEditor:
        return self.query_one("#pg-editor", ProgramEditor)

    @property
    def tree(self) -> GraphTree:
        return self.query_one("#pg-tree", GraphTree)

    @property
    def inspector(self) -> NodeInspector:
        return self.query_one("#pg-inspector", NodeInspector)

    @property
    def status(self) -> Static:
        return self.query_one("#pg-status", Static)

    @property
    def status_text(self) -> str:
        """The status line as plain text (what the learner reads under the editor)."""
        return self._status_plain

    def on_mount(self) -> None:
        pending = self._pending
        self._pending = None
        first = self.open_workspace(self._initial_source)
        self.editor.load_text(first)
        self.editor.focus()
        if pending is not None:  # opened from a lesson before the playground was shown
            self.replace_program(pending[0], evaluate=False)
        source, run = pending or (first, True)
        if run:
            self.evaluate_source(source, keep_expansion=False)
        else:
            self._say("Press Ctrl+R to evaluate the program.")

    # --- loading and evaluating -----------------------------------------------------------
    def load_source(self, source: str, evaluate: bool = True, quiz: tuple[str, ...] = ()) -> None:
        """Put ``source`` in the editor (and evaluate it); works before the screen is mounted.
        ``quiz``: names whose grads stay hidden in quiz mode (a lesson's open checks)."""
        self.root_name = None  # a new program starts at its own output
        self.quiz_request = quiz
        if not self.is_mounted:
            self._pending = (source, evaluate)
            return
        self.replace_program(source, evaluate=evaluate)  # the old one is kept

    def evaluate_source(self, source: str, *, keep_expansion: bool = True) -> None:
        """Evaluate ``source`` and show its graph (or the error, keeping the old graph).

        ``keep_expansion``: open the same rows as before where the shape allows (after an
        edit), rather than the first rows of a new graph.
        """
        self._generation += 1
        if len(source) > THREAD_SOURCE_CHARS:
            self._say("Evaluating…")
            self._evaluate_in_thread(source, self._generation, keep_expansion)
            return
        try:
            program, index = self._evaluate(source)
        except Exception as error:  # noqa: BLE001 - anything at all is shown, never raised
            self._show_error(error)
        else:
            self._show_program(program, index, keep_expansion)

    def _evaluate(self, source: str) -> tuple[Program, GraphIndex]:
        program = evaluate(source, ops=self.user_ops)
        root = program.output
        if self.root_name and self.root_name in program.variables:
            root = program.variables[self.root_name]
        return program, GraphIndex(root, program.variables)

    @work(thread=True, exclusive=True, group="evaluate", exit_on_error=False)
    def _evaluate_in_thread(self, source: str, generation: int, keep_expansion: bool) -> None:
        try:
            program, index = self._evaluate(source)
        except Exception as error:  # noqa: BLE001
            self.post_message(EvaluationFailed(generation, error))
        else:
            self.post_message(GraphEvaluated(generation, program, index, keep_expansion))

    @on(GraphEvaluated)
    def _evaluated(self, message: GraphEvaluated) -> None:
        if message.generation == self._generation:
            self._show_program(message.program, message.index, message.keep_expansion)

    @on(EvaluationFailed)
    def _failed(self, message: EvaluationFailed) -> None:
        if message.generation == self._generation:
            self._show_error(message.error)

    def _show_program(self, program: Program, index: GraphIndex, keep_expansion: bool) -> None:
        gone = self.root_name if self.root_name not in program.variables else None
        if gone:  # the picked variable is no longer assigned: back to the output
            self.root_name = None
        self.program = program
        self.index = index
        self.stepper = None
        self.editor.clear_error()
        self.tree.show(index, keep_expansion=keep_expansion)
        self._update_root_select()
        self._inspect_cursor()
        self._graph_changed()
        root = index.root
        self._say(Text.assemble(
            (index.name(root), "bold"), " = ", (format_number(root.data), "bold"),
            f"   ({_nodes(len(index))})",
            ("  root picked with Alt+R, kept on Ctrl+R" if self.root_name else "", "dim"),
            (f"  ({gone} is gone: back to the output)" if gone else "", "dim"), "\n",
            ("Ctrl+B backward · Ctrl+N step · Ctrl+P every action", "dim")))
        self._quiz_follow()

    def _show_error(self, error: BaseException) -> None:
        if isinstance(error, ExprError):
            self.editor.mark_error(error.line, error.col)
            text = f"line {error.line}, column {error.col}: {error.message}"
        else:
            text = f"{type(error).__name__}: {error}"
        kept = "\nThe graph on the right is the last one that worked." if self.index else ""
        self._say(Text(text + kept), error=True)

    def _say(self, text: str | Text, *, error: bool = False) -> None:
        if isinstance(text, str):
            text = Text(text)
        self._status_plain = text.plain
        self.status.update(text)
        self.status.set_class(error, "-error")

    # --- root -----------------------------------------------------------------------------------
    def _update_root_select(self) -> None:
        if self.program is not None and self.index is not None:
            self.query_one(GraphPane).show_roots(self.program.variables, self.index.root,
                                                 picked=self.root_name is not None)

    @on(GraphPane.RootChosen)
    def _root_chosen(self, event: GraphPane.RootChosen) -> None:
        self.set_root(event.name)

    def set_root(self, name: str) -> None:
        """Show the graph below the variable ``name``."""
        if self.program is None or name not in self.program.variables:
            return
        value = self.program.variables[name]
        # picking the output again means: follow the program's output, as before any pick
        picked = name if value is not self.program.output else None
        if self.index is not None and value is self.index.root and picked == self.root_name:
            return
        old = self.index
        self.root_name = picked
        self.index = GraphIndex(value, self.program.variables)
        # grads from the old root are d(old root)/d(node): nothing stale may stay on show
        for graph in (old, self.index):
            for node in graph.order if graph is not None else ():
                node.grad = 0.0
        self.stepper = None
        self.tree.show(self.index, keep_expansion=False)
        self._inspect_cursor()
        self._graph_changed()
        self._update_root_select()
        self._say(root_changed_text(name, format_number(value.data), _nodes(len(self.index)),
                                    picked=picked is not None))
        self._quiz_follow()

    # --- tree and inspector ---------------------------------------------------------------------
    @on(Tree.NodeHighlighted, "#pg-tree")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._inspect_cursor()

    def _inspect_cursor(self) -> None:
        node = self.tree.cursor_node
        row: Row | None = node.data if node is not None else None
        value = row.value if row is not None else None
        editable = value is not None and self._leaf_line(value) is not None
        self.inspector.show(self.index, value, editable=editable)
        self._quiz_cursor()

    def _leaf_line(self, value) -> tuple[int, int, int] | None:
        return None if self.program is None else leaf_number_span(self.program, value)

    @on(NodeInspector.LeafEdited)
    def _leaf_edited(self, event: NodeInspector.LeafEdited) -> None:
        where = self._leaf_line(event.value)
        if where is None or self.program is None:
            self.notify(f"Change {event.name} in the program instead.", severity="warning")
            return
        row, start, end = where
        if self.editor.text != self.program.source:
            self.notify("The program was edited since it ran: evaluate it first (Ctrl+R).",
                        severity="warning")
            return
        self.editor.replace(short_number(event.new_data), (row, start), (row, end))
        self.editor.selection = Selection.cursor((row, start))
        self.evaluate_source(self.editor.text)
        self.tree.focus()

    def _values_changed(self) -> int:
        changed = self.tree.refresh_values()
        self.inspector.refresh_values()
        self._graph_changed()
        self._quiz_cursor()  # a step question ends with its step-through (Ctrl+B, Ctrl+G)
        return changed

    # --- actions ------------------------------------------------------------------------------
    def _ready(self) -> bool:
        if self.index is None:
            self._say("There is no graph yet: write a program and press Ctrl+R.", error=True)
            return False
        if self._busy:
            self.notify(f"Busy: {self._busy}…")
            return False
        return True

    def action_run(self) -> None:
        self.evaluate_source(self.editor.text)

    def action_gradcheck(self) -> None:
        if not self._ready() or self._quiz_refuses("the gradient check (Ctrl+L)"):
            return
        assert self.index is not None
        work = len(self.index) * max(1, len(self.index.leaves())) * 2
        if work > GRADCHECK_MAX_WORK:
            self._say(f"The gradient check would evaluate this graph {2 * len(self.index.leaves())}"
                      " times: too slow here. Try it on a smaller program.", error=True)
            return
        self.stepper = None
        self.tree.set_step_node(None)
        if work > GRADCHECK_THREAD_WORK:
            self._busy = "checking gradients"
            self._say("Checking gradients…")
            self._gradcheck_in_thread(self.index.root)
        else:
            self.post_message(run_gradient_check(self.index.root))

    @work(thread=True, exclusive=True, group="gradcheck", exit_on_error=False)
    def _gradcheck_in_thread(self, root) -> None:
        self.post_message(run_gradient_check(root))

    @on(GradientsChecked)
    def _checked(self, message: GradientsChecked) -> None:
        self._busy = ""
        self._values_changed()
        if message.error:
            self._say(f"gradient check failed: {message.error}", error=True)
            return
        assert self.index is not None
        rows = message.rows
        self._say(f"Gradient check: {verdict(rows)} (it ran backward: the grads are filled in)",
                  error=not all(r.ok for r in rows))
        self.app.push_screen(GradCheckScreen(rows, self.index.name,
                                             root_name=self.index.name(self.index.root)))

    def action_export(self) -> None:
        if not self._ready() or self._quiz_refuses("the graph export (Ctrl+E)"):
            return
        assert self.index is not None
        try:
            path = export_path(self.export_dir)
        except ExportFailed as error:
            self._exported(GraphExported(None, None, str(error)))
            return
        self._export(self.index.root, path, self.index.name(self.index.root))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, root, path: Path, title: str) -> None:
        self.post_message(write_export(root, path, title))

    @on(GraphExported)
    def _exported(self, message: GraphExported) -> None:
        if message.dot_path is None:
            self._say(message.error, error=True)
            self.notify(message.error, severity="error", markup=False)
            return
        text = export_report(message)
        self.last_export = message.dot_path
        self._say(text)
        self.notify(text, title="Export", markup=False)

    def action_pick_root(self) -> None:
        if self.program is None:
            self._say("There is no graph yet: write a program and press Ctrl+R.", error=True)
            return
        self.query_one(GraphPane).pick_root()


def _nodes(n: int) -> str:
    return "1 node" if n == 1 else f"{n:,} nodes"
