"""``micrograd-tui gpt train`` and ``gpt sample``: losses to every digit, files, no Textual."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
MICROGPT_LOSSES = ["3.3659669475848504", "3.4242727838717717", "3.177802125458052"]

PROBE = """
import sys
from micrograd_tui.cli import main
code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "textual_plotext", "plotext"))
print("UI-MODULES", loaded)
sys.exit(code)
"""


def test_gpt_train_prints_microgpts_losses_and_samples_without_importing_textual(
        tmp_path: Path) -> None:
    saved = tmp_path / "gpt.json"
    done = subprocess.run([sys.executable, "-c", PROBE, "gpt", "train", "--steps", "3",
                           "--print-every", "1", "--save", str(saved)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    for step, loss in enumerate(MICROGPT_LOSSES, 1):
        assert f"step {step} loss {loss}\n" in done.stdout
    assert "samples (temperature 0.5):" in done.stdout and " 20  " in done.stdout
    assert "UI-MODULES []" in done.stdout
    assert json.loads(saved.read_text())["step"] == 3

    again = subprocess.run([sys.executable, "-c", PROBE, "gpt", "sample", "--load", str(saved),
                            "--n", "4", "--temperature", "0.8"],
                           capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    assert again.returncode == 0, again.stderr
    assert "trained for 3 steps" in again.stdout and "   4  " in again.stdout
    assert "UI-MODULES []" in again.stdout


def test_gpt_train_refuses_a_bad_data_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    assert main(["gpt", "train", "--data", str(empty), "--steps", "1"]) == 2
    err = capsys.readouterr().err
    assert f"--data: {empty}: the file is empty" in " ".join(err.split())


def test_gpt_sample_refuses_a_bad_model_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "model.json"
    bad.write_text('{"format": "micrograd-tui", "version": 1}')
    assert main(["gpt", "sample", "--load", str(bad)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "--load:" in err and "not a GPT saved by micrograd-tui" in err
    assert main(["gpt", "sample", "--load", str(tmp_path / "nope.json")]) == 2
    assert "no such GPT file" in " ".join(capsys.readouterr().err.split())


def test_gpt_train_with_a_teachers_file_and_a_bad_option(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    words = tmp_path / "words.txt"
    words.write_text("ab\nba\naab\n")
    assert main(["gpt", "train", "--data", str(words), "--steps", "2", "--print-every", "2"]) == 0
    out = capsys.readouterr().out
    assert "on 3 documents from" in out and "step 2 loss " in out
    assert main(["gpt", "train", "--steps", "0"]) == 2
    assert "--steps: must be from 1" in capsys.readouterr().err
