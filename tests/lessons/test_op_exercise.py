"""Op exercises (```op blocks): the learner types an operation's derivative; the engine grades
it by central differences; a lesson whose own derivative is wrong is refused at its line."""

from __future__ import annotations

import re
from pathlib import Path

from micrograd_tui.lessonbook.library import load_lesson, shipped_lessons_dir
from micrograd_tui.lessonbook.op_exercise import OpExercise, grade_op
from micrograd_tui.lessonbook.render import step_markdown

LESSON = """\
---
title: Ops
summary: Write derivatives.
order: 1
---

## Cube

```op
name: cube
inputs: x
forward: x ** 3
answer: {answer}
hint: Bring the exponent down.
```

## Two

```op
name: mulplus
inputs: a, b
forward: a*b + a
answer: b + 1; a
```
"""


def write(tmp_path: Path, answer: str = "3 * x**2") -> Path:
    path = tmp_path / "ops.md"
    path.write_text(LESSON.format(answer=answer), encoding="utf-8")
    return path


def exercises(path: Path) -> list[OpExercise]:
    lesson = load_lesson(path)
    assert not lesson.problems, lesson.problems
    checks = lesson.checks
    assert all(isinstance(c, OpExercise) for c in checks)
    return checks  # type: ignore[return-value]


def test_an_op_block_is_a_check_graded_by_the_slope(tmp_path: Path) -> None:
    cube, two = exercises(write(tmp_path))
    assert [cube.index, two.index] == [0, 1] and cube.inputs == ("x",) and two.inputs == ("a", "b")
    assert "d/dx" in cube.question and "3 * x**2" not in cube.question  # the answer is not shown
    assert cube.solution is not None and cube.solution.text == "d/dx = 3 * x**2"
    right = grade_op(cube, "3*x*x")
    assert right.correct is True, right.message
    wrong = grade_op(cube, "3 * x")
    assert wrong.correct is False
    m = re.search(r"at x = (\S+) your derivative gives (\S+), the slope there is (\S+),?", wrong.message)
    assert m, wrong.message
    x, given = float(m.group(1)), float(m.group(2))
    assert abs(given - 3 * x) < 1e-2 and abs(float(m.group(3).rstrip(",")) - 3 * x * x) < 1e-2 * max(1, x * x)
    assert grade_op(two, "b + 1; a").correct is True
    assert "d/da" in grade_op(two, "b; a").message
    unreadable = grade_op(cube, "3 x")
    assert unreadable.correct is None and "syntax" in unreadable.message
    too_few = grade_op(two, "b + 1")
    assert too_few.correct is None and "one derivative per input" in too_few.message


def test_the_step_shows_the_forward_and_what_to_type(tmp_path: Path) -> None:
    path = write(tmp_path)
    lesson = load_lesson(path)
    text = step_markdown(lesson.steps[1])
    assert "mulplus(a, b) = a*b + a" in text and "d/da; d/db" in text
    assert "b + 1" not in text


def test_a_lesson_with_a_wrong_derivative_is_refused_at_its_answer_line(tmp_path: Path) -> None:
    lesson = load_lesson(write(tmp_path, answer="3 * x"))
    assert [p.line for p in lesson.problems] == [13]  # the answer line
    assert "not the derivative of its forward" in lesson.problems[0].message
    assert "at x = " in lesson.problems[0].message


def test_the_shipped_lesson_has_the_four_exercises_and_the_value_class() -> None:
    lesson = load_lesson(shipped_lessons_dir() / "17-write-the-backward.md")
    assert not lesson.problems, lesson.problems
    names = [c.op_name for c in lesson.checks if isinstance(c, OpExercise)]
    assert names == ["mytanh", "mysigmoid", "cube", "mulplus"]
    source = lesson.path.read_text(encoding="utf-8")
    assert "def __radd__" in source and "other**-1" in source and "def _backward" in source
    tanh = lesson.checks[0]
    assert isinstance(tanh, OpExercise)
    assert grade_op(tanh, "1 - mytanh(x)**2").correct is None  # its own name is not known yet
    assert grade_op(tanh, "1 - tanh(x)**2").correct is True
    assert grade_op(tanh, "1 - tanh(x)").correct is False
