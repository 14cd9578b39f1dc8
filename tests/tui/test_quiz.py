"""Quiz mode: the learner types each gradient before the playground shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.expr import evaluate
from micrograd_tui.app import MicrogradApp
from micrograd_tui.lessonbook.progress import ENV_DATA_DIR
from micrograd_tui.playground.examples import LECTURE_L
from micrograd_tui.playground.graph_index import GraphIndex
from micrograd_tui.playground.graph_tree import GraphTree
from micrograd_tui.playground.quiz import Quiz
from micrograd_tui.playground.screen import PlaygroundScreen

PROGRAM = LECTURE_L  # L = (a*b + c) * f
SIZE = (100, 36)


def playground(app: MicrogradApp) -> PlaygroundScreen:
    screen = app.screen
    assert isinstance(screen, PlaygroundScreen)
    return screen


def grad_cell(tree: GraphTree, name: str) -> str:
    """The grad column of ``name``'s full row, as drawn."""
    assert tree.index is not None
    node = tree.reveal(tree.index.find(name), move_cursor=False)
    assert node is not None
    y = node.line
    return tree.drawn_lines()[y].rstrip().split("  ")[-1].strip()


async def answer(pilot, text: str) -> None:
    screen = playground(pilot.app)
    field = screen.quiz_panel.field
    field.focus()
    field.value = text
    await pilot.press("enter")
    await pilot.pause()


async def select(pilot, name: str) -> None:
    tree = playground(pilot.app).tree
    tree.reveal(tree.index.find(name))
    await pilot.pause()


def test_the_quiz_grades_with_the_lessons_tolerance_and_keeps_the_score():
    program = evaluate(PROGRAM)
    quiz = Quiz(PROGRAM)
    quiz.set_graph(GraphIndex(program.output, program.variables))
    assert quiz.hidden("a") and not quiz.asked("L")  # the root's grad is 1 by definition
    assert quiz.answer("a", "-2").correct is False
    assert quiz.answer("a", "6 * 2 - 12").correct is False
    assert quiz.answer("a", "3 * 2 + 0.0004").correct is True  # within 1e-3
    assert quiz.answer("d", "oops").correct is None  # not a number: no try counted
    assert quiz.answer("d", "-2").correct is True
    quiz.give_up("b")
    assert (quiz.score.first, quiz.score.helped, quiz.score.gave_up) == (1, 1, 1)
    assert not quiz.hidden("a") and quiz.hidden("e")


