"""The command line and files: bounded program reads, save targets checked before training,
folders of lessons, short messages, and Ctrl+C while the first imports load."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from micrograd_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
PROGRAM_BYTES = 4 * 20_000  # UTF-8's worst case for the 20,000 characters a program may have


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


class FakeApp:
    opened: list[dict] = []
    return_code = 0

    def __init__(self, *, source=None, lessons_dir=None) -> None:
        FakeApp.opened.append({"source": source, "lessons_dir": lessons_dir})

    def run(self) -> None:
        pass


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> type[FakeApp]:
    import micrograd_tui.app

    monkeypatch.setattr(micrograd_tui.app, "MicrogradApp", FakeApp)
    FakeApp.opened = []
    return FakeApp


def hostile_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Files that must be refused, each with the words that say why."""
    fifo = tmp_path / "prog.fifo"
    os.mkfifo(fifo)  # nobody writes to it: reading it would hang
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")  # size 0, endless: only ever opened, never read
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:  # 300 MB, sparse: no disk used
        f.truncate(300 * 1024 * 1024)
    long = tmp_path / "long.txt"
    long.write_text("x = 1.0\n" + "#" * 20_000)
    return {
        "fifo": (fifo, "is a named pipe (FIFO), not a regular file; only regular files are read"),
        "/dev/zero": (Path("/dev/zero"), "is a character device, not a regular file; only "
                                         "regular files are read"),
        "link to /dev/zero": (zero, "is a character device, not a regular file; only regular "
                                    "files are read"),
        "300 MB": (huge, f"this program file is too large (314572800 bytes; the limit is {PROGRAM_BYTES})"),
        "20,008 characters": (long, "this program is too long (20,008 characters; the limit is "
                                    "20,000)"),
    }


# --- reading programs ---------------------------------------------------------------------

def test_eval_file_refuses_what_is_not_a_small_regular_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, (path, why) in hostile_files(tmp_path).items():
        code, out, err = run(["eval", "--file", str(path)], capsys)
        assert code == 2, name
        assert out == ""
        assert err == f"error: --file: cannot read {path}: {why}\n", name


def test_the_apps_file_option_refuses_them_before_the_app_opens(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_app: type[FakeApp]) -> None:
    for name, (path, why) in hostile_files(tmp_path).items():
        code, _, err = run(["--file", str(path)], capsys)
        assert code == 2, name
        assert err == f"error: --file: cannot read {path}: {why}\n", name
    assert fake_app.opened == []
    good = tmp_path / "ok.txt"
    good.write_bytes("\ufeffx = 1.0\n".encode())  # a byte-order mark is dropped
    assert run(["--file", str(good)], capsys)[0] == 0
    assert fake_app.opened == [{"source": "x = 1.0\n", "lessons_dir": None}]


