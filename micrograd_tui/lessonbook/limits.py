"""What loading a lesson and showing a step may cost, so no lesson can hang the app.

Work budget (checked before anything runs; a lesson over it is listed as broken)
=================================================================================

Loading a lesson runs its blocks with the engine.  Their work is counted in *work units*
(one unit is roughly the same few microseconds for both kinds):

* a ```` ```fit ```` block: rows × parameters × steps;
* a program that runs (a ```` ```program ```` block, and the program each check runs: its
  own, or the one of its step or an earlier step): its length in characters, once for each
  backward pass the check asks for.

A lesson may hold at most :data:`MAX_BLOCKS` interactive blocks and :data:`LESSON_WORK`
work units.  A folder may hold at most :data:`MAX_LESSON_FILES` lessons (more are not read),
:data:`FOLDER_BYTES` bytes of lesson text and :data:`FOLDER_WORK` work units in all; the
lessons after the budget is spent are listed as broken, saying so, and the earlier ones stay
usable.

Render limits (checked by ``lessons check`` with the line; the screen never shows more)
========================================================================================

Textual draws a step's Markdown with a widget per block, which costs milliseconds each, so
one step (as shown, blocks included) may have at most :data:`MAX_STEP_CHARS` characters,
:data:`MAX_STEP_LINES` lines, :data:`MAX_STEP_BLOCKS` Markdown blocks (paragraphs, headings,
list items, table rows and cells, code blocks...), :data:`MAX_TABLE_ROWS` rows in one table,
and lists and quotes nested at most :data:`MAX_NESTING` deep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .model import CheckBlock, FitBlock, Lesson, ProgramBlock, Step

MAX_BLOCKS = 200
LESSON_WORK = 300_000
FOLDER_WORK = 1_500_000
MAX_LESSON_FILES = 500
FOLDER_BYTES = 8 * 1024 * 1024

MAX_STEP_CHARS = 20_000
MAX_STEP_LINES = 400
MAX_STEP_BLOCKS = 100
MAX_TABLE_ROWS = 40
MAX_NESTING = 4

_LISTS = ("bullet_list_open", "ordered_list_open", "blockquote_open")
_LISTS_CLOSE = ("bullet_list_close", "ordered_list_close", "blockquote_close")


# --- the work budget -------------------------------------------------------------------------

def fit_work(block: FitBlock) -> int:
    """rows × parameters × steps of a fit block (0 if it is not valid: then it does not run)."""
    from .fit import FitError, parse_fit

    try:
        spec = parse_fit(block)
    except FitError:
        return 0
    sizes = [spec.nin] + spec.layers
    params = sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(spec.layers)))
    return len(spec.inputs) * params * max(1, spec.steps)


def _check_program(check: CheckBlock, step: Step) -> str:
    """The program a check runs (as :func:`lessonbook.answers.solve` picks it), or ""."""
    if check.source.strip():
        return check.source
    if step.program is not None:
        return step.program.source
    if step.fit is None and step.fit_context is None and step.program_context is not None:
        return step.program_context.source
    return ""


def lesson_work(lesson: Lesson) -> tuple[int, int]:
    """(work units, interactive blocks) that loading ``lesson`` would take."""
    work = blocks = 0
    for step in lesson.steps:
        for part in step.parts:
            if isinstance(part, str):
                continue
            blocks += 1
            if isinstance(part, FitBlock):
                work += fit_work(part)
            elif isinstance(part, ProgramBlock):
                work += len(part.source)
            elif isinstance(part, CheckBlock):
                work += len(_check_program(part, step)) * max(1, part.backward)
    return work, blocks


@dataclass
class FolderBudget:
    """What is left of a folder's budget as its lessons load, in order."""

    work: int = field(default_factory=lambda: FOLDER_WORK)
    bytes: int = field(default_factory=lambda: FOLDER_BYTES)

    def refuse_read(self) -> str | None:
        """Why the next lesson may not even be read (None: it may)."""
        if self.bytes <= 0:
            return (f"not loaded: the lessons before it in this folder already hold "
                    f"{FOLDER_BYTES:,} bytes of text, the most a folder may")
        return None

    def charge(self, lesson: Lesson) -> str | None:
        """Take a parsed lesson's work from the budget, or say why it is over (and take none)."""
        work, blocks = lesson_work(lesson)
        if blocks > MAX_BLOCKS:
            return (f"the lesson has {blocks} interactive blocks; a lesson may have at most "
                    f"{MAX_BLOCKS}: split it into several lessons")
        if work > LESSON_WORK:
            return (f"loading this lesson would take too long: its fit blocks and programs "
                    f"come to {work:,} work units (rows × parameters × steps, and characters "
                    f"of program run); a lesson may use at most {LESSON_WORK:,}")
        if work > self.work:
            return (f"not loaded: the lessons before it have used the folder's budget "
                    f"({FOLDER_WORK:,} work units; {max(0, self.work):,} are left and this one "
                    f"needs {work:,})")
        self.work -= work
        return None


