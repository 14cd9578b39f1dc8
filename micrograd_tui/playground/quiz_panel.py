"""The quiz panel, under the graph tree while quiz mode is on: the question, an answer field,
what the grader said, and the program's score (on the bottom border).

It only shows; the screen's :class:`~micrograd_tui.playground.quiz_keys.QuizKeys` decides
what is asked and grades (:mod:`.quiz`).  Enter posts :class:`QuizPanel.Answered`.
Every text is plain ``Text``: a name or a typed answer is never markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static


class QuizPanel(Vertical):
    """Question, answer field, reply; hidden until quiz mode is on (class ``-on``)."""

    DEFAULT_CSS = """
    QuizPanel {
        display: none;
        height: auto;
        max-height: 7;  /* a diagnosis may take 3 or 4 lines at 80 columns */
        padding: 0 1;
        border: round $warning 60%;
        border-title-color: $warning;
        border-subtitle-color: $text;
    }
    QuizPanel.-on {
        display: block;
    }
    QuizPanel > #quiz-ask {
        height: 1;
    }
    QuizPanel #quiz-question {
        padding-right: 1;
        text-style: bold;
    }
    QuizPanel #quiz-answer {
        width: 1fr;
    }
    QuizPanel > #quiz-reply {
        height: auto;
    }
    QuizPanel > #quiz-reply.-right {
        color: $text-success;
    }
    QuizPanel > #quiz-reply.-wrong {
        color: $text-error;
    }
    """

    @dataclass
    class Answered(Message):
        """The learner pressed Enter in the answer field."""

        panel: "QuizPanel"
        text: str

        @property
        def control(self) -> "QuizPanel":
            return self.panel

    def compose(self) -> ComposeResult:
        with Horizontal(id="quiz-ask"):
            yield Label(Text("grad ="), id="quiz-question")
            yield Input(placeholder="a number or 3/2, Enter", id="quiz-answer", compact=True)
        yield Static(Text(""), id="quiz-reply")

    def on_mount(self) -> None:
        self.border_title = "Quiz · F6 give up"

    @property
    def field(self) -> Input:
        return self.query_one("#quiz-answer", Input)

    @property
    def reply_text(self) -> str:
        return str(self.query_one("#quiz-reply", Static).render())

    def ask(self, question: str) -> None:
        """Show ``question`` (such as ``a.grad =``) before the answer field."""
        self.query_one("#quiz-question", Label).update(Text(question))

    def reply(self, text: str, correct: bool | None = None) -> None:
        reply = self.query_one("#quiz-reply", Static)
        reply.update(Text(text))
        reply.set_class(correct is True, "-right")
        reply.set_class(correct is False, "-wrong")

    def show_score(self, text: str) -> None:
        self.border_subtitle = text  # digits and words of ours, no user text

    @on(Input.Submitted, "#quiz-answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Answered(self, event.value))
