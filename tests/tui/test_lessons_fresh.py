"""Pilot tests: wrong answers diagnosed, fresh numbers per attempt, and Review."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from textual.widgets import Input, Markdown, Static

from engine.expr import evaluate
from micrograd_tui.app import MicrogradApp
from micrograd_tui.lessonbook import attempt, step_keys
from micrograd_tui.lessonbook.answer_box import CheckPanel
from micrograd_tui.lessonbook.lesson_list import REVIEW_ID, LessonList
from micrograd_tui.lessonbook.progress import ENV_DATA_DIR
from micrograd_tui.lessonbook import screen as lessons_screen

FOLDER = Path(__file__).parent.parent / "lessons" / "fixtures" / "random"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))
    seeds = itertools.count(1)  # deterministic attempts: seeds 1, 2, 3, ...
    for module in (attempt, step_keys, lessons_screen):
        monkeypatch.setattr(module, "new_seed", lambda: next(seeds))


def shown_numbers(app) -> tuple[float, float]:
    """a and b as the step shows them (the program with the numbers drawn)."""
    source = app.screen.query_one("#step-body", Markdown).source
    a = re.search(r"^a = (-?\d+\.\d)$", source, re.M)
    b = re.search(r"^b = (-?\d+\.\d)$", source, re.M)
    assert a and b, source
    return float(a.group(1)), float(b.group(1))


def feedback(app) -> str:
    return str(app.screen.query_one("#check-feedback", Static).render())


def title(app) -> str:
    return str(app.screen.query_one("#step-title", Static).render())


async def answer(pilot, text: str) -> None:
    field = pilot.app.screen.query_one(CheckPanel).query_one(Input)
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def open_check(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("ctrl+n")  # step 2: the check about step 1's program
    await pilot.pause()
    assert title(pilot.app).endswith("step 2 of 2")


async def test_wrong_answers_are_diagnosed_then_the_hint_then_the_worked_answer() -> None:
    app = MicrogradApp(start_mode="lessons", lessons_dir=FOLDER)
    async with app.run_test(size=SIZE) as pilot:
        await open_check(pilot)
        a, b = shown_numbers(app)
        question = str(app.screen.query_one("#check-question", Static).render())
        assert f"a = {a}" in question and f"b = {b}" in question  # the numbers drawn
        await answer(pilot, str(a))
        assert "that is a itself" in feedback(app) and "Hint" not in feedback(app)
        await answer(pilot, str(-b))
        assert "wrong sign" in feedback(app)
        await answer(pilot, "100")  # no diagnosis: the hint, and what comes next
        assert "Hint: The local derivative" in feedback(app)
        assert "Another unexplained wrong answer shows the worked answer" in feedback(app)
        await answer(pilot, "101")  # the second: the worked answer, for these numbers
        assert f"the engine computes a.grad = {b:g}" in feedback(app)
        assert "Ctrl+R for new numbers" in feedback(app)
        await answer(pilot, str(b))
        assert "Correct" in feedback(app)


async def test_a_new_attempt_asks_about_new_numbers_and_still_grades_right() -> None:
    app = MicrogradApp(start_mode="lessons", lessons_dir=FOLDER)
    async with app.run_test(size=SIZE) as pilot:
        await open_check(pilot)
        first = shown_numbers(app)
        await answer(pilot, str(first[1]))
        assert "Correct" in feedback(app)
        await pilot.press("ctrl+r")  # a new attempt
        await pilot.pause()
        second = shown_numbers(app)
        assert second != first
        assert feedback(app).startswith("✓ You answered this one before")
        await answer(pilot, str(first[1]))  # the old answer no longer fits
        assert "Not quite" in feedback(app)
        program = evaluate(f"a = {second[0]}\nb = {second[1]}\nL = a * b")
        program.backward()
        await answer(pilot, str(program.variables["a"].grad))
        assert "Correct" in feedback(app)


async def test_review_replays_a_passed_check_with_new_numbers() -> None:
    app = MicrogradApp(start_mode="lessons", lessons_dir=FOLDER)
    async with app.run_test(size=SIZE) as pilot:
        await open_check(pilot)
        passed_with = shown_numbers(app)
        await answer(pilot, str(passed_with[1]))
        assert "Correct" in feedback(app)
        lesson_list = app.screen.query_one(LessonList)
        review = lesson_list.get_option_index(REVIEW_ID)
        await pilot.press("ctrl+l")  # the list starts hidden at 80 columns
        await pilot.pause()
        lesson_list.focus()
        lesson_list.highlighted = review
        await pilot.press("enter")
        await pilot.pause()
        assert title(app).startswith("Review 1 of 1 · 1. Fresh numbers · step 2 of 2")
        asked = shown_numbers(app)
        assert asked != passed_with
        await answer(pilot, str(asked[1]))
        assert "Correct" in feedback(app)
        await pilot.press("ctrl+n")  # the end of the review
        await pilot.pause()
        assert not title(app).startswith("Review")


async def test_review_asks_the_check_passed_longest_ago_first(tmp_path: Path) -> None:
    """Two checks passed, the later lesson's first: Review follows the times, not the list."""
    import json

    from micrograd_tui.lessonbook.progress import FILE_NAME, FORMAT, VERSION

    folder = tmp_path / "data"
    folder.mkdir()
    entry = {"seen": [0], "current": 0}
    (folder / FILE_NAME).write_text(json.dumps({
        "format": FORMAT, "version": VERSION, "last": None, "lessons": {
            "01-derivative": {**entry, "passed": ["1"], "passed_at": {"1": 2000.0}},
            "04-chain-rule": {**entry, "passed": ["3"], "passed_at": {"3": 1000.0}},
        }}), encoding="utf-8")
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.start_review()
        await pilot.pause()
        assert title(app).startswith("Review 1 of 2 · 4. The chain rule by hand · step 4 of 6")
        for _ in range(10):  # PgDn scrolls a long step first, then goes to the next item
            await pilot.press("pagedown")
            await pilot.pause()
            if not title(app).startswith("Review 1 of 2"):
                break
        assert title(app).startswith("Review 2 of 2 · 1. The derivative as a slope · step 3 of 4")
