"""Shared test setup: no test may write into the real user's data folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Lesson progress and anything else the app saves goes to a fresh temporary folder.

    A test that needs a particular folder sets the variable again itself.
    """
    monkeypatch.setenv("MICROGRAD_TUI_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))