async def test_quiz_mode_hides_grads_marks_answers_and_keeps_the_score():
    app = MicrogradApp(source=PROGRAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("f7")
        await pilot.pause()
        assert screen.quiz is not None
        assert grad_cell(screen.tree, "a") == "?"
        assert grad_cell(screen.tree, "L") == "1.0000"
        await select(pilot, "a")
        assert "grad ?" in screen.inspector.text and "total ?" in screen.inspector.text
        await answer(pilot, "-2")  # e.grad alone, still hidden: wrong, and not said why
        assert "Not quite" in screen.quiz_panel.reply_text
        assert grad_cell(screen.tree, "a") == "✗ ?"
        await answer(pilot, "-3*-2")
        assert "Right: a.grad = 6" in screen.quiz_panel.reply_text
        assert grad_cell(screen.tree, "a") == "6.0000"
        # local × upstream, once right; e.grad is a question still open: not given away
        assert "e: -3.0 × e.grad (hidden) = 6.0" in screen.inspector.text
        await select(pilot, "d")
        await answer(pilot, "-2")  # right first time
        await select(pilot, "b")
        await pilot.press("f6")  # give up
        await pilot.pause()
        await select(pilot, "e")
        await answer(pilot, "-2")  # with e.grad known, a's line shows its numbers
        await select(pilot, "a")
        assert "e: -3.0 × -2.0 = 6.0" in screen.inspector.text
        assert grad_cell(screen.tree, "b") == "-4.0000"
        assert str(screen.quiz_panel.border_subtitle) == \
            "2 first try · 1 with help · 1 given up"
        # off and on again: the program keeps its score and its answers
        await pilot.press("f7")
        await pilot.pause()
        assert screen.quiz is None and grad_cell(screen.tree, "c") == "-2.0000"
        await pilot.press("f7")
        await pilot.pause()
        assert grad_cell(screen.tree, "a") == "6.0000" and grad_cell(screen.tree, "c") == "?"
        assert screen.quiz.score.first == 2


async def test_step_through_quiz_asks_first_and_ends_with_backwards_grads():
    expected = evaluate(PROGRAM)
    expected.backward()
    app = MicrogradApp(source=PROGRAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("f7", "ctrl+n")
        await pilot.pause()
        stepper = screen.stepper
        assert stepper is not None and stepper.position == 0  # asked, not run
        assert "what will d.grad, f.grad be?" in screen.status_text
        assert grad_cell(screen.tree, "d") == "?"
        await answer(pilot, "7")  # wrong: d.grad is f.data = -2
        assert stepper.position == 0
        await answer(pilot, "-2")
        await answer(pilot, "4")  # f.grad = d.data; the step then runs
        assert stepper.position == 1
        assert "d.grad += f.data × L.grad = -2.0 × 1.0 = -2.0   ← you said -2 ✓" \
            in screen.status_text
        assert grad_cell(screen.tree, "d") == "-2.0000"
        while not stepper.done:
            question = screen.quiz.step_open
            if question is None:
                await pilot.press("ctrl+n")
                await pilot.pause()
                continue
            await answer(pilot, repr(question.expected))
        grads = {name: v.grad for name, v in screen.program.variables.items()}
        assert grads == {name: v.grad for name, v in expected.variables.items()}
        assert screen.quiz.score.helped == 1 and screen.quiz.score.gave_up == 0


LESSON = """\
---
title: Quiz lesson
summary: one check
order: 1
---

## The gradient of a

```program
a = 2.0
b = -3.0
L = a * b
```

```check
question: What is a.grad?
answer: a.grad
```
"""


async def test_a_lesson_with_an_open_check_opens_its_program_in_quiz_mode(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "quiz.md").write_text(LESSON, encoding="utf-8")
    app = MicrogradApp(start_mode="lessons", lessons_dir=tmp_path / "lessons")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        screen = playground(app)
        assert screen.quiz is not None and list(screen.quiz.expected) == ["a"]
        assert grad_cell(screen.tree, "a") == "?"  # the answer is not on show
        assert grad_cell(screen.tree, "b") == "2.0000"


async def test_quiz_mode_refuses_gradcheck_and_export_while_grads_are_hidden(tmp_path: Path):
    app = MicrogradApp(source=PROGRAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        screen.export_dir = tmp_path
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert screen is app.screen  # no gradient-check table with every leaf's grad
        assert "Answer or give up first (F6)" in screen.status_text
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert list(tmp_path.iterdir()) == [] and screen.last_export is None
        assert "the graph export (Ctrl+E)" in screen.status_text
        for name in screen.quiz.expected:  # every question given up: nothing is hidden now
            screen.quiz.give_up(name)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen is not screen


async def test_the_graph_view_and_inspector_show_no_hidden_grad():
    app = MicrogradApp(source=PROGRAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        drawing = "\n".join(screen.dag.text_lines())
        assert "[a│2.000│?      ]" in drawing and "[L│-8.000│1.000  ]" in drawing
        assert "-4.000" not in drawing  # b.grad
        await pilot.press("f10")
        await select(pilot, "a")
        await pilot.press("f6")  # a given up: its inspector must not give e.grad away
        await pilot.pause()
        text = screen.inspector.text
        assert "grad 6.0000" in text and "e.grad (hidden)" in text
        assert "-2.0" not in text.split("grad = sum")[1]  # e.grad = -2 stays hidden


async def test_a_constant_shows_the_same_in_the_graph_view_as_in_the_tree():
    app = MicrogradApp(source="a = 2.0\nb = a * 3.0\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("ctrl+b", "f10")
        await pilot.pause()
        drawing = "\n".join(screen.dag.text_lines())
        assert "[(3.0)│3.000│2.000  ]" in drawing  # out of quiz mode: its number, as in the tree
        await pilot.press("f10", "f7")
        await pilot.pause()
        # the tree's "·" (a constant's grad tells its user's, so it stays hidden too) and "?"
        assert grad_cell(screen.tree, "(3.0)") == "·" and grad_cell(screen.tree, "a") == "?"
        await pilot.press("f10")
        await pilot.pause()
        drawing = "\n".join(screen.dag.text_lines())
        assert "[(3.0)│3.000│·      ]" in drawing and "[a│2.000│?      ]" in drawing


async def test_stepping_back_or_backward_mid_question_keeps_the_answers():
    app = MicrogradApp(source=PROGRAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("f7", "ctrl+n")
        await pilot.pause()
        await answer(pilot, "-2")
        await answer(pilot, "4")  # step 1 runs
        await pilot.press("ctrl+n")  # step 2 asks e.grad, c.grad
        await pilot.pause()
        assert [q.name for q in screen.quiz.step_questions] == ["e", "c"]
        await answer(pilot, "-2")  # e.grad right, c.grad still open
        await pilot.press("ctrl+t")  # back to before step 1
        await pilot.pause()
        assert screen.stepper.position == 0
        assert "after this step" not in str(screen.quiz_panel.query_one("#quiz-question").render())
        await pilot.press("ctrl+n")  # step 1 was answered: it runs at once, answers beside it
        await pilot.pause()
        assert screen.stepper.position == 1 and "you said -2 ✓" in screen.status_text
        await pilot.press("ctrl+n")  # step 2 again: e.grad kept, only c.grad asked
        await pilot.pause()
        assert screen.quiz.step_open.name == "c"
        await pilot.press("ctrl+b")  # backward mid-question: the question is dropped
        await pilot.pause()
        assert screen.quiz.step_open is None
        await pilot.press("ctrl+n", "ctrl+n")  # step 1 runs (answered), step 2 asks c only
        await pilot.pause()
        assert screen.stepper.position == 1 and screen.quiz.step_open.name == "c"
        await answer(pilot, "-2")
        assert screen.stepper.position == 2
        assert screen.quiz.score.first == 4  # d, f, e, c: each counted once


async def test_f6_gives_up_with_the_editor_focused():
    app = MicrogradApp(source=PROGRAM)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("f7")
        await select(pilot, "a")
        screen.editor.focus()
        await pilot.pause()
        text = screen.editor.text
        await pilot.press("f6")
        await pilot.pause()
        assert screen.quiz.mark("a").outcome == "gave up"
        assert grad_cell(screen.tree, "a") == "6.0000" and screen.editor.text == text
