"""Snapshots of the Lessons screen at 80x24 and 120x40 (fresh progress in a temporary folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from textual.widgets import Input

from micrograd_tui.app import MicrogradApp
from micrograd_tui.lessonbook.progress import ENV_DATA_DIR


@pytest.fixture(autouse=True)
def fresh_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lessons draw their inputs per attempt: every attempt here has seed 5, so a snapshot
    shows the same numbers every run."""
    from micrograd_tui.lessonbook import attempt, screen as lessons_screen, step_keys

    for module in (attempt, step_keys, lessons_screen):
        monkeypatch.setattr(module, "new_seed", lambda: 5)


async def steady(pilot) -> None:
    """The picture a learner sees once things settle: every step text built and revealed,
    and no blinking cursor (its phase depends on timing, not on the app)."""
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def loaded(pilot) -> None:
    """Wait until the lessons have loaded (in a thread) and are shown."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the first step's text is built
    await pilot.pause()


def open_step(title: str, step: int):
    async def run_before(pilot) -> None:
        await loaded(pilot)
        screen = pilot.app.screen
        index = next(i for i, le in enumerate(screen.lessons) if le.title == title)
        screen.open_lesson(index, step)
        await steady(pilot)  # the step's text is built

    return run_before


def test_first_lesson_after_a_wrong_answer_80x24(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("1", "3", "enter")
        await steady(pilot)

    assert snap_compare(MicrogradApp(start_mode="lessons"), terminal_size=(80, 24),
                        run_before=run_before)


def test_chain_rule_lesson_80x24(snap_compare) -> None:
    assert snap_compare(MicrogradApp(start_mode="lessons"), terminal_size=(80, 24),
                        run_before=open_step("The chain rule by hand", 0))


def test_training_loop_with_its_loss_table_120x40(snap_compare) -> None:
    assert snap_compare(MicrogradApp(start_mode="lessons"), terminal_size=(120, 40),
                        run_before=open_step("Loss and the training loop", 3))


def test_worked_answer_120x40(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await open_step("A tanh neuron", 2)(pilot)
        await pilot.press("0", "enter", "1", "2", "enter")
        await steady(pilot)

    assert snap_compare(MicrogradApp(start_mode="lessons"), terminal_size=(120, 40),
                        run_before=run_before)


RANDOM = Path(__file__).parent.parent / "lessons" / "fixtures" / "random"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_a_check_with_drawn_numbers_after_a_diagnosed_answer(snap_compare, monkeypatch,
                                                             size) -> None:
    """The program shows the numbers drawn, the question repeats them, and a foreseen mistake
    gets its message (the list is hidden at 80 columns, shown at 120)."""
    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        a = pilot.app.screen.attempt.solution.variables["a"][0]
        await pilot.press(*str(a), "enter")
        await steady(pilot)

    assert snap_compare(MicrogradApp(start_mode="lessons", lessons_dir=RANDOM),
                        terminal_size=size, run_before=run_before)
