"""Quiz mode diagnoses a wrong gradient: the local derivative or the upstream grad alone, one
use of a node used several times, a sign flip, ``=`` instead of ``+=``, the root's own 1."""

from __future__ import annotations

from engine.expr import evaluate
from micrograd_tui.app import MicrogradApp
from micrograd_tui.playground.examples import LECTURE_L
from micrograd_tui.playground.graph_index import GraphIndex
from micrograd_tui.playground.quiz import Quiz
from micrograd_tui.playground.quiz_diagnosis import Use, mistakes
from micrograd_tui.playground.screen import PlaygroundScreen

from test_quiz import SIZE, answer, grad_cell, playground, select  # the quiz tests' helpers

#: a is used twice, by e and by L: a.grad = b.data × e.grad + 1 × L.grad = -3 + 1 = -2
SHARED = """\
a = 2.0
b = -3.0
e = a * b
L = e + a
"""

ALL_SHOWN = {"e", "L"}


def values(found: list[tuple[float, str]]) -> list[float]:
    return [value for value, _ in found]


def test_one_use_gives_local_alone_upstream_alone_and_the_sign_flip_in_that_order():
    # a.grad in L = (a*b + c) * f: de/da = b.data = -3, e.grad = -2, a.grad = 6
    use = Use("e", -3.0, "b.data", -2.0, 6.0)
    found = mistakes("a", 6.0, (use,), ALL_SHOWN.__contains__)
    assert values(found) == [-3.0, -2.0, -6.0]
    local, upstream, flip = (message for _, message in found)
    assert local == "that is de/da = b.data alone; multiply by e.grad = -2.0."
    assert upstream == "that is e.grad alone; multiply by de/da = b.data."
    assert flip.startswith("a sign flip")
    assert not any("6" in message for _, message in found)  # the answer is never said


def test_a_hidden_upstream_grad_is_named_never_given():
    use = Use("e", -3.0, "b.data", -2.0, 6.0)
    found = mistakes("a", 6.0, (use,), lambda name: False)
    assert values(found) == [-3.0, -6.0]  # "e.grad alone" would confirm e.grad = -2
    assert "e.grad (still ?: work it out first)" in found[0][1]
    assert "-2" not in found[0][1]


def test_a_node_used_twice_one_use_and_the_sum_of_locals():
    by_e = Use("e", -3.0, "b.data", 2.0, -6.0)
    by_l = Use("L", 1.0, "1.0", 1.0, 1.0)
    found = dict(mistakes("a", -5.0, (by_e, by_l), ALL_SHOWN.__contains__))
    assert "one of its 2 uses (through e)" in found[-6.0]
    assert "one of its 2 uses (through L)" in found[1.0]  # also L.grad alone: said once
    assert "sum of its 2 local derivatives" in found[-2.0]
    assert "de/da = b.data alone" in found[-3.0] and "other uses (2 in all)" in found[-3.0]
    assert "that is e.grad alone" in found[2.0]
    assert found[5.0].startswith("a sign flip")
    assert len(found) == 6


def test_mistakes_equal_to_the_answer_or_to_each_other_are_dropped_within_the_tolerance():
    # b = a + a with a = 3: each use gives 1, so does the local derivative and b.grad
    use = Use("b", 1.0, "1.0", 1.0, 1.0)
    found = mistakes("a", 2.0, (use, use), {"b"}.__contains__)
    assert values(found) == [1.0, -2.0]  # the sum of the locals (2) is the answer
    assert "one of its 2 uses (through b)" in found[0][1]
    near = mistakes("a", 6.0, (Use("e", 6.0004, "b.data", 1.0, 6.0004),), {"e"}.__contains__)
    assert values(near) == [1.0, -6.0]  # de/da = 6.0004 is the answer within 1e-3: dropped


def test_a_step_question_diagnoses_equal_instead_of_plus_equal():
    # step 2 of SHARED: a.grad holds 1 (from L), the step adds de/da × e.grad = -3
    use = Use("e", -3.0, "b.data", 1.0, -3.0)
    found = mistakes("a", -2.0, (use,), {"a", "e", "L"}.__contains__, before=1.0)
    assert found[0][0] == -3.0
    assert found[0][1] == ("that is this step's share alone (= instead of +=): a.grad holds "
                           "1.0 already; add to it.")


