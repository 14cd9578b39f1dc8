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

    Keys: ``question`` and ``answer`` (required); ``tolerance`` (absolute, default 1e-3: the
    typed answer is right when it is within it); ``hint`` (shown after a wrong answer);
    ``explain`` (shown with the worked answer, after a second wrong answer); ``backward``
    (how many backward passes, default 1; 0 for none; 2 or more add up gradients as if
    ``zero_grad`` was forgotten); ``nudge`` (after backward, every named leaf moves by
    ``nudge × its grad`` and the graph is recomputed: one step of gradient ascent, or
    descent with a negative nudge).  A value may continue on the next lines when they are
    indented.  The learner may type a number or simple arithmetic (``-3/2``).

A lesson is UTF-8 text (a byte-order mark at the start is fine) in a regular file of at
most 512 KB.  A fit block runs when the lesson loads, so it is limited to 300,000 rows ×
parameters × steps; a lesson and a folder have a work budget too, and one step a size it may
be shown at (characters, lines, blocks, table rows, nesting): see :mod:`.limits`.
``micrograd-tui lessons check [DIR]`` runs every block and reports every problem as
``path:line: message`` (exit status 1 if there is any); the app lists a broken lesson with a
✗ and shows its problems instead of its steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

MAX_LESSON_BYTES = 512 * 1024

FRONT_MATTER_KEYS = ("title", "summary", "order")
CHECK_KEYS = ("question", "answer", "tolerance", "hint", "explain", "backward", "nudge")
FIT_KEYS = ("inputs", "targets", "layers", "activation", "output_activation", "lr", "steps",
            "seed", "zero_grad")
BLOCK_KINDS = ("program", "train", "fit", "check")

DEFAULT_TOLERANCE = 1e-3

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)(.*)$")
_TEMPLATE = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*:\s*([^{}\s]+)\s*\}\}")
_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:(?:\s+(.*)|\s*)$")


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
    solution: object | None = None  # lessonbook.checks.Solution, once computed

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


# --- parsing ---------------------------------------------------------------------------

