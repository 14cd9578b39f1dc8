"""Stepping through the backward pass one node at a time (plain Python, no Textual)."""

from __future__ import annotations

import math

import pytest

from engine.expr import evaluate
from engine.value import Value
from micrograd_tui.playground.examples import README_EXAMPLE
from micrograd_tui.playground.graph_index import GraphIndex
from micrograd_tui.playground.stepper import BackwardStepper


def test_stepping_to_the_end_gives_backwards_gradients():
    program = evaluate(README_EXAMPLE)
    index = GraphIndex(program.output, program.variables)
    stepper = BackwardStepper(program.output, index.name)
    stepper.run_to_end()
    assert stepper.done
    stepped = [node.grad for node in index.order]
    # micrograd's published numbers
    assert program.variables["a"].grad == pytest.approx(138.83381924198252, abs=1e-9)
    assert program.variables["b"].grad == pytest.approx(645.5772594752186, abs=1e-9)
    program.backward()
    assert stepped == pytest.approx([node.grad for node in index.order], rel=1e-12, abs=1e-12)


def test_each_step_shows_the_chain_rule_with_the_numbers():
    a = Value(-2.0, "a")
    b = Value(2.0, "b")
    c = a * b
    c.label = "c"
    d = c * Value(-3.0, "k")
    d.label = "d"
    stepper = BackwardStepper(d)
    first = stepper.forward()
    assert first.node is d
    assert c.grad == -3.0
    second = stepper.forward()
    assert second.node is c
    assert second.updates[0].text == "a.grad += b.data × c.grad = 2.0 × -3.0 = -6.0"
    assert second.updates[1].text == "b.grad += a.data × c.grad = -2.0 × -3.0 = 6.0"
    assert "d(a * b)/da = b" in second.formula
    assert stepper.forward() is None and stepper.done


def test_step_back_restores_the_gradients_exactly():
    program = evaluate("x = 0.5\ny = x * x + x\nz = tanh(y) * y + x")
    stepper = BackwardStepper(program.output)
    stepper.start()
    history = [[n.grad for n in stepper.order]]
    while stepper.forward() is not None:
        history.append([n.grad for n in stepper.order])
    assert len(history) == stepper.total + 1
    while stepper.position:
        history.pop()
        stepper.back()
        assert [n.grad for n in stepper.order] == history[-1]
    assert stepper.back() is None
    assert program.output.grad == 1.0 and program.variables["x"].grad == 0.0


def test_a_value_used_twice_by_one_node_gets_both_contributions():
    a = Value(3.0, "a")
    b = a + a
    b.label = "b"
    stepper = BackwardStepper(b)
    step = stepper.forward()
    assert [u.text for u in step.updates] == [
        "a.grad += 1.0 × b.grad = 1.0 × 1.0 = 1.0",
        "a.grad += 1.0 × b.grad = 1.0 × 1.0 = 1.0",
    ]
    assert [(u.before, u.after) for u in step.updates] == [(0.0, 1.0), (1.0, 2.0)]
    assert a.grad == 2.0
    stepper.back()
    assert a.grad == 0.0


def test_unary_and_constant_inputs_read_naturally():
    x = Value(0.3, "x")
    t = x.tanh()
    t.label = "t"
    out = t / 2.0
    out.label = "out"
    stepper = BackwardStepper(out)
    step = stepper.forward()
    # a constant is written as its number, not as a name
    assert step.updates[0].text.startswith("t.grad += 1/2.0 × out.grad = 0.5 × 1.0")
    step = stepper.forward()
    local = 1 - math.tanh(0.3) ** 2
    assert step.updates[0].text.startswith("x.grad += (1 - tanh(x.data)^2) × t.grad")
    assert x.grad == pytest.approx(local / 2)


def test_start_resets_grads_like_backward():
    program = evaluate(README_EXAMPLE)
    program.backward()
    stepper = BackwardStepper(program.output)
    stepper.start()
    assert program.output.grad == 1.0
    assert all(n.grad == 0.0 for n in stepper.order if n is not program.output)
    assert stepper.next_node is program.output and stepper.position == 0


def test_fused_neuron_steps_name_the_partner_input():
    from engine.value import fused_neuron

    w = [Value(0.5, "w1"), Value(-1.0, "w2")]
    x = [Value(2.0, "x1"), Value(3.0, "x2")]
    b = Value(0.1, "b")
    n = fused_neuron(w, x, b)
    n.label = "n"
    step = BackwardStepper(n).forward()
    texts = [u.text for u in step.updates]
    assert texts[0] == "b.grad += 1.0 × n.grad = 1.0 × 1.0 = 1.0"
    # inputs are (b, w1, w2, x1, x2)
    assert texts[1] == "w1.grad += x1.data × n.grad = 2.0 × 1.0 = 2.0"
    assert texts[2] == "w2.grad += x2.data × n.grad = 3.0 × 1.0 = 3.0"
    assert texts[3] == "x1.grad += w1.data × n.grad = 0.5 × 1.0 = 0.5"
