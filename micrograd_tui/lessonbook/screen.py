"""Lessons: a list with progress marks, the current step, and an answer box for checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Markdown, OptionList, Static
from textual.worker import Worker, WorkerState, get_current_worker

from .library import load_lessons
from .limits import refuse_to_render
from .model import Lesson, Problem, Step
from .op_exercise import OpExercise
from .open_keys import OpenKeys
from .progress import ProgressStore
from .render import step_markdown
from .answer_box import CheckPanel
from .lesson_list import REVIEW_ID, LessonList
from ..widgets.nav_bar import NavBar
from .attempt import Attempt, new_seed, step_attempt
from .help_text import HELP
from .styles import SCREEN_CSS
from .step_keys import StepKeys

class LessonsScreen(OpenKeys, StepKeys, Screen):
    """Guided lessons (loaded and checked off the UI thread, with a progress line)."""

    @dataclass
    class Loading(Message):
        """``done`` of ``total`` lesson files are loaded (a newer one replaces a queued one,
        so the screen never falls behind however fast lessons load)."""

        done: int
        total: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, LessonsScreen.Loading)

    @dataclass
    class Loaded(Message):
        """Every lesson is loaded (``progress`` is the learner's ProgressStore)."""

        lessons: list[Lesson]
        problems: list[Problem]
        progress: ProgressStore

    HELP = HELP
    DEFAULT_CSS = SCREEN_CSS

    BINDINGS = [
        # keys that mean something harmless elsewhere: ctrl+b and ctrl+g would recompute or
        # zero the gradients on the playground, one F-key away
        Binding("pagedown", "page_down", "Next", tooltip="Scroll a long step, then the next step",
                priority=True),
        Binding("ctrl+n", "next_step", "Next", tooltip="The next step", priority=True,
                show=False),
        Binding("pageup", "page_up", "Back", tooltip="Scroll a long step up, then the previous "
                "step", priority=True),
        Binding("ctrl+o", "open_program", "Open program",
                tooltip="Open this step's program in the playground", priority=True),
        Binding("ctrl+t", "open_setup", "Open setup",
                tooltip="Open this step's training setup in the trainer", priority=True),
        Binding("f6", "reveal", "Hint", tooltip="Show the hint, then the worked answer",
                priority=True),
        Binding("ctrl+r", "new_numbers", "New numbers",
                tooltip="Ask this step again with new numbers", priority=True),
        Binding("ctrl+l", "toggle_list", "List", tooltip="Hide or show the list of lessons",
                priority=True),
        Binding("up", "scroll_step(-1)", show=False),  # in the answer box too
        Binding("down", "scroll_step(1)", show=False),
    ]

    def __init__(self, folder: Path | None = None) -> None:
        """``folder``: the lessons to show (``None``: the shipped ones)."""
        super().__init__()
        self.folder = folder
        self.lessons: list[Lesson] = []
        self.folder_problems: list[Problem] = []
        self.progress: ProgressStore | None = None
        self.lesson_index = 0
        self.step_index = 0
        self.loading_lessons = True
        self._notified_save_error = False
        self.seed = new_seed()  # this attempt's: what rand(lo, hi) draws
        self.attempt: Attempt | None = None
        self.review: list | None = None  # the Review queue while reviewing
        self.review_pos = 0
        self._shown = 0  # how many step texts were asked for (the latest one is revealed)
        self.revealed = 0  # the latest of them that is on show

    # --- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield NavBar("lessons")
        with Horizontal(id="lessons-body"):
            yield LessonList(id="lesson-list")
            with Vertical(id="lesson-main"):
                yield Static(id="step-title", markup=False)
                with VerticalScroll(id="step-scroll"):
                    yield Markdown(id="step-body")
                    yield Static(id="step-problems", markup=False)
                yield CheckPanel(id="check")
        yield Footer(compact=True, show_command_palette=False)  # ^p is on the top line

    def on_mount(self) -> None:
        self.sub_title = "Lessons"
        self.query_one(LessonList).border_title = "Lessons"
        self.query_one("#step-problems").display = False
        if self.app.size.width < 100:  # at 80 columns the step needs the room
            self.query_one(LessonList).display = False
        self.load()

    @property
    def built(self) -> bool:
        """The lessons are loaded and the step's text is built (for the app's warm-up)."""
        return not self.loading_lessons and self.revealed == self._shown

    def load(self) -> None:
        """Load the lessons folder and the learner's progress in a thread, showing progress."""
        folder = self.folder
        self.loading_lessons = True
        self._show_loading(0, 0)
        self._load_in_thread(folder)

    @work(thread=True, exclusive=True, group="lessons-load", exit_on_error=False)
    def _load_in_thread(self, folder: Path | None) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            self.post_message(self.Loading(done, total))

        lessons, problems = load_lessons(folder, progress=progress,
                                         cancelled=lambda: worker.is_cancelled)
        store = ProgressStore.open()
        if not worker.is_cancelled:
            self.post_message(self.Loaded(lessons, problems, store))

    def on_lessons_screen_loading(self, event: Loading) -> None:
        event.stop()
        if self.loading_lessons:
            self._show_loading(event.done, event.total)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "lessons-load" and event.state == WorkerState.ERROR:
            # load_lessons collects problems and never raises; this is the last guard
            self.loading_lessons = False
            error = event.worker.error
            self.folder_problems = [Problem(Path(self.folder or "lessons"),
                                            0, f"loading the lessons failed unexpectedly "
                                               f"({type(error).__name__}: {error})")]
            self._show_folder_problems()

    def _show_loading(self, done: int, total: int) -> None:
        text = f"Loading lessons… {done}/{total}" if total else "Loading lessons…"
        self.query_one("#step-title", Static).update(Text(text))
        self._set_body(f"{text}\n")
        self.query_one(CheckPanel).show_check(None)

    def on_lessons_screen_loaded(self, event: Loaded) -> None:
        event.stop()
        self.loading_lessons = False
        self.lessons, self.folder_problems = event.lessons, event.problems
        self.progress = event.progress
        self._show_notice()
        about_folder = [p for p in self.folder_problems if p.line <= 0]
        if self.lessons and about_folder:  # e.g. more lesson files than a folder may hold
            self.app.notify("\n".join(str(p) for p in about_folder), title="Lessons",
                            severity="warning", timeout=15)
        self.query_one(LessonList).set_lessons(
            self.lessons, {le.key: self.progress.lesson(le.key) for le in self.lessons})
        index, step = 0, None
        keys = [le.key for le in self.lessons]
        if self.progress.last in keys:
            index = keys.index(self.progress.last)
            step = self.progress.lesson(self.progress.last).current
        elif self.lessons:
            index = next((i for i, le in enumerate(self.lessons) if not le.broken), 0)
        if self.lessons:
            self.open_lesson(index, step)
        else:
            self._show_folder_problems()

    def _show_notice(self) -> None:
        if self.progress is not None and self.progress.notice:
            self.app.notify(self.progress.notice, title="Lesson progress", severity="warning",
                            timeout=15)
            self.progress.notice = None

    # --- the current lesson and step ----------------------------------------------------------
    @property
    def lesson(self) -> Lesson | None:
        if 0 <= self.lesson_index < len(self.lessons):
            return self.lessons[self.lesson_index]
        return None

    @property
    def step(self) -> Step | None:
        lesson = self.lesson
        if lesson is None or lesson.broken or not lesson.steps:
            return None
        return lesson.steps[self.step_index]

    def open_lesson(self, index: int, step: int | None = None) -> None:
        """Show lesson ``index`` at ``step`` (None: where the learner left it)."""
        self.review = None
        self.seed = new_seed()  # a new attempt: new numbers
        self.lesson_index = index
        lesson = self.lessons[index]
        self.query_one(LessonList).highlighted = index
        if lesson.broken:
            self._show_broken(lesson)
            return
        if step is None:
            step = self.progress.lesson(lesson.key).current if self.progress else 0
        self.show_step(step)

    def show_step(self, index: int) -> None:
        lesson = self.lesson
        if lesson is None or lesson.broken:
            return
        self.step_index = max(0, min(index, len(lesson.steps) - 1))
        step = lesson.steps[self.step_index]
        self.attempt = step_attempt(step, self.seed)
        shown = step_markdown(step, self.attempt.sources)
        refused = refuse_to_render(shown)  # lessons over the limits are broken; a last guard
        if refused:
            shown = f"## This step is too big to show\n\n{refused}\n"
        self._set_body(shown)
        if self.progress is not None:
            self.progress.visit(lesson.key, self.step_index)
            self._after_save()
        passed = (self.progress is not None and step.check is not None
                  and step.check.id in self.progress.lesson(lesson.key).passed)
        panel = self.query_one(CheckPanel)
        panel.show_check(step.check, passed, self.attempt.solution)
        self._update_title()
        self._update_mark()
        self.refresh_bindings()
        self._focus_content()

    def _focus_content(self) -> None:
        """Focus the answer box on a step with a check, else the text (so arrows scroll)."""
        step = self.step
        if step is not None and step.check is not None:
            self.query_one(CheckPanel).input.focus()
        else:
            self.query_one("#step-scroll").focus()

    def _update_title(self) -> None:
        lesson = self.lesson
        title = self.query_one("#step-title", Static)
        if lesson is None:
            title.update("")
            return
        if lesson.broken:
            title.update(Text(f"{self.lesson_index + 1}. {lesson.display_title}: broken"))
            return
        n = len(lesson.steps)
        title.update(Text(f"{self.review_title()}{self.lesson_index + 1}. "
                          f"{lesson.display_title} · step "
                          f"{self.step_index + 1} of {n}", no_wrap=True, overflow="ellipsis"))

    def _update_mark(self) -> None:
        lesson = self.lesson
        if lesson is not None and self.progress is not None:
            self.query_one(LessonList).update_mark(self.lesson_index, lesson,
                                                   self.progress.lesson(lesson.key))

    def _show_broken(self, lesson: Lesson) -> None:
        # plain text that wraps at the pane's edge (a code block would cut long lines)
        problems = "\n".join(str(p) for p in sorted(lesson.problems, key=lambda p: p.line))
        self._set_body("## This lesson could not be loaded\n\nIt is skipped until these "
                       "problems are fixed (`micrograd-tui lessons check` lists them too):\n",
                       problems)
        self.query_one(CheckPanel).show_check(None)
        self._update_title()
        self.refresh_bindings()
        self.query_one("#step-scroll").focus()

    def _show_folder_problems(self) -> None:
        problems = "\n".join(str(p) for p in self.folder_problems) or "no lessons"
        self._set_body("## No lessons to show\n", problems)
        self.query_one(CheckPanel).show_check(None)
        self._update_title()

    def _after_save(self) -> None:
        progress = self.progress
        if progress is None:
            return
        if progress.save_error and not self._notified_save_error:
            self._notified_save_error = True
            self.app.notify(progress.save_error, title="Lesson progress", severity="error",
                            timeout=15)
            progress.notice = None

    # --- events ------------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == REVIEW_ID:
            self.start_review()
        elif event.option_index != self.lesson_index or self.lesson is None or self.lesson.broken:
            self.open_lesson(event.option_index)
        else:
            self.show_step(self.step_index)

    def on_check_panel_answered(self, event: CheckPanel.Answered) -> None:
        event.stop()
        lesson = self.lesson
        if event.correct and lesson is not None and self.progress is not None:
            self.progress.pass_check(lesson.key, event.check.id, again=self.review is not None)
            self._after_save()
            self._update_mark()
        if event.correct and isinstance(event.check, OpExercise):
            self.op_answered(event.check, event.typed)  # the playground may call it now

    # --- actions ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what the step does not offer; dim Next/Back at the ends."""
        step = self.step
        lesson = self.lesson
        if action in ("next_step", "previous_step") and self.review is not None:
            return True  # the next (or previous) check to review
        if action == "next_step":
            more_steps = step is not None and lesson is not None \
                and self.step_index < len(lesson.steps) - 1
            return True if more_steps or self.lesson_index < len(self.lessons) - 1 else None
        if action == "previous_step":
            return True if (step is not None and self.step_index > 0) or self.lesson_index > 0 \
                else None
        if action == "open_program":
            return step is not None and (step.playground_source is not None
                                         or self.op_to_try(step) is not None)
        if action == "open_setup":
            return step is not None and step.train is not None and step.train.config is not None
        if action == "reveal":
            return step is not None and step.check is not None
        if action == "new_numbers":
            return step is not None and self.attempt is not None and self.attempt.random
        return True

    def action_next_step(self) -> None:
        lesson = self.lesson
        if lesson is None or self.review_move(1):
            return
        if not lesson.broken and self.step_index < len(lesson.steps) - 1:
            self.show_step(self.step_index + 1)
        elif self.lesson_index < len(self.lessons) - 1:
            self.open_lesson(self.lesson_index + 1, 0)

    def action_previous_step(self) -> None:
        lesson = self.lesson
        if lesson is None or self.review_move(-1):
            return
        if not lesson.broken and self.step_index > 0:
            self.show_step(self.step_index - 1)
        elif self.lesson_index > 0:
            previous = self.lessons[self.lesson_index - 1]
            self.open_lesson(self.lesson_index - 1, max(0, len(previous.steps) - 1))

    def action_reveal(self) -> None:
        if self.step is not None and self.step.check is not None:
            self.query_one(CheckPanel).reveal()
