"""The progress file: saved atomically after every change, a bad file set aside, never lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine import persist
from micrograd_tui.lessonbook import progress as progress_module
from micrograd_tui.lessonbook.progress import ENV_DATA_DIR, FILE_NAME, ProgressStore, data_dir


def test_the_environment_variable_chooses_the_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "here"))
    assert data_dir() == tmp_path / "here"
    store = ProgressStore.open()
    store.visit("01-derivative", 0)
    assert (tmp_path / "here" / FILE_NAME).is_file()


def test_every_change_is_saved_and_read_back(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path)
    assert store.lessons == {} and store.notice is None
    store.visit("01", 0)
    store.visit("01", 2)
    store.pass_check("01", "1")
    store.visit("02", 1)
    again = ProgressStore.open(tmp_path)
    assert again.lesson("01").seen == {0, 2} and again.lesson("01").passed == {"1"}
    assert again.lesson("01").current == 2 and again.last == "02"
    assert again.lesson("03").seen == set()
    # atomic writes leave no temporary files behind
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]


@pytest.mark.parametrize("content", [
    b"{not json",
    b"\xff\xfe\x00garbage",
    b"[1, 2, 3]",
    b'{"format": "something-else", "version": 1}',
    b'{"format": "micrograd-tui/progress", "version": 1, "lessons": {"01": {"seen": "all"}}}',
    b'{"format": "micrograd-tui/progress", "version": 99, "lessons": {}}',
])
def test_a_bad_file_is_moved_aside_with_a_notice(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(content)
    store = ProgressStore.open(tmp_path)
    assert store.lessons == {}
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(f"{FILE_NAME}.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content  # kept, byte for byte
    assert store.notice is not None and str(aside[0]) in store.notice
    assert not path.exists()
    store.visit("01", 0)  # a fresh start is saved normally
    assert json.loads(path.read_text())["lessons"]["01"]["seen"] == [0]


def test_a_file_that_cannot_be_moved_aside_is_never_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / FILE_NAME
    path.write_text("{broken")

    def refuse(p: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(persist, "set_aside", refuse)  # what move_aside calls
    store = ProgressStore.open(tmp_path)
    assert store.notice is not None and "will not be saved" in store.notice
    store.visit("01", 0)
    assert store.save() is False
    assert path.read_text() == "{broken"


def test_a_failed_save_is_reported_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: Path, text: str, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress_module, "atomic_write_text", fail)
    store = ProgressStore.open(tmp_path)
    store.visit("01", 0)
    assert store.save_error is not None and "No space left" in store.save_error
    assert store.notice == store.save_error
    assert store.lesson("01").seen == {0}  # kept in memory for this session
