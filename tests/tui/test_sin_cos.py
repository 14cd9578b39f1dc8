"""sin and cos were added to the engine as one block each (engine/ops.py) and nothing else:
the playground's step-through and inspector and the lessons' answers show them all the same."""

from __future__ import annotations

import math

from engine.expr import evaluate
from micrograd_tui.playground.graph_index import GraphIndex
from micrograd_tui.lessonbook.answers import AnswerError, evaluate_expression
from micrograd_tui.playground.stepper import BackwardStepper
from micrograd_tui.playground.inspector import describe


def test_the_step_through_writes_the_chain_rule_of_sin_and_cos():
    program = evaluate("x = 0.5\ns = sin(x)\nc = x.cos()\nout = s * c")
    index = GraphIndex(program.output, program.variables)
    stepper = BackwardStepper(program.output, index.name)
    stepper.run_to_end()
    texts = {step.node.label: step for step in stepper.steps}
    sin_step, cos_step = texts["s"], texts["c"]
    assert sin_step.updates[0].text.startswith("x.grad += cos(x.data) × s.grad = ")
    assert cos_step.updates[0].text.startswith("x.grad += -sin(x.data) × c.grad = ")
    assert sin_step.formula == "d sin(x)/dx = cos(x)"
    assert cos_step.formula == "d cos(x)/dx = -sin(x)"
    program_x = program.variables["x"]
    assert program_x.grad == math.cos(0.5) ** 2 - math.sin(0.5) ** 2  # the stepped grads


def test_the_inspector_shows_the_rule_of_sin():
    program = evaluate("x = 0.5\ny = sin(x)")
    index = GraphIndex(program.output, program.variables)
    text = describe(index, program.output).plain
    assert "y  = sin(x)   sine" in text
    assert "dy/dx = cos(x.data) = " in text
    assert "rule: d sin(x)/dx = cos(x)" in text


def test_a_lesson_answer_may_use_sin_and_cos():
    assert evaluate_expression("sin(0.5)") == math.sin(0.5)
    assert evaluate_expression("cos(a.data) * 2", {"a": evaluate("a = 1.5").output}) \
        == math.cos(1.5) * 2
    try:
        evaluate_expression("tan(0.5)")
    except AnswerError as e:
        assert "sin" in str(e) and "cos" in str(e)
    else:
        raise AssertionError("tan is not a function of the answers")