class EndlessInput(io.RawIOBase):
    """``yes | micrograd-tui eval --file -``: input that never ends; counts what was read."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = len(buffer)
        buffer[:n] = b"y\n" * (n // 2) + b"y" * (n % 2)
        self.read_bytes += n
        return n


def test_eval_stdin_is_read_with_a_cap(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    endless = EndlessInput()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(endless)))
    code, out, err = run(["eval", "--file", "-"], capsys)
    assert code == 2 and out == ""
    assert err == f"error: --file: cannot read standard input: this program file is too large " \
                  f"(more than {PROGRAM_BYTES} bytes)\n"
    assert endless.read_bytes <= PROGRAM_BYTES + 1 + io.DEFAULT_BUFFER_SIZE


def test_eval_stdin_program_runs(monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a = 2.0\nb = a * a\n")))
    code, out, err = run(["eval", "--file", "-", "--json"], capsys)
    assert code == 0, err
    assert '"label": "b"' in out


# --- saving after training ----------------------------------------------------------------

def test_train_save_into_a_missing_folder_is_refused_before_the_first_step(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "nonexistent" / "m.json"
    code, out, err = run(["train", "--steps", "2000", "--save", str(target)], capsys)
    assert code == 2
    assert out == ""  # not a single step ran
    assert err == f"error: --save: {tmp_path / 'nonexistent'}: no such folder\n"


@pytest.mark.parametrize("target, why", [
    ("/dev/stdout", "/dev/stdout: is standard output, not a file; give the name of a file to "
                    "write (such as model.json)"),
])
def test_train_save_to_a_stream_says_what_is_wrong(target: str, why: str,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args, **kwargs):
        raise AssertionError("a test must never write in /dev")

    # the real /dev/stdout: should the check ever fail, nothing may be created or replaced
    monkeypatch.setattr(tempfile, "mkstemp", never)
    monkeypatch.setattr(os, "replace", never)
    code, out, err = run(["train", "--steps", "1", "--save", target], capsys)
    assert code == 2 and out == ""
    assert err == f"error: --save: {why}\n"


def test_train_save_to_a_device_leaves_the_device_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dev = tmp_path / "null"
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as e:
        pytest.skip(f"cannot make a device node here: {e}")
    code, out, err = run(["train", "--steps", "1", "--save", str(dev)], capsys)
    assert code == 2 and out == ""
    assert "is a character device, not a regular file; only regular files are replaced" in err
    assert stat.S_ISCHR(os.lstat(dev).st_mode)


def test_train_save_follows_a_symlink_and_expands_the_home_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    (tmp_path / "latest.json").symlink_to(tmp_path / "models" / "m1.json")
    code, out, err = run(["train", "--steps", "1", "--save=~/latest.json"], capsys)
    assert code == 0, err
    assert (tmp_path / "latest.json").is_symlink()
    assert '"nouts"' in (tmp_path / "models" / "m1.json").read_text()


# --- folders of lessons, option values ------------------------------------------------------

def test_a_file_given_as_a_lessons_folder_gets_one_message_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_app: type[FakeApp]) -> None:
    lesson = tmp_path / "01-intro.md"
    lesson.write_text("# Intro\n")
    code, out, err = run(["lessons", "check", str(lesson)], capsys)
    assert code == 2 and out == ""
    assert err == f"error: {lesson}: is a file, not a folder of lessons\n"
    code, out, err = run(["--lessons", str(lesson)], capsys)
    assert code == 2
    assert err == f"error: --lessons: {lesson}: is a file, not a folder of lessons\n"
    assert fake_app.opened == []


@pytest.mark.parametrize("value", ["inf", "-inf", "nan"])
def test_lr_must_be_a_finite_number(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["train", f"--lr={value}"], capsys)
    assert code == 2 and out == ""
    assert err == "error: --lr: must be a finite number > 0\n"


@pytest.mark.parametrize("argv", [
    ["train", "--dataset", "d" * 10_000],
    ["train", "--preset", "p" * 10_000],
    ["train", "--layers", "1," + "x" * 10_000],
    ["train", "--lr", "f" * 10_000],
    ["train", "--optimizer", "o" * 10_000],
    ["eval", "x = 1.0", "u" * 10_000],
])
def test_messages_quote_at_most_80_characters_of_a_value(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    message = err.strip().splitlines()[-1]
    assert "…" in message
    run_of_value = max(message.count(c * 81) for c in "dpxfou")
    assert run_of_value == 0, message[:200]
    assert len(message) < 400, message[:200]


# --- Ctrl+C while the first imports load ----------------------------------------------------

EARLY_CTRL_C = textwrap.dedent("""
    import os, signal, sys

    class SigintWhileImporting:
        # a real SIGINT, delivered while the named module is being imported
        def find_spec(self, name, path=None, target=None):
            if name == sys.argv[1]:
                os.kill(os.getpid(), signal.SIGINT)
            return None

    sys.meta_path.insert(0, SigintWhileImporting())
    from micrograd_tui.cli import main
    raise SystemExit(main(["train", "--steps", "5"]))
""")


@pytest.mark.parametrize("module", ["engine.train", "rich.progress"])
def test_ctrl_c_while_importing_prints_one_line_and_exits_130(module: str) -> None:
    proc = subprocess.run([sys.executable, "-c", EARLY_CTRL_C, module], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 130, proc.stderr
    assert proc.stdout == "stopped by Ctrl+C before training started\n"
    assert proc.stderr == ""
