"""A lesson file, parsed: front matter, steps, and the interactive blocks, with line numbers.

The lesson format
=================

A lesson is a Markdown file (``*.md``, UTF-8) that starts with a front matter::

    ---
    title: The derivative as a slope
    summary: Nudge x a little and watch f(x) move.
    order: 1
    ---

``title``, ``summary`` and ``order`` (an integer; lessons are listed by order, then file
name) are required.  ``README.md`` and files whose name starts with ``_`` or ``.`` are not
lessons.

**Steps.**  Each ``## Heading`` (outside code blocks) starts a step; the learner pages through
steps one at a time.  Text before the first heading is a first step titled like the lesson.

**Engine text.**  ``{{formula:tanh}}`` is replaced by the engine's own local-derivative formula
for that operation (``d tanh(x)/dx = 1 - tanh(x)^2``) and ``{{name:tanh}}`` by its name.  The
symbols are the engine's: ``+ - * / neg ** relu tanh exp log sigmoid neuron sum`` and ``**k``
for a constant power (``{{formula:**2}}``).  So the lesson can never drift from the code.

**Interactive blocks** are fenced code blocks with a special info string; a step holds at most
one of each kind.

```` ```program ````
    A program in the engine's expression language.  It must parse and run.  The learner opens
    it in the playground with Ctrl+O.

```` ```train ````
    A training setup for the trainer, one ``key: value`` a line: the fields of
    ``engine.train.TrainConfig`` (``dataset``, ``hidden: 16, 16``, ``lr``, ``steps``, ...)
    and optionally ``preset: micrograd-demo`` to start from a preset.  It must validate.  The
    learner opens it in the trainer with Ctrl+T.

```` ```fit ````
    A small training loop spelled out, run by the engine when the lesson loads; the step
    shows the loss at each step.  Keys: ``inputs`` (a list of rows, e.g.
    ``[[2, 3, -1], [3, -1, 0.5]]``), ``targets`` (``[1, -1]``), ``layers`` (``[4, 4, 1]``:
    ``MLP(len(row), layers)``), ``activation`` and ``output_activation`` (``tanh``, ``relu``,
    ``sigmoid``, ``linear``; both default to ``tanh``), ``lr`` (default 0.05), ``steps``
    (default 20), ``seed`` (default 42), ``zero_grad`` (``yes``/``no``, default ``yes``; ``no``
    lets gradients pile up from step to step).  The loss is the sum of squared errors.

```` ```check ````
    A question the learner answers with a number.  ``key: value`` lines first, then
    (optionally) a program::

        question: What is dL/da?
        answer: a.grad
        tolerance: 1e-3
        hint: Follow the path from L down to a and multiply the local derivatives.
        explain: dL/da = f * b = (-2) * (-3) = 6.
        a = 2.0
        b = -3.0
        L = a * b

    The answer is never typed into the lesson: ``answer`` is an expression over the
    program's variables (``L``, ``a.grad``, ``a.data``, ``b.grad / 2``: numbers, names,
    ``.data``, ``.grad``, ``+ - * / **``, parentheses, ``abs tanh exp log sqrt``) and must
    name at least one variable; the engine computes it.  The program is evaluated and
    ``backward()`` run from its output (its last assigned variable) before the answer is
    read.  A check with no program of its own uses its step's ``program`` block, or else its
    step's ``fit`` block, or else the nearest such block in an earlier step (an earlier
    program is then shown again under the step's text).  With a fit block the names are
    ``first_loss``, ``final_loss``, ``parameters`` and ``pred1``, ``pred2``, ... (the trained
    model's predictions).

    Keys: ``question`` and ``answer`` (required); ``wrong`` (any number of lines
    ``wrong: EXPRESSION => MESSAGE``: an expected mistake, computed like ``answer`` (it may
    be a plain number), and the message shown when the typed answer matches it within the
    tolerance, e.g. ``wrong: b.data => that is the local derivative alone; multiply by the
    upstream gradient``); ``tolerance`` (absolute, default 1e-3: the
    typed answer is right when it is within it); ``hint`` (shown after a wrong answer);
    ``explain`` (shown with the worked answer, after a second wrong answer that no ``wrong``
    entry diagnosed); ``backward``
    (how many backward passes, default 1; 0 for none; 2 or more add up gradients as if
    ``zero_grad`` was forgotten); ``nudge`` (after backward, every named leaf moves by
    ``nudge × its grad`` and the graph is recomputed: one step of gradient ascent, or
    descent with a negative nudge).  A value may continue on the next lines when they are
    indented.  The learner may type a number or simple arithmetic (``-3/2``).

```` ```op ````
    An op exercise: the learner writes an operation's local derivative as an expression of
    the program language, graded against central differences of ``forward`` at fresh random
    points (a wrong one is told where: "at x = 0.3 your derivative gives 0.41, the slope
    there is 0.57").  ``key: value`` lines::

        name: mytanh
        inputs: x
        forward: (exp(2*x) - 1) / (exp(2*x) + 1)
        answer: 1 - tanh(x)**2
        hint: Differentiate the quotient, or write the result with tanh itself.

    ``name``, ``inputs`` (``x``, or ``a, b`` for two inputs), ``forward`` and ``answer``
    (the lesson's own derivative, checked the same way when the lesson loads and shown only
    as the worked answer; two inputs: ``b + 1; a``, d/da then d/db) are required;
    ``question`` (a default one says what to type), ``hint`` and ``explain`` work as for a
    check.  It counts as the step's check (one per step).  See :mod:`.op_exercise`.

**Fresh numbers.**  A program may draw its inputs: ``a = rand(-3, 3)`` is a number with one
decimal place drawn uniformly from [-3, 3].  Each attempt draws new ones (opening the lesson,
Ctrl+R, a Review); the step shows the program with the numbers drawn, and the check's answer
and ``wrong`` values are computed from the same numbers.  ``lessons check`` runs such a
check with several draws.

A lesson is UTF-8 text (a byte-order mark at the start is fine) in a regular file of at
most 512 KB.  A fit block runs when the lesson loads, so it is limited to 300,000 rows ×
parameters × steps; a lesson and a folder have a work budget too, and one step a size it may
be shown at (characters, lines, blocks, table rows, nesting): see :mod:`.limits`.
``micrograd-tui lessons check [DIR]`` runs every block and reports every problem as
``path:line: message`` (exit status 1 if there is any); the app lists a broken lesson with a
✗ and shows its problems instead of its steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

MAX_LESSON_BYTES = 512 * 1024

FRONT_MATTER_KEYS = ("title", "summary", "order")
CHECK_KEYS = ("question", "answer", "wrong", "tolerance", "hint", "explain", "backward", "nudge")
FIT_KEYS = ("inputs", "targets", "layers", "activation", "output_activation", "lr", "steps",
            "seed", "zero_grad")
BLOCK_KINDS = ("program", "train", "fit", "check", "op")

DEFAULT_TOLERANCE = 1e-3


@dataclass(frozen=True)
class Problem:
    """Something wrong in a lesson file, at a line (1-based)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:  # about the whole file or folder
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Field:
    """One ``key: value`` line of a block (``line`` is the line in the file)."""

    key: str
    value: str
    line: int


