"""The raw text of a program: positions, and what must never reach the parser.

:class:`Text` holds the normalized program text and turns offsets and tree nodes into 1-based
lines and columns.  :func:`scan` reads the text once, flat (no recursion, no tree), and refuses
with an :class:`ExprError` what must never reach ``ast.parse``: non-ASCII characters (allowed
only inside comments), control characters, strings, malformed numbers, bracket nesting deeper
than ``Limits.depth``, statements longer than ``Limits.statement_tokens`` tokens and numbers
longer than ``Limits.number_chars`` characters.  It also returns the first *stray* character
(``? $ ! ` [ ] { } & | ^ ~ @ %`` or a backslash that does not end its line), so that
:mod:`engine.expr_check` can name it instead of Python's "invalid syntax".

:class:`Limits` lives here because the scan is the first step that needs it;
:mod:`engine.expr_check` and :mod:`engine.expr` re-export it.  :class:`ExprError` is in
:mod:`engine.errors`, with the engine's other errors.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from .errors import ExprError


@dataclass(frozen=True)
class Limits:
    """What a program may be; pass one to ``evaluate``/``parse`` to change them.

    Each broken limit is an :class:`ExprError` whose message names its field
    (``Limits.source_chars``).
    """

    source_chars: int = 20_000      # characters in a program
    statements: int = 500           # statements in a program
    depth: int = 64                 # nesting of brackets ( [ {
    statement_tokens: int = 1_000   # tokens (names, numbers, operators) in one statement
    number_chars: int = 100         # characters in one number literal
    nodes: int = 200_000            # graph nodes one evaluation may create


# --- positions -----------------------------------------------------------------------

class Text:
    """The normalized program text and its line starts, to turn offsets into positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def offset(self, line: int, col0: int) -> int:
        return self.starts[line - 1] + col0

    def operator_after(self, node: ast.expr, before: ast.expr) -> tuple[int, int]:
        """Position of the operator between ``node`` and ``before`` (skips brackets, comments)."""
        i = self.offset(*_end(node))
        stop = self.offset(before.lineno, before.col_offset)
        text = self.text
        while i < stop:
            ch = text[i]
            if ch == "#":
                i = text.find("\n", i, stop)
                if i < 0:
                    break
            elif ch not in " \t\n()\\":
                return self.position(i)
            i += 1
        return node.lineno, node.col_offset + 1

    def where(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        """Where the operation of ``node`` is: its operator, function or method name."""
        if isinstance(node, ast.BinOp):
            return self.operator_after(node.left, node.right)
        if isinstance(node, ast.AugAssign):
            return self.operator_after(node.target, node.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return attr_position(node.func)
        return node.lineno, node.col_offset + 1


def attr_position(node: ast.Attribute) -> tuple[int, int]:
    """Where the name of the attribute ``node`` (``x.tanh``: the ``t``) is."""
    line, col0 = _end(node)
    return line, col0 - len(node.attr) + 1


def _end(node: ast.expr) -> tuple[int, int]:
    """Where ``node`` ends (``ast.parse`` always sets it; the start stands in otherwise)."""
    if node.end_lineno is None or node.end_col_offset is None:
        return node.lineno, node.col_offset
    return node.end_lineno, node.end_col_offset


# --- the scan ------------------------------------------------------------------------

_NUMBER = (r"0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+"
           r"|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?")
_TOKEN = re.compile(r"(?P<ws>[ \t]+)|(?P<nl>\n)|(?P<comment>#[^\n]*)"
                    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<num>" + _NUMBER + r")"
                    r"|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<other>.)", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_IDENT_CHAR = re.compile(r"[A-Za-z0-9_]")
_STRING_PREFIXES = {"r", "u", "f", "b", "br", "rb", "fr", "rf"}

_GROUP = "use round brackets ( ) to group"
_OPERATORS = "the operators are + - * / **"
#: characters outside the language, and what to say when the parser trips over one
_STRAY = {
    "?": "'?' is not part of the language",
    "$": "'$' is not part of the language: names are letters, digits and _",
    "!": "'!' is not part of the language",
    "`": "'`' is not part of the language",
    "[": f"'[' is not part of the language: lists and subscripts are not allowed; {_GROUP}",
    "]": f"']' is not part of the language: lists and subscripts are not allowed; {_GROUP}",
    "{": f"'{{' is not part of the language: dicts and sets are not allowed; {_GROUP}",
    "}": f"'}}' is not part of the language: dicts and sets are not allowed; {_GROUP}",
    "&": f"'&' is not part of the language: {_OPERATORS}",
    "|": f"'|' is not part of the language: {_OPERATORS}",
    "^": f"'^' is not part of the language: {_OPERATORS} (a power is **)",
    "~": f"'~' is not part of the language: {_OPERATORS} (negate with -)",
    "@": f"'@' is not part of the language: {_OPERATORS}",
    "%": f"'%' is not part of the language: {_OPERATORS}",
    "\\": "a backslash is allowed only as the last character of a line, to continue the "
          "statement on the next one",
}


class Stray(NamedTuple):
    """The first character of the text that is outside the language (see ``_STRAY``)."""

    line: int
    col: int
    message: str


def scan(text: str, limits: Limits) -> Stray | None:
    """Refuse, without recursion and before parsing, what must never reach the parser.

    Returns the first stray character (one of ``_STRAY``, outside comments), if any: the
    parser's own words for a syntax error it causes are less helpful than ours.
    """
    max_depth, max_tokens, max_number = limits.depth, limits.statement_tokens, limits.number_chars
    line, line_start = 1, 0
    depth = tokens = 0
    continued = False
    word_start = word_end = -1
    n = len(text)
    stray: Stray | None = None
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        start = m.start()
        col = start - line_start + 1
        if kind == "ws":
            continue
        if kind == "nl":
            if depth == 0 and not continued:
                tokens = 0
            line, line_start = line + 1, m.end()
            continued = False
            continue
        continued = False
        if kind == "comment":
            bad = _CONTROL.search(m.group())
            if bad:
                _refuse_char(line, col + bad.start(), bad.group())
            continue
        if stray is None and m.group() in _STRAY:
            ch = m.group()
            if not (ch == "\\" and text[start + 1:start + 2] in ("\n", "")) \
                    and not (ch == "!" and text[start + 1:start + 2] == "="):
                stray = Stray(line, col, _STRAY[ch])
        if kind == "other":
            ch = m.group()
            if ch == "\\":
                continued = True
            elif ch in "'\"":
                prefix = text[word_start:start].lower() if word_end == start else ""
                if prefix in _STRING_PREFIXES:
                    col -= len(prefix)
                    what = "f-strings are" if "f" in prefix else "strings are"
                else:
                    what = "strings are"
                raise ExprError(line, col, f"{what} not allowed: the language has only numbers")
            elif ord(ch) > 127 or _CONTROL.match(ch):
                _refuse_char(line, col, ch)
            elif ch == ";" and depth == 0:
                tokens = -1
        elif kind == "word":
            word_start, word_end = start, m.end()
        elif kind == "num":
            end = m.end()
            if end < n and _IDENT_CHAR.match(text, end):
                raise ExprError(line, col, f"invalid number {text[start:end + 1]!r}")
            if end - start > max_number:
                raise ExprError(line, col, f"number too long: more than {max_number} "
                                           "characters (Limits.number_chars)")
        elif kind == "open":
            depth += 1
            if depth > max_depth:
                raise ExprError(line, col, f"nesting too deep: more than {max_depth} levels "
                                           "of brackets (Limits.depth)")
        elif kind == "close":
            depth = max(0, depth - 1)
        tokens += 1
        if tokens > max_tokens:
            raise ExprError(line, col, f"statement too long: more than {max_tokens} "
                                       "tokens in one statement (Limits.statement_tokens)")
    return stray


def _refuse_char(line: int, col: int, ch: str) -> None:
    code = f"U+{ord(ch):04X}"
    if ch == "\0":
        raise ExprError(line, col, f"NUL byte ({code}) is not allowed")
    if ord(ch) < 128:
        raise ExprError(line, col, f"control character {code} is not allowed")
    raise ExprError(line, col, f"non-ASCII character {ch!r} ({code}) is not allowed outside "
                               "comments: use ASCII, e.g. * for \u00d7")
