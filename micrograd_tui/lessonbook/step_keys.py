"""The Lessons screen's keys beyond paging: new numbers, Review, the list, scrolling a step.

:class:`StepKeys` is a mixin of :class:`~micrograd_tui.lessonbook.screen.LessonsScreen`, which
provides what its ``TYPE_CHECKING`` block lists.  Review (the last entry of the list) asks
the checks the learner passed again, oldest passed first, each with new numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from .attempt import Attempt, new_seed
from .lesson_list import LessonList
from .review import ReviewItem, review_queue

if TYPE_CHECKING:
    from .model import Lesson, Step
    from .progress import ProgressStore


class StepKeys:
    """Ctrl+R, Review, Ctrl+L, and PgDn/PgUp/arrows that scroll a long step first."""

    if TYPE_CHECKING:  # provided by LessonsScreen
        lessons: list[Lesson]
        progress: ProgressStore | None
        lesson_index: int
        step_index: int
        seed: int
        _shown: int
        revealed: int
        attempt: Attempt | None
        review: list[ReviewItem] | None
        review_pos: int

        def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...
        def show_step(self, index: int) -> None: ...
        def notify(self, message: str, *, title: str = "", severity: Any = "information",
                   timeout: float | None = None) -> None: ...
        def refresh_bindings(self) -> None: ...
        def run_worker(self, work: Any, *, group: str = "default",
                       exit_on_error: bool = True) -> Any: ...
        def action_next_step(self) -> None: ...
        def action_previous_step(self) -> None: ...

    # --- new numbers ---------------------------------------------------------------------
    def action_new_numbers(self) -> None:
        """A new attempt at this step: its programs draw new numbers."""
        self.seed = new_seed()
        self.show_step(self.step_index)

    # --- review ------------------------------------------------------------------------------
    def start_review(self) -> None:
        queue = review_queue(self.lessons, self.progress) if self.progress is not None else []
        if not queue:
            self.notify("No check passed yet: Review asks again the checks you passed.",
                        title="Review")
            return
        self.review, self.review_pos = queue, 0
        self.show_review_item()

    def show_review_item(self) -> None:
        review = self.review
        if review is None:
            return
        item = review[self.review_pos]
        self.seed = new_seed()  # the same check, new numbers
        self.lesson_index = item.lesson
        self.query_one(LessonList).highlighted = item.lesson
        self.show_step(item.step)

    def review_title(self) -> str:
        """"Review 2 of 5 · " while reviewing, else ""."""
        if self.review is None:
            return ""
        return f"Review {self.review_pos + 1} of {len(self.review)} · "

    def review_move(self, delta: int) -> bool:
        """Go to the next (or previous) review item; False when not reviewing."""
        if self.review is None:
            return False
        pos = self.review_pos + delta
        if pos >= len(self.review):
            self.review = None
            self.notify("Review done: every check you passed was asked again.", title="Review")
            self.show_step(self.step_index)
            return True
        self.review_pos = max(0, pos)
        self.show_review_item()
        return True

    # --- the step's text ----------------------------------------------------------------------
    def _set_body(self, markdown: str, problems: str = "") -> None:
        """Show a new step text; the old one is hidden at once, never left under a new title,
        and the new one appears when Textual has built it."""
        scroll = self.query_one("#step-scroll", VerticalScroll)
        self._shown += 1
        serial = self._shown
        scroll.styles.visibility = "hidden"
        problem_text = self.query_one("#step-problems", Static)
        problem_text.update(Text(problems))
        problem_text.display = bool(problems)
        pending = self.query_one("#step-body", Markdown).update(markdown)

        async def reveal() -> None:
            await pending
            if serial == self._shown:
                scroll.scroll_home(animate=False)
                scroll.styles.visibility = "visible"
                self.revealed = serial

        self.run_worker(reveal(), group="step-text", exit_on_error=False)

    def playground_source(self, step: Step) -> str:
        """What Ctrl+O opens: the step's program with this attempt's numbers drawn."""
        source = step.playground_source or ""
        attempt = self.attempt
        if attempt is not None:
            for line, shown in attempt.sources.items():
                for block in (step.program, step.program_context):
                    if block is not None and block.line == line and block.source == source:
                        return shown
                check = step.check
                if check is not None and check.source_line == line and check.source == source:
                    return shown
        return source

    # --- the list and scrolling ---------------------------------------------------------------
    def action_toggle_list(self) -> None:
        """Hide or show the list of lessons (more room for the step at 80 columns)."""
        lesson_list = self.query_one(LessonList)
        lesson_list.display = not lesson_list.display

    def action_scroll_step(self, lines: int) -> None:
        self.query_one("#step-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page_down(self) -> None:
        """Scroll a long step down; at its end, the next step."""
        scroll = self.query_one("#step-scroll", VerticalScroll)
        if scroll.scroll_y < scroll.max_scroll_y:
            scroll.scroll_page_down(animate=False)
        else:
            self.action_next_step()

    def action_page_up(self) -> None:
        """Scroll a long step up; at its top, the previous step."""
        scroll = self.query_one("#step-scroll", VerticalScroll)
        if scroll.scroll_y > 0:
            scroll.scroll_page_up(animate=False)
        else:
            self.action_previous_step()