# --- the render limits -----------------------------------------------------------------------

@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like")  # what Textual's Markdown widget reads


def markdown_problems(text: str, first_line: int = 1) -> tuple[list[tuple[int, str]], int]:
    """(line, message) for each render limit ``text`` breaks (lines count from
    ``first_line``), and how many Markdown blocks it has."""
    problems: list[tuple[int, str]] = []
    depth = rows = 0
    deep_reported = False
    blocks = 0
    for token in _parser().parse(text):
        line = first_line + (token.map[0] if token.map else 0)
        if token.type in _LISTS:
            depth += 1
            if depth > MAX_NESTING and not deep_reported:
                deep_reported = True
                problems.append((line, f"lists and quotes are nested {depth} deep here; a step "
                                       f"may nest them at most {MAX_NESTING} deep"))
        elif token.type in _LISTS_CLOSE:
            depth -= 1
        elif token.type == "table_open":
            rows = 0
        elif token.type == "tr_open":
            rows += 1
            if rows == MAX_TABLE_ROWS + 1:
                problems.append((line, f"this table has more than {MAX_TABLE_ROWS} rows, the "
                                       f"most one step may show: split it"))
        if token.block and token.nesting >= 0 and token.type != "inline":
            blocks += 1
    return problems, blocks


def step_problems(step: Step) -> list[tuple[int, str]]:
    """(file line, message) for each render limit ``step`` breaks, as the screen shows it."""
    from .render import block_markdown, step_markdown

    problems: list[tuple[int, str]] = []
    blocks = 0
    for part, line in zip(step.parts, step.part_lines):  # bounded: a lesson is <= 512 KB
        text = part if isinstance(part, str) else block_markdown(part, step)
        found, count = markdown_problems(text, line)
        blocks += count
        problems.extend(found)
    size = _size_problem(step_markdown(step))
    if size:
        problems.append((step.line, size))
    elif blocks > MAX_STEP_BLOCKS and not problems:
        problems.append((step.line, f"this step has {blocks} Markdown blocks (paragraphs, list "
                                    f"items, table rows and cells...); a step may have at most "
                                    f"{MAX_STEP_BLOCKS}: split it into more steps"))
    return problems


def _size_problem(shown: str) -> str | None:
    if len(shown) > MAX_STEP_CHARS:
        return (f"this step is too long to show ({len(shown):,} characters with its blocks; "
                f"at most {MAX_STEP_CHARS:,}): split it into more steps")
    lines = shown.count("\n") + 1
    if lines > MAX_STEP_LINES:
        return (f"this step is too long to show ({lines:,} lines with its blocks; at most "
                f"{MAX_STEP_LINES}): split it into more steps")
    return None


def refuse_to_render(shown: str) -> str | None:
    """Why the Markdown ``shown`` must not be drawn (None: it is within every limit)."""
    size = _size_problem(shown)
    if size:
        return size
    found, blocks = markdown_problems(shown)
    if found:
        return found[0][1]
    if blocks > MAX_STEP_BLOCKS:
        return f"{blocks} Markdown blocks; a step may have at most {MAX_STEP_BLOCKS}"
    return None
