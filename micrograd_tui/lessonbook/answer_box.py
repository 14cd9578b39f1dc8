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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.check: CheckBlock | None = None
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
    def show_check(self, check: CheckBlock | None, passed: bool = False) -> None:
        """Show ``check`` (None hides the panel); ``passed``: answered right before."""
        same = check is self.check
        self.check = check
        self.display = check is not None
        if check is None:
            return
        if not same:
            self.wrong, self.level, self._last = 0, NOTHING, None
            self.query_one(Input).value = ""
        self.passed = passed
        self.border_title = "Check ✓ passed" if passed else "Check"
        self.set_class(passed, "-passed")
        self.query_one("#check-question", Static).update(Text(check.question))
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
            else grade(self.check, typed)
        self._last = verdict
        if verdict.correct is True:
            self.passed = True
            self.border_title = "Check ✓ passed"
            self.add_class("-passed")
        elif verdict.correct is False:
            self.wrong += 1
            self.level = max(self.level, HINT if self.wrong == 1 else WORKED)
        self._render_feedback()
        field = self.input
        field.selection = Selection(0, len(field.value))  # typing again replaces the answer
        self.post_message(self.Answered(self, self.check, verdict.correct))
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
            solution = check.solution
            if isinstance(solution, Solution):
                lines.append(f"Answer: the engine computes {solution.text}.")
            if check.explain:
                lines.append(check.explain)
        if not lines:
            lines.append("Type your answer and press Enter. F6 shows a hint.")
        elif verdict is not None and verdict.correct is False and self.level < WORKED:
            lines.append("Try again, or press F6 for the worked answer.")
        return "\n".join(lines)

    def _render_feedback(self) -> None:
        feedback = self.query_one("#check-feedback", Static)
        verdict = self._last
        feedback.set_class(bool(verdict and verdict.correct), "-right")
        feedback.set_class(bool(verdict and verdict.correct is False), "-wrong")
        feedback.update(Text(self.feedback_text()))
