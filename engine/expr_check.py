"""Reading a program of the expression language: every check that needs no evaluation.

``read(source, limits)`` turns program text into a checked ``ast.Module`` (and the
:class:`Text` that maps tree positions back to lines and columns), or raises
:class:`ExprError`.  :mod:`engine.expr` runs what this module lets through; this module never
runs anything.

Safety: the text is never given to ``eval``/``exec``/``compile``.  It is read by
``ast.parse`` (which only parses) and the tree is checked here against an allow-list of
node types; anything else is refused, with its position, before anything runs.  Before
``ast.parse`` a flat scan of the raw text (:func:`engine.expr_scan.scan`) refuses non-ASCII
characters (allowed only inside comments), control characters, strings, bracket nesting
deeper than ``Limits.depth`` and statements longer than ``Limits.statement_tokens`` tokens,
so the parser never meets input deep enough to exhaust its stack;
``RecursionError``/``MemoryError`` from it are still caught.  The scan and the checker are
iterative (explicit stacks, no recursion).

When the parser gives up, the scan's first stray character (``? $ ! ` [ ] { } & | ^ ~ @ %``
or a backslash that does not end its line), if it comes at or before where the parser
stopped, is named at its own column instead of Python's "invalid syntax".

The limits are a :class:`Limits` value passed in by the caller (``evaluate(source, limits)``);
each broken limit is an ``ExprError`` whose message names its field.
"""

from __future__ import annotations

import ast
import math
import operator
from dataclasses import dataclass
from typing import Mapping

from .errors import ExprError
from .expr_rand import RANDOM, rand_range
from .expr_scan import Limits, Text, attr_position, scan
from .operation import Op
from .ops import FUNCTIONS as _FUNCTION_OPS

__all__ = ["ExprError", "Limits", "Text", "read", "OUTPUT_NAME", "FUNCTIONS", "CONSTRUCTOR",
           "BINOPS", "RANDOM", "rand_range", "Vocabulary", "vocabulary"]

OUTPUT_NAME = "out"
#: the functions and methods of the language: every operation called by name (engine.ops)
FUNCTIONS = tuple(_FUNCTION_OPS)
CONSTRUCTOR = "Value"
#: the binary operators of the language: AST operator type -> (symbol, float/Value function)
BINOPS = {ast.Add: ("+", operator.add), ast.Sub: ("-", operator.sub),
          ast.Mult: ("*", operator.mul), ast.Div: ("/", operator.truediv),
          ast.Pow: ("**", operator.pow)}



@dataclass(frozen=True)
class Vocabulary:
    """The names a program may call: the engine's functions, plus a session's own
    operations (``engine.user_ops``) when the caller passes them to ``read(..., ops=...)``."""

    functions: tuple[str, ...]
    #: how many arguments each function takes (1 unless an extra operation says otherwise)
    arity: Mapping[str, int]

    @property
    def callable(self) -> tuple[str, ...]:
        return self.functions + (CONSTRUCTOR, RANDOM)

    @property
    def callable_text(self) -> str:
        return f"{', '.join(self.functions)} and {CONSTRUCTOR} (and {RANDOM}(lo, hi))"

    @property
    def methods_text(self) -> str:
        return " ".join(f".{name}()" for name in self.functions if self.arity.get(name, 1) == 1)


_BUILTIN = Vocabulary(FUNCTIONS, {})


def vocabulary(ops: Mapping[str, Op] | None = None) -> Vocabulary:
    """The language's functions with ``ops`` (name -> operation) added; names of the
    engine's own functions, of ``Value`` and of ``out`` cannot be taken."""
    if not ops:
        return _BUILTIN
    for name in ops:
        if name in _BUILTIN.callable or name == OUTPUT_NAME:
            raise ExprError(1, 1, f"the operation {name!r} has the name of one of the "
                                  "language's own: choose another name")
    return Vocabulary(FUNCTIONS + tuple(ops), {name: op.arity for name, op in ops.items()})

