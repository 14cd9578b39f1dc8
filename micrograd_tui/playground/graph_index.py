"""A graph of Values seen as a tree: names, rows, shared nodes and gradient contributions.

Plain Python (no Textual), so it is easy to test and to time.  The playground's tree widget
asks a :class:`GraphIndex` for the rows under a row, one level at a time, when the learner
expands it.

A DAG is not a tree: a node used in several places (``a`` in ``a * b + a``) is shown in full
once, at its *home*, and as a reference everywhere else.  The home of a node is where a
depth-first walk from the root, inputs in order, first meets it, so it does not depend on
the order in which the learner expands things.  ``a = a + a`` repeated 30 times gives 31
full rows and 30 references, not 2**30 rows.

Names: a labelled node shows its label.  When several nodes share a label (``c += c + 1``
makes a new ``c``), the one the variable holds now is plain ``c`` and the earlier ones are
numbered in the order they were computed: ``c#1``, ``c#2``.
Unlabelled intermediates are called ``t1``, ``t2`` ... in topological order (inputs before
the nodes that use them), skipping any name the program itself uses; constants are called by
their value (``(2.0)``).  The command line's ``eval`` tree, the step-through, the inspector,
the gradient check and the graph view all use the same names.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from engine.gcpause import paused_gc
from engine.graph import topological_order
from engine.value import Value

KIND_OP = "op"
KIND_LEAF = "leaf"
KIND_CONST = "const"

#: width of the number columns in a row
NUMBER_WIDTH = 10


def format_number(x: float) -> str:
    """A number in a row: four decimals like micrograd's prints, exponent form when huge or tiny."""
    if x == 0.0:
        return "0.0000"
    if 1e-4 <= abs(x) < 1e6:
        return f"{x:.4f}"
    return f"{x:.3e}"


