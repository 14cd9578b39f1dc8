"""The answer box of a check: the question, an Input, and feedback (hint, then worked answer)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static
from textual.widgets.input import Selection

from .answers import Solution, Verdict, grade
from .model import CheckBlock
from .op_exercise import OpExercise, grade_op, wants

#: how much help is showing: nothing, the hint, the worked answer
NOTHING, HINT, WORKED = 0, 1, 2


class CheckPanel(Vertical):
    """Shows one check; grades what the learner types and posts :class:`CheckPanel.Answered`."""

    DEFAULT_CSS = """
    CheckPanel {
        height: auto;
        max-height: 60%;
        border-top: round $secondary;
        border-title-color: $text;
        padding: 0 1;
    }
    CheckPanel.-passed {
        border-top: round $success;
    }
    CheckPanel #check-question {
        height: auto;
        text-style: bold;
    }
    CheckPanel #check-row {
        height: 1;
    }
    CheckPanel #check-prompt {
        width: auto;
        color: $text-muted;
    }
    CheckPanel Input {
        width: 1fr;
    }
    CheckPanel #check-feedback {
        height: auto;
        max-height: 6;
        overflow-y: auto;
    }
    CheckPanel #check-feedback.-right {
        color: $success;
    }
    CheckPanel #check-feedback.-wrong {
        color: $warning;
    }
    """

    @dataclass
    class Answered(Message):
        """The learner submitted an answer; ``correct`` is None when it was not a number."""

        panel: "CheckPanel"
        check: CheckBlock
        correct: bool | None
        typed: str = ""  # what the learner typed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.check: CheckBlock | None = None
        self.solution: Solution | None = None  # this attempt's answer
        self.wrong = 0
        self.level = NOTHING
        self.passed = False
        self._last: Verdict | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="check-question", markup=False)
        with Horizontal(id="check-row"):
            yield Static("Answer › ", id="check-prompt", markup=False)
            yield Input(placeholder="a number, then Enter", id="check-input", max_length=100,
                        compact=True)
        yield Static(id="check-feedback", markup=False)

    # --- showing a check -----------------------------------------------------------------
    def show_check(self, check: CheckBlock | None, passed: bool = False,
                   solution: Solution | None = None) -> None:
        """Show ``check`` (None hides the panel); ``passed``: answered right before;
        ``solution``: this attempt's answer (None: the one computed at load)."""
        if solution is None and check is not None and isinstance(check.solution, Solution):
            solution = check.solution
        same = check is self.check and solution is self.solution
        self.check, self.solution = check, solution
        self.display = check is not None
        if check is None:
            return
        if not same:  # a new check, or a new attempt with new numbers
            self.wrong, self.level, self._last = 0, NOTHING, None
            self.query_one(Input).value = ""
        self.passed = passed
        self.border_title = "Check ✓ passed" if passed else "Check"
        self.set_class(passed, "-passed")
        question = check.question
        if solution is not None and solution.drawn:
            question += f"\n(numbers drawn for you: {', '.join(solution.drawn)})"
        self.query_one("#check-question", Static).update(Text(question))
        self.input.placeholder = f"{wants(check)}, then Enter" if isinstance(check, OpExercise) \
            else "a number, then Enter"
        self._render_feedback()

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    # --- answering ---------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)

    def submit(self, typed: str) -> Verdict | None:
        if self.check is None:
            return None
        verdict = grade_op(self.check, typed) if isinstance(self.check, OpExercise) \
            else grade(self.check, typed, self.solution)
        self._last = verdict
        if verdict.correct is True:
            self.passed = True
            self.border_title = "Check ✓ passed"
            self.add_class("-passed")
        elif verdict.correct is False and not verdict.diagnosed:
            # a mistake the check foresaw gets its own message; any other one the hint, then
            # the worked answer
            self.wrong += 1
            self.level = max(self.level, HINT if self.wrong == 1 else WORKED)
        self._render_feedback()
        field = self.input
        field.selection = Selection(0, len(field.value))  # typing again replaces the answer
        self.post_message(self.Answered(self, self.check, verdict.correct, typed))
        return verdict

    def reveal(self) -> None:
        """Show more help: the hint, then the worked answer."""
        if self.check is None:
            return
        self.level = min(WORKED, self.level + 1)
        if self.level == HINT and not self.check.hint:
            self.level = WORKED
        self._render_feedback()

    # --- feedback ----------------------------------------------------------------------
    def feedback_text(self) -> str:
        check = self.check
        if check is None:
            return ""
        lines: list[str] = []
        verdict = self._last
        if verdict is not None:
            mark = {True: "✓ ", False: "✗ "}.get(verdict.correct, "")  # type: ignore[arg-type]
            lines.append(mark + verdict.message)
        elif self.passed:
            lines.append("✓ You answered this one before.")
        if self.level >= HINT and check.hint and not (verdict and verdict.correct):
            lines.append(f"Hint: {check.hint}")
        if self.level >= WORKED and not (verdict and verdict.correct):
            solution = self.solution
            if isinstance(solution, Solution):
                lines.append(f"Answer: the engine computes {solution.text}.")
            if check.explain:
                lines.append(check.explain)
        if not lines:
            lines.append("Type your answer and press Enter. F6 shows a hint." if check.hint
                         else "Type your answer and press Enter. F6 shows the worked answer.")
        elif verdict is not None and verdict.correct is False:
            lines.append(self.next_text())
        return "\n".join(lines)

    def next_text(self) -> str:
        """What happens next after a wrong answer, said truthfully."""
        fresh = self.solution is not None and bool(self.solution.drawn)
        if self.level >= WORKED:
            return ("Type the answer to go on, or press Ctrl+R for new numbers." if fresh
                    else "Type the answer to go on.")
        f6 = "the hint" if self.level < HINT and self.check and self.check.hint \
            else "the worked answer"
        if self.wrong == 0:  # only diagnosed mistakes so far
            return f"Try again (F6 shows {f6})."
        # a mistake the check explains (its wrong: entries) does not count
        which = "Another unexplained wrong answer" if self.check and self.check.wrong \
            else "Another wrong answer"
        return f"Try again. {which} shows the worked answer; F6 shows {f6} now."

    def _render_feedback(self) -> None:
        feedback = self.query_one("#check-feedback", Static)
        verdict = self._last
        feedback.set_class(bool(verdict and verdict.correct), "-right")
        feedback.set_class(bool(verdict and verdict.correct is False), "-wrong")
        feedback.update(Text(self.feedback_text()))
