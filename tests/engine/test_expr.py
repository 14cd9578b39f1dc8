"""The expression language: what a program means (values, labels, gradients, errors)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from engine import expr
from engine.errors import NumericError
from engine.expr import ExprError, Limits, Program, Statement, evaluate, parse
from engine.graph import topological_order
from micrograd_tui.playground.examples import README_EXAMPLE

README = README_EXAMPLE  # karpathy/micrograd's README example


def test_micrograd_readme_example_gives_micrograds_published_numbers():
    program = evaluate(README)
    assert isinstance(program, Program)
    assert program.output is program.variables["g"]
    assert program.output.data == pytest.approx(24.70408163265306, abs=1e-9)
    program.backward()
    assert program.variables["a"].grad == pytest.approx(138.83381924198252, abs=1e-9)
    assert program.variables["b"].grad == pytest.approx(645.5772594752186, abs=1e-9)


def test_readme_variables_in_order_of_first_assignment_and_statements_per_line():
    program = evaluate(README)
    assert list(program.variables) == ["a", "b", "c", "d", "e", "f", "g"]
    assert [s.name for s in program.statements] == list("abcdccddefgg")
    assert [s.line for s in program.statements] == list(range(1, 13))
    assert all(s.col == 1 for s in program.statements)
    line, col, name = program.statements[4]
    assert (line, col, name) == (5, 1, "c")


def test_backward_twice_gives_the_same_gradients():
    program = evaluate(README)
    program.backward()
    first = program.variables["a"].grad
    program.backward()
    assert program.variables["a"].grad == first


def test_a_number_assigned_to_a_name_is_a_labelled_float_leaf():
    program = evaluate("a = 2\nb = -4.0\nc = 0x10")
    a, b, c = (program.variables[n] for n in "abc")
    assert a.is_leaf and a.label == "a" and a.data == 2.0 and type(a.data) is float
    assert b.is_leaf and b.data == -4.0 and b.label == "b"
    assert c.data == 16.0


def test_an_expression_of_numbers_alone_is_folded_into_one_leaf():
    program = evaluate("x = 2 * 3 + 2 ** 3 - 1 / 4")
    x = program.output
    assert x.is_leaf
    assert x.data == 13.75
    assert x.label == "x"


def test_intermediates_are_labelled_with_their_variable_names():
    program = evaluate("a = 1.5\nb = 2\nc = a * b + a")
    c = program.variables["c"]
    assert c.label == "c" and c.op == "+"
    inner = c.children[0]
    assert inner.op == "*" and inner.label == ""
    assert inner.children == (program.variables["a"], program.variables["b"])


def test_aliasing_keeps_the_first_name_and_names_of_lists_both():
    program = evaluate("a = 3\nx = a\ny = +a")
    a = program.variables["a"]
    assert program.variables["x"] is a and program.variables["y"] is a
    assert a.label == "a"
    assert program.names_of(a) == ["a", "x", "y"]


def test_augmented_assignment_makes_a_new_node_labelled_with_the_name():
    program = evaluate("c = 2\nc += c + 1")
    old_leaf = program.values[0]
    c = program.variables["c"]
    assert c is not old_leaf and c.label == "c" and old_leaf.label == "c"
    assert c.data == 5.0
    assert c.children[0] is old_leaf
    program.backward()
    assert old_leaf.grad == 2.0


@pytest.mark.parametrize("op, expected", [("+=", 5.0), ("-=", -1.0), ("*=", 6.0),
                                          ("/=", 2.0 / 3.0), ("**=", 8.0)])
def test_every_augmented_operator(op, expected):
    program = evaluate(f"c = 2\nc {op} 3")
    assert program.output.data == pytest.approx(expected, rel=1e-15)
    assert program.output.label == "c"
    assert not program.output.is_leaf


def test_a_plus_a_has_two_children_and_gradient_two():
    program = evaluate("a = 3\nb = a + a")
    b = program.output
    a = program.variables["a"]
    assert b.children == (a, a)
    program.backward()
    assert a.grad == 2.0


def test_numbers_with_values_use_reflected_and_constant_exponent_ops():
    program = evaluate("a = 3\nm = 2 * a\ns = 2 - a\nd = 2 / a\np = 2 ** a\nk = a ** 3\nv = a ** a")
    v = program.variables
    a = v["a"]
    assert v["m"].op == "*" and v["m"].children[0].data == 2.0 and v["m"].children[1] is a
    assert v["s"].op == "-" and v["s"].data == -1.0 and v["s"].children[1] is a
    assert v["d"].op == "/" and v["d"].data == pytest.approx(2 / 3)
    assert v["p"].op == "**" and v["p"].children[0].data == 2.0 and v["p"].data == 8.0
    assert v["k"].op == "**3" and v["k"].op.exponent == 3.0 and v["k"].children == (a,)
    assert v["v"].op == "**" and v["v"].children == (a, a) and v["v"].data == 27.0


def test_unary_minus_is_a_negation_node_and_unary_plus_is_nothing():
    program = evaluate("a = 3\nb = -a\nc = --a")
    assert program.variables["b"].op == "neg" and program.variables["b"].data == -3.0
    assert program.variables["c"].data == 3.0


def test_value_of_a_number_is_a_leaf():
    program = evaluate("a = Value(-4.0)\nb = Value(2 * 3)\nc = Value(-(1))")
    assert [program.variables[n].data for n in "abc"] == [-4.0, 6.0, -1.0]
    assert all(program.variables[n].is_leaf for n in "abc")
    assert program.variables["a"].label == "a"


_REFERENCE = {
    "relu": lambda x: max(0.0, x),
    "tanh": math.tanh,
    "exp": math.exp,
    "log": math.log,
    "sigmoid": lambda x: 1.0 / (1.0 + math.exp(-x)),
}


@pytest.mark.parametrize("name", sorted(_REFERENCE))
@pytest.mark.parametrize("x", [0.5, 2.0])
def test_functions_and_methods_agree_with_math(name, x):
    program = evaluate(f"x = {x}\nf = {name}(x)\nm = x.{name}()\nn = (x * 1).{name}()")
    for var in "fmn":
        node = program.variables[var]
        assert node.op == name
        assert node.data == pytest.approx(_REFERENCE[name](x), rel=1e-15)
    assert program.variables["f"].children == (program.variables["x"],)


def test_a_function_of_a_number_makes_a_constant_leaf_and_the_op():
    program = evaluate("y = exp(0)\nz = (2).relu()")
    y = program.variables["y"]
    assert y.op == "exp" and y.data == 1.0
    assert y.children[0].is_leaf and y.children[0].data == 0.0
    assert program.variables["z"].op == "relu" and program.variables["z"].data == 2.0


def test_trailing_bare_expression_is_the_output_named_out():
    program = evaluate("a = 2\na * 3")
    out = program.output
    assert out.data == 6.0 and out.label == expr.OUTPUT_NAME == "out"
    assert program.variables["out"] is out
    assert program.statements[-1] == Statement(2, 1, "out")


def test_trailing_bare_name_selects_that_value_without_relabelling():
    program = evaluate("a = 2\nb = a * 3\nb")
    assert program.output is program.variables["b"]
    assert program.output.label == "b"


def test_comments_blank_lines_tabs_semicolons_and_crlf():
    source = "# a comment, even with \u00d7 in it\r\n\r\na =\t1  # one\r\nb = 2; c = a +\\\n b\r(c)\n"
    program = evaluate(source)
    assert program.source == source
    assert program.output.data == 3.0
    assert [tuple(s) for s in program.statements] == [(3, 1, "a"), (4, 1, "b"), (4, 8, "c"),
                                                      (6, 1, "out")]


def test_multiline_expression_in_brackets():
    program = evaluate("a = (1 +\n     2 *\n     3)\nb = a")
    assert program.output.data == 7.0


def test_statement_of_maps_every_node_to_the_line_that_made_it():
    program = evaluate("a = 2\nb = a * 3 + 1\nc = b.relu()")
    for node in topological_order(program.output):
        assert program.statement_of(node) is not None
    b = program.variables["b"]
    const_three = b.children[0].children[1]
    assert const_three.data == 3.0 and program.line_of(const_three) == 2
    assert program.line_of(program.output) == 3
    assert program.line_of(program.variables["a"]) == 1
    assert program.statement_of(evaluate("a = 1").output) is None


def test_parse_checks_without_running():
    assert parse("a = log(0)") is None
    with pytest.raises(ExprError):
        evaluate("a = log(0)")
    with pytest.raises(ExprError) as info:
        parse("a = 1\nb = a._prev")
    assert (info.value.line, info.value.col) == (2, 7)


def test_the_whole_program_is_checked_before_any_of_it_runs():
    # line 1 would fail when run, but the refusal on line 2 is reported: nothing ran
    with pytest.raises(ExprError) as info:
        evaluate("a = log(0)\nb = a.__class__")
    assert (info.value.line, info.value.col) == (2, 7)
    assert "__class__" in info.value.message


def test_error_string_and_attributes():
    with pytest.raises(ExprError) as info:
        evaluate("a = 1\nb = a + c")
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.line, err.col) == (2, 9)
    assert err.message == "name 'c' is not defined"
    assert str(err) == "line 2, column 9: name 'c' is not defined"


@pytest.mark.parametrize("source, line, col, fragment", [
    ("y = log(0)", 1, 5, "log(0.0)"),
    ("x = 0\ny = x.log()", 2, 7, "log"),
    ("x = 1\ny = 1 + x/0", 2, 10, "division by zero"),
    ("x = 1\ny = x * (1 / 0)", 2, 12, "division by zero"),
    ("x = 1\ny = exp(1000 * x)", 2, 5, "exp"),
    ("y = exp(1000)", 1, 5, "overflow"),
    ("y = (-8)**0.5", 1, 9, "negative base"),
    ("x = -8\ny = x**0.5", 2, 6, "negative base"),
    ("y = 0**-1", 1, 6, "zero to a negative power"),
    ("x = 0\ny = x ** -1", 2, 7, "zero to a negative power"),
    ("y = 9**9**9**9", 1, 9, "overflow"),
    ("x = 2\nx **= 5000", 2, 3, "overflow"),
    ("x = 2\nz = 0\nx /= z", 3, 3, "division by zero"),
    ("y = Value(1e200 * 1e200)", 1, 17, "overflow"),
    ("x = 1e200\ny = (x\n     *\n     x)", 3, 6, "overflow"),
])
def test_numeric_errors_point_at_the_operation(source, line, col, fragment):
    with pytest.raises(ExprError) as info:
        evaluate(source)
    err = info.value
    assert isinstance(err, NumericError)  # also catchable as the engine's numeric error
    assert (err.line, err.col) == (line, col)
    assert fragment in err.message


def test_numeric_error_in_the_backward_pass_points_at_the_operation():
    # (-2) ** 2 is fine forwards, but d/db of a**b needs a > 0
    program = evaluate("a = -2\nb = 2\nc = a ** b")
    assert program.output.data == 4.0
    with pytest.raises(ExprError) as info:
        program.backward()
    assert (info.value.line, info.value.col) == (3, 7)
    assert "backward" in info.value.message


def test_graph_size_limit():
    small = Limits(nodes=6)
    evaluate("a = 1\nb = a * 2", small)  # a, the 2, the product: 3 nodes
    with pytest.raises(ExprError) as info:
        evaluate("a = 1\nb = a * 2\nc = b * 3\nd = c * 4", small)
    assert (info.value.line, info.value.col) == (4, 7)
    assert "Limits.nodes" in info.value.message
    evaluate("a = 1\nb = a * 2\nc = b * 3\nd = c * 4")  # the defaults allow it


def test_limits_are_a_value_with_generous_defaults():
    limits = expr.DEFAULT_LIMITS
    assert limits.source_chars >= 10_000
    assert limits.statements >= 100
    assert limits.depth >= 20
    assert limits.nodes >= 100_000
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.nodes = 1  # type: ignore[misc]


def test_a_large_program_within_the_limits_works():
    lines = ["a = 0.5"] + ["a = a * 1.0001 + 0.001" for _ in range(expr.DEFAULT_LIMITS.statements - 1)]
    program = evaluate("\n".join(lines))
    program.backward()
    assert len(program.statements) == expr.DEFAULT_LIMITS.statements
    assert program.values[0].grad == pytest.approx(1.0001 ** (expr.DEFAULT_LIMITS.statements - 1))
    nested = "x = 1\ny = " + "(" * expr.DEFAULT_LIMITS.depth + "x" + ")" * expr.DEFAULT_LIMITS.depth
    assert evaluate(nested).output.data == 1.0


def test_overflow_in_the_backward_pass_points_at_the_operation_that_caused_it():
    program = evaluate("x = 1e-160\ny = log(x)\nz = y * 1e200")
    with pytest.raises(ExprError) as info:
        program.backward()
    assert isinstance(info.value, NumericError)
    assert (info.value.line, info.value.col) == (2, 5)
