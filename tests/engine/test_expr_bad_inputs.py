"""Programs the expression language must refuse: each with the error's position and words."""

from __future__ import annotations

import pytest

from engine.expr import ExprError, Limits, evaluate, parse

# (source, line, column, a fragment of the message)
BAD = [
    # reaching into Python
    ("import os", 1, 1, "import is not allowed"),
    ("from os import path", 1, 1, "import is not allowed"),
    ("a = 1; import os", 1, 8, "import is not allowed"),
    ("a = 1\na.__class__", 2, 3, "attribute .__class__ is not allowed"),
    ("x = 1\nx.__class__.__bases__", 2, 13, "attribute .__bases__"),
    ("a = 1\nb = a._prev", 2, 7, "attribute ._prev"),
    ("a = 1\nb = a.data", 2, 7, "attribute .data"),
    ("a = 1\na.data = 5", 2, 3, "setting attributes (.data)"),
    ("a = 1\nb = a.backward()", 2, 7, "method .backward() is not allowed"),
    ("x = 1\ny = x.relu().__class__", 2, 14, "attribute .__class__"),
    ("x = __import__('os')", 1, 16, "strings are not allowed"),
    ("x = __import__(1)", 1, 5, "unknown function __import__"),
    ("open('x')", 1, 6, "strings are not allowed"),
    ("x = open(1)", 1, 5, "unknown function open"),
    ("exec('1')", 1, 6, "strings are not allowed"),
    ("x = eval(1)", 1, 5, "unknown function eval"),
    ("print(1)", 1, 1, "unknown function print"),
    ("getattr(a, 1)", 1, 1, "unknown function getattr"),
    ("f = lambda x: x", 1, 5, "lambda is not allowed"),
    ("def f():\n    return 1", 1, 1, "defining functions"),
    ("class A:\n    pass", 1, 1, "defining classes"),
    ("a = 1\nwhile a:\n    a = 2", 2, 1, "loops are not allowed"),
    ("a = 1\nif a:\n    a = 2", 2, 1, "if statements"),
    ("a = 1\ndel a", 2, 1, "del is not allowed"),
    # things that are not numbers
    ("a = 1\nb = [a for a in (1, 2)]", 2, 5, "comprehensions are not allowed"),
    ("s = 'hello'", 1, 5, "strings are not allowed"),
    ('s = "hi"', 1, 5, "strings are not allowed"),
    ("s = f'{1}'", 1, 5, "f-strings are not allowed"),
    ("s = rb'x'", 1, 5, "strings are not allowed"),
    ("a = 1\nb = a[0]", 2, 5, "subscripts"),
    ("t = True", 1, 5, "True is not a number"),
    ("n = None", 1, 5, "None is not a number"),
    ("e = ...", 1, 5, "Ellipsis is not a number"),
    ("z = 1j", 1, 5, "complex numbers are not allowed"),
    ("z = 2 + 3J", 1, 9, "complex numbers are not allowed"),
    ("a = [1, 2]", 1, 5, "lists are not allowed"),
    ("a = (1, 2)", 1, 5, "tuples are not allowed"),
    ("a = {1: 2}", 1, 5, "dicts are not allowed"),
    ("a = 1e999", 1, 5, "number too large"),
    ("a = 1if 1 else 2", 1, 5, "invalid number"),
    ("x = 0x", 1, 5, "invalid number"),
    ("a = " + "9" * 400, 1, 5, "Limits.number_chars"),
    # characters
    ("a = 2 \u00d7 3", 1, 7, "non-ASCII character '\u00d7' (U+00D7)"),
    ("a = 1\nb = a \u00b7 2", 2, 7, "non-ASCII"),
    ("a\u00e9 = 1", 1, 2, "non-ASCII"),
    ("a = 1\x00", 1, 6, "NUL byte"),
    ("a = 1\x01", 1, 6, "control character U+0001"),
    ("a = 1\n\x0cb = 2", 2, 1, "control character U+000C"),
    ("a = 1 # \x1b[31m", 1, 9, "control character U+001B"),
    ("a = 1\r\nb = 'x'", 2, 5, "strings are not allowed"),
    # operators and constructs outside the language
    ("a = 1 % 2", 1, 7, "operator % is not supported"),
    ("a = 7 // 2", 1, 7, "operator // is not supported"),
    ("a = 1\nb = a @ a", 2, 7, "operator @ is not supported"),
    ("a = 1\na %= 2", 2, 3, "operator %= is not supported"),
    ("a = 1\nb = not a", 2, 5, "operator not"),
    ("a = 1\nb = ~a", 2, 5, "operator ~"),
    ("a = 1 < 2", 1, 5, "comparisons are not allowed"),
    ("a = 1 and 2", 1, 5, "and/or are not allowed"),
    ("a = 1 if 1 else 2", 1, 5, "conditional expressions"),
    ("(a := 1)", 1, 2, "walrus"),
    ("a = b = 1", 1, 5, "assign one name at a time"),
    ("a, b = 1, 2", 1, 1, "assign one name at a time"),
    ("a: float = 1", 1, 1, "type annotations"),
    # calls, names and statements
    ("a = 1\nb = relu", 2, 5, "relu is a function"),
    ("a = 1\nb = relu(a, a)", 2, 5, "relu() takes exactly one argument"),
    ("a = 1\nb = relu(x=a)", 2, 10, "keyword arguments are not allowed"),
    ("a = 1\nb = a.relu(2)", 2, 12, ".relu() takes no arguments"),
    ("a = 1\nb = a.relu", 2, 7, ".relu must be called"),
    ("a = 1\nb = Value(a)", 2, 11, "Value() takes a number"),
    ("a = 1\nb = Value(2, 3)", 2, 5, "Value() takes exactly one argument"),
    ("a = 1\nb = a(2)", 2, 5, "a is a value, not a function"),
    ("relu = 1", 1, 1, "relu is a function name"),
    ("a = 1\nb = c + a", 2, 5, "name 'c' is not defined"),
    ("a = b\nb = 1", 1, 5, "assigned later, on line 2"),
    ("x = y + 1; y = 2", 1, 5, "name 'y' is not defined (it is assigned later on this line, "
                               "at column 12)"),
    ("x = (y +\n     1); y = 2", 1, 6, "assigned later, on line 2"),
    ("c += 1; c = 2", 1, 1, "c is not defined: assign it before using c += (it is assigned "
                            "later on this line, at column 9)"),
    ("c += 1\nc = 2", 1, 1, "(it is assigned later, on line 2)"),
    ("a = 2\na = a ** (b)", 2, 11, "name 'b' is not defined"),
    ("c += 1", 1, 1, "c is not defined"),
    ("a = 1\na + 1\nb = 2", 2, 1, "bare expression is only allowed on the last line"),
    ("", 1, 1, "the program is empty"),
    ("# only a comment\n\n", 1, 1, "the program is empty"),
    # syntax
    ("a = = 1", 1, 5, "syntax error"),
    ("a = (1 +", 1, 5, "was never closed"),
    ("a = 1 +", 1, 8, "syntax error"),
    ("a = 1\n  b = 2", 2, 3, "unexpected indent"),
    ("a = 1 $ 2", 1, 7, "'$' is not part of the language"),
    # characters outside the language, named where they are when the parser trips
    ("?", 1, 1, "'?' is not part of the language"),
    ("a = 1\nb = a ? 1 : 2", 2, 7, "'?' is not part of the language"),
    ("[bold]x[/]", 1, 1, "'[' is not part of the language: lists and subscripts"),
    ("a = (1]", 1, 7, "']' is not part of the language"),
    ("a = 1\nb = a[0", 2, 6, "'[' is not part of the language"),
    ("x = {", 1, 5, "'{' is not part of the language: dicts and sets"),
    ("x = 1 }", 1, 7, "'}' is not part of the language"),
    ("a = !1", 1, 5, "'!' is not part of the language"),
    ("a = `1`", 1, 5, "'`' is not part of the language"),
    ("a = 1 &", 1, 7, "'&' is not part of the language: the operators are + - * / **"),
    ("a = 1 |", 1, 7, "'|' is not part of the language"),
    ("a = 2 ^", 1, 7, "(a power is **)"),
    ("a = ~", 1, 5, "(negate with -)"),
    ("a = 1 @", 1, 7, "'@' is not part of the language"),
    ("a = 1 %", 1, 7, "'%' is not part of the language"),
    ("a = 1 \\ 2", 1, 7, "a backslash is allowed only as the last character of a line"),
    ("a = 1 \\ \n + 2", 1, 7, "a backslash is allowed only as the last character"),
    # ... but the parser's words when it gives up before the first of them
    ("a = 1 +\nb = [2]", 1, 8, "syntax error: invalid syntax"),
    ("a = = 1  # [what?]", 1, 5, "syntax error: invalid syntax"),
    ("a = b != ", 1, 10, "syntax error: invalid syntax"),
    # limits
    ("a = " + "(" * 65 + "1" + ")" * 65, 1, 69, "Limits.depth"),
    ("a = 1\nb = " + "[" * 100, 2, 69, "Limits.depth"),
    ("a = " + "-" * 2000 + "1", 1, 1003, "Limits.statement_tokens"),
    ("a = 1\nb = a" + ".relu()" * 1000, 2, 1750, "Limits.statement_tokens"),
    ("a = 1\n" * 4000, 3334, 3, "Limits.source_chars"),
    ("a = 1\n" * 501, 501, 1, "Limits.statements"),
]


