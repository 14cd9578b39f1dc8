"""While served, saves, loads and exports stay in the tab's folder; in a terminal, paths are
used as typed."""

from __future__ import annotations

import os

import pytest

from micrograd_tui.playground.actions import ExportFailed, export_path
from micrograd_tui.classroom.sandbox import ENV_SANDBOX
from micrograd_tui.training.files import ActionFailed, file_path


@pytest.fixture
def tab(tmp_path, monkeypatch):
    folder = tmp_path / "tab"
    folder.mkdir()
    monkeypatch.setenv(ENV_SANDBOX, str(folder))
    monkeypatch.chdir(folder)
    return folder


def test_a_plain_name_is_a_file_in_the_tab_folder(tab):
    assert file_path("model.json", "model") == str(tab / "model.json")
    assert file_path("runs/loss.csv", "loss CSV") == str(tab / "runs" / "loss.csv")


@pytest.mark.parametrize("typed", ["/etc/passwd", "../model.json", "~/model.json",
                                   "runs/../../model.json"])
def test_paths_out_of_the_tab_folder_are_refused(tab, typed):
    with pytest.raises(ActionFailed) as refused:
        file_path(typed, "model")
    assert "outside this session's folder" in str(refused.value)
    assert typed in str(refused.value) and str(tab.resolve()) in str(refused.value)


def test_a_symbolic_link_out_of_the_tab_folder_is_refused(tab, tmp_path):
    (tab / "out").symlink_to(tmp_path)
    with pytest.raises(ActionFailed, match="outside this session's folder"):
        file_path("out/model.json", "model")


def test_the_playground_exports_into_the_tab_folder_only(tab, tmp_path):
    assert export_path(None).parent == tab
    with pytest.raises(ExportFailed, match="outside this session's folder"):
        export_path(tmp_path)


def test_in_a_terminal_paths_are_used_as_typed(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_SANDBOX, raising=False)
    assert file_path(str(tmp_path / "m.json"), "model") == str(tmp_path / "m.json")
    assert file_path("../m.json", "model") == os.path.join("..", "m.json")
