"""The lesson format: parsing, `lessons check` on the shipped lessons and on broken fixtures."""

from __future__ import annotations

import dataclasses
import io
import math
import shutil
from pathlib import Path

import pytest

from engine.value import OPS
from micrograd_tui.lessonbook import load_lessons, parse_text, run_check
from micrograd_tui.lessonbook.answers import AnswerError, evaluate_expression, grade, solve
from micrograd_tui.lessonbook.library import shipped_lessons_dir
from micrograd_tui.lessonbook.render import OPEN_PROGRAM_HINT, OPEN_SETUP_HINT, step_markdown

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"

#: fixture file -> (line, words the message must contain): the reference for `lessons check`
EXPECTED = {
    "no_front_matter.md": (1, "no front matter"),
    "bad_order.md": (4, "order must be a whole number"),
    "missing_title.md": (4, "no title"),
    "program_syntax.md": (11, "syntax"),
    "program_numeric.md": (14, "log"),
    "check_unknown_name.md": (11, "no variable named 'q'"),
    "check_no_answer.md": (9, "no answer"),
    "check_infinite.md": (12, "division by zero"),
    "check_bad_tolerance.md": (12, "tolerance"),
    "train_invalid.md": (11, "lr"),
    "train_unknown_key.md": (11, "learning_rate"),
    "unclosed_fence.md": (9, "never closed"),
    "unknown_formula.md": (10, "cosh"),
    "fit_bad_targets.md": (11, "targets"),
    "two_programs.md": (13, "one program block"),
    "check_typed_number.md": (11, "computed from the program"),
    "check_answer_power.md": (11, "a power that is not a whole number"),
}


def check_output(folder: str | Path | None) -> tuple[int, str]:
    out = io.StringIO()
    code = run_check(None if folder is None else str(folder), out=out)
    return code, out.getvalue()


# --- lessons check ---------------------------------------------------------------------------

def test_shipped_lessons_pass_the_check() -> None:
    code, out = check_output(None)
    assert code == 0, out
    assert out.startswith(f"{len(list(shipped_lessons_dir().glob('*.md')))} lessons OK")


def test_each_broken_fixture_is_reported_at_its_file_and_line() -> None:
    code, out = check_output(BROKEN)
    assert code == 1
    lines = out.splitlines()
    for name, (line, words) in EXPECTED.items():
        prefix = f"{BROKEN / name}:{line}: "
        hits = [ln for ln in lines if ln.startswith(prefix)]
        assert hits, f"no problem reported at {prefix}\n{out}"
        assert any(words in ln for ln in hits), hits
    assert set(EXPECTED) == {p.name for p in BROKEN.glob("*.md")}, "every fixture has a reference"
    assert lines[-1] == f"{len(lines) - 1} problems ({len(EXPECTED)} of {len(EXPECTED)} lessons broken)"


def test_a_good_folder_passes_and_a_missing_one_fails(tmp_path: Path) -> None:
    assert check_output(FIXTURES / "good")[0] == 0
    code, out = check_output(tmp_path / "nowhere")
    assert code == 1 and "no such folder" in out
    code, out = check_output(tmp_path)
    assert code == 1 and "no lesson files" in out


def test_not_utf8_and_duplicate_order_are_problems(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "good" / "01-tiny.md", tmp_path / "01-tiny.md")
    shutil.copy(FIXTURES / "good" / "01-tiny.md", tmp_path / "02-same-order.md")
    (tmp_path / "03-binary.md").write_bytes(b"---\ntitle: x\xff\xfe\n---\n")
    (tmp_path / "README.md").write_text("# Not a lesson\n")
    code, out = check_output(tmp_path)
    assert code == 1
    assert f"{tmp_path / '03-binary.md'}:1: not a lesson of UTF-8 text" in out
    assert f"{tmp_path / '02-same-order.md'}:4: order 1 is also used by 01-tiny.md" in out
    assert "README" not in out


# --- the format ------------------------------------------------------------------------------

LESSON = """\
---
title: T
summary: S
order: 2
---

Intro text.

## First

```python
## not a step: inside a code block
```

```program
a = 2.0
b = a * a
```

## Second {{name:tanh}}

Formula: {{formula:tanh}} and {{formula:**2}}.

```check
question: What is a.grad?
answer: a.grad
hint: twice a,
  which is 4.
```

```train
preset: micrograd-demo
lr: 0.5
hidden: 8, 8
```
"""


def test_steps_blocks_and_engine_text() -> None:
    lesson = parse_text(LESSON, "t.md")
    assert not lesson.problems, lesson.problems
    assert (lesson.title, lesson.summary, lesson.order) == ("T", "S", 2)
    assert [s.title for s in lesson.steps] == ["T", "First", "Second hyperbolic tangent"]
    first, second = lesson.steps[1], lesson.steps[2]
    assert first.program is not None and first.program.source == "a = 2.0\nb = a * a\n"
    assert first.program.line == 15
    # the engine's own formula text, never a copy
    md = step_markdown(second)
    assert OPS["tanh"].formula in md and "d(x ** 2)/dx = 2 * x^1" in md
    check = second.check
    assert check is not None and check.hint == "twice a, which is 4."
    assert second.program_context is first.program  # the check uses the program above
    solution = solve(check, second)
    assert solution.value == 4.0 and solution.text == "a.grad = 4"
    assert OPEN_SETUP_HINT in md and OPEN_PROGRAM_HINT in step_markdown(first)
    assert "## not a step" in step_markdown(first)


def test_train_blocks_become_valid_configs() -> None:
    from engine.train import PRESETS

    from micrograd_tui.lessonbook.library import validate_lesson

    lesson = parse_text(LESSON, "t.md")
    validate_lesson(lesson)
    assert not lesson.problems
    config = lesson.steps[2].train.config
    assert config == dataclasses.replace(PRESETS["micrograd-demo"], lr=0.5, hidden=(8, 8))


def test_every_shipped_check_has_a_finite_computed_answer() -> None:
    lessons, problems = load_lessons(None)
    assert not problems
    for lesson in lessons:
        for check in lesson.checks:
            assert math.isfinite(check.solution.value), (lesson.path, check.answer)


# --- answers and grading ---------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [("-3/2", -1.5), ("14", 14.0), (" 2 ** -1 ", 0.5),
                                         ("1 - tanh(0.5)**2", 1 - math.tanh(0.5) ** 2)])
def test_typed_answers_may_be_arithmetic(text: str, value: float) -> None:
    assert evaluate_expression(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["__import__('os')", "a.__class__", "().__class__", "x",
                                  "[1]", "1,5", "1e308 * 10", "(-8) ** 0.5", "'7'", "True",
                                  "lambda: 1", "9 ** 9 ** 9", "(" * 300 + "1" + ")" * 300, ""])
def test_answers_outside_the_allow_list_are_refused(text: str) -> None:
    with pytest.raises(AnswerError):
        evaluate_expression(text)


def test_grading_uses_the_tolerance() -> None:
    lesson = parse_text(LESSON, "t.md")
    check = lesson.steps[2].check
    check.solution = solve(check, lesson.steps[2])
    assert grade(check, "4.0009").correct is True  # default tolerance 1e-3
    assert grade(check, "4.01").correct is False
    assert grade(check, "four").correct is None


def test_the_command_line_reports_file_and_line() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "micrograd_tui", "lessons", "check", str(BROKEN)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    line, words = EXPECTED["program_syntax.md"]
    assert f"{BROKEN / 'program_syntax.md'}:{line}: " in done.stdout