@pytest.mark.parametrize("source, line, col, fragment", BAD,
                         ids=[repr(case[0][:30]) for case in BAD])
def test_bad_input_is_refused_with_its_position(source, line, col, fragment):
    with pytest.raises(ExprError) as info:
        evaluate(source)
    err = info.value
    assert type(err) is ExprError  # a refusal, not a numeric error
    assert (err.line, err.col) == (line, col), err.message
    assert fragment in err.message
    assert str(err).startswith(f"line {line}, column {col}: ")
    with pytest.raises(ExprError) as again:  # parse() refuses the same way
        parse(source)
    assert (again.value.line, again.value.col, again.value.message) == (line, col, err.message)


def test_the_corpus_is_large():
    assert len(BAD) >= 40


@pytest.mark.parametrize("source", [None, b"a = 1", 42])
def test_a_program_that_is_not_text(source):
    with pytest.raises(ExprError) as info:
        evaluate(source)
    assert (info.value.line, info.value.col) == (1, 1)
    assert "text" in info.value.message


@pytest.mark.parametrize("source", [
    "-" * 100_000 + "1",
    "-" * 5000 + "1",
    "(" * 5000,
    "a = 1\n" + "a = " + "not " * 4000 + "a",
    "a = 2" + "**2" * 5000,
    "a = 1" + "+1" * 9000,
    "x = " + "lambda: " * 2000 + "1",
    "a = 1\nb = " + "a." * 5000 + "relu()",
    "a = 1\n" + "a = a + 1\\\n" * 1000,
])
def test_input_that_could_exhaust_the_parser_is_refused(source):
    # deep enough to make a bare ast.parse (3.11) raise RecursionError or MemoryError
    with pytest.raises(ExprError) as info:
        evaluate(source)
    assert "Limits." in info.value.message


def test_limits_passed_as_a_value_are_the_ones_applied():
    small = Limits(source_chars=10)
    with pytest.raises(ExprError, match=r"Limits\.source_chars") as info:
        evaluate("a = 1\nb = 2222", small)
    assert (info.value.line, info.value.col) == (2, 5)
    evaluate("a = 1\nb=2", small)
    with pytest.raises(ExprError, match=r"Limits\.source_chars"):
        parse("a = 1\nb = 2222", small)
    evaluate("a = 1\nb = 2222")  # the defaults are untouched
