"""Reading a step at 80x24: the keys scroll a long step while the answer box has the focus,
a new step never shows under the old text, and a broken lesson's problems wrap."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Input, Markdown, Static

from micrograd_tui.app import MicrogradApp
from micrograd_tui.lessonbook.progress import ENV_DATA_DIR
from micrograd_tui.lessonbook.render import step_markdown
from micrograd_tui.lessonbook.screen import LessonsScreen

SIZE = (80, 24)
FIXTURES = Path(__file__).parent.parent / "lessons" / "fixtures"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))


async def shown(pilot, screen: LessonsScreen) -> None:
    """Until the step's text is built and on show."""
    for _ in range(200):
        if screen.built:
            break
        await asyncio.sleep(0.01)
    await pilot.pause()


async def long_step_with_a_check(pilot, screen: LessonsScreen) -> tuple[int, int]:
    """The first step with a check whose text is taller than the pane at 80x24."""
    scroll = screen.query_one("#step-scroll", VerticalScroll)
    for li, lesson in enumerate(screen.lessons):
        for si, step in enumerate(lesson.steps):
            if step.check is None or si == len(lesson.steps) - 1:
                continue
            screen.open_lesson(li, si)
            await shown(pilot, screen)
            if scroll.max_scroll_y >= 6:
                return li, si
    raise AssertionError("no step of the course scrolls at 80x24")


async def test_arrows_and_page_keys_scroll_the_step_while_the_answer_box_has_the_focus():
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        lesson, step = await long_step_with_a_check(pilot, screen)
        scroll = screen.query_one("#step-scroll", VerticalScroll)
        assert isinstance(app.focused, Input) and scroll.scroll_y == 0
        await pilot.press("down", "down")
        assert scroll.scroll_y == 2
        await pilot.press("up")
        assert scroll.scroll_y == 1
        assert isinstance(app.focused, Input)  # still typing answers
        await pilot.press("pagedown")  # a page down, not the next step
        assert scroll.scroll_y > 1 and (screen.lesson_index, screen.step_index) == (lesson, step)
        while scroll.scroll_y > 0:  # back up to the top, on the same step
            await pilot.press("pageup")
            assert screen.step_index == step
        while scroll.scroll_y < scroll.max_scroll_y:  # to the end, then the next step
            await pilot.press("pagedown")
            assert screen.step_index == step
        await pilot.press("pagedown")
        await shown(pilot, screen)
        assert screen.step_index == step + 1 and scroll.scroll_y == 0


async def test_a_new_step_never_shows_under_the_old_text():
    app = MicrogradApp(start_mode="lessons")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        scroll = screen.query_one("#step-scroll", VerticalScroll)
        body = screen.query_one("#step-body", Markdown)
        title = screen.query_one("#step-title", Static)
        for _ in range(6):
            # PgDn's page turn, called directly: pressing the key waits until the app is
            # idle, by when the new text is built anyway
            screen.action_next_step()
            # from then on, whenever the text is visible it is the new step's
            for _ in range(50):
                step = screen.step
                assert step is not None
                if scroll.styles.visibility != "hidden":
                    # what is drawn, not just what was asked for: the first block on show
                    # is the new step's heading
                    assert body.source == step_markdown(step, screen.attempt.sources)
                    blocks = list(body.children)
                    assert blocks and str(blocks[0].render()).strip() == step.title
                    assert f"step {screen.step_index + 1} of" in str(title.render())
                await asyncio.sleep(0.005)
            await shown(pilot, screen)
            assert scroll.styles.visibility != "hidden"


async def test_a_broken_lessons_problems_wrap_at_the_pane_edge(tmp_path: Path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    long_name = "an_undefined_name_" * 4
    (folder / "01-broken.md").write_text(
        "---\ntitle: Broken\nsummary: s\norder: 1\n---\n\n## A step\n\nText.\n\n"
        f"```program\nx = {long_name} + 1\n```\n", encoding="utf-8")
    app = MicrogradApp(start_mode="lessons", lessons_dir=folder)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        await shown(pilot, screen)
        problems = screen.query_one("#step-problems", Static)
        text = str(problems.render())
        assert long_name in text.replace("\n", "") and len(text) > SIZE[0]
        assert problems.display and problems.size.width <= SIZE[0]
        assert problems.size.height >= 2  # wrapped over several rows, not cut at the edge