class _Parser:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.check_count = 0

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    # front matter ------------------------------------------------------------------
    def front_matter(self, lesson: Lesson) -> int:
        """Parse the front matter; returns the index of the first body line."""
        lines = self.lines
        first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
        if first is None:
            self.problem(1, "the file is empty: a lesson starts with a front matter (---)")
            return len(lines)
        if lines[first].strip() != "---":
            self.problem(first + 1, "no front matter: a lesson starts with a line '---', then "
                                    "title, summary and order, then '---'")
            return first
        end = next((i for i in range(first + 1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            self.problem(first + 1, "the front matter is not closed by a line '---'")
            return len(lines)
        seen: dict[str, int] = {}
        for i in range(first + 1, end):
            raw = lines[i]
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            m = _KEY_LINE.match(raw.strip())
            if not m:
                self.problem(i + 1, f"front matter lines are 'key: value', not {raw.strip()!r}")
                continue
            key, value = m.group(1), _unquote((m.group(2) or "").strip())
            if key not in FRONT_MATTER_KEYS:
                self.problem(i + 1, f"unknown front matter key {key!r} (use title, summary, order)")
                continue
            if key in seen:
                self.problem(i + 1, f"{key!r} is given twice (first on line {seen[key]})")
                continue
            seen[key] = i + 1
            if not value:
                self.problem(i + 1, f"{key} is empty")
                continue
            if key == "order":
                try:
                    lesson.order = int(value)
                except ValueError:
                    self.problem(i + 1, f"order must be a whole number, not {value!r}")
                lesson.order_line = i + 1
            elif key == "title":
                lesson.title = value
            else:
                lesson.summary = value
        for key in FRONT_MATTER_KEYS:
            if key not in seen:
                self.problem(end + 1, f"the front matter has no {key}")
        return end + 1

    # body ---------------------------------------------------------------------------
    def body(self, lesson: Lesson, start: int) -> None:
        lines = self.lines
        step: Step | None = None
        text: list[str] = []
        text_lines: list[int] = []  # the file line of each line of ``text``

        def add(line: str, number: int) -> None:
            text.append(line)
            text_lines.append(number)

        def flush() -> None:
            if step is not None and text:
                chunk = "\n".join(text).strip("\n")
                if chunk.strip():
                    step.parts.append(chunk)
                    first = next(k for k, ln in enumerate(text) if ln)
                    step.part_lines.append(text_lines[first])
            text.clear()
            text_lines.clear()

        def current(line: int) -> Step:
            nonlocal step
            if step is None:
                step = Step(title=lesson.title or lesson.path.stem, line=line)
                lesson.steps.append(step)
            return step

        i = start
        while i < len(lines):
            raw = lines[i]
            m = _FENCE_OPEN.match(raw)
            if m:
                fence, info = m.group(2), m.group(3).lower()
                close = self._find_close(i, fence)
                if close is None:
                    self.problem(i + 1, f"this code block ({fence}{info}) is never closed")
                    close = len(lines)
                content = lines[i + 1:close]
                st = current(i + 1)
                if info in BLOCK_KINDS:
                    flush()
                    block = self._block(info, i + 1, content)
                    if getattr(st, info) is not None:
                        self.problem(i + 1, f"a step holds one {info} block; this step already "
                                            f"has one (line {getattr(st, info).line})")
                    else:
                        setattr(st, info, block)
                        st.parts.append(block)
                        st.part_lines.append(i + 1)
                else:
                    add(raw, i + 1)
                    for k, ln in enumerate(content):
                        add(self._expand(ln, i + 2 + k), i + 2 + k)
                    if close < len(lines):
                        add(lines[close], close + 1)
                i = close + 1
                continue
            if raw.startswith("## ") or raw.rstrip() == "##":
                flush()
                title = self._expand(raw[2:].strip(), i + 1)
                if not title:
                    self.problem(i + 1, "a step heading needs a title ('## Title')")
                step = Step(title=title or "(untitled)", line=i + 1)
                lesson.steps.append(step)
                add(f"## {title}", i + 1)
                i += 1
                continue
            if raw.strip():
                current(i + 1)
            add(self._expand(raw, i + 1), i + 1)
            i += 1
        flush()
        program: ProgramBlock | None = None
        fit: FitBlock | None = None
        for st in lesson.steps:
            program = st.program or program
            fit = st.fit or fit
            st.program_context, st.fit_context = program, fit
        if not lesson.steps:
            self.problem(max(1, start), "the lesson has no steps (start each with '## Title')")

    def _find_close(self, i: int, fence: str) -> int | None:
        ch, n = fence[0], len(fence)
        for j in range(i + 1, len(self.lines)):
            s = self.lines[j].strip()
            if len(self.lines[j]) - len(self.lines[j].lstrip(" ")) <= 3 and s and set(s) == {ch} \
                    and len(s) >= n:
                return j
        return None

    def _expand(self, text: str, line: int) -> str:
        """Replace ``{{formula:op}}`` and ``{{name:op}}`` with the engine's own text."""
        if "{{" not in text:
            return text

        def sub(m: re.Match[str]) -> str:
            kind, symbol = m.group(1), m.group(2)
            if kind not in ("formula", "name"):
                self.problem(line, f"unknown template {{{{{kind}:...}}}} (use formula or name)")
                return m.group(0)
            op = find_op(symbol)
            if op is None:
                self.problem(line, f"the engine has no operation {symbol!r} (known: "
                                   f"{', '.join(known_op_symbols())}, **k)")
                return m.group(0)
            return op.formula if kind == "formula" else op.name

        return _TEMPLATE.sub(sub, text)

    # blocks -------------------------------------------------------------------------
    def _block(self, kind: str, line: int, content: list[str]) -> Block:
        if kind == "program":
            if not "\n".join(content).strip():
                self.problem(line, "the program block is empty")
            return ProgramBlock(line, "\n".join(content) + ("\n" if content else ""))
        if kind == "check":
            return self._check(line, content)
        fields = self._fields(line, content, FIT_KEYS if kind == "fit" else None, kind)
        text = "\n".join(content)
        if kind == "train":
            return TrainBlock(line, text, fields)
        return FitBlock(line, text, fields)

    def _fields(self, line: int, content: list[str], allowed: tuple[str, ...] | None,
                kind: str) -> list[Field]:
        out: list[Field] = []
        seen: dict[str, int] = {}
        for k, raw in enumerate(content):
            n = line + 1 + k
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            if raw[:1] in (" ", "\t") and out:
                out[-1].value = f"{out[-1].value} {s}".strip()
                continue
            m = _KEY_LINE.match(s)
            if not m:
                self.problem(n, f"{kind} block lines are 'key: value', not {s!r}")
                continue
            key = m.group(1)
            if allowed is not None and key not in allowed:
                self.problem(n, f"unknown {kind} key {key!r} (known: {', '.join(allowed)})")
                continue
            if key in seen:
                self.problem(n, f"{key!r} is given twice (first on line {seen[key]})")
                continue
            seen[key] = n
            out.append(Field(key, (m.group(2) or "").strip(), n))
        if not out:
            self.problem(line, f"the {kind} block is empty")
        return out

    def _check(self, line: int, content: list[str]) -> CheckBlock:
        fields: dict[str, Field] = {}
        k = 0
        last: Field | None = None
        while k < len(content):
            raw = content[k]
            n = line + 1 + k
            s = raw.strip()
            if last is not None and s and raw[:1] in (" ", "\t"):
                last.value = f"{last.value} {s}".strip()
                k += 1
                continue
            m = _KEY_LINE.match(s)
            if not m or m.group(1) not in CHECK_KEYS:
                if m and not _looks_like_code(s):
                    self.problem(n, f"unknown check key {m.group(1)!r} (known: "
                                    f"{', '.join(CHECK_KEYS)})")
                    k += 1
                    continue
                break
            key = m.group(1)
            if key in fields:
                self.problem(n, f"{key!r} is given twice (first on line {fields[key].line})")
            else:
                last = fields[key] = Field(key, (m.group(2) or "").strip(), n)
            k += 1
        while k < len(content) and not content[k].strip():
            k += 1
        source = "\n".join(content[k:])
        check = CheckBlock(line=line, index=self.check_count, fields=fields,
                           source=source + "\n" if source.strip() else "",
                           source_line=line + k)
        self.check_count += 1
        for key in ("question", "answer"):
            f = fields.get(key)
            if f is None or not f.value:
                self.problem(f.line if f else line, f"the check has no {key}")
        for key in ("question", "hint", "explain"):
            if key in fields:
                setattr(check, key, self._expand(fields[key].value, fields[key].line))
        check.answer = fields["answer"].value if "answer" in fields else ""
        if "tolerance" in fields:
            f = fields["tolerance"]
            try:
                check.tolerance = float(f.value)
                if not (0.0 < check.tolerance < float("inf")):
                    raise ValueError
            except ValueError:
                self.problem(f.line, f"tolerance must be a number > 0, not {f.value!r}")
        if "backward" in fields:
            f = fields["backward"]
            try:
                check.backward = int(f.value)
                if not 0 <= check.backward <= 10:
                    raise ValueError
            except ValueError:
                self.problem(f.line, f"backward must be a whole number from 0 to 10, not {f.value!r}")
        if "nudge" in fields:
            f = fields["nudge"]
            try:
                check.nudge = float(f.value)
                if check.nudge != check.nudge or abs(check.nudge) == float("inf"):
                    raise ValueError
            except ValueError:
                self.problem(f.line, f"nudge must be a number, not {f.value!r}")
        return check


def _looks_like_code(s: str) -> bool:
    return "=" in s or "(" in s


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def find_op(symbol: str):
    """The engine's operation for a template symbol (``tanh``, ``*``, ``**2``), or None."""
    from engine.value import OPS, pow_const_op

    if symbol in OPS:
        return OPS[symbol]
    if symbol.startswith("**") and len(symbol) > 2:
        try:
            k = float(symbol[2:])
        except ValueError:
            return None
        if k == k and abs(k) < 1e6:
            return pow_const_op(k)
    return None


def known_op_symbols() -> list[str]:
    from engine.value import OPS

    return list(OPS)


def parse_lesson(path: str | Path, *, key: str | None = None) -> Lesson:
    """Read and parse one lesson file.  Problems are collected, never raised."""
    from engine.persist import FileReadError, read_text_limited

    path = Path(path)
    lesson = Lesson(path=path, key=key or path.stem)
    try:
        # regular files only, never more than the limit + 1 bytes, and a FIFO cannot hang it
        text = read_text_limited(path, MAX_LESSON_BYTES, what="lesson")
    except FileReadError as e:
        reason = str(e)
        prefix = f"{path}: "
        if reason.startswith(prefix):  # the problem names the file already
            reason = reason[len(prefix):]
        lesson.problems.append(Problem(path, 1, reason))
        return lesson
    return parse_text(text, path, key=lesson.key)


def parse_text(text: str, path: str | Path = "<lesson>", *, key: str | None = None) -> Lesson:
    """Parse lesson text (``path`` is used in problems)."""
    path = Path(path)
    lesson = Lesson(path=path, key=key or path.stem)
    if text.startswith("\ufeff"):  # a UTF-8 byte-order mark, as some editors write
        text = text[1:]
    parser = _Parser(path, text)
    start = parser.front_matter(lesson)
    parser.body(lesson, start)
    lesson.problems.extend(parser.problems)
    return lesson
