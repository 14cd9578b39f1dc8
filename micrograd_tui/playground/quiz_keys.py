"""The playground's quiz mode: F7 turns it on and off, F6 gives up a question.

:class:`QuizKeys` is a mixin of :class:`~micrograd_tui.playground.screen.PlaygroundScreen`,
which provides what its ``TYPE_CHECKING`` block lists.  The questions, grading and score are
:mod:`.quiz` (plain Python); the panel is :mod:`.quiz_panel`.  With quiz mode on, the tree
and the inspector show ``?`` for a hidden grad, and the step-through asks for the grads each
step will update before it runs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from .quiz import Quiz, QuizBook, Reply
from .quiz_panel import QuizPanel

if TYPE_CHECKING:
    from engine.expr import Program
    from engine.value import Value

    from .graph_index import GraphIndex
    from .graph_tree import GraphTree
    from .inspector import NodeInspector
    from .stepper import BackwardStepper


class QuizKeys:
    """Quiz mode of the playground."""

    if TYPE_CHECKING:  # provided by PlaygroundScreen
        program: Program | None
        index: GraphIndex | None
        stepper: BackwardStepper | None
        tree: GraphTree
        inspector: NodeInspector

        def query_one(self, selector, expect_type=None): ...

        def _say(self, text: str | Text, *, error: bool = False) -> None: ...

        def _values_changed(self) -> int: ...

        def _inspect_cursor(self) -> None: ...

        def action_step(self) -> None: ...

        def refresh_bindings(self) -> None: ...

    #: the quiz on show (None: quiz mode is off)
    quiz: Quiz | None = None
    #: the learner turned quiz mode on (it then follows every program shown)
    quiz_mode: bool = False
    #: a lesson's hidden names, for the next program shown
    quiz_request: tuple[str, ...] = ()
    _quiz_book: QuizBook | None = None
    _quiz_step_at: tuple[int, int] | None = None

    @property
    def quiz_panel(self) -> QuizPanel:
        return self.query_one(QuizPanel)

    # --- on and off ---------------------------------------------------------------------------
    def action_quiz(self) -> None:
        if self.index is None or self.program is None:
            self._say("There is no graph yet: write a program and press Ctrl+R.", error=True)
            return
        self.quiz_mode = self.quiz is None
        if self.quiz_mode:
            self._start_quiz(None)
        else:
            self._end_quiz("Quiz mode is off: every grad shows again.")

    def _quiz_follow(self) -> None:
        """A program was shown: start the quiz a lesson asked for, or follow quiz mode."""
        request, self.quiz_request = self.quiz_request, ()
        if request:
            self._start_quiz(request)
        elif self.quiz_mode:
            self._start_quiz(None)
        elif self.quiz is not None and (self.program is None
                                        or self.quiz.source != self.program.source):
            self._end_quiz("")  # a lesson's quiz ends with its program
        elif self.quiz is not None:
            self._start_quiz(self.quiz.only)  # the same program again: marks kept

    def _start_quiz(self, only: tuple[str, ...] | None) -> None:
        assert self.index is not None and self.program is not None
        if self._quiz_book is None:
            self._quiz_book = QuizBook()
        quiz = self._quiz_book.get(self.program.source, only)
        try:
            quiz.set_graph(self.index)
        except ArithmeticError as error:
            self._end_quiz("")
            self._say(f"Quiz mode cannot start: backward fails here ({error}).", error=True)
            return
        self.quiz = quiz
        self.stepper = None
        self.tree.set_step_node(None)
        self.tree.grad_text = lambda value: quiz.grad_text(self._quiz_name(value))
        self.inspector.grad_hidden = lambda value: quiz.hidden(self._quiz_name(value))
        self.quiz_panel.add_class("-on")
        self._quiz_repaint()
        self.tree.refresh_values(flash=False)  # backward ran, but nothing shows it
        self._values_changed()
        self._quiz_cursor()
        self.refresh_bindings()
        asked = ", ".join(f"{n}.grad" for n in quiz.expected) if only else "every grad"
        self._say(Text.assemble(("Quiz: ", "bold"), f"{asked} shows ? until you work it out: "
                                "select a node, Tab, type its grad, Enter. Ctrl+N asks step "
                                "by step."))

    def _end_quiz(self, said: str) -> None:
        self.quiz = None
        self.tree.grad_text = None
        self.inspector.grad_hidden = None
        self.quiz_panel.remove_class("-on")
        self._quiz_repaint()
        self._values_changed()
        self._inspect_cursor()
        self.refresh_bindings()
        if said:
            self._say(said)

    def _quiz_repaint(self) -> None:
        """Redraw every row: a grad's ``?`` came or went, though no number changed."""
        for node in self.tree.built_nodes:
            node.refresh()

    def _quiz_name(self, value: Value) -> str:
        return self.index.name(value) if self.index is not None else ""

    def _quiz_refuses(self, what: str) -> bool:
        """``True`` (and says why) when ``what`` would show grads quiz mode still hides."""
        if self.quiz is None or not self.quiz.hiding:
            return False
        self._say(f"Quiz mode: {what} would show grads still hidden. Answer or give up "
                  "first (F6), or turn quiz mode off (F7).", error=True)
        return True

    # --- questions ----------------------------------------------------------------------------
    def _cursor_name(self) -> str | None:
        node = self.tree.cursor_node
        row = node.data if node is not None else None
        return self._quiz_name(row.value) if row is not None else None

    def _quiz_cursor(self) -> None:
        """The cursor moved: ask about its node (unless a step question is open)."""
        quiz = self.quiz
        if quiz is None:
            return
        panel = self.quiz_panel
        panel.show_score(quiz.score.text)
        self._quiz_step_live()
        question = quiz.step_open
        if question is not None:
            panel.ask(f"after this step, {question.name}.grad =")
            return
        name = self._cursor_name()
        if name is None or not quiz.asked(name):
            panel.ask("pick a node showing ?")
        elif quiz.mark(name).closed:
            panel.ask(f"{name}.grad {quiz.mark(name).sign}")
        else:
            panel.ask(f"{name}.grad =")

    def _quiz_step_live(self) -> None:
        """Drop the step questions when the step they ask about is no longer the next one
        (Ctrl+T stepped back, Ctrl+B or Ctrl+G ended the step-through); their answers stay."""
        quiz, stepper = self.quiz, self.stepper
        if quiz is None or not quiz.step_questions or quiz.step_ready:
            return
        if stepper is None or self._quiz_step_at != (id(stepper), stepper.position):
            quiz.drop_step()

    def on_quiz_panel_answered(self, event: QuizPanel.Answered) -> None:
        quiz = self.quiz
        if quiz is None:
            return
        self._quiz_step_live()
        if quiz.step_open is not None:
            self._after_reply(quiz.answer_step(event.text), step=True)
            return
        name = self._cursor_name()
        reply = (quiz.answer(name, event.text) if name is not None
                 else Reply(None, "Select a node in the graph first."))
        self._after_reply(reply, step=False)

    def action_give_up(self) -> None:
        quiz = self.quiz
        if quiz is None:
            return
        self._quiz_step_live()
        if quiz.step_open is not None:
            self._after_reply(quiz.give_up_step(), step=True)
            return
        name = self._cursor_name()
        if name is not None:
            self._after_reply(quiz.give_up(name), step=False)

    def _after_reply(self, reply: Reply, *, step: bool) -> None:
        assert self.quiz is not None
        panel = self.quiz_panel
        panel.reply(reply.message, reply.correct)
        if reply.correct is not None or "given up" in reply.message:
            panel.field.value = ""
        if step and self.quiz.step_ready:
            self.action_step()  # every question of the step is closed: run it
        self._quiz_repaint()
        self._values_changed()
        self._inspect_cursor()

    # --- the step-through ---------------------------------------------------------------------
    def _quiz_holds_step(self, stepper: BackwardStepper, started: bool) -> bool:
        """With quiz mode on, Ctrl+N first asks for the grads the step will update;
        ``True``: it asked, the step waits for the answers."""
        quiz = self.quiz
        if quiz is None:
            return False
        here = (id(stepper), stepper.position)
        if quiz.step_questions and self._quiz_step_at != here:
            quiz.drop_step()  # stepped back or restarted: that step is asked again later
        if quiz.step_ready and self._quiz_step_at == here:
            return False
        if quiz.step_questions and self._quiz_step_at == here:
            self.quiz_panel.field.focus()
            return True  # still asking
        try:
            step = stepper.forward()
        except ArithmeticError:
            return False  # the step itself says what fails
        if step is None:
            return False
        stepper.back()
        quiz.ask_step(step)
        if not quiz.step_questions:
            return False  # nothing asked (constants only)
        self._quiz_step_at = here
        if quiz.step_ready:
            return False  # answered before stepping back: the step runs, the answers shown
        self.tree.set_step_node(step.node)
        self.tree.reveal(step.node)
        self._quiz_repaint()
        self.tree.refresh_values(flash=False)  # backward ran, but nothing shows it
        self._values_changed()
        self._quiz_cursor()
        node = self._quiz_name(step.node)
        names = ", ".join(f"{q.name}.grad" for q in quiz.step_questions)
        self._say(Text.assemble(
            ("Every grad set to 0. " if started else "", "dim"),
            (f"Step {step.number} of {stepper.total}: ", "bold"),
            f"{node} = {step.node._op.symbol}(…) passes its grad on. Before it runs: "
            f"what will {names} be? Type it in the quiz field."))
        self.quiz_panel.reply("")
        self.quiz_panel.field.focus()
        return True

    def _quiz_said(self, text: Text) -> Text:
        """The step's chain-rule lines with what the learner said beside them."""
        quiz = self.quiz
        stepper = self.stepper
        if (quiz is None or stepper is None or not quiz.step_ready or stepper.current is None
                or self._quiz_step_at != (id(stepper), stepper.position - 1)):
            return text
        said = quiz.finish_step()
        last = {self._quiz_name(u.child): u.text for u in stepper.current.updates}
        beside = {line: said[name] for name, line in last.items() if name in said}
        out = Text()
        for i, line in enumerate(text.split("\n")):
            out.append_text(line)
            if line.plain in beside:
                out.append(f"   ← {beside.pop(line.plain)}", "bold")
            out.append("\n")
        out.rstrip()
        self._quiz_cursor()
        return out

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "give_up":
            return self.quiz is not None
        return super().check_action(action, parameters)  # type: ignore[misc]
