"""Shared test setup: no test may write into the real user's data folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Lesson progress and anything else the app saves goes to a fresh temporary folder.

    A test that needs a particular folder sets the variable again itself.
    """
    monkeypatch.setenv("MICROGRAD_TUI_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))


@pytest.fixture(autouse=True)
def _no_screen_warm_up(monkeypatch):
    """The app builds its Train and Lessons screens in the background after its first frame;
    that is tested in tests/tui/test_warm_screens.py. Elsewhere it would only add a second of
    work to every app a test starts, and race what the test drives."""
    monkeypatch.setenv("MICROGRAD_TUI_WARM", "0")
