"""Reading a program of the expression language: every check that needs no evaluation.

``read(source, limits)`` turns program text into a checked ``ast.Module`` (and the
:class:`Text` that maps tree positions back to lines and columns), or raises
:class:`ExprError`.  :mod:`engine.expr` runs what this module lets through; this module never
runs anything.

Safety: the text is never given to ``eval``/``exec``/``compile``.  It is read by
``ast.parse`` (which only parses) and the tree is checked here against an allow-list of
node types; anything else is refused, with its position, before anything runs.  Before
``ast.parse`` a flat scan of the raw text refuses non-ASCII characters (allowed only inside
comments), control characters, strings, bracket nesting deeper than ``Limits.depth`` and
statements longer than ``Limits.statement_tokens`` tokens, so the parser never meets input
deep enough to exhaust its stack; ``RecursionError``/``MemoryError`` from it are still
caught.  The scan and the checker are iterative (explicit stacks, no recursion).

When the parser gives up, the scan's first stray character (``? $ ! ` [ ] { } & | ^ ~ @ %``
or a backslash that does not end its line), if it comes at or before where the parser
stopped, is named at its own column instead of Python's "invalid syntax".

The limits are a :class:`Limits` passed in by the caller: :mod:`engine.expr` builds one from
its ``MAX_*`` constants at every call, so those constants are the ones to change.  Each
broken limit is an ``ExprError`` whose message names that constant.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from bisect import bisect_right
from typing import NamedTuple


class ExprError(ValueError):
    """A program was refused or failed; ``line`` and ``col`` are 1-based, in characters."""

    def __init__(self, line: int, col: int, message: str) -> None:
        self.line = line
        self.col = col
        self.message = message
        super().__init__(f"line {line}, column {col}: {message}")


class Limits(NamedTuple):
    """What a program may be (the defaults are :mod:`engine.expr`'s ``MAX_*`` constants)."""

    source_chars: int = 20_000      # MAX_SOURCE_CHARS: characters in a program
    statements: int = 500           # MAX_STATEMENTS: statements in a program
    depth: int = 64                 # MAX_DEPTH: nesting of brackets ( [ {
    statement_tokens: int = 1_000   # MAX_STATEMENT_TOKENS: tokens (names, numbers,
    #                                 operators) in one statement
    number_chars: int = 100         # MAX_NUMBER_CHARS: characters in one number literal


OUTPUT_NAME = "out"
FUNCTIONS = ("relu", "tanh", "exp", "log", "sigmoid")
CONSTRUCTOR = "Value"
#: the binary operators of the language: AST operator type -> (symbol, float/Value function)
BINOPS = {ast.Add: ("+", operator.add), ast.Sub: ("-", operator.sub),
          ast.Mult: ("*", operator.mul), ast.Div: ("/", operator.truediv),
          ast.Pow: ("**", operator.pow)}

_CALLABLE = FUNCTIONS + (CONSTRUCTOR,)
_CALLABLE_TEXT = "relu, tanh, exp, log, sigmoid and Value"
_METHODS_TEXT = ".relu() .tanh() .exp() .log() .sigmoid()"
_OTHER_BINOPS = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<",
                 ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^"}


# --- the raw text --------------------------------------------------------------------

_NUMBER = (r"0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+"
           r"|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?")
_TOKEN = re.compile(r"(?P<ws>[ \t]+)|(?P<nl>\n)|(?P<comment>#[^\n]*)"
                    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<num>" + _NUMBER + r")"
                    r"|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<other>.)", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_IDENT_CHAR = re.compile(r"[A-Za-z0-9_]")
_STRING_PREFIXES = {"r", "u", "f", "b", "br", "rb", "fr", "rf"}


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

    def operator_after(self, node: ast.AST, before: ast.AST) -> tuple[int, int]:
        """Position of the operator between ``node`` and ``before`` (skips brackets, comments)."""
        i = self.offset(node.end_lineno, node.end_col_offset)
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

    def where(self, node: ast.AST) -> tuple[int, int]:
        """Where the operation of ``node`` is: its operator, function or method name."""
        if isinstance(node, ast.BinOp):
            return self.operator_after(node.left, node.right)
        if isinstance(node, ast.AugAssign):
            return self.operator_after(node.target, node.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return _attr_position(node.func)
        return node.lineno, node.col_offset + 1


def _attr_position(node: ast.Attribute) -> tuple[int, int]:
    return node.end_lineno, node.end_col_offset - len(node.attr) + 1


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


def _scan(text: str, limits: Limits) -> Stray | None:
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
                                           "characters (MAX_NUMBER_CHARS)")
        elif kind == "open":
            depth += 1
            if depth > max_depth:
                raise ExprError(line, col, f"nesting too deep: more than {max_depth} levels "
                                           "of brackets (MAX_DEPTH)")
        elif kind == "close":
            depth = max(0, depth - 1)
        tokens += 1
        if tokens > max_tokens:
            raise ExprError(line, col, f"statement too long: more than {max_tokens} "
                                       "tokens in one statement (MAX_STATEMENT_TOKENS)")
    return stray


def _refuse_char(line: int, col: int, ch: str) -> None:
    code = f"U+{ord(ch):04X}"
    if ch == "\0":
        raise ExprError(line, col, f"NUL byte ({code}) is not allowed")
    if ord(ch) < 128:
        raise ExprError(line, col, f"control character {code} is not allowed")
    raise ExprError(line, col, f"non-ASCII character {ch!r} ({code}) is not allowed outside "
                               "comments: use ASCII, e.g. * for \u00d7")


def read(source: object, limits: Limits = Limits()) -> tuple[Text, ast.Module]:
    """Every check that needs no evaluation: raw text, parse, allow-list, names.

    Returns the normalized text (``\\r\\n`` and ``\\r`` become ``\\n``) and the checked tree;
    raises :class:`ExprError` with the position of the first problem.
    """
    if not isinstance(source, str):
        raise ExprError(1, 1, f"a program is text (str), not {type(source).__name__}")
    max_chars = limits.source_chars
    if len(source) > max_chars:
        head = source[:max_chars + 1].replace("\r\n", "\n").replace("\r", "\n")
        line, col = Text(head).position(len(head) - 1)
        raise ExprError(line, col, f"program too long: more than {max_chars} "
                                   "characters (MAX_SOURCE_CHARS)")
    text = Text(source.replace("\r\n", "\n").replace("\r", "\n"))
    stray = _scan(text.text, limits)
    try:
        tree = ast.parse(text.text, mode="exec")
    except SyntaxError as err:
        lines = text.text.split("\n")
        line = min(max(err.lineno or 1, 1), len(lines))
        col = min(max(err.offset or 1, 1), len(lines[line - 1]) + 1)
        message = f"syntax error: {err.msg}"
        if isinstance(err, IndentationError):
            stripped = lines[line - 1].lstrip(" \t")
            col = len(lines[line - 1]) - len(stripped) + 1
            message += " (statements start at column 1; there are no blocks)"
        if stray is not None and (stray.line, stray.col) <= (line, col):
            # a character outside the language, at or before where the parser gave up
            raise ExprError(*stray) from None
        raise ExprError(line, col, message) from None
    except (RecursionError, MemoryError, ValueError, OverflowError):
        raise ExprError(1, 1, "program too complex to read") from None
    _check(tree, text, limits)
    return text, tree


# --- the allow-list ------------------------------------------------------------------

_REFUSED_EXPR = {
    "Lambda": "lambda is not allowed", "ListComp": "comprehensions are not allowed",
    "SetComp": "comprehensions are not allowed", "DictComp": "comprehensions are not allowed",
    "GeneratorExp": "comprehensions are not allowed", "List": "lists are not allowed",
    "Tuple": "tuples are not allowed", "Set": "sets are not allowed",
    "Dict": "dicts are not allowed", "Subscript": "subscripts (x[...]) are not allowed",
    "NamedExpr": "the walrus operator := is not allowed",
    "Compare": "comparisons are not allowed", "BoolOp": "and/or are not allowed",
    "IfExp": "conditional expressions (x if c else y) are not allowed",
    "JoinedStr": "f-strings are not allowed", "Starred": "unpacking (*x) is not allowed",
    "Await": "await is not allowed", "Yield": "yield is not allowed",
    "YieldFrom": "yield is not allowed", "Slice": "slices are not allowed",
}
_REFUSED_STMT = {
    "Import": "import is not allowed", "ImportFrom": "import is not allowed",
    "FunctionDef": "defining functions is not allowed",
    "AsyncFunctionDef": "defining functions is not allowed",
    "ClassDef": "defining classes is not allowed", "AnnAssign": "type annotations are not allowed",
    "Delete": "del is not allowed", "Global": "global is not allowed",
    "Nonlocal": "nonlocal is not allowed", "If": "if statements are not allowed",
    "For": "loops are not allowed", "AsyncFor": "loops are not allowed",
    "While": "loops are not allowed", "With": "with is not allowed",
    "AsyncWith": "with is not allowed", "Try": "try is not allowed", "Raise": "raise is not allowed",
    "Return": "return is not allowed", "Assert": "assert is not allowed",
    "Pass": "pass is not needed: remove it", "Break": "break is not allowed",
    "Continue": "continue is not allowed", "Match": "match is not allowed",
}


def _refusal(node: ast.AST, table: dict[str, str], kind: str) -> str:
    name = type(node).__name__
    return table.get(name) or f"{kind} not allowed ({name}): only assignments, numbers, " \
                               f"names, + - * / ** and {_CALLABLE_TEXT}"


class Assignment(NamedTuple):
    """Where a name is first given a value: its statement's index and the name's position."""

    index: int
    line: int
    col: int


def _first_assignments(body: list[ast.stmt]) -> dict[str, Assignment]:
    """name -> its first plain assignment (``x = ...``; ``x += ...`` needs x already)."""
    first: dict[str, Assignment] = {}
    for index, st in enumerate(body):
        if isinstance(st, ast.Assign) and isinstance(st.targets[0], ast.Name):
            target = st.targets[0]
            first.setdefault(target.id, Assignment(index, target.lineno, target.col_offset + 1))
    return first


def _assigned_later(name: str, index: int, line: int, first: dict[str, Assignment]) -> str:
    """The hint for a name used by statement ``index`` before a later statement assigns it."""
    later = first.get(name)
    if later is None or later.index <= index:
        return ""
    if later.line == line:
        return f" (it is assigned later on this line, at column {later.col})"
    return f" (it is assigned later, on line {later.line})"


def _check(tree: ast.Module, text: Text, limits: Limits) -> None:
    body = tree.body
    if not body:
        raise ExprError(1, 1, "the program is empty: assign a value, e.g. a = 2.0")
    max_statements = limits.statements
    if len(body) > max_statements:
        st = body[max_statements]
        raise ExprError(st.lineno, st.col_offset + 1, f"too many statements: more than "
                                                      f"{max_statements} (MAX_STATEMENTS)")
    first = _first_assignments(body)
    defined: set[str] = set()
    last = len(body) - 1
    for index, st in enumerate(body):
        errors: list[tuple[int, int, str]] = []
        target = None
        if isinstance(st, ast.Assign):
            if len(st.targets) > 1:
                t = st.targets[1]
                errors.append((t.lineno, t.col_offset + 1, "assign one name at a time"))
            target = st.targets[0]
        elif isinstance(st, ast.AugAssign):
            target = st.target
            if type(st.op) not in BINOPS:
                sym = _OTHER_BINOPS.get(type(st.op), "?")
                errors.append((*text.operator_after(st.target, st.value),
                               f"operator {sym}= is not supported (use += -= *= /= **=)"))
        elif isinstance(st, ast.Expr):
            if index != last:
                errors.append((st.lineno, st.col_offset + 1, "a bare expression is only "
                               "allowed on the last line (it becomes the output, "
                               f"'{OUTPUT_NAME}'): assign it, e.g. x = ..."))
        else:
            raise ExprError(st.lineno, st.col_offset + 1, _refusal(st, _REFUSED_STMT, "statement"))
        if target is not None:
            _check_target(target, st, defined, first, index, errors)
        _check_expr(st.value, text, defined, first, index, errors)
        if errors:
            raise ExprError(*min(errors))
        defined.add(target.id if target is not None else OUTPUT_NAME)


def _check_target(target: ast.AST, st: ast.stmt, defined: set[str],
                  first: dict[str, Assignment], index: int, errors: list) -> None:
    pos = (target.lineno, target.col_offset + 1)
    if isinstance(target, ast.Attribute):
        errors.append((*_attr_position(target), f"setting attributes (.{target.attr}) is not allowed"))
    elif not isinstance(target, ast.Name):
        what = _REFUSED_EXPR.get(type(target).__name__, "this target is not allowed")
        errors.append((*pos, f"assign one name at a time: {what}"))
    elif target.id in _CALLABLE:
        errors.append((*pos, f"{target.id} is a function name: choose another name"))
    elif isinstance(st, ast.AugAssign) and target.id not in defined:
        hint = _assigned_later(target.id, index, pos[0], first)
        errors.append((*pos, f"{target.id} is not defined: assign it before using {target.id} "
                             f"{BINOPS.get(type(st.op), ('?',))[0]}={hint}"))


def _is_number_expr(node: ast.AST) -> ast.AST | None:
    """None if ``node`` is made of numbers and operators only, else the offending node."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, ast.BinOp):
            stack += (n.left, n.right)
        elif isinstance(n, ast.UnaryOp):
            stack.append(n.operand)
        elif not isinstance(n, ast.Constant):
            return n
    return None


def _check_expr(root: ast.AST, text: Text, defined: set[str], first: dict[str, Assignment],
                index: int, errors: list) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        pos = (node.lineno, node.col_offset + 1)
        t = type(node)
        if t is ast.Constant:
            _check_constant(node, pos, errors)
        elif t is ast.Name:
            name = node.id
            if name in _CALLABLE:
                errors.append((*pos, f"{name} is a function: call it, e.g. {name}(x)"))
            elif name not in defined:
                hint = _assigned_later(name, index, pos[0], first)
                errors.append((*pos, f"name '{name}' is not defined{hint}"))
        elif t is ast.BinOp:
            if type(node.op) not in BINOPS:
                sym = _OTHER_BINOPS.get(type(node.op), "?")
                errors.append((*text.operator_after(node.left, node.right),
                               f"operator {sym} is not supported (use + - * / **)"))
            else:
                stack += (node.right, node.left)
        elif t is ast.UnaryOp:
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                sym = "not" if isinstance(node.op, ast.Not) else "~"
                errors.append((*pos, f"operator {sym} is not supported (use - or +)"))
            else:
                stack.append(node.operand)
        elif t is ast.Call:
            _check_call(node, pos, defined, errors, stack)
        elif t is ast.Attribute:
            if node.attr in FUNCTIONS:
                errors.append((*_attr_position(node), f".{node.attr} must be called: .{node.attr}()"))
            else:
                errors.append((*_attr_position(node), f"attribute .{node.attr} is not allowed: "
                                                      f"only the methods {_METHODS_TEXT}"))
        else:
            errors.append((*pos, _refusal(node, _REFUSED_EXPR, "expression")))


def _check_constant(node: ast.Constant, pos: tuple[int, int], errors: list) -> None:
    v = node.value
    if isinstance(v, bool):
        errors.append((*pos, f"{v} is not a number: use 1.0 or 0.0"))
    elif v is None:
        errors.append((*pos, "None is not a number"))
    elif isinstance(v, complex):
        errors.append((*pos, "complex numbers are not allowed"))
    elif isinstance(v, (int, float)):
        try:
            f = float(v)
        except OverflowError:
            f = math.inf
        if not math.isfinite(f):
            errors.append((*pos, "number too large for a float"))
    elif isinstance(v, (str, bytes)):
        errors.append((*pos, "strings are not allowed: the language has only numbers"))
    else:
        errors.append((*pos, f"{v!r} is not a number"))


def _check_call(node: ast.Call, pos: tuple[int, int], defined: set[str], errors: list,
                stack: list) -> None:
    func = node.func
    if isinstance(func, ast.Attribute):
        if func.attr not in FUNCTIONS:
            errors.append((*_attr_position(func), f"method .{func.attr}() is not allowed: "
                                                  f"only {_METHODS_TEXT}"))
        elif node.args or node.keywords:
            a = (node.args or node.keywords)[0]
            errors.append((a.lineno, a.col_offset + 1, f".{func.attr}() takes no arguments"))
        else:
            stack.append(func.value)
        return
    if not isinstance(func, ast.Name):
        errors.append((*pos, f"only {_CALLABLE_TEXT} can be called"))
        return
    name = func.id
    if name not in _CALLABLE:
        what = f"{name} is a value, not a function" if name in defined else f"unknown function {name}"
        errors.append((*pos, f"{what}: the functions are {_CALLABLE_TEXT}"))
        return
    if node.keywords:
        kw = node.keywords[0]
        errors.append((kw.lineno, kw.col_offset + 1, "keyword arguments are not allowed"))
        return
    if len(node.args) != 1:
        errors.append((*pos, f"{name}() takes exactly one argument, e.g. {name}(x)"))
        return
    arg = node.args[0]
    if name == CONSTRUCTOR:
        bad = _is_number_expr(arg)
        if bad is not None and not isinstance(bad, ast.Starred):
            errors.append((bad.lineno, bad.col_offset + 1,
                           "Value() takes a number, e.g. Value(2.0); use the value itself"))
            return
    stack.append(arg)
