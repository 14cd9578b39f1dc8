"""rand(lo, hi) in the expression language: seeded, one decimal place, shown as drawn."""

import pytest

from engine.expr import ExprError, evaluate, parse

PROGRAM = "a = rand(-3, 3)\nb = rand(0.5, 2)\nL = a * b + (rand(-1, 1)).tanh()\n"


def test_the_same_seed_draws_the_same_numbers_and_another_seed_others():
    first = [d.value for d in evaluate(PROGRAM, seed=7).draws]
    assert first == [d.value for d in evaluate(PROGRAM, seed=7).draws]
    others = {tuple(d.value for d in evaluate(PROGRAM, seed=s).draws) for s in range(20)}
    assert len(others) > 10


def test_draws_are_tenths_inside_the_range():
    for seed in range(200):
        a, b, c = (d.value for d in evaluate(PROGRAM, seed=seed).draws)
        for value, lo, hi in ((a, -3, 3), (b, 0.5, 2), (c, -1, 1)):
            assert lo <= value <= hi
            assert round(value * 10) == pytest.approx(value * 10)


def test_a_draw_is_a_leaf_and_gradients_flow_to_it():
    p = evaluate(PROGRAM, seed=3)
    p.backward()
    a, b = p.variables["a"], p.variables["b"]
    assert a.is_leaf and a.data == p.draws[0].value
    assert a.grad == pytest.approx(b.data)


def test_the_shown_source_has_the_numbers_and_runs_to_the_same_result():
    p = evaluate(PROGRAM, seed=11)
    shown = p.shown_source()
    assert "rand" not in shown
    assert f"a = {p.draws[0].value:.1f}" in shown
    assert evaluate(shown).output.data == pytest.approx(p.output.data)


@pytest.mark.parametrize("source, where, words", [
    ("a = rand(3, -3)", (1, 5), "lo is greater than hi"),
    ("a = rand(0.11, 0.19)", (1, 5), "no number with one decimal place"),
    ("a = rand(1)", (1, 5), "two numbers"),
    ("b = 2\na = rand(b, 3)", (2, 10), "numbers written out"),
    ("a = rand(-3, 3, 4)", (1, 5), "two numbers"),
    ("a = rand(lo=1, hi=2)", (1, 10), "keyword arguments"),
    ("rand = 2", (1, 1), "function name"),
])
def test_a_bad_rand_is_refused_before_anything_runs(source, where, words):
    with pytest.raises(ExprError) as info:
        parse(source)
    assert (info.value.line, info.value.col) == where
    assert words in info.value.message
