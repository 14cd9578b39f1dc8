"""The expression language: a small, safe, Python-like language that builds a graph.

    a = -4.0              # a name assigned a number becomes a leaf labelled "a"
    b = Value(2.0)        # the same, spelled the micrograd way
    c = a * b + b**3      # each assigned intermediate is labelled with its name
    c += relu(c) + 1      # augmented assignment: += -= *= /= **=
    d = (a - c).tanh()    # functions and methods: relu tanh exp log sigmoid
    d / 2                 # a bare expression on the LAST line is the output, named "out"

``evaluate(source)`` runs a program and returns a :class:`Program`; ``parse(source)`` only
checks it.  Both raise :class:`ExprError` (a ``ValueError``) and nothing else, with a
1-based line and column in characters.

Safety: the text is never given to ``eval``/``exec``/``compile``.  It is read by
``ast.parse`` (which only parses) and the tree is interpreted here, over an allow-list of
node types; anything else is refused, with its position, before anything runs.  Before
``ast.parse`` a flat scan of the raw text refuses non-ASCII characters (allowed only inside
comments), control characters, strings, bracket nesting deeper than ``MAX_DEPTH`` and
statements longer than ``MAX_STATEMENT_TOKENS`` tokens, so the parser never meets input deep
enough to exhaust its stack; ``RecursionError``/``MemoryError`` from it are still caught.
The checker and the evaluator walk the tree with explicit stacks (no recursion).

Decisions:

* Numbers are floats (``2`` is ``2.0``); an expression of numbers alone is folded to a
  number (``x = 2 * 3`` is one leaf of 6.0).  A number meeting a Value uses the engine's
  operators as written: ``b**3`` is the constant-exponent op, ``2 * a`` and ``2 ** a`` the
  reflected ones.  ``relu(2)`` and ``(2).relu()`` make a constant leaf and the op node.
* Labels: a node created by a statement is labelled with the assigned name; a node that
  already has a name keeps it (``x = a`` binds ``x`` to the node labelled ``a``), so a node
  keeps the first name it was given.  ``c += 1`` makes a new node labelled ``c``.
* A bare expression is allowed only as the last statement; it means ``out = <expression>``.
* Numeric errors point at the operator for ``+ - * / **`` and augmented assignments (the
  ``/`` of ``1/0``, the ``+=`` of ``c += ...``), at the function name for ``log(0)`` and at
  the method name for ``x.log()``.  They raise :class:`ExprNumericError`, which is both an
  ``ExprError`` and the engine's ``NumericError``; so does ``Program.backward()`` when the
  backward pass fails (e.g. d(a**b)/db for a < 0), pointing at the operation to blame.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import NumericError
from .value import OPS, Value, apply

#: the limits; each broken limit is an ExprError that names it
MAX_SOURCE_CHARS = 20_000       # characters in a program
MAX_STATEMENTS = 500            # statements in a program
MAX_DEPTH = 64                  # nesting of brackets ( [ {
MAX_STATEMENT_TOKENS = 1_000    # tokens (names, numbers, operators) in one statement
MAX_NODES = 200_000             # graph nodes one evaluation may create
MAX_NUMBER_CHARS = 100          # characters in one number literal

OUTPUT_NAME = "out"
FUNCTIONS = ("relu", "tanh", "exp", "log", "sigmoid")
CONSTRUCTOR = "Value"
_CALLABLE = FUNCTIONS + (CONSTRUCTOR,)
_CALLABLE_TEXT = "relu, tanh, exp, log, sigmoid and Value"
_METHODS_TEXT = ".relu() .tanh() .exp() .log() .sigmoid()"

_BINOPS = {ast.Add: ("+", operator.add), ast.Sub: ("-", operator.sub),
           ast.Mult: ("*", operator.mul), ast.Div: ("/", operator.truediv),
           ast.Pow: ("**", operator.pow)}
_OTHER_BINOPS = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<",
                 ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^"}


class ExprError(ValueError):
    """A program was refused or failed; ``line`` and ``col`` are 1-based, in characters."""

    def __init__(self, line: int, col: int, message: str) -> None:
        self.line = line
        self.col = col
        self.message = message
        super().__init__(f"line {line}, column {col}: {message}")


class ExprNumericError(ExprError, NumericError):
    """A numeric error inside a program: catchable as ExprError and as NumericError."""

    def __init__(self, line: int, col: int, error: ArithmeticError, prefix: str = "") -> None:
        ExprError.__init__(self, line, col, prefix + str(error))
        self.op = getattr(error, "op", "")
        self.operands = getattr(error, "operands", ())
        self.reason = getattr(error, "reason", str(error))
        self.where = ""


class Statement(NamedTuple):
    """One statement: where the assigned name is (the expression, for a bare one)."""

    line: int
    col: int
    name: str


@dataclass
class Program:
    """An evaluated program: its variables, in order of first assignment, and its output."""

    source: str
    variables: dict[str, Value]
    output: Value
    statements: list[Statement]
    values: list[Value] = field(default_factory=list)   # what each statement assigned
    _text: "_Text | None" = field(default=None, repr=False, compare=False)
    _nodes: list[Value] = field(default_factory=list, repr=False, compare=False)
    _origin: dict[int, tuple[int, ast.AST | None]] = field(default_factory=dict, repr=False,
                                                          compare=False)

    def backward(self) -> None:
        """Back-propagate from the output; a numeric failure is an ExprNumericError."""
        try:
            self.output.backward()
        except ArithmeticError as err:
            line, col = self._culprit()
            raise ExprNumericError(line, col, err, "in the backward pass: ") from err

    def names_of(self, value: Value) -> list[str]:
        """The names bound to ``value`` now, in order of first assignment."""
        return [name for name, v in self.variables.items() if v is value]

    def statement_of(self, value: Value) -> Statement | None:
        """The statement whose evaluation created ``value`` (None if it did not)."""
        origin = self._origin.get(id(value))
        return None if origin is None else self.statements[origin[0]]

    def line_of(self, value: Value) -> int | None:
        st = self.statement_of(value)
        return None if st is None else st.line

    def _culprit(self) -> tuple[int, int]:
        # the first node whose local derivative fails, else the first that sent an input a
        # non-finite gradient (nodes are in creation order: inputs before their users)
        found = None
        for node in self._nodes:
            if node._prev:
                try:
                    node._op.local(node)
                except ArithmeticError:
                    found = node
                    break
        if found is None:
            found = next((node for node in self._nodes
                          if any(not math.isfinite(c.grad) for c in node._prev)), None)
        origin = self._origin.get(id(found)) if found is not None else None
        if origin is None or origin[1] is None or self._text is None:
            st = self.statement_of(self.output) or self.statements[-1]
            return st.line, st.col
        return self._text.where(origin[1])


# --- the raw text --------------------------------------------------------------------

_NUMBER = (r"0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+"
           r"|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?")
_TOKEN = re.compile(r"(?P<ws>[ \t]+)|(?P<nl>\n)|(?P<comment>#[^\n]*)"
                    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<num>" + _NUMBER + r")"
                    r"|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<other>.)", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_IDENT_CHAR = re.compile(r"[A-Za-z0-9_]")
_STRING_PREFIXES = {"r", "u", "f", "b", "br", "rb", "fr", "rf"}


class _Text:
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


def _scan(text: str) -> None:
    """Refuse, without recursion and before parsing, what must never reach the parser."""
    line, line_start = 1, 0
    depth = tokens = 0
    continued = False
    word_start = word_end = -1
    n = len(text)
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
            if end - start > MAX_NUMBER_CHARS:
                raise ExprError(line, col, f"number too long: more than {MAX_NUMBER_CHARS} "
                                           "characters (MAX_NUMBER_CHARS)")
        elif kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExprError(line, col, f"nesting too deep: more than {MAX_DEPTH} levels "
                                           "of brackets (MAX_DEPTH)")
        elif kind == "close":
            depth = max(0, depth - 1)
        tokens += 1
        if tokens > MAX_STATEMENT_TOKENS:
            raise ExprError(line, col, f"statement too long: more than {MAX_STATEMENT_TOKENS} "
                                       "tokens in one statement (MAX_STATEMENT_TOKENS)")


def _refuse_char(line: int, col: int, ch: str) -> None:
    code = f"U+{ord(ch):04X}"
    if ch == "\0":
        raise ExprError(line, col, f"NUL byte ({code}) is not allowed")
    if ord(ch) < 128:
        raise ExprError(line, col, f"control character {code} is not allowed")
    raise ExprError(line, col, f"non-ASCII character {ch!r} ({code}) is not allowed outside "
                               "comments: use ASCII, e.g. * for \u00d7")


def _read(source: object) -> tuple[_Text, ast.Module]:
    """Every check that needs no evaluation: raw text, parse, allow-list, names."""
    if not isinstance(source, str):
        raise ExprError(1, 1, f"a program is text (str), not {type(source).__name__}")
    if len(source) > MAX_SOURCE_CHARS:
        head = source[:MAX_SOURCE_CHARS + 1].replace("\r\n", "\n").replace("\r", "\n")
        line, col = _Text(head).position(len(head) - 1)
        raise ExprError(line, col, f"program too long: more than {MAX_SOURCE_CHARS} "
                                   "characters (MAX_SOURCE_CHARS)")
    text = _Text(source.replace("\r\n", "\n").replace("\r", "\n"))
    _scan(text.text)
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
        raise ExprError(line, col, message) from None
    except (RecursionError, MemoryError, ValueError, OverflowError):
        raise ExprError(1, 1, "program too complex to read") from None
    _check(tree, text)
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


def _first_assignments(body: list[ast.stmt]) -> dict[str, int]:
    first: dict[str, int] = {}
    for st in body:
        target = st.targets[0] if isinstance(st, ast.Assign) else getattr(st, "target", None)
        if isinstance(st, (ast.Assign, ast.AugAssign)) and isinstance(target, ast.Name):
            first.setdefault(target.id, st.lineno)
    return first


def _check(tree: ast.Module, text: _Text) -> None:
    body = tree.body
    if not body:
        raise ExprError(1, 1, "the program is empty: assign a value, e.g. a = 2.0")
    if len(body) > MAX_STATEMENTS:
        st = body[MAX_STATEMENTS]
        raise ExprError(st.lineno, st.col_offset + 1, f"too many statements: more than "
                                                      f"{MAX_STATEMENTS} (MAX_STATEMENTS)")
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
            if type(st.op) not in _BINOPS:
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
            _check_target(target, st, defined, errors)
        _check_expr(st.value, text, defined, first, errors)
        if errors:
            raise ExprError(*min(errors))
        defined.add(target.id if target is not None else OUTPUT_NAME)


def _check_target(target: ast.AST, st: ast.stmt, defined: set[str], errors: list) -> None:
    pos = (target.lineno, target.col_offset + 1)
    if isinstance(target, ast.Attribute):
        errors.append((*_attr_position(target), f"setting attributes (.{target.attr}) is not allowed"))
    elif not isinstance(target, ast.Name):
        what = _REFUSED_EXPR.get(type(target).__name__, "this target is not allowed")
        errors.append((*pos, f"assign one name at a time: {what}"))
    elif target.id in _CALLABLE:
        errors.append((*pos, f"{target.id} is a function name: choose another name"))
    elif isinstance(st, ast.AugAssign) and target.id not in defined:
        errors.append((*pos, f"{target.id} is not defined: assign it before using {target.id} "
                             f"{_BINOPS.get(type(st.op), ('?',))[0]}="))


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


def _check_expr(root: ast.AST, text: _Text, defined: set[str], first: dict[str, int],
                errors: list) -> None:
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
                later = first.get(name)
                hint = f" (it is assigned later, on line {later})" if later and later > pos[0] else ""
                errors.append((*pos, f"name '{name}' is not defined{hint}"))
        elif t is ast.BinOp:
            if type(node.op) not in _BINOPS:
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


# --- evaluation ----------------------------------------------------------------------

def _children(node: ast.AST) -> tuple[ast.AST, ...]:
    t = type(node)
    if t is ast.BinOp:
        return (node.left, node.right)
    if t is ast.UnaryOp:
        return (node.operand,)
    if t is ast.Call:
        return (node.func.value,) if type(node.func) is ast.Attribute else (node.args[0],)
    return ()


class _Evaluator:
    """Runs a checked tree.  Expressions are walked with an explicit stack (no recursion)."""

    def __init__(self, text: _Text) -> None:
        self.text = text
        self.variables: dict[str, Value] = {}
        self.nodes: list[Value] = []
        self.origin: dict[int, tuple[int, ast.AST | None]] = {}
        self.index = 0

    def run(self, source: str, tree: ast.Module) -> Program:
        statements: list[Statement] = []
        values: list[Value] = []
        for self.index, st in enumerate(tree.body):
            if isinstance(st, ast.AugAssign):
                name = st.target.id
                right = self.expression(st.value)
                value = self.binop(st, type(st.op), self.variables[name], right)
                pos = (st.target.lineno, st.target.col_offset + 1)
            else:
                value = self.expression(st.value)
                if isinstance(st, ast.Assign):
                    name = st.targets[0].id
                    pos = (st.targets[0].lineno, st.targets[0].col_offset + 1)
                else:
                    name = OUTPUT_NAME
                    pos = (st.lineno, st.col_offset + 1)
            if value.__class__ is float:
                value = self.record(Value(value), st.value)
            if not value.label:
                value.label = name
            self.variables[name] = value
            statements.append(Statement(pos[0], pos[1], name))
            values.append(value)
        return Program(source, self.variables, values[-1], statements, values,
                       self.text, self.nodes, self.origin)

    def expression(self, root: ast.AST) -> Value | float:
        results: list[Value | float] = []
        stack: list[tuple[ast.AST, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            kids = _children(node)
            if kids and not ready:
                stack.append((node, True))
                stack.extend((kid, False) for kid in reversed(kids))
                continue
            if kids:
                args = results[-len(kids):]
                del results[-len(kids):]
            else:
                args = []
            results.append(self.compute(node, args))
        return results[0]

    def compute(self, node: ast.AST, args: list) -> Value | float:
        t = type(node)
        if t is ast.Constant:
            return float(node.value)
        if t is ast.Name:
            return self.variables[node.id]
        if t is ast.BinOp:
            return self.binop(node, type(node.op), args[0], args[1])
        if t is ast.UnaryOp:
            x = args[0]
            if isinstance(node.op, ast.UAdd):
                return x
            return -x if x.__class__ is float else self.record(-x, node)
        # a call: a function, a method or Value(number)
        x = args[0]
        func = node.func
        name = func.attr if type(func) is ast.Attribute else func.id
        if name == CONSTRUCTOR:
            return self.record(Value(x), node)
        try:
            result = apply(OPS[name], x)
        except ArithmeticError as err:
            raise ExprNumericError(*self.text.where(node), err) from err
        return self.record(result, node)

    def binop(self, node: ast.AST, op: type, left: Value | float, right: Value | float):
        symbol, fn = _BINOPS[op]
        try:
            if left.__class__ is float and right.__class__ is float:
                return OPS[symbol].forward(left, right)
            result = fn(left, right)
        except ArithmeticError as err:
            raise ExprNumericError(*self.text.where(node), err) from err
        return self.record(result, node)

    def record(self, value: Value, node: ast.AST) -> Value:
        """Note the nodes this operation created (it and any constant it lifted)."""
        origin = self.origin
        if id(value) in origin:
            return value
        origin[id(value)] = (self.index, node)
        self.nodes.append(value)
        for child in value._prev:
            if id(child) not in origin:
                origin[id(child)] = (self.index, None)
                self.nodes.append(child)
        if len(self.nodes) > MAX_NODES:
            raise ExprError(*self.text.where(node), f"graph too large: more than {MAX_NODES} "
                                                    "nodes (MAX_NODES)")
        return value


# --- the public functions ------------------------------------------------------------

def parse(source: str) -> None:
    """Check a program without running it; raises :class:`ExprError` if it is refused."""
    _read(source)


def evaluate(source: str) -> Program:
    """Run a program and return its variables and output; raises :class:`ExprError` only."""
    text, tree = _read(source)
    return _Evaluator(text).run(source, tree)
