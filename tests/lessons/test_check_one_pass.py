"""`lessons check` finds every planted problem of a folder in one run, each once, at its line."""

from __future__ import annotations

import io
import re
from pathlib import Path

from micrograd_tui.lessonbook import run_check
from micrograd_tui.lessonbook.answers import grade
from micrograd_tui.lessonbook.library import load_lesson

FOLDER = Path(__file__).parent / "fixtures" / "many_errors"

#: (file, line, words of the message) for every planted error
PLANTED = [
    ("01-planted.md", 5, "unknown front matter key 'colour'"),
    ("01-planted.md", 12, "name 'q' is not defined"),
    ("01-planted.md", 28, "tolerance must be a number"),
    ("01-planted.md", 29, "unknown check key 'flavour'"),
    ("01-planted.md", 38, "the right answer itself"),
    ("01-planted.md", 39, "no variable named 'zz'"),
    ("01-planted.md", 40, "'wrong: EXPRESSION => MESSAGE'"),
    ("01-planted.md", 46, "no operation 'sinh'"),
    ("01-planted.md", 55, "no number with one decimal place"),
    ("02-more.md", 4, "order must be a whole number"),
    ("02-more.md", 9, "the check has no answer"),
    ("02-more.md", 19, "unknown fit key 'speed'"),
]


def test_one_run_reports_every_planted_problem_once_sorted_at_its_line() -> None:
    out = io.StringIO()
    assert run_check(str(FOLDER), out=out) == 1
    lines = out.getvalue().splitlines()
    problems = [m.groups() for m in (re.match(r".*/([^/]+\.md):(\d+): (.*)", ln) for ln in lines)
                if m]
    found = [(name, int(line), message) for name, line, message in problems]
    assert len(found) == len(PLANTED), "\n".join(lines)  # nothing more, nothing repeated
    for (name, line, words), (got_name, got_line, message) in zip(PLANTED, found):
        assert (got_name, got_line) == (name, line) and words in message, (name, line, message)
    assert lines[-1].startswith(f"{len(PLANTED)} problems")


def test_a_wrong_entry_diagnoses_the_mistake_it_names(tmp_path: Path) -> None:
    lesson = tmp_path / "les.md"
    lesson.write_text("---\ntitle: T\nsummary: S\norder: 1\n---\n\n## Step\n\n```check\n"
                      "question: What is dL/da?\nanswer: a.grad\n"
                      "wrong: b.data * 2 => twice the local derivative\n"
                      "wrong: 1 => that is what = instead of += gives\n"
                      "a = 2.0\nb = -3.0\nL = a * b\n```\n")
    loaded = load_lesson(lesson)
    assert not loaded.problems
    check = loaded.checks[0]
    assert grade(check, "-6").diagnosed and "twice the local derivative" in grade(check, "-6").message
    assert "instead of +=" in grade(check, "1.0004").message
    assert grade(check, "-3").correct is True
    assert grade(check, "5").diagnosed is False and grade(check, "5").correct is False