#: the problems found in one statement: (line, column, message); the first one is reported
Problems = list[tuple[int, int, str]]
_OTHER_BINOPS = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<",
                 ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^"}


# --- reading -------------------------------------------------------------------------

def read(source: object, limits: Limits = Limits(),
         ops: Mapping[str, Op] | None = None) -> tuple[Text, ast.Module]:
    """Every check that needs no evaluation: raw text, parse, allow-list, names.

    ``ops``: a session's own operations (name -> operation), callable like the built-in
    functions (``softplus(x)``, ``x.softplus()``, ``f(a, b)`` for two inputs).  Returns the normalized text (``\\r\\n`` and ``\\r`` become ``\\n``) and the checked tree;
    raises :class:`ExprError` with the position of the first problem.
    """
    if not isinstance(source, str):
        raise ExprError(1, 1, f"a program is text (str), not {type(source).__name__}")
    max_chars = limits.source_chars
    if len(source) > max_chars:
        head = source[:max_chars + 1].replace("\r\n", "\n").replace("\r", "\n")
        line, col = Text(head).position(len(head) - 1)
        raise ExprError(line, col, f"program too long: more than {max_chars} "
                                   "characters (Limits.source_chars)")
    text = Text(source.replace("\r\n", "\n").replace("\r", "\n"))
    stray = scan(text.text, limits)
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
    _check(tree, text, limits, vocabulary(ops))
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


def _refusal(node: ast.AST, table: dict[str, str], kind: str, vocab: Vocabulary = _BUILTIN) -> str:
    name = type(node).__name__
    return table.get(name) or f"{kind} not allowed ({name}): only assignments, numbers, " \
                               f"names, + - * / ** and {vocab.callable_text}"


@dataclass(frozen=True)
class Assignment:
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


def _check(tree: ast.Module, text: Text, limits: Limits, vocab: Vocabulary) -> None:
    body = tree.body
    if not body:
        raise ExprError(1, 1, "the program is empty: assign a value, e.g. a = 2.0")
    max_statements = limits.statements
    if len(body) > max_statements:
        st = body[max_statements]
        raise ExprError(st.lineno, st.col_offset + 1, f"too many statements: more than "
                                                      f"{max_statements} (Limits.statements)")
    first = _first_assignments(body)
    defined: set[str] = set()
    last = len(body) - 1
    for index, st in enumerate(body):
        errors: Problems = []
        target: ast.expr | None = None
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
            raise ExprError(st.lineno, st.col_offset + 1,
                            _refusal(st, _REFUSED_STMT, "statement", vocab))
        if target is not None:
            _check_target(target, st, defined, first, index, errors, vocab)
        _check_expr(st.value, text, defined, first, index, errors, vocab)
        if errors:
            raise ExprError(*min(errors))
        # (a target that is not a name was refused above)
        defined.add(target.id if isinstance(target, ast.Name) else OUTPUT_NAME)


def _check_target(target: ast.expr, st: ast.stmt, defined: set[str],
                  first: dict[str, Assignment], index: int, errors: Problems,
                  vocab: Vocabulary) -> None:
    pos = (target.lineno, target.col_offset + 1)
    if isinstance(target, ast.Attribute):
        errors.append((*attr_position(target), f"setting attributes (.{target.attr}) is not allowed"))
    elif not isinstance(target, ast.Name):
        what = _REFUSED_EXPR.get(type(target).__name__, "this target is not allowed")
        errors.append((*pos, f"assign one name at a time: {what}"))
    elif target.id in vocab.callable:
        errors.append((*pos, f"{target.id} is a function name: choose another name"))
    elif isinstance(st, ast.AugAssign) and target.id not in defined:
        hint = _assigned_later(target.id, index, pos[0], first)
        errors.append((*pos, f"{target.id} is not defined: assign it before using {target.id} "
                             f"{BINOPS.get(type(st.op), ('?',))[0]}={hint}"))


