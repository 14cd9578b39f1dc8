"""A learner's own ``engine.py`` never breaks ``python -m micrograd_tui``.

micrograd's README has the learner write ``engine.py``; ``python -m`` puts the current folder
first on ``sys.path``. The app ignores the current folder; an ``engine.py`` that still hides the
engine (through ``PYTHONPATH``) is named in one line, with what to do.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | env
    return subprocess.run([sys.executable, "-m", "micrograd_tui", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=60)


def learner_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "my-micrograd"
    folder.mkdir()
    (folder / "engine.py").write_text("class Value:\n    def __init__(self, data):\n"
                                      "        self.data = data\n")
    return folder


def test_an_engine_py_in_the_working_folder_is_ignored(tmp_path):
    folder = learner_folder(tmp_path)
    done = run(["eval"], cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "g = 24.7041" in done.stdout
    assert "not a package" not in done.stderr


def test_an_engine_py_on_pythonpath_is_named_in_one_line(tmp_path):
    folder = learner_folder(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run(["eval"], cwd=elsewhere, PYTHONPATH=str(folder))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert str(folder / "engine.py") in lines[0] and "rename" in lines[0]
