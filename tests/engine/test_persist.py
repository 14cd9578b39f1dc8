"""Atomic writes, defensive reads, corrupt files kept aside."""

from __future__ import annotations

import os

import pytest

from engine.persist import ModelFileError, atomic_write_text, read_json, set_aside


def test_atomic_write_replaces_the_whole_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "sub" / "f.json"
    atomic_write_text(path, '{"a": 1}', create_folders=True)
    atomic_write_text(path, '{"a": 2}')
    assert read_json(path) == {"a": 2}
    assert os.listdir(path.parent) == ["f.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "f.json"
    atomic_write_text(path, '{"old": true}')

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(path, '{"new": true}')
    monkeypatch.undo()
    assert read_json(path) == {"old": True}
    assert os.listdir(tmp_path) == ["f.json"]


def test_read_json_errors_name_the_file_and_the_reason(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": ')
    with pytest.raises(ModelFileError, match=r"bad\.json: not valid JSON at line 1"):
        read_json(bad)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ModelFileError, match="not UTF-8"):
        read_json(binary)
    with pytest.raises(ModelFileError, match="is a folder"):
        read_json(tmp_path)


def test_set_aside_moves_a_corrupt_file_and_never_deletes_it(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("garbage")
    first = set_aside(path)
    path.write_text("garbage 2")
    second = set_aside(path)
    assert not path.exists()
    assert first != second
    assert first.read_text() == "garbage" and second.read_text() == "garbage 2"


def test_a_huge_integer_in_a_file_is_a_clear_error(tmp_path):
    path = tmp_path / "big.json"
    path.write_text("[" + "9" * 5000 + "]")
    with pytest.raises(ModelFileError, match="not valid JSON"):
        read_json(path)


def test_a_saved_file_is_readable_by_others_like_any_file(tmp_path):
    path = tmp_path / "m.json"
    atomic_write_text(path, "{}")
    assert path.stat().st_mode & 0o044  # not the 0600 of a temp file


def test_writing_to_a_folder_or_into_a_missing_folder_says_so_in_words(tmp_path):
    from engine.persist import FileWriteError

    with pytest.raises(FileWriteError) as info:
        atomic_write_text(tmp_path, "{}")
    assert str(info.value) == f"{tmp_path}: is a folder, not a file"
    missing = tmp_path / "typo" / "model.json"
    with pytest.raises(FileWriteError) as info:
        atomic_write_text(missing, "{}")
    assert str(info.value) == f"{missing.parent}: no such folder"
    assert not missing.parent.exists()  # a typo does not quietly make folders
    assert os.listdir(tmp_path) == []
