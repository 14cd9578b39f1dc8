"""A folder of lessons: every file parsed, and every block run by the engine, once.

A lesson with any problem is kept (so the list can show it as broken) but not offered.
"""

from __future__ import annotations

from pathlib import Path

from .model import Lesson, Problem, parse_lesson


def shipped_lessons_dir() -> Path:
    """The shipped lessons: package data of an installed wheel (``micrograd_tui/lessons``),
    or the checkout's top-level ``lessons/`` folder (an editable install or a plain checkout)."""
    from importlib.resources import files

    package = Path(str(files("micrograd_tui")))
    packaged = package / "lessons"
    return packaged if packaged.is_dir() else package.parent / "lessons"


def lesson_files(folder: Path) -> list[Path]:
    """The lesson files of a folder: ``*.md`` except README.md and ``_``/``.`` files."""
    return sorted(
        p for p in folder.glob("*.md")
        if p.name.lower() != "readme.md" and not p.name.startswith(("_", "."))
    )


def validate_lesson(lesson: Lesson) -> None:
    """Run every block of a parsed lesson; add what fails to ``lesson.problems``.

    Afterwards each train block has its ``config``, each fit block its ``result`` and each
    check its ``solution`` (when they could be computed).
    """
    from engine.expr import ExprError, evaluate

    from .checks import CheckError, solve
    from .fit import FitError, fit_block
    from .setups import SetupError, build_config

    def problem(line: int, message: str) -> None:
        lesson.problems.append(Problem(lesson.path, line, message))

    for step in lesson.steps:
        if step.program is not None and step.program.source.strip():
            try:
                evaluate(step.program.source)
            except ExprError as e:
                problem(step.program.file_line(max(1, e.line)), f"the program: {e.message}")
        if step.train is not None and step.train.fields:
            try:
                step.train.config = build_config(step.train)
            except SetupError as e:
                problem(e.line, e.message)
        if step.fit is not None and step.fit.fields:
            try:
                step.fit.result = fit_block(step.fit)
            except FitError as e:
                problem(e.line, e.message)
        check = step.check
        if check is not None and check.answer and check.question:
            try:
                check.solution = solve(check, step)
            except CheckError as e:
                problem(e.line, e.message)


def load_lesson(path: Path, key: str | None = None) -> Lesson:
    lesson = parse_lesson(path, key=key)
    if not lesson.problems:
        validate_lesson(lesson)
    return lesson


def load_lessons(folder: str | Path | None = None) -> tuple[list[Lesson], list[Problem]]:
    """Every lesson of ``folder`` (None: the shipped ones), in order, and folder-level problems.

    Lessons are sorted by ``order``, then file name (a lesson without a valid order comes
    last); broken ones (``lesson.broken``) come along so they can be listed, with their
    problems.
    """
    shipped = folder is None
    root = shipped_lessons_dir() if shipped else Path(folder)  # type: ignore[arg-type]
    problems: list[Problem] = []
    if not root.is_dir():
        return [], [Problem(root, 0, "no such folder")]
    files = lesson_files(root)
    if not files:
        return [], [Problem(root, 0, "no lesson files (*.md) in this folder")]
    prefix = "" if shipped else f"{root.resolve()}::"
    lessons = [load_lesson(p, key=prefix + p.stem) for p in files]
    lessons.sort(key=lambda les: (les.order is None, les.order or 0, les.path.name))
    orders: dict[int, Lesson] = {}
    for lesson in lessons:
        if lesson.order is None:
            continue
        if lesson.order in orders:
            other = orders[lesson.order]
            problems.append(Problem(lesson.path, lesson.order_line,
                                    f"order {lesson.order} is also used by {other.path.name}"))
        orders.setdefault(lesson.order, lesson)
    return lessons, problems
