"""The list of lessons, each with a mark for the learner's progress (or for being broken)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from .model import Lesson
from .progress import LessonProgress

MARK_DONE = "✓"
MARK_STARTED = "•"
MARK_NEW = " "
MARK_BROKEN = "✗"
#: the id of the list's last entry, Review (the checks passed, asked again)
REVIEW_ID = "review"


def lesson_mark(lesson: Lesson, progress: LessonProgress) -> str:
    """✓ every step seen and every check passed, • started, ✗ broken, blank: not started."""
    if lesson.broken:
        return MARK_BROKEN
    if not progress.seen and not progress.passed:
        return MARK_NEW
    all_seen = all(i in progress.seen for i in range(len(lesson.steps)))
    all_passed = all(c.id in progress.passed for c in lesson.checks)
    return MARK_DONE if all_seen and all_passed else MARK_STARTED


def lesson_prompt(number: int, lesson: Lesson, progress: LessonProgress) -> Text:
    mark = lesson_mark(lesson, progress)
    text = Text(no_wrap=True, overflow="ellipsis")
    style = {MARK_DONE: "bold green", MARK_BROKEN: "bold red"}.get(mark, "")
    text.append(mark, style=style)
    text.append(f"{number:>3} ")
    text.append(lesson.display_title, style="dim strike" if lesson.broken else "")
    return text


class LessonList(OptionList):
    """Lessons in order; Enter or a click opens one."""

    DEFAULT_CSS = """
    LessonList {
        width: 30%;
        min-width: 24;
        max-width: 36;
        height: 1fr;
        border: round $primary-darken-2;
        border-title-color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        scrollbar-size-vertical: 1;
    }
    LessonList:focus {
        border: round $primary;
    }
    """

    def set_lessons(self, lessons: list[Lesson], progress: dict[str, LessonProgress]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            Option(lesson_prompt(i, lesson, progress.get(lesson.key) or LessonProgress()),
                   id=f"lesson-{i}")
            for i, lesson in enumerate(lessons, 1)
        )
        if lessons:
            self.add_option(Option(Text("↻ Review passed checks", no_wrap=True,
                                        overflow="ellipsis"), id=REVIEW_ID))
        if highlighted is not None and highlighted < len(lessons):
            self.highlighted = highlighted

    def update_mark(self, index: int, lesson: Lesson, progress: LessonProgress) -> None:
        self.replace_option_prompt_at_index(index, lesson_prompt(index + 1, lesson, progress))
