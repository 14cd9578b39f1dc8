"""Write the backward in the playground: F9 opens the form, a wrong derivative is refused at a
named point with numbers, the right one is accepted and is one node of the next program."""

from __future__ import annotations

import math
import re

from micrograd_tui.app import MicrogradApp
from micrograd_tui.playground.op_editor import OpEditorScreen
from micrograd_tui.playground.screen import PlaygroundScreen

SIZE = (80, 24)


async def type_into(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space", "(": "left_parenthesis", ")": "right_parenthesis",
                         "+": "plus", "*": "asterisk", ",": "comma", "-": "minus",
                         ";": "semicolon"}.get(ch, ch) for ch in text])


async def test_a_wrong_derivative_is_refused_and_the_right_one_is_usable():
    app = MicrogradApp(source="x = 0.5\ny = softplus(x) * 2\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        assert "unknown function softplus" in screen.status_text  # not defined yet
        await pilot.press("f9")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, OpEditorScreen)
        # the learner types a field and Enter moves on to the next empty one; the last checks
        form.fill("softplus", "", "log(1 + exp(x))", "exp(x)")
        await pilot.press("enter")
        assert form.focused is form.query_one("#op-inputs")
        await pilot.press("x", "enter")
        await pilot.pause()
        assert app.screen is form  # refused: the form stays
        m = re.search(r"at x = (\S+) your derivative gives (\S+), the slope there is (\S+)",
                      form.verdict_text)
        assert m, form.verdict_text
        x, given, slope = (float(g) for g in m.groups())
        assert given != slope
        # the numbers are the engine's: exp(x) against the slope of softplus, sigmoid(x)
        assert abs(given - math.exp(x)) < 1e-3 * max(1, given)
        assert abs(slope - 1 / (1 + math.exp(-x))) < 1e-3

        form.query_one("#op-derivative").value = ""
        form.query_one("#op-derivative").focus()
        await type_into(pilot, "sigmoid(x)")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen  # accepted: back in the playground
        assert "softplus" in screen.user_ops
        # the program that failed before now runs; softplus(x) is one node
        program = screen.program
        assert program is not None and program.output.data == 2 * math.log(1 + math.exp(0.5))
        node = program.output._prev[0]
        assert node._op.symbol == "softplus" and node._prev == (program.variables["x"],)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert program.variables["x"].grad == 2 / (1 + math.exp(-0.5))
        # the inspector shows the learner's own formula for that node
        tree = screen.tree
        tree.move_cursor(tree.reveal(node, move_cursor=False))
        await pilot.pause()
        assert "d softplus(x)/dx = sigmoid(x)" in screen.inspector.text
        # and the gradient check agrees
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "Gradient check" in screen.status_text and "FAIL" not in screen.status_text


async def test_a_form_error_names_the_field_and_escape_cancels():
    app = MicrogradApp(source="x = 1.0\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("f9")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, OpEditorScreen)
        form.fill("cube", "x", "x ** 3", "3 * x ** 2 [")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert form.verdict_text.startswith("✗ derivative: column 12")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.user_ops == {}


async def test_the_lesson_op_exercise_refuses_then_accepts(tmp_path, monkeypatch):
    from textual.widgets import Input, Static

    from micrograd_tui.lessonbook.answer_box import CheckPanel
    from micrograd_tui.lessonbook.progress import ENV_DATA_DIR

    from micrograd_tui.lessonbook.library import shipped_lessons_dir

    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))
    folder = tmp_path / "lessons"
    folder.mkdir()
    name = "17-write-the-backward.md"
    (folder / name).write_bytes((shipped_lessons_dir() / name).read_bytes())
    app = MicrogradApp(start_mode="lessons", lessons_dir=folder)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert [lesson.path.name for lesson in screen.lessons] == [name]
        screen.open_lesson(0, 2)  # sigmoid's backward
        await pilot.pause()
        panel = screen.query_one(CheckPanel)
        field = panel.query_one(Input)
        assert "d/dx" in field.placeholder
        field.focus()
        field.value = "exp(-x) / (1 + exp(-x))"  # the square is missing
        await pilot.press("enter")
        await pilot.pause()
        text = str(panel.query_one("#check-feedback", Static).render())
        assert "Not quite: at x = " in text and "your derivative gives" in text
        assert not panel.passed
        field.value = "exp(-x) / (1 + exp(-x))**2"
        await pilot.press("enter")
        await pilot.pause()
        assert panel.passed
        assert "Correct" in str(panel.query_one("#check-feedback", Static).render())
        # the operation is the learner's now, with the derivative they typed: Ctrl+O opens a
        # program that calls it, one node whose rule is that derivative
        feedback = str(panel.query_one("#check-feedback", Static).render())
        assert "mysigmoid is yours now" in feedback and "Ctrl+O" in feedback
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.pause()
        playground = app.screen
        assert isinstance(playground, PlaygroundScreen)
        assert "y = mysigmoid(x)" in playground.editor.text
        program = playground.program
        assert program is not None, playground.status_text
        node = program.output
        assert node._op.symbol == "mysigmoid"
        x = program.variables["x"].data
        assert node.data == 1 / (1 + math.exp(-x))
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert program.variables["x"].grad == math.exp(-x) / (1 + math.exp(-x)) ** 2
        tree = playground.tree
        tree.move_cursor(tree.reveal(node, move_cursor=False))
        await pilot.pause()
        assert "exp(-x) / (1 + exp(-x))**2" in playground.inspector.text


async def test_a_lesson_op_is_callable_in_a_playground_that_was_never_shown(tmp_path,
                                                                             monkeypatch):
    """The app started on the lessons: accepting the op builds the playground behind them,
    and the learner's next program there may call it."""
    from micrograd_tui.lessonbook.answer_box import CheckPanel
    from micrograd_tui.lessonbook.progress import ENV_DATA_DIR

    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))
    app = MicrogradApp(start_mode="lessons", source="t = 0.25\nu = mytanh(t) * 3\n")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        index = next(i for i, le in enumerate(screen.lessons) if le.path.name.startswith("17-"))
        screen.open_lesson(index, 1)  # tanh's backward
        await pilot.pause()
        panel = screen.query_one(CheckPanel)
        panel.input.value = "1 - tanh(x)**2"
        await pilot.press("enter")
        await pilot.pause()
        assert panel.passed
        await pilot.press("f2")
        await pilot.pause()
        await pilot.pause()
        playground = app.screen
        assert isinstance(playground, PlaygroundScreen) and "mytanh" in playground.user_ops
        program = playground.program
        assert program is not None, playground.status_text
        assert program.output.data == math.tanh(0.25) * 3
