"""The wheel carries everything a user needs: a non-editable install into a fresh venv works."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    (path,) = out.glob("micrograd_tui-*.whl")
    return path


def test_the_wheel_ships_lessons_styles_and_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    # the lessons are data inside the app package; no top-level `lessons` package
    lessons = [n for n in names if n.startswith("micrograd_tui/lessons/") and n.endswith(".md")]
    assert len(lessons) == len(list((ROOT / "lessons").glob("*.md")))
    assert not any(n.startswith("lessons/") for n in names)
    assert {n.split("/")[0] for n in names if "/" in n and ".dist-info/" not in n} \
        == {"engine", "micrograd_tui"}
    assert "micrograd_tui/app.tcss" in names
    assert "micrograd_tui/classroom/page/app_index.html" in names  # the served page
    assert "engine/data/micrograd_moons.json" in names
    assert not any(n.startswith("tests/") for n in names)


def test_a_non_editable_install_into_a_fresh_venv_runs_and_lists_the_lessons(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    # the fresh venv finds the dependencies (textual, rich, ...) in this environment's
    # site-packages, listed after its own (no download, and .pth files there such as the
    # editable install's are not read); the project itself comes from the wheel alone
    venv.create(env_dir, with_pip=False, system_site_packages=False)
    site = next((env_dir / "lib").glob("python*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q",
                    "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    python = str(env_dir / "bin" / "python")
    where = subprocess.run(
        [python, "-c", "import importlib.util, micrograd_tui\n"
         "from micrograd_tui.lessonbook.library import shipped_lessons_dir\n"
         "print(importlib.util.find_spec('lessons'), shipped_lessons_dir(), "
         "micrograd_tui.__file__)"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    no_package, lessons_dir, _ = where.stdout.split()
    assert no_package == "None"  # `import lessons` finds nothing
    assert lessons_dir == str(site / "micrograd_tui" / "lessons")  # package data
    assert str(ROOT) not in where.stdout  # not the working tree
    check = subprocess.run([python, "-m", "micrograd_tui", "lessons", "check"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "16 lessons" in check.stdout or "lessons OK" in check.stdout
    run = subprocess.run([python, "-m", "micrograd_tui", "eval"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "24.7041" in run.stdout
    train = subprocess.run([python, "-m", "micrograd_tui", "train", "--preset", "micrograd-demo",
                            "--steps", "2"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
    assert train.returncode == 0, train.stdout + train.stderr
    # a learner's own engine.py (micrograd's README has one) in the folder does not hide ours
    learner = tmp_path / "learner"
    learner.mkdir()
    (learner / "engine.py").write_text("class Value:\n    pass\n")
    shadowed = subprocess.run([python, "-m", "micrograd_tui", "eval", "a = 2.0; b = a * a"],
                              cwd=learner, capture_output=True, text=True, timeout=120)
    assert shadowed.returncode == 0, shadowed.stderr
    assert "4.0000" in shadowed.stdout
