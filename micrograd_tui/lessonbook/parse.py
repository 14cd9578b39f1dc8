"""Reading a lesson file: front matter, steps and blocks, with the line of every problem.

The format is described in :mod:`.model`; this module turns text into a :class:`Lesson`.
Problems are collected, never raised.
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import (BLOCK_KINDS, CHECK_KEYS, FIT_KEYS, FRONT_MATTER_KEYS, MAX_LESSON_BYTES, Block,
                    CheckBlock, Field, FitBlock, Lesson, Problem, ProgramBlock, Step, TrainBlock,
                    WrongEntry)

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)(.*)$")
_TEMPLATE = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*:\s*([^{}\s]+)\s*\}\}")
_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:(?:\s+(.*)|\s*)$")


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
                    slot = "check" if info == "op" else info  # an op exercise is a check
                    if getattr(st, slot) is not None:
                        self.problem(i + 1, f"a step holds one {slot} block; this step already "
                                            f"has one (line {getattr(st, slot).line})")
                    else:
                        setattr(st, slot, block)
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
        if kind == "op":
            from .op_exercise import OP_KEYS, parse_op_block

            fields = self._fields(line, content, OP_KEYS, kind)
            self.check_count += 1
            return parse_op_block(line, self.check_count - 1, fields, self.problem, self._expand)
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
        wrongs: list[Field] = []
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
            if key == "wrong":
                last = Field(key, (m.group(2) or "").strip(), n)
                wrongs.append(last)
            elif key in fields:
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
        for f in wrongs:
            expression, arrow, message = f.value.partition("=>")
            if not arrow or not expression.strip() or not message.strip():
                self.problem(f.line, "a wrong entry is 'wrong: EXPRESSION => MESSAGE', not "
                                     f"{f.value!r}")
                continue
            check.wrong.append(WrongEntry(expression.strip(),
                                          self._expand(message.strip(), f.line), f.line))
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