def test_the_quiz_diagnoses_from_the_graph_it_was_given():
    program = evaluate(LECTURE_L)
    quiz = Quiz(LECTURE_L)
    quiz.set_graph(GraphIndex(program.output, program.variables))
    reply = quiz.answer("f", "1")  # L.grad alone: dL/df = d.data = 4 forgotten
    assert reply.correct is False
    assert reply.message == ("Not quite: 1 — that is L.grad alone; multiply by dL/df = d.data. "
                             "F6 gives up.")
    assert "Hint" in quiz.answer("f", "3").message  # no mistake gives 3
    assert quiz.answer("L", "2").message == \
        "Not quite: 2 — the output's own gradient is 1: dL/dL."
    assert quiz.answer("L", "1").correct is True
    assert quiz.answer("f", "4").correct is True
    assert (quiz.score.first, quiz.score.helped) == (0, 1)  # the root is not scored


async def test_quiz_mode_diagnoses_wrong_answers_then_accepts_the_right_one():
    app = MicrogradApp(source=LECTURE_L)  # L = (a*b + c) * f; a.grad = b.data × e.grad = 6
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("f7")
        await pilot.pause()
        await select(pilot, "a")
        await answer(pilot, "-3")  # b.data: the local derivative alone
        reply = screen.quiz_panel.reply_text
        assert "that is de/da = b.data alone; multiply by e.grad (still ?" in reply
        assert "6" not in reply.replace("F6", "")  # a.grad = 6 is not given away
        await select(pilot, "e")
        await answer(pilot, "-2")  # right first time: e.grad now shows
        await select(pilot, "a")
        await answer(pilot, "-3")
        assert "de/da = b.data alone; multiply by e.grad = -2.0." in screen.quiz_panel.reply_text
        await answer(pilot, "-6")
        assert "Not quite: -6 — a sign flip" in screen.quiz_panel.reply_text
        await answer(pilot, "5")  # no common mistake gives 5: the generic hint
        reply = screen.quiz_panel.reply_text
        assert "Not quite: 5 is not it. Hint: sum over its uses" in reply
        assert "F6 gives up" in reply
        assert grad_cell(screen.tree, "a") == "✗ ?"
        await answer(pilot, "6")
        assert "Right: a.grad = 6" in screen.quiz_panel.reply_text
        assert str(screen.quiz_panel.border_subtitle) == \
            "1 first try · 1 with help · 0 given up"
        await select(pilot, "L")  # the root: shown, never asked, but a wrong 1 is explained
        await answer(pilot, "-8")
        assert "the output's own gradient is 1: dL/dL" in screen.quiz_panel.reply_text


async def test_a_node_used_twice_answered_with_one_use_is_told_grads_accumulate():
    app = MicrogradApp(source=SHARED)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        await pilot.press("f7")
        await select(pilot, "e")
        await answer(pilot, "1")
        await select(pilot, "a")
        await answer(pilot, "-3")  # de/da × e.grad: only the use by e
        assert ("that is one of its 2 uses (through e); add the others: grads accumulate (+=)"
                in screen.quiz_panel.reply_text)
        await answer(pilot, "1")  # only the use by L
        assert "one of its 2 uses (through L)" in screen.quiz_panel.reply_text
        await answer(pilot, "-2")
        assert "Right: a.grad = -2" in screen.quiz_panel.reply_text
        assert screen.quiz.score.helped == 1


async def test_the_step_through_quiz_diagnoses_the_grads_a_step_updates():
    app = MicrogradApp(source=SHARED)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = playground(app)
        assert isinstance(screen, PlaygroundScreen)
        await pilot.press("f7", "ctrl+n")  # step 1, L = e + a: e.grad and a.grad
        await pilot.pause()
        await answer(pilot, "1")
        await answer(pilot, "1")
        assert screen.stepper.position == 1
        await pilot.press("ctrl+n")  # step 2, e = a * b: a.grad and b.grad
        await pilot.pause()
        assert [q.name for q in screen.quiz.step_questions] == ["a", "b"]
        await answer(pilot, "-3")  # this step's share, as if = replaced +=
        assert ("that is this step's share alone (= instead of +=): a.grad holds 1.0 already"
                in screen.quiz_panel.reply_text)
        await answer(pilot, "-2")
        await answer(pilot, "1")  # b.grad: e.grad alone, de/db = a.data forgotten
        assert "that is e.grad alone; multiply by de/db = a.data." in \
            screen.quiz_panel.reply_text
        await answer(pilot, "-2")  # the sign flipped
        assert "a sign flip" in screen.quiz_panel.reply_text
        assert screen.stepper.position == 1  # still asking
        await answer(pilot, "2")
        assert screen.stepper.position == 2 and screen.quiz.score.helped == 2