@dataclass
class ProgramBlock:
    """A ```` ```program ```` block: source for the playground."""

    line: int  # the opening fence
    source: str

    def file_line(self, source_line: int) -> int:
        """The file line of a line of ``source`` (1-based)."""
        return self.line + source_line


@dataclass
class TrainBlock:
    """A ```` ```train ```` block: a training setup for the trainer."""

    line: int
    text: str
    fields: list[Field]
    config: object | None = None  # engine.train.TrainConfig, once validated


@dataclass
class FitBlock:
    """A ```` ```fit ```` block: a small training loop the engine runs at load time."""

    line: int
    text: str
    fields: list[Field]
    result: object | None = None  # lessonbook.fit.FitResult, once run


@dataclass
class WrongEntry:
    """A ``wrong: EXPRESSION => MESSAGE`` line: an expected mistake and what to tell."""

    expression: str
    message: str
    line: int


@dataclass
class CheckBlock:
    """A ```` ```check ````: a question whose answer the engine computes."""

    line: int
    index: int  # the check's number in its lesson (0-based): its id in the progress file
    fields: dict[str, Field]
    source: str  # its own program ("" = use the step's program or fit block)
    source_line: int  # file line just before the program's first line
    question: str = ""
    answer: str = ""
    tolerance: float = DEFAULT_TOLERANCE
    hint: str = ""
    explain: str = ""
    backward: int = 1
    nudge: float | None = None
    wrong: list[WrongEntry] = field(default_factory=list)
    solution: object | None = None  # lessonbook.answers.Solution, once computed

    @property
    def id(self) -> str:
        return str(self.index)

    def key_line(self, key: str) -> int:
        f = self.fields.get(key)
        return f.line if f else self.line


Block = Union[ProgramBlock, TrainBlock, FitBlock, CheckBlock]


@dataclass
class Step:
    """One page of a lesson: Markdown text and at most one block of each kind."""

    title: str
    line: int
    parts: list[str | Block] = field(default_factory=list)
    #: the file line where each part starts (a text part: its first non-blank line)
    part_lines: list[int] = field(default_factory=list)
    program: ProgramBlock | None = None
    train: TrainBlock | None = None
    fit: FitBlock | None = None
    check: CheckBlock | None = None
    #: the nearest program / fit block up to this step (a check without its own program
    #: uses them when its step has none)
    program_context: ProgramBlock | None = None
    fit_context: FitBlock | None = None

    @property
    def playground_source(self) -> str | None:
        """What Ctrl+O opens: the step's program, or its check's, or the one the check uses."""
        if self.program is not None:
            return self.program.source
        if self.check is not None:
            if self.check.source.strip():
                return self.check.source
            if self.fit is None and self.program_context is not None:
                return self.program_context.source
        return None


@dataclass
class Lesson:
    """A lesson file; ``problems`` non-empty means it is broken and is not offered."""

    path: Path
    key: str  # its id in the progress file
    title: str = ""
    summary: str = ""
    order: int | None = None  # None: missing or not a number (listed last)
    order_line: int = 1
    steps: list[Step] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return bool(self.problems)

    @property
    def checks(self) -> list[CheckBlock]:
        return [s.check for s in self.steps if s.check is not None]

    @property
    def display_title(self) -> str:
        return self.title or self.path.stem


# --- reading a lesson: lessonbook.parse (importable from here too) ----------------------------

_PARSE_NAMES = ("parse_lesson", "parse_text", "find_op", "known_op_symbols")


def __getattr__(name: str):
    if name in _PARSE_NAMES:
        from . import parse

        return getattr(parse, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
