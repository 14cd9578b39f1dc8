"""Saving never replaces what is not a regular file of ours; a save target is checked before
any work; temp files an interrupted save left behind are cleaned, and nothing else is."""

from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from pathlib import Path

import pytest

from engine.persist import (STALE_TEMP_SECONDS, FileWriteError, ModelFileError, atomic_write_text,
                            check_save_target, read_json, remove_stale_temps)


def char_device(path: Path) -> Path:
    """A character device like /dev/null, made in a temp folder (needs root)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as e:
        pytest.skip(f"cannot make a device node here: {e}")
    return path


def test_a_device_is_refused_and_stays_a_device(tmp_path: Path) -> None:
    dev = char_device(tmp_path / "null")
    for attempt in (atomic_write_text, check_save_target):
        with pytest.raises(FileWriteError, match=r"null: is a character device, not a regular file"):
            attempt(dev, "{}") if attempt is atomic_write_text else attempt(dev)
    assert stat.S_ISCHR(os.lstat(dev).st_mode)
    assert os.listdir(tmp_path) == ["null"]  # no temp file left either


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(FileWriteError, match=r"pipe\.json: is a named pipe \(FIFO\)"):
        atomic_write_text(fifo, "{}")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_is_followed_the_target_is_written_and_the_link_stays(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = elsewhere / "model.json"
    real.write_text('{"old": 1}')
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_text(link, '{"new": 2}')
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert read_json(real) == {"new": 2}
    assert sorted(os.listdir(tmp_path)) == ["elsewhere", "link.json"]  # temp was beside the target
    assert os.listdir(elsewhere) == ["model.json"]
    assert check_save_target(link) == real


def test_a_symlink_to_a_device_or_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "m.json"
    link.symlink_to(fifo)
    with pytest.raises(FileWriteError, match=rf"m\.json: is a named pipe \(FIFO\), not a regular "
                                             rf"file \(a link to {tmp_path}/pipe\)"):
        atomic_write_text(link, "{}")
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("path, stream", [
    ("/dev/stdout", "standard output"), ("/dev/stderr", "standard error"),
    ("/dev/fd/1", "standard output"), ("/proc/self/fd/2", "standard error"),
])
def test_dev_stdout_says_it_is_a_stream_not_a_file(path: str, stream: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args, **kwargs):
        raise AssertionError("a test must never write in /dev")

    # the real /dev/stdout: should the check ever fail, nothing may be created or replaced
    monkeypatch.setattr(tempfile, "mkstemp", never)
    monkeypatch.setattr(os, "replace", never)
    for attempt in (check_save_target, lambda p: atomic_write_text(p, "{}")):
        with pytest.raises(FileWriteError) as info:
            attempt(path)
        assert str(info.value) == (f"{path}: is {stream}, not a file; give the name of a file "
                                   f"to write (such as model.json)")


def test_check_before_work_names_the_missing_folder_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError) as info:
        check_save_target(tmp_path / "typo" / "m.json")
    assert str(info.value) == f"{tmp_path / 'typo'}: no such folder"
    with pytest.raises(FileWriteError, match="is a folder, not a file"):
        check_save_target(tmp_path)
    assert check_save_target(tmp_path / "m.json") == tmp_path / "m.json"
    assert os.listdir(tmp_path) == []  # the trial file is gone


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_check_before_work_finds_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(FileWriteError, match=r"ro: cannot write in this folder"):
            check_save_target(folder / "m.json")
    finally:
        folder.chmod(0o700)


def _old(path: Path) -> Path:
    past = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(path, (past, past), follow_symlinks=False)
    return path


def test_a_save_removes_stale_temps_of_its_own_and_nothing_else(tmp_path: Path) -> None:
    stale = tmp_path / ".m.json.k3x_9abq.tmp"
    stale.write_text("half a model")
    _old(stale)
    fd, made = tempfile.mkstemp(prefix=".m.json.", suffix=".tmp", dir=tmp_path)  # as a save does
    os.close(fd)
    made_by_mkstemp = _old(Path(made))
    fresh = tmp_path / ".m.json.ab12cd34.tmp"  # a save in progress elsewhere: kept
    fresh.write_text("x")
    keep = {
        ".m.json.backup.tmp": "mine: 6 characters, not mkstemp's 8",
        ".m.json.ABCDEFGH.tmp": "upper case: not mkstemp's",
        ".other.json.ab12cd34.tmp": "another file's",
        "m.json.ab12cd34.tmp": "no leading dot",
        ".m.json.ab12cd34.tmp.bak": "another suffix",
    }
    for name, text in keep.items():
        (tmp_path / name).write_text(text)
        _old(tmp_path / name)
    folder = tmp_path / ".m.json.dir12345.tmp"
    folder.mkdir()
    (folder / "inside").write_text("kept")
    _old(folder)
    target = tmp_path / "precious.txt"
    target.write_text("kept")
    link = tmp_path / ".m.json.link1234.tmp"
    link.symlink_to(target)
    _old(link)

    atomic_write_text(tmp_path / "m.json", "{}")

    assert not stale.exists() and not made_by_mkstemp.exists()
    assert fresh.read_text() == "x"
    for name, text in keep.items():
        assert (tmp_path / name).read_text() == text, name
    assert (folder / "inside").read_text() == "kept"
    assert link.is_symlink() and target.read_text() == "kept"
    assert read_json(tmp_path / "m.json") == {}


def test_remove_stale_temps_reports_what_it_removed(tmp_path: Path) -> None:
    a = tmp_path / ".p.json.aaaaaaaa.tmp"
    a.write_text("")
    _old(a)
    assert remove_stale_temps(tmp_path / "p.json") == [a]
    assert remove_stale_temps(tmp_path / "missing-folder" / "p.json") == []


def test_a_model_larger_than_training_allows_is_refused_before_it_is_built(tmp_path: Path,
                                                                          monkeypatch) -> None:
    from engine import nn
    from engine.train import MAX_LAYERS, MAX_WIDTH, Trainer

    def no_build(*args, **kwargs):
        raise AssertionError("the model was built before its size was checked")

    monkeypatch.setattr(nn.MLP, "__init__", no_build)
    wide = tmp_path / "wide.json"
    wide.write_text(json.dumps({"format": "micrograd-tui/mlp", "version": 1, "nin": 2,
                                "nouts": [990, 990, 1], "activation": "relu",
                                "parameters": []}))  # the sizes alone are enough
    with pytest.raises(ModelFileError) as info:
        Trainer.load_model(str(wide))
    assert str(info.value) == (f"{wide}: the model has a layer of 990 neurons; at most "
                               f"{MAX_WIDTH} can be trained here")
    deep = tmp_path / "deep.json"
    deep.write_text(json.dumps({"format": "micrograd-tui/mlp", "nin": 2,
                                "nouts": [2] * (MAX_LAYERS + 1) + [1], "parameters": []}))
    with pytest.raises(ModelFileError, match=f"has {MAX_LAYERS + 1} hidden layers; at most "
                                             f"{MAX_LAYERS}"):
        Trainer.load_model(str(deep))
