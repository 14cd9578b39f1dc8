"""The Lessons screen with hostile lesson folders and answers: it stays up and responsive.

Lessons load in a thread with a progress line; a FIFO, a /dev/zero link, a huge table, fit
blocks over the budget are listed as broken with the reason; a BOM lesson and the good one
work, and no typed answer can take the app down.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from textual.widgets import Input, Markdown, Static

from micrograd_tui.app import MicrogradApp
from micrograd_tui.lessonbook import library
from micrograd_tui.lessonbook.answer_box import CheckPanel
from micrograd_tui.lessonbook.lesson_list import LessonList

GOOD = Path(__file__).parent.parent / "lessons" / "fixtures" / "good" / "01-tiny.md"
SIZE = (100, 30)
HEAD = "---\ntitle: {title}\nsummary: S\norder: {order}\n---\n\n"
FIT = """\
```fit
inputs: [[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7], [6, 7, 8], [7, 8, 9], [8, 9, 1], [9, 1, 2], [1, 3, 5]]
targets: [1, -1, 1, -1, 1, -1, 1, -1, 1, -1]
layers: [16, 16, 1]
steps: 50
```
"""


def title(app) -> str:
    return str(app.screen.query_one("#step-title", Static).render())


def body(app) -> str:
    return app.screen.query_one("#step-body", Markdown).source


def marks(app) -> dict[str, str]:
    screen = app.screen
    options = screen.query_one(LessonList).options
    return {le.path.name: str(o.prompt)[0] for le, o in zip(screen.lessons, options)}


def feedback(app) -> str:
    return str(app.screen.query_one("#check-feedback", Static).render())


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    d = tmp_path / "hostile"
    d.mkdir()
    shutil.copy(GOOD, d / "01-tiny.md")
    (d / "02-bom.md").write_bytes("\ufeff".encode()
                                  + (HEAD.format(title="With a BOM", order=2)
                                     + "## One\n\nA lesson saved with a byte-order mark.\n").encode())
    rows = "\n".join(f"| {i} | {i * i} |" for i in range(2000))
    (d / "03-table.md").write_text(HEAD.format(title="Huge table", order=3)
                                   + f"## Squares\n\n| n | n² |\n|---|---|\n{rows}\n")
    (d / "04-heavy.md").write_text(HEAD.format(title="Heavy", order=4)
                                   + "## One\n\n" + FIT + "\n## Two\n\n" + FIT)
    if hasattr(os, "mkfifo"):
        os.mkfifo(d / "x.md")
    if Path("/dev/zero").exists():
        (d / "z.md").symlink_to("/dev/zero")
    return d


async def test_a_hostile_folder_lists_the_bad_lessons_as_broken_and_the_rest_work(
        hostile: Path) -> None:
    app = MicrogradApp(start_mode="lessons", lessons_dir=hostile)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        listed = marks(app)
        assert listed["01-tiny.md"] != "✗" and listed["02-bom.md"] != "✗"
        assert listed["03-table.md"] == "✗" and listed["04-heavy.md"] == "✗"
        if (hostile / "x.md").exists():
            assert listed["x.md"] == "✗"
        if (hostile / "z.md").is_symlink():
            assert listed["z.md"] == "✗"
        assert title(app) == "1. A tiny good lesson · step 1 of 2"
        screen = app.screen
        reasons = {}
        for i, lesson in enumerate(screen.lessons):
            screen.open_lesson(i, 0)
            await pilot.pause()
            reasons[lesson.path.name] = body(app)
        assert "A lesson saved with a byte-order mark." in reasons["02-bom.md"]
        assert "more than 40 rows" in reasons["03-table.md"]
        assert "| 1999 |" not in reasons["03-table.md"]  # the table itself is never drawn
        assert "would take too long" in reasons["04-heavy.md"]
        if "x.md" in reasons:
            assert "named pipe (FIFO)" in reasons["x.md"]
        if "z.md" in reasons:
            assert "character device" in reasons["z.md"]
        assert app.is_running


async def test_answers_that_cannot_be_computed_get_a_message_and_the_box_still_grades() -> None:
    app = MicrogradApp(start_mode="lessons", lessons_dir=GOOD.parent)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+n")  # the step with the check
        await pilot.pause()
        field = app.screen.query_one(CheckPanel).query_one(Input)
        assert app.focused is field
        for typed, why in [("(-1)**1e999", "not a whole number"),
                           ("(-2)**(1e999-1e999)", "not a whole number"),
                           ("log(-1e999)", "log(-inf) is not defined")]:
            field.value = ""
            await pilot.press(*typed, "enter")
            await pilot.pause()
            assert app.is_running
            assert feedback(app).startswith("Type a number") and why in feedback(app), typed
        field.value = ""
        await pilot.press("3", "enter")
        await pilot.pause()
        assert "Correct" in feedback(app)


async def test_f4_shows_loading_progress_and_the_app_stays_responsive(
        monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    original = library.load_lesson
    calls = []

    def slow_fourth(path, key=None, budget=None):
        calls.append(path)
        if len(calls) == 4:
            release.wait(20)  # a lesson that takes long to load (released by the test)
        return original(path, key, budget)

    monkeypatch.setattr(library, "load_lesson", slow_fourth)
    app = MicrogradApp()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("f4")
            for _ in range(50):
                await pilot.pause(0.02)
                if "3/17" in title(app):
                    break
            assert app.current_mode == "lessons"
            assert title(app) == "Loading lessons… 3/17"
            assert "Loading lessons… 3/17" in body(app)
            await pilot.press("f2")  # the app answers keys while the lessons load
            await pilot.pause()
            assert app.current_mode == "playground"
            release.set()
            await loaded(pilot)
            await pilot.press("f4")
            await pilot.pause()
            assert len(app.screen.lessons) == 17
            assert title(app) == "1. The derivative as a slope · step 1 of 4"
    finally:
        release.set()