def _is_number_expr(node: ast.expr) -> ast.expr | None:
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


def _check_expr(root: ast.expr, text: Text, defined: set[str], first: dict[str, Assignment],
                index: int, errors: Problems, vocab: Vocabulary) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        pos = (node.lineno, node.col_offset + 1)
        if isinstance(node, ast.Constant):
            _check_constant(node, pos, errors)
        elif isinstance(node, ast.Name):
            name = node.id
            if name in vocab.callable:
                errors.append((*pos, f"{name} is a function: call it, e.g. {name}(x)"))
            elif name not in defined:
                hint = _assigned_later(name, index, pos[0], first)
                errors.append((*pos, f"name '{name}' is not defined{hint}"))
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in BINOPS:
                sym = _OTHER_BINOPS.get(type(node.op), "?")
                errors.append((*text.operator_after(node.left, node.right),
                               f"operator {sym} is not supported (use + - * / **)"))
            else:
                stack += (node.right, node.left)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                sym = "not" if isinstance(node.op, ast.Not) else "~"
                errors.append((*pos, f"operator {sym} is not supported (use - or +)"))
            else:
                stack.append(node.operand)
        elif isinstance(node, ast.Call):
            _check_call(node, pos, defined, errors, stack, vocab)
        elif isinstance(node, ast.Attribute):
            if node.attr in vocab.functions:
                errors.append((*attr_position(node), f".{node.attr} must be called: .{node.attr}()"))
            else:
                errors.append((*attr_position(node), f"attribute .{node.attr} is not allowed: "
                                                      f"only the methods {vocab.methods_text}"))
        else:
            errors.append((*pos, _refusal(node, _REFUSED_EXPR, "expression", vocab)))


def _check_constant(node: ast.Constant, pos: tuple[int, int], errors: Problems) -> None:
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


def _check_call(node: ast.Call, pos: tuple[int, int], defined: set[str], errors: Problems,
                stack: list[ast.expr], vocab: Vocabulary) -> None:
    func = node.func
    arity = vocab.arity
    if isinstance(func, ast.Attribute):
        if func.attr not in vocab.functions or arity.get(func.attr, 1) != 1:
            errors.append((*attr_position(func), f"method .{func.attr}() is not allowed: "
                                                  f"only {vocab.methods_text}"))
        elif node.args or node.keywords:
            a = (node.args or node.keywords)[0]
            errors.append((a.lineno, a.col_offset + 1, f".{func.attr}() takes no arguments"))
        else:
            stack.append(func.value)
        return
    if not isinstance(func, ast.Name):
        errors.append((*pos, f"only {vocab.callable_text} can be called"))
        return
    name = func.id
    if name not in vocab.callable:
        what = f"{name} is a value, not a function" if name in defined else f"unknown function {name}"
        errors.append((*pos, f"{what}: the functions are {vocab.callable_text}"))
        return
    if node.keywords:
        kw = node.keywords[0]
        errors.append((kw.lineno, kw.col_offset + 1, "keyword arguments are not allowed"))
        return
    if name == RANDOM:
        try:
            rand_range(node)
        except ExprError as e:
            errors.append((e.line, e.col, e.message))
        return
    n = arity.get(name, 1)
    if n != 1 and len(node.args) != n:
        errors.append((*pos, f"{name}() takes exactly {n} arguments, e.g. "
                             f"{name}({', '.join('abcdefgh'[:n])})"))
        return
    if n == 1 and len(node.args) != 1:
        errors.append((*pos, f"{name}() takes exactly one argument, e.g. {name}(x)"))
        return
    if n != 1:
        stack.extend(reversed(node.args))
        return
    arg = node.args[0]
    if name == CONSTRUCTOR:
        bad = _is_number_expr(arg)
        if bad is not None and not isinstance(bad, ast.Starred):
            errors.append((bad.lineno, bad.col_offset + 1,
                           "Value() takes a number, e.g. Value(2.0); use the value itself"))
            return
    stack.append(arg)
