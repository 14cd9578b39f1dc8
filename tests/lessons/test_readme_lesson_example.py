"""The lesson shown in the README is a valid lesson."""

from __future__ import annotations

from pathlib import Path

from micrograd_tui.lessonbook.lint import run_check

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lesson_example_passes_lessons_check(tmp_path, capsys):
    text = README.read_text(encoding="utf-8")
    start = text.index("````markdown\n") + len("````markdown\n")
    end = text.index("````\n", start)
    (tmp_path / "04-chain.md").write_text(text[start:end], encoding="utf-8")
    assert run_check(str(tmp_path)) == 0, capsys.readouterr().out
