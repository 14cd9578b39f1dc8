"""``micrograd-tui serve`` in a real browser: Debian's headless Chromium, driven through its
DevTools protocol, loads the page from a loopback port and uses the app like a learner."""

from __future__ import annotations

import asyncio
import json

import pytest

from cdp import Browser, find_chromium
from serving import Served

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium not found (apt-get install chromium; or set $CHROMIUM): "
                             "the browser test of `micrograd-tui serve` did not run")


@pytest.fixture
def served(tmp_path):
    server = Served(tmp_path / "data")
    yield server
    if server.process.poll() is None:
        server.stop()


def test_a_browser_tab_runs_the_playground_and_the_lessons_in_its_own_folder(served):
    async def use() -> tuple[str, str, str]:
        async with Browser(CHROMIUM) as browser:
            page = await browser.new_page()
            await page.goto(served.url)
            start = await page.wait_for("g = 24.7041", timeout=60)
            await page.press("ctrl+b", focus=False)  # no click first: the page took the keys
            after = await page.wait_for("138.8338")
            await page.press("f4")
            lessons = await page.wait_for("Fitting a curve")
            await page.wait_for("A function of one number")  # the first lesson, open
            return start, after, lessons

    start, after, lessons = asyncio.run(use())
    assert "a = -4.0" in start  # the README example in the editor
    assert "a.grad" in after or "138.8338" in after
    for title in ("The derivative as a slope", "The chain rule by hand", "Classifying moons"):
        assert title in lessons
    # the tab kept its progress in a folder of its own, not in the server's data folder
    (tab,) = served.tab_folders()
    progress = json.loads((tab / "progress.json").read_text())
    assert progress["last"] and progress["lessons"]
    assert not (served.data / "progress.json").exists()


def test_the_page_needs_nothing_from_outside_the_server(served):
    import urllib.request

    page = urllib.request.urlopen(served.url, timeout=10).read().decode()
    outside = [line for line in page.splitlines()
               if ("http://" in line or "https://" in line) and "127.0.0.1" not in line
               and "www.w3.org/2000/svg" not in line]
    assert outside == []
    assert "fonts/RobotoMono" in page
