"""The Lessons screen's Ctrl+O and Ctrl+T: a step's program or training setup, elsewhere.

:class:`OpenKeys` is a mixin of :class:`~micrograd_tui.lessonbook.screen.LessonsScreen`, which
provides what its ``TYPE_CHECKING`` block lists.  An op exercise answered right hands the
learner's operation (with the learner's own derivative) to the playground, for the rest of
the session; Ctrl+O on that step then opens a program that calls it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..messages import OpenProgram, OpenTrainSetup, UseOp
from .answer_box import WORKED, CheckPanel
from .answers import grads_asked, values_asked
from .op_exercise import OpExercise, learner_op, try_program

if TYPE_CHECKING:
    from .model import Lesson, Step
    from .progress import ProgressStore


class OpenKeys:
    """Ctrl+O (the step's program, or a program calling the learner's op) and Ctrl+T."""

    if TYPE_CHECKING:  # provided by LessonsScreen
        progress: ProgressStore | None

        @property
        def step(self) -> Step | None: ...
        @property
        def lesson(self) -> Lesson | None: ...
        def playground_source(self, step: Step) -> str: ...
        def post_message(self, message: Any) -> bool: ...
        def refresh_bindings(self) -> None: ...
        def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...
        def notify(self, message: str, *, title: str = "", severity: Any = "information",
                   timeout: float | None = None) -> None: ...

    _op_programs: dict[str, str] | None = None

    @property
    def op_programs(self) -> dict[str, str]:
        """For each op exercise answered right in this session (by operation name): a
        program that calls the learner's operation (what Ctrl+O opens on its step)."""
        if self._op_programs is None:
            self._op_programs = {}
        return self._op_programs

    def op_answered(self, exercise: OpExercise, typed: str) -> None:
        """``typed`` was graded right: the operation, with that derivative, is the learner's."""
        op = learner_op(exercise, typed)
        if op is not None:
            self.op_programs[exercise.op_name] = try_program(exercise, op)
            self.post_message(UseOp(op))
            self.refresh_bindings()

    def op_to_try(self, step: Step | None) -> str | None:
        """On an op exercise's step once it is answered: a program calling the operation."""
        check = step.check if step is not None else None
        return self.op_programs.get(check.op_name) if isinstance(check, OpExercise) else None

    def answer_on_graph(self, step: Step) -> list[str]:
        """The names whose values answer the step's open check outright: opening its
        program would show them on the graph (quiz mode hides grads, not values).  Empty
        when the check is passed, its worked answer shown, or it asks for a grad."""
        check = step.check
        if check is None or isinstance(check, OpExercise) or self.lesson is None:
            return []
        if self.progress is not None and check.id in self.progress.lesson(self.lesson.key).passed:
            return []
        panel = self.query_one(CheckPanel)
        if panel.passed or panel.level >= WORKED:
            return []
        return values_asked(check.answer)

    def action_open_program(self) -> None:
        step = self.step
        if step is None:
            return
        hidden = self.answer_on_graph(step)
        if hidden and step.playground_source is not None:
            self.notify(f"Ctrl+O opens this step's program once its check is answered (or its "
                        f"answer shown with F6): its graph would show {', '.join(hidden)}, the "
                        "answer. The program is in the step's text.", title="Answer first")
            return
        if step.playground_source is None:
            tried = self.op_to_try(step)
            if tried is not None and isinstance(step.check, OpExercise):
                self.post_message(OpenProgram(tried, note=(
                    f"{step.check.op_name} is your operation now: one node, with your "
                    "derivative (the inspector shows it)")))
            return
        if self.lesson is not None:
            # an open check's grads stay hidden (quiz mode), so the program is no answer key
            passed = self.progress is not None and step.check is not None and \
                step.check.id in self.progress.lesson(self.lesson.key).passed
            quiz = grads_asked(step.check.answer) if step.check and not passed else ()
            self.post_message(OpenProgram(self.playground_source(step), quiz=quiz))

    def action_open_setup(self) -> None:
        step = self.step
        if step is not None and step.train is not None and step.train.config is not None:
            self.post_message(OpenTrainSetup(step.train.config))
