"""Gradients of random composite programs, written as source text, vs central differences.

Each example is a small program over three inputs (``x``, ``y`` built with ``Value(...)``,
``z``), with an assignment, an augmented assignment and a trailing output expression, so
the parser, labels, reflected operators and methods are all on the path.  Every input's
gradient after ``backward()`` must match a central difference computed by evaluating the
same source again with that input's number nudged.  Operations are built so they stay
away from singularities (denominators ``1 + e**2``, ``log(1 + e**2)``, positive bases for
``**`` with a Value exponent); relu kinks are avoided with ``assume``.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine.expr import ExprError, evaluate
from engine.graph import topological_order

ATOL, RTOL = 1e-5, 1e-3
KINK_MARGIN = 1e-2

_UNARY = ["tanh", "sigmoid", "relu"]

# each form builds text from its operand texts; none has a singularity for any real operand
_FORMS = [
    (2, lambda a, b: f"({a} + {b})"),
    (2, lambda a, b: f"({a} - {b})"),
    (2, lambda a, b: f"({a} * {b})"),
    (2, lambda a, b: f"({a} / (1 + ({b})**2))"),
    (1, lambda a: f"(-{a})"),
    (1, lambda a: f"tanh({a})"),
    (1, lambda a: f"sigmoid({a})"),
    (1, lambda a: f"relu({a})"),
    (1, lambda a: f"({a}).tanh()"),
    (1, lambda a: f"({a}).relu()"),
    (1, lambda a: f"exp(tanh({a}))"),
    (1, lambda a: f"log(1 + ({a})**2)"),
    (1, lambda a: f"({a})**3"),
    (1, lambda a: f"({a}) ** (0.5 * 4)"),
    (1, lambda a: f"2 ** tanh({a})"),
    (2, lambda a, b: f"(1 + sigmoid({a})) ** tanh({b})"),
    (1, lambda a: f"({a}).exp().log()"),
]


def _build(choices: list[int], leaves: list[str], depth: int = 3) -> str:
    """An expression made from a list of small integers (fast to draw, easy to shrink)."""
    it = iter(choices)

    def grow(budget: int) -> str:
        pick = next(it, 0)
        if budget == 0 or pick % 4 == 0:
            return leaves[next(it, 0) % len(leaves)]
        arity, form = _FORMS[next(it, 0) % len(_FORMS)]
        return form(*(grow(budget - 1) for _ in range(arity)))

    return grow(depth)


_CHOICES = st.lists(st.integers(min_value=0, max_value=255), min_size=1, max_size=30)
_VALUE = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_subnormal=False)


@st.composite
def programs(draw):
    values = {name: draw(_VALUE) for name in ("x", "y", "z")}
    first = _build(draw(_CHOICES), ["x", "y", "z", "0.5", "2"])
    aug_op = draw(st.sampled_from(["+=", "-=", "*="]))
    second = _build(draw(_CHOICES), ["x", "y", "z", "t", "3"])
    last = _build(draw(_CHOICES), ["x", "y", "z", "t"])
    body = f"t = {first}\nt {aug_op} {second}\nt * ({last})\n"
    return values, body


def _source(values, body):
    return (f"x = {values['x']!r}\n"
            f"y = Value({values['y']!r})\n"
            f"z = {values['z']!r}\n" + body)


def _output(values, body):
    return evaluate(_source(values, body)).output.data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_gradients_of_random_programs_match_central_differences(case):
    values, body = case
    try:
        program = evaluate(_source(values, body))
    except ExprError:
        assume(False)  # an overflow in an unlucky draw: not what this test is about
    output = program.output
    assume(abs(output.data) < 1e3)
    for node in topological_order(output):
        if node.op == "relu":
            assume(abs(node.children[0].data) > KINK_MARGIN)
    program.backward()
    for name, v in values.items():
        analytic = program.variables[name].grad
        h = 1e-6 * max(1.0, abs(v))
        plus = _output({**values, name: v + h}, body)
        minus = _output({**values, name: v - h}, body)
        numeric = (plus - minus) / (2 * h)
        assert math.isclose(analytic, numeric, rel_tol=RTOL, abs_tol=ATOL), (
            f"d out / d {name}: analytic {analytic}, numeric {numeric}\n{_source(values, body)}")


def test_a_known_composite_program():
    # f(x, y) = tanh(x*y) + x**2 / (1 + y**2) at (0.5, -1.5): derivatives by hand
    program = evaluate("x = 0.5\ny = -1.5\nf = tanh(x * y) + x**2 / (1 + y**2)")
    program.backward()
    x, y = 0.5, -1.5
    sech2 = 1 - math.tanh(x * y) ** 2
    assert math.isclose(program.variables["x"].grad, sech2 * y + 2 * x / (1 + y * y), rel_tol=1e-12)
    assert math.isclose(program.variables["y"].grad,
                        sech2 * x - x * x * 2 * y / (1 + y * y) ** 2, rel_tol=1e-12)
