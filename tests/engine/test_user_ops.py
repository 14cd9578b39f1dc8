"""The learner's own operations: defined from two expressions, their derivative checked
against central differences, then usable as one node in programs, gradcheck and exports."""

from __future__ import annotations

import json
import math
import pickle
import re

import pytest

from engine.errors import ExprError, NumericError
from engine.export import to_dot, to_json
from engine.expr import evaluate, parse
from engine.gradcheck import check_gradients
from engine.user_ops import MIN_POINTS, OpDefinitionError, check_derivative, define_op


def softplus(derivative: str = "sigmoid(x)"):
    return define_op("softplus", "x", "log(1 + exp(x))", [derivative])


def test_right_derivative_is_accepted_at_enough_points() -> None:
    report = check_derivative(softplus(), seed=1)
    assert report.ok, report.message
    assert len({p.point for p in report.points}) >= MIN_POINTS
    assert all(-3 <= p.point[0] <= 4 for p in report.points)


def test_wrong_derivative_is_refused_at_a_named_point_with_numbers() -> None:
    report = check_derivative(softplus("exp(x)"), seed=1)
    assert not report.ok
    bad = report.failures[0]
    x = bad.point[0]
    assert bad.given == pytest.approx(math.exp(x))
    assert bad.slope == pytest.approx(1 / (1 + math.exp(-x)), rel=1e-6)
    m = re.match(r"at x = (\S+) your derivative gives (\S+), the slope there is (\S+)", report.message)
    assert m, report.message
    assert float(m.group(1)) == pytest.approx(x, abs=5e-3)
    assert float(m.group(2)) == pytest.approx(bad.given, rel=1e-3)
    assert float(m.group(3)) == pytest.approx(bad.slope, rel=1e-3)


def test_two_input_op_names_the_partial_that_is_wrong() -> None:
    right = define_op("f", ["a", "b"], "a*b + a", ["b + 1", "a"])
    assert check_derivative(right, seed=2).ok
    wrong = define_op("f", "a, b", "a*b + a", ["b", "a"])  # forgot the + a
    report = check_derivative(wrong, seed=2)
    assert not report.ok
    assert "your d/da gives" in report.message and report.message.startswith("at a = ")
    assert {p.input for p in report.failures} == {"a"}


def test_points_outside_the_domain_are_skipped_and_no_domain_is_said() -> None:
    log_op = define_op("mylog", "x", "log(x)", ["1/x"])
    report = check_derivative(log_op, seed=3)
    assert report.ok and all(p.point[0] > 0 for p in report.points)
    nowhere = define_op("nowhere", "x", "log(-(x**2) - 1)", ["1"])
    report = check_derivative(nowhere, seed=3)
    assert not report.ok and "not defined" in report.message and not report.points


def test_kinks_are_not_compared() -> None:
    # relu's slope jumps at 0: a point there has no slope, elsewhere 1 or 0 is right
    op = define_op("ramp", "x", "relu(x)", ["relu(x) / x"])
    assert check_derivative(op, seed=4).ok


def test_definition_errors_name_the_field_and_column() -> None:
    with pytest.raises(OpDefinitionError) as err:
        define_op("g", "x", "x +* 2", ["1"])
    assert err.value.field == "forward" and "column" in err.value.message
    with pytest.raises(OpDefinitionError) as err:
        define_op("g", "x", "x", ["y"])
    assert err.value.field == "derivative" and "'y' is not defined" in err.value.message
    with pytest.raises(OpDefinitionError) as err:
        define_op("g", "x", "__import__('os')", ["1"])
    assert err.value.field == "forward"
    with pytest.raises(OpDefinitionError) as err:
        define_op("tanh", "x", "x", ["1"])
    assert err.value.field == "name"
    with pytest.raises(OpDefinitionError) as err:
        define_op("g", "a, b", "a * b", ["b"])
    assert err.value.field == "derivative" and "one derivative per input" in err.value.message
    with pytest.raises(OpDefinitionError) as err:
        define_op("g", "x", "y = x", ["1"])
    assert "not a statement" in err.value.message


def test_an_accepted_op_is_one_node_with_the_learners_formula() -> None:
    f = define_op("f", "a, b", "a*b + a", ["b + 1", "a"])
    sp = softplus()
    ops = {"f": f, "softplus": sp}
    program = evaluate("a = 2.0\nb = -1.0\nc = f(a, b)\ny = c.softplus() + softplus(b)", ops=ops)
    c = program.variables["c"]
    assert c.data == 0.0 and c._op is f and c._prev == (program.variables["a"], program.variables["b"])
    assert f.formula == "d f(a, b)/da = b + 1,  d f(a, b)/db = a"
    assert f.local_text(0, ["a.data", "b.data"]) == "b.data + 1"
    program.backward()
    s = 1 / (1 + math.exp(-0.0))
    assert program.variables["a"].grad == pytest.approx(s * (-1 + 1))
    assert program.variables["b"].grad == pytest.approx(s * 2 + 1 / (1 + math.exp(1)))
    assert all(row.ok for row in check_gradients(program))


def test_without_the_session_ops_the_name_is_unknown() -> None:
    with pytest.raises(ExprError, match="unknown function softplus"):
        parse("y = softplus(1.0)")
    parse("y = softplus(1.0)", ops={"softplus": softplus()})
    with pytest.raises(ExprError, match="'tanh' has the name of one of the language's own"):
        evaluate("y = tanh(1.0)", ops={"tanh": softplus()})  # no built-in can be shadowed
    with pytest.raises(ExprError, match=r"takes exactly 2 arguments"):
        parse("y = f(1.0)", ops={"f": define_op("f", "a, b", "a * b", ["b", "a"])})


def test_gradcheck_catches_a_wrong_user_derivative_in_a_graph() -> None:
    program = evaluate("x = 0.5\ny = softplus(x) * 3", ops={"softplus": softplus("exp(x)")})
    rows = check_gradients(program)
    assert [r.name for r in rows if r.failed] == ["x"]


def test_domain_errors_name_the_learners_op() -> None:
    ops = {"mylog": define_op("mylog", "x", "log(x)", ["1/x"])}
    with pytest.raises(NumericError) as err:
        evaluate("y = mylog(-1.0)", ops=ops)
    assert "mylog(-1.0)" in str(err.value) and "log is only defined" in str(err.value)


def test_exports_and_copies_keep_the_op() -> None:
    sp = softplus()
    program = evaluate("x = 1.5\ny = softplus(x)", ops={"softplus": sp})
    program.backward()
    data = json.loads(json.dumps(to_json(program.output)))
    assert data["nodes"][-1]["op"] == "softplus"
    assert data["ops"] == {"softplus": {"inputs": ["x"], "forward": "log(1 + exp(x))",
                                        "derivatives": ["sigmoid(x)"]}}
    assert 'label="softplus"' in to_dot(program.output)
    copy = pickle.loads(pickle.dumps(program.output))
    assert copy._op.formula == sp.formula and copy._op.forward(1.5) == sp.forward(1.5)
    assert "ops" not in to_json(evaluate("x = 1.0\ny = x * 2").output)
