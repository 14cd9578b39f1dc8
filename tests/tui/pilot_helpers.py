"""Helpers shared by the app's Pilot tests (the folder of these tests is on sys.path)."""

from __future__ import annotations

import time
from typing import Callable


async def wait_for(pilot, cond: Callable[[], object], timeout: float = 60.0) -> None:
    """Let the app run until ``cond()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)
