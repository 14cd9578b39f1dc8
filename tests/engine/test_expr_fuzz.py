"""Any text at all: evaluate() gives a Program or raises ExprError, never anything else."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.expr import ExprError, Program, evaluate
from engine.value import Value

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_ALPHABET = list(string.printable) + list("\x00\x01\x0b\x0c\x1b\x7f\r\t") + \
    ["\u00d7", "\u00e9", "\u2028", "\ud800", "\U0001f600", "\u00a0"]

_TOKENS = [
    "a", "b", "c", "x", "_", "out", "Value", "relu", "tanh", "exp", "log", "sigmoid",
    "0", "1", "2.5", "-4.0", "1e308", "1e-320", "0x1F", "9", "1j", ".5", "1.", "00",
    "+", "-", "*", "/", "**", "%", "//", "@", "~", "<", "==", "=", "+=", "-=", "*=", "/=",
    "**=", ":=", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", ".relu()", ".tanh()",
    ".log()", ".__class__", "._prev", ".data", " ", "  ", "\t", "\n", "\r\n", "\\\n", "#",
    "'", '"', "f'", "lambda", "import", "not", "and", "if", "else", "for", "in", "True",
    "None", "del", "def", "return", "yield", "await", "__import__", "open", "exec", "print",
    "\u00d7", "\x00",
]


def _check(source: str) -> None:
    try:
        program = evaluate(source)
    except ExprError as err:
        assert err.line >= 1 and err.col >= 1
        assert err.message
        return
    assert isinstance(program, Program)
    assert isinstance(program.output, Value)
    assert program.output is program.variables[program.statements[-1].name]
    try:
        program.backward()
    except ExprError:
        pass


@FUZZ
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=200))
def test_random_text(source):
    _check(source)


@FUZZ
@given(st.text(max_size=100))
def test_random_unicode_text(source):
    _check(source)


@FUZZ
@given(st.lists(st.sampled_from(_TOKENS), max_size=40))
def test_token_soup(tokens):
    _check("".join(tokens))
    _check(" ".join(tokens))


_LEAF = st.sampled_from(["a", "b", "c", "2", "0.5", "-1", "0", "1e3", "Value(3)"])


def _grow(inner):
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner)
        .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["relu", "tanh", "exp", "log", "sigmoid", "-"]), inner)
        .map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, st.sampled_from(["relu", "tanh", "exp", "log", "sigmoid"]))
        .map(lambda t: f"({t[0]}).{t[1]}()"),
    )


_EXPRESSION = st.recursive(_LEAF, _grow, max_leaves=10)
_STATEMENT = st.tuples(st.sampled_from(["a", "b", "c", "d"]),
                       st.sampled_from(["=", "=", "+=", "-=", "*=", "/=", "**="]),
                       _EXPRESSION).map(lambda t: f"{t[0]} {t[1]} {t[2]}")


@st.composite
def _mutated(draw, program):
    """A valid-looking program with, sometimes, a character deleted or inserted."""
    text = draw(program)
    if text and draw(st.booleans()):
        i = draw(st.integers(0, len(text) - 1))
        if draw(st.booleans()):
            text = text[:i] + text[i + 1:]
        else:
            text = text[:i] + draw(st.sampled_from(_ALPHABET)) + text[i:]
    return text


_PROGRAM = st.lists(_STATEMENT, min_size=1, max_size=6).map(
    lambda lines: "a = 1.5\nb = -2\nc = 0.25\n" + "\n".join(lines))


@FUZZ
@given(_mutated(_PROGRAM))
def test_grammar_generated_programs(source):
    _check(source)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(["-", "(", "not ", "**2", "+1", "a.", ".relu()", "lambda:", "[", "~",
                        "relu(", "2**", "+-"]),
       st.integers(min_value=0, max_value=20_000))
def test_deep_repetitions(piece, n):
    _check("a = 1\nb = " + piece * (n // len(piece)) + "a")