def short_number(x: float) -> str:
    """A number in running text: ``2.0``, ``-3.0``, ``0.41997``, ``1.5e+20``."""
    if x == 0.0:
        return "0.0"  # never "-0.0"
    if not math.isfinite(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{x:.1f}"
    return f"{x:.6g}"


def as_variable(name: str) -> str:
    """A name as it reads after ``d`` in ``dL/dd``: ``+#1`` becomes ``(+#1)``."""
    if _PLAIN_NAME.fullmatch(name) or (name.startswith("(") and name.endswith(")")):
        return name
    return f"({name})"


_PLAIN_NAME = re.compile(r"[A-Za-z_]\w*(?:#\d+)?")


@dataclass(eq=False)
class Row:
    """One line of the tree: a node seen from one of its users (or the root)."""

    value: Value
    kind: str
    name: str
    is_ref: bool = False
    parent: "Row | None" = None
    index: int = -1
    #: (data, grad) the last time this row was drawn; the widget uses it to spot changes
    shown: tuple[float, float] | None = None
    #: the children have been made (the tree builds them on first expand)
    loaded: bool = False
    #: how wide the name column is among this row's siblings, so their numbers line up
    pad: int = 0
    #: how deep in the tree (the root is 0)
    depth: int = 0

    @property
    def expandable(self) -> bool:
        return not self.is_ref and bool(self.value._prev)

    @property
    def path(self) -> tuple[int, ...]:
        """Child indices from the root to this row: stable while the graph's shape is."""
        out: list[int] = []
        row: Row | None = self
        while row is not None and row.parent is not None:
            out.append(row.index)
            row = row.parent
        return tuple(reversed(out))

    @property
    def head(self) -> list[tuple[str, str]]:
        """The name column as (text, role) pieces; roles: ref, leaf, const, name, op, tag."""
        v = self.value
        if self.is_ref:
            return [("↪ ", "ref"), (self.name, "ref"), (" shared", "tag")]
        if self.kind == KIND_LEAF:
            return [(self.name, "leaf")]
        if self.kind == KIND_CONST:
            return [(self.name, "const")]
        # t1 (+): the operation shows beside every computed node, named or not
        return [(self.name, "name"), (" (", "tag"), (v._op.symbol, "op"), (")", "tag")]

    @property
    def head_width(self) -> int:
        return sum(len(text) for text, _ in self.head)

    def numbers(self) -> tuple[str, str]:
        """``data`` and ``grad`` as the row shows them."""
        return format_number(self.value.data), format_number(self.value.grad)

    def plain(self) -> str:
        """The whole row as plain text (what a learner reads; the tests read it too)."""
        head = "".join(text for text, _ in self.head)
        data, grad = self.numbers()
        return f"{head:<{self.pad}}  data {data}  grad {grad}"


@dataclass(frozen=True)
class Contribution:
    """How much one use of a node adds to its grad: ``local × user.grad``."""

    user: Value
    index: int
    local: float | None
    user_grad: float
    contribution: float | None
    error: str = ""


@dataclass
class GraphIndex:
    """Everything the tree and the inspector need to know about the graph below ``root``."""

    root: Value
    #: the program's variables (name -> the Value it holds now), to name the current ones
    variables: dict[str, Value] | None = None
    order: list[Value] = field(init=False, repr=False)
    _names: dict[int, str] = field(init=False, repr=False)
    _users: dict[int, list[tuple[Value, int]]] = field(init=False, repr=False)
    _home: dict[int, tuple[int, int]] = field(init=False, repr=False)
    _position: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # many small dicts, lists and tuples per node: the cyclic GC would rescan them again
        # and again on a big graph (nothing here makes a cycle)
        with paused_gc():
            order = self.order = topological_order(self.root)
            self._position = {id(v): i for i, v in enumerate(order)}
            self._names = _names(order, self.variables or {})
            users: dict[int, list[tuple[Value, int]]] = {}
            for node in order:
                for i, child in enumerate(node._prev):
                    users.setdefault(id(child), []).append((node, i))
            self._users = users
            self._home = _homes(self.root)

    # --- facts about one node ---------------------------------------------------------
    def __len__(self) -> int:
        return len(self.order)

    def __contains__(self, value: Value) -> bool:
        return id(value) in self._position

    def name(self, value: Value) -> str:
        """The node's name in this graph (see the module docstring)."""
        name = self._names.get(id(value))
        if name is None:  # not in this graph: still say something readable
            return value.label or (short_number(value.data) if not value._prev else value._op.symbol)
        return name

    def kind(self, value: Value) -> str:
        if value._prev:
            return KIND_OP
        return KIND_LEAF if value.label else KIND_CONST

    def users(self, value: Value) -> list[tuple[Value, int]]:
        """Each (node, input position) that uses ``value``; ``a + a`` uses ``a`` twice."""
        return self._users.get(id(value), [])

    def is_shared(self, value: Value) -> bool:
        return len(self._users.get(id(value), ())) > 1

    def leaves(self) -> list[Value]:
        return [v for v in self.order if not v._prev]

    def named_leaves(self) -> list[Value]:
        return [v for v in self.order if not v._prev and v.label]

    def find(self, name: str) -> Value | None:
        """The node called ``name`` (as :meth:`name` spells it), if any."""
        for v in self.order:
            if self._names.get(id(v)) == name:
                return v
        return None

    # --- rows ---------------------------------------------------------------------------
    def root_row(self) -> Row:
        v = self.root
        row = Row(v, self.kind(v), self.name(v))
        row.pad = row.head_width
        return row

    def child_rows(self, row: Row) -> list[Row]:
        """The rows under ``row``: one per input, in order; references have none."""
        if not row.expandable:
            return []
        v = row.value
        key = id(v)
        home = self._home
        rows = []
        for i, child in enumerate(v._prev):
            is_ref = home.get(id(child)) != (key, i)
            rows.append(Row(child, self.kind(child), self.name(child), is_ref, row, i,
                            depth=row.depth + 1))
        width = max(r.head_width for r in rows) if rows else 0
        for r in rows:
            r.pad = width
        return rows

    def home_path(self, value: Value) -> tuple[int, ...] | None:
        """Child indices from the root to the row where ``value`` is shown in full."""
        if id(value) not in self._home:
            return None
        path: list[int] = []
        key = id(value)
        while key != id(self.root):
            parent_key, index = self._home[key]
            path.append(index)
            key = parent_key
            if len(path) > len(self.order):  # pragma: no cover - a cycle cannot happen
                return None
        return tuple(reversed(path))

    def row_count(self) -> int:
        """How many rows the tree has with every full row expanded: one per edge, plus the root."""
        total = 1
        for node in self.order:
            if node._prev:
                total += len(node._prev)
        return total

    # --- the inspector's arithmetic -------------------------------------------------------
    def contributions(self, value: Value) -> list[Contribution]:
        """Each use's share of ``value.grad`` (their sum is the grad after backward)."""
        out = []
        for user, i in self.users(value):
            try:
                local = float(user._op.local(user)[i])
                out.append(Contribution(user, i, local, user.grad, local * user.grad))
            except (ArithmeticError, ValueError, IndexError) as e:
                out.append(Contribution(user, i, None, user.grad, None, str(e)))
        return out


def _names(order: list[Value], variables: dict[str, Value]) -> dict[int, str]:
    counts: dict[str, int] = {}
    for v in order:
        if v.label:
            counts[v.label] = counts.get(v.label, 0) + 1
    taken = set(counts) | set(variables)
    seen: dict[str, int] = {}
    names: dict[int, str] = {}
    temps = 0
    for v in order:
        label = v.label
        if label:
            if counts[label] == 1 or variables.get(label) is v:
                names[id(v)] = label
            else:
                k = seen.get(label, 0) + 1
                seen[label] = k
                names[id(v)] = f"{label}#{k}"
        elif v._prev:
            temps += 1
            while f"t{temps}" in taken:  # the program's own t1 keeps its name
                temps += 1
            names[id(v)] = f"t{temps}"
        else:
            names[id(v)] = f"({short_number(v.data)})"
    return names


def _homes(root: Value) -> dict[int, tuple[int, int]]:
    """For each node, (id of its parent, input position) where a depth-first walk meets it first."""
    home: dict[int, tuple[int, int]] = {}
    stack: list[tuple[Value, int, int]] = [(root, 0, -1)]
    pop = stack.pop
    push = stack.append
    while stack:
        node, parent_key, index = pop()
        key = id(node)
        if key in home:
            continue
        home[key] = (parent_key, index)
        prev = node._prev
        for i in range(len(prev) - 1, -1, -1):
            child = prev[i]
            if id(child) not in home:
                push((child, key, i))
    return home
