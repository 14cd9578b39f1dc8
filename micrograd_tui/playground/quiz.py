"""Quiz mode: the learner computes each gradient before the playground shows it.

Plain Python (no Textual).  A :class:`Quiz` belongs to one program (its source): it knows
which nodes' grads are hidden, grades what the learner types with the lessons' own grader
(:func:`micrograd_tui.lessonbook.answers.grade`, same tolerance, same arithmetic walker, so
``-3/2`` is an answer), and keeps the score: right first time, right with help, given up.

Two kinds of question:

- a node's final gradient (select it in the tree, type a value), and
- in the step-through, the grads the next step will update, asked before it runs
  (:meth:`Quiz.ask_step`); the step runs once each is right or given up.

A wrong answer that is a common mistake (the local derivative alone, one use of several, a
sign flip ...) is said to be that mistake (:mod:`.quiz_diagnosis`); any other gets the hint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..lessonbook.answers import Solution, format_number, grade
from ..lessonbook.model import DEFAULT_TOLERANCE, CheckBlock
from .quiz_diagnosis import Use, mistakes, root_message
from .stepper import BackwardStepper, local_expression

if TYPE_CHECKING:
    from engine.value import Value

    from .graph_index import GraphIndex
    from .stepper import Step

#: how many programs' quizzes (marks and score) are remembered
MAX_REMEMBERED = 20

HINT = "Hint: sum over its uses of local × user's grad (see Node). F6 gives up."
#: after a diagnosis, what is left to do
DIAGNOSED = "F6 gives up."


@dataclass
class Mark:
    """One question: how many wrong tries, and how it ended ("" while open)."""

    tries: int = 0
    outcome: str = ""  # "", "first", "help" or "gave up"
    given: float | None = None

    @property
    def closed(self) -> bool:
        return bool(self.outcome)

    @property
    def sign(self) -> str:
        return {"first": "✓", "help": "✓", "gave up": "given up"}.get(self.outcome,
                                                                     "✗" if self.tries else "")


@dataclass
class Score:
    first: int = 0
    helped: int = 0
    gave_up: int = 0

    def add(self, outcome: str) -> None:
        if outcome == "first":
            self.first += 1
        elif outcome == "help":
            self.helped += 1
        else:
            self.gave_up += 1

    @property
    def text(self) -> str:
        return f"{self.first} first try · {self.helped} with help · {self.gave_up} given up"


@dataclass(frozen=True)
class Reply:
    """What answering did: ``correct`` is None when the text was not a number at all."""

    correct: bool | None
    message: str


@dataclass
class StepQuestion:
    name: str
    expected: float
    mark: Mark = field(default_factory=Mark)
    #: the uses this step adds to the grad, and what the grad holds before them
    uses: tuple[Use, ...] = ()
    before: float = 0.0


class Quiz:
    """The quiz of one program; ``only``: the names asked (``None``: every node but the
    root and the constants)."""

    def __init__(self, source: str, only: tuple[str, ...] | None = None) -> None:
        self.source = source
        self.only = only
        self.marks: dict[str, Mark] = {}
        self.score = Score()
        self.expected: dict[str, float] = {}
        #: the questions of the step the step-through runs next (empty: none asked)
        self.step_questions: list[StepQuestion] = []
        #: names whose grad a step question made the learner compute
        self.revealed: set[str] = set()
        #: every step question's mark, by (step number, node, input): stepping back or
        #: running backward mid-question keeps what was answered (and the score counts it once)
        self._step_marks: dict[tuple[int, str, str], Mark] = {}
        self._names: dict[int, str] = {}
        self.constants: set[str] = set()
        #: each asked node's uses, with the grads backward gave them (for the diagnoses)
        self._uses: dict[str, tuple[Use, ...]] = {}
        self.root_name = ""

    # --- the graph ------------------------------------------------------------------------
    def set_graph(self, index: GraphIndex) -> None:
        """Run backward over ``index`` (grads fill in, hidden) and note what is asked.

        Raises ``ArithmeticError`` when a local derivative cannot be computed."""
        stepper = BackwardStepper(index.root, index.name, index.order)
        stepper.start()
        stepper.run_to_end()
        self.expected = {}
        self.constants: set[str] = set()
        self._names = {id(node): index.name(node) for node in index.order}
        self.root_name = index.name(index.root)
        for node in index.order:
            name = index.name(node)
            if node is index.root:
                continue
            if not (node._prev or node.label):  # a constant: not asked, but its grad tells
                if self.only is None:            # its user's, so it stays hidden too
                    self.constants.add(name)
                continue
            if self.only is None or name in self.only:
                self.expected[name] = node.grad
                self._uses[name] = tuple(
                    Use(index.name(c.user), c.local, local_expression(c.user, c.index, index.name),
                        c.user_grad, c.contribution)
                    for c in index.contributions(node)
                    if c.local is not None and c.contribution is not None)
        self.step_questions = []

    def asked(self, name: str) -> bool:
        return name in self.expected

    def hidden(self, name: str) -> bool:
        """The grad of ``name`` shows as ``?`` (or ``·``, a constant's)."""
        if name in self.constants:
            return not all(self.mark(n).closed or n in self.revealed for n in self.expected)
        return (name in self.expected and name not in self.revealed
                and not self.mark(name).closed)

    def mark(self, name: str) -> Mark:
        return self.marks.setdefault(name, Mark())

    def grad_text(self, name: str) -> str | None:
        """What the grad column shows instead of the number (``None``: the number)."""
        if not self.hidden(name):
            return None
        if name in self.constants:
            return "·"
        return "✗ ?" if self.mark(name).tries else "?"

    @property
    def remaining(self) -> int:
        return sum(1 for name in self.expected if not self.mark(name).closed)

    # --- a node's grad ------------------------------------------------------------------------
    def answer(self, name: str, typed: str) -> Reply:
        """Grade ``typed`` as the final grad of ``name``."""
        if name == self.root_name and name:
            return self._answer_root(typed)
        if name not in self.expected:
            return Reply(None, f"{name}'s grad is not asked: pick a node showing ?.")
        mark = self.mark(name)
        if mark.closed:
            return Reply(None, f"{name}.grad is answered already ({mark.sign}).")
        expected = self.expected[name]
        wrong = mistakes(name, expected, self._uses.get(name, ()), self._shown,
                         tolerance=DEFAULT_TOLERANCE)
        return _grade(mark, self.score, name, expected, typed, wrong)

    def _answer_root(self, typed: str) -> Reply:
        """The root's grad shows (it is 1 by definition): graded, never scored."""
        name = self.root_name
        verdict = grade(_check(name, 1.0), typed)
        if verdict.correct is None:
            return Reply(None, verdict.message)
        if verdict.correct:
            return Reply(True, f"Right: {name}.grad = 1 (not scored: pick a node showing ?).")
        return Reply(False, f"Not quite: {format_number(verdict.given or 0.0)} — "
                            f"{root_message(name)}")

    def _shown(self, name: str) -> bool:
        """``name``'s grad is on show (a diagnosis may give its number)."""
        return not self.hidden(name)

    def give_up(self, name: str) -> Reply:
        if name not in self.expected or self.mark(name).closed:
            return Reply(None, f"{name}.grad is not an open question.")
        return _give_up(self.mark(name), self.score, name, self.expected[name])

    # --- the step-through -----------------------------------------------------------------------
    def ask_step(self, step: Step) -> None:
        """The questions of ``step`` (run and undone by the caller): each asked input's grad
        after it; an input used twice (``a + a``) is asked once, after both uses."""
        after: dict[str, float] = {}
        before: dict[str, float] = {}
        uses: dict[str, list[Use]] = {}
        node = self._names.get(id(step.node), "")
        for i, update in enumerate(step.updates):
            name = self._name_of(update.child)
            if name is not None:
                after[name] = update.after
                before.setdefault(name, update.before)
                text = local_expression(step.node, i, lambda v: self._names.get(id(v), "?"))
                uses.setdefault(name, []).append(
                    Use(node, update.local, text, step.node.grad, update.contribution))
        self.step_questions = [
            StepQuestion(n, x, self._step_marks.setdefault((step.number, node, n), Mark()),
                         tuple(uses[n]), before[n])
            for n, x in after.items()]

    def drop_step(self) -> None:
        """The step asked about is no longer next (stepped back, backward ran): stop asking;
        its answers stay, for when that step is asked again."""
        self.step_questions = []

    @property
    def hiding(self) -> bool:
        """Some grad is still hidden (a question neither answered nor given up)."""
        return any(self.hidden(name) for name in self.expected)

    def _name_of(self, value: Value) -> str | None:
        name = self._names.get(id(value))
        return name if name in self.expected else None

    @property
    def step_open(self) -> StepQuestion | None:
        return next((q for q in self.step_questions if not q.mark.closed), None)

    @property
    def step_ready(self) -> bool:
        """Every question of the next step is right or given up."""
        return bool(self.step_questions) and self.step_open is None

    def answer_step(self, typed: str) -> Reply:
        question = self.step_open
        if question is None:
            return Reply(None, "No step question is open: Ctrl+N asks the next one.")
        wrong = mistakes(question.name, question.expected, question.uses, self._shown,
                         before=question.before, tolerance=DEFAULT_TOLERANCE)
        return _grade(question.mark, self.score, question.name, question.expected, typed, wrong)

    def give_up_step(self) -> Reply:
        question = self.step_open
        if question is None:
            return Reply(None, "No step question is open.")
        return _give_up(question.mark, self.score, question.name, question.expected)

    def finish_step(self) -> dict[str, str]:
        """Close the step's questions; returns name -> what the learner said, for the lines."""
        said = {}
        for q in self.step_questions:
            self.revealed.add(q.name)
            said[q.name] = ("given up" if q.mark.outcome == "gave up"
                            else f"you said {format_number(q.mark.given or 0.0)} {q.mark.sign}")
        self.step_questions = []
        return said


def _grade(mark: Mark, score: Score, name: str, expected: float, typed: str,
           wrong: list[tuple[float, str]]) -> Reply:
    verdict = grade(_check(name, expected, wrong), typed)
    if verdict.correct is None:
        return Reply(None, verdict.message)
    mark.tries += 1
    if verdict.correct:
        mark.outcome = "first" if mark.tries == 1 else "help"
        mark.given = verdict.given
        score.add(mark.outcome)
        return Reply(True, f"Right: {name}.grad = {format_number(expected)}.")
    return Reply(False, f"{verdict.message} {DIAGNOSED if verdict.diagnosed else HINT}")


def _give_up(mark: Mark, score: Score, name: str, expected: float) -> Reply:
    mark.outcome = "gave up"
    score.add(mark.outcome)
    return Reply(False, f"{name}.grad = {format_number(expected)} (given up).")


def _check(name: str, expected: float, wrong: list[tuple[float, str]] | None = None,
           ) -> CheckBlock:
    """A check whose answer is ``expected`` and whose expected mistakes are ``wrong``: so the
    lessons' grader grades it, tolerance and diagnoses too."""
    answer = f"{name}.grad"
    check = CheckBlock(line=0, index=0, fields={}, source="", source_line=0, answer=answer)
    check.solution = Solution(expected, answer, wrong=list(wrong or ()))
    return check


class QuizBook:
    """The quizzes of the programs seen, by source: a program keeps its score."""

    def __init__(self) -> None:
        self._quizzes: dict[str, Quiz] = {}

    def get(self, source: str, only: tuple[str, ...] | None) -> Quiz:
        key = f"{only!r}\0{source}"
        quiz = self._quizzes.pop(key, None) or Quiz(source, only)
        self._quizzes[key] = quiz  # most recent last
        while len(self._quizzes) > MAX_REMEMBERED:
            del self._quizzes[next(iter(self._quizzes))]
        return quiz
