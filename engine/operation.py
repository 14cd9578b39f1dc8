"""What an operation is: :class:`Op`, and :class:`Rule`, its formula template.

The operations themselves are in :mod:`engine.ops`, one block each; this module is the shape
of a block and how its words are rendered (``str.format``, no parsing):

* ``Op.formula``: the rule with the placeholder names, ``d(a * b)/da = b,  d(a * b)/db = a``
  (the inspector's rule, the lessons' ``{{formula:*}}``);
* ``Op.local_text(i, inputs)``: d output / d input ``i`` with the real inputs' names,
  ``f.data`` (the step-through's ``e.grad += f.data × L.grad``).
"""

from __future__ import annotations

from typing import Callable, NamedTuple, Protocol, Sequence

__all__ = ["Op", "Rule", "rule", "Forward", "Derivative"]

Forward = Callable[..., float]
#: ``derivative(out, *inputs)``: d out / d each input, from the output and input numbers
Derivative = Callable[..., tuple[float, ...]]


class Rule(NamedTuple):
    """A formula template: the left side (with ``{wrt}``), then one right side per input."""

    left: str
    rights: tuple[str, ...] = ()


def rule(left: str, *rights: str) -> Rule:
    return Rule(left, rights)


def _by_position(i: int, n: int) -> tuple[int, dict[str, int]]:
    """For an operation with fixed inputs: input ``i`` has role ``i``, role j is input j."""
    return i, {}


class Op(str):
    """One operation, described once (a block of :mod:`engine.ops`).

    The ``str`` value is the symbol shown in graphs (``"+"``, ``"tanh"``, ``"**2"``), so code
    written for karpathy/micrograd that compares or prints ``v._op`` keeps working.
    """

    name: str
    arity: int
    forward: Forward
    derivative: Derivative
    template: Rule
    roles: tuple[str, ...]
    function: bool
    activation: bool
    exponent: float | None
    formula: str
    _bind: Callable[[int, int], tuple[int, dict[str, int]]]
    _accepts: Callable[[int], bool] | None

    def __new__(
        cls,
        symbol: str,
        *,
        name: str,
        arity: int,
        forward: Forward,
        derivative: Derivative,
        formula: Rule,
        roles: Sequence[str] = (),
        bind: Callable[[int, int], tuple[int, dict[str, int]]] = _by_position,
        accepts: Callable[[int], bool] | None = None,
        function: bool = False,
        activation: bool = False,
        exponent: float | None = None,
    ) -> "Op":
        self = super().__new__(cls, symbol)
        self.name = name
        self.arity = arity  # -1: a variable number of inputs (those ``accepts`` allows)
        self.forward = forward
        self.derivative = derivative
        self.template = formula
        self.roles = tuple(roles) or (("x",) if arity == 1 else ("a", "b") if arity == 2 else ())
        self._bind = bind
        self._accepts = accepts
        self.function = function      # callable by name: tanh(x), x.tanh(), Value.tanh()
        self.activation = activation  # a neuron's nonlinearity in nn and the trainer
        self.exponent = exponent
        #: the rule in words with the placeholder names: what the inspector and lessons show
        self.formula = self.rule({r: r for r in self.roles})
        return self

    @property
    def symbol(self) -> str:
        return str.__str__(self)

    def __reduce__(self) -> tuple[Callable[[str], "Op | None"], tuple[str]]:
        # copies and pickles of a graph point at the same operation (code compares with `is`)
        from .ops import find_op

        return find_op, (self.symbol,)

    # --- numbers ---------------------------------------------------------------------
    def local(self, node: "_Node") -> tuple[float, ...]:
        """d node / d each of its inputs, in the order of ``node._prev``."""
        return self.derivative(node.data, *[c.data for c in node._prev])

    def check_inputs(self, n: int) -> None:
        """Raise ``ValueError`` unless this operation can take ``n`` inputs."""
        if self.arity >= 0 and n != self.arity:
            s = "" if self.arity == 1 else "s"
            raise ValueError(f"the operation {self.symbol!r} ({self.name}) takes {self.arity} "
                             f"input{s}, not {n}")
        if self.arity < 0 and self._accepts is not None and not self._accepts(n):
            raise ValueError(f"the operation {self.symbol!r} ({self.name}) cannot take {n} "
                             "inputs")

    # --- words -----------------------------------------------------------------------
    def rule(self, names: dict[str, str]) -> str:
        """The whole rule with ``names`` for the roles: ``d(a * b)/da = b,  d(a * b)/db = a``."""
        left, rights = self.template
        if not rights:
            return left.format(**names)
        return ",  ".join(left.format(wrt=names[role], **names) + " = " + right.format(**names)
                          for role, right in zip(self.roles, rights))

    def local_text(self, i: int, inputs: Sequence[str]) -> str | None:
        """d output / d input ``i`` in words, ``inputs[j]`` standing for input j
        (``local_text(0, ["e.data", "f.data"])`` of ``*`` is ``"f.data"``); None if unknown."""
        rights = self.template.rights
        if not rights:
            return None
        role, bound = self._bind(i, len(inputs))
        names = {r: inputs[j] for r, j in bound.items()} if bound else \
            {r: inputs[j] for j, r in enumerate(self.roles) if j < len(inputs)}
        text: str = rights[min(role, len(rights) - 1)].format(**names)
        return text


class _Node(Protocol):
    """What :meth:`Op.local` reads from a node (``engine.value.Value`` has it)."""

    @property
    def data(self) -> float: ...

    @property
    def _prev(self) -> tuple["_Node", ...]: ...
