"""A folder of lessons: every file parsed, and every block run by the engine, once.

A lesson with any problem is kept (so the list can show it as broken) but not offered.
Loading stays within the budgets of :mod:`.limits` (per lesson and per folder), and a lesson
that breaks a render limit is broken too, so no lesson can hang the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .limits import MAX_LESSON_FILES, FolderBudget
from .model import CheckBlock, FitBlock, Lesson, Problem, ProgramBlock, Step, TrainBlock
from .parse import parse_lesson


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
    check its ``solution`` (when they could be computed).  Each block is guarded: an
    unexpected exception makes the lesson broken with the reason, never takes the app down.
    """
    from engine.expr import ExprError, evaluate

    from .answers import SAME_AS_ANSWER, CheckError, solve
    from .fit import FitError, fit_block
    from .op_exercise import OpExercise, solve_op
    from .setups import SetupError, build_config

    def problem(line: int, message: str) -> None:
        lesson.problems.append(Problem(lesson.path, line, message))

    def guarded(kind: str, line: int, run: Callable[[], None]) -> None:
        try:
            run()
        except ExprError as e:  # a program block
            problem(line + max(1, e.line), f"the program: {e.message}")
        except (SetupError, FitError, CheckError) as e:
            problem(e.line, e.message)
        except Exception as e:  # noqa: BLE001 - one bad block must not take the app down
            problem(line, f"checking this {kind} block failed unexpectedly "
                          f"({type(e).__name__}: {_short(str(e))})")

    failed: set[int] = set()  # program blocks that fail: their checks say nothing more
    for step in lesson.steps:
        program, train, fit, check = step.program, step.train, step.fit, step.check
        if program is not None and program.source.strip():
            before = len(lesson.problems)
            guarded("program", program.line, lambda: evaluate(program.source, seed=0))
            if len(lesson.problems) > before:
                failed.add(program.line)
        if train is not None and train.fields:
            def set_config(train: TrainBlock = train) -> None:
                train.config = build_config(train)
            guarded("train", train.line, set_config)
        if fit is not None and fit.fields:
            def set_result(fit: FitBlock = fit) -> None:
                fit.result = fit_block(fit)
            guarded("fit", fit.line, set_result)
        if check is not None and check.answer and check.question:
            used = _program_of(check, step)
            if used is not None and used.line in failed:
                continue

            def set_solution(check: CheckBlock = check, step: Step = step) -> None:
                if isinstance(check, OpExercise):
                    check.solution = solve_op(check)
                    return
                seen: set[tuple[int, str]] = set()
                # a program that draws numbers is checked with several draws; a wrong entry
                # that hits the answer by chance in one draw is fine (the answer is graded
                # first), one that hits it in every draw is a mistake
                draws = DRAWS_CHECKED if _draws(check, step) else 1
                same: dict[int, list[str]] = {}
                for seed in range(draws):
                    solution = solve(check, step, seed=seed)
                    if seed == 0:
                        check.solution = solution
                    for line, message in solution.problems:
                        if SAME_AS_ANSWER in message:
                            same.setdefault(line, []).append(message)
                        elif (line, message) not in seen:
                            seen.add((line, message))
                            problem(line, message)
                for line, messages in same.items():
                    if len(messages) == draws:
                        problem(line, messages[0])
            guarded("check", check.line, set_solution)


#: how many draws ``lessons check`` runs a check whose program uses rand(lo, hi) with
DRAWS_CHECKED = 5


def _program_of(check: CheckBlock, step: Step) -> ProgramBlock | None:
    """The program block a check without a program of its own runs (None: its own, a fit)."""
    if check.source.strip():
        return None
    if step.program is not None:
        return step.program
    return step.program_context if step.fit is None else None


def _draws(check: CheckBlock, step: Step) -> bool:
    """Does the program a check runs call rand(lo, hi)?"""
    from .attempt import uses_rand

    if check.source.strip():
        return uses_rand(check.source)
    used = _program_of(check, step)
    return used is not None and uses_rand(used.source)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def check_render_limits(lesson: Lesson) -> None:
    """Add a problem for each step that breaks a render limit (see :mod:`.limits`)."""
    from .limits import step_problems

    for step in lesson.steps:
        for line, message in step_problems(step):
            lesson.problems.append(Problem(lesson.path, line, message))


def load_lesson(path: Path, key: str | None = None,
                budget: FolderBudget | None = None) -> Lesson:
    """Read, parse and (within ``budget``) run one lesson; problems are collected, never raised."""
    budget = budget if budget is not None else FolderBudget()
    refused = budget.refuse_read()
    if refused:
        return Lesson(path=path, key=key or path.stem, problems=[Problem(path, 0, refused)])
    try:
        lesson = parse_lesson(path, key=key)
    except Exception as e:  # noqa: BLE001 - a bug in the parser must not take the app down
        return Lesson(path=path, key=key or path.stem, problems=[Problem(
            path, 0, f"reading this lesson failed unexpectedly ({type(e).__name__}: "
                     f"{_short(str(e))})")])
    budget.bytes -= _size(path)  # read, whether it parses or not
    over = budget.charge(lesson)
    if over:
        lesson.problems.append(Problem(path, 0, over))
        return lesson
    # a lesson with problems in its text still runs its blocks, so that one pass of
    # ``lessons check`` finds every problem
    validate_lesson(lesson)
    try:
        check_render_limits(lesson)
    except Exception as e:  # noqa: BLE001
        lesson.problems.append(Problem(path, 0, f"checking how this lesson is shown failed "
                                                f"unexpectedly ({type(e).__name__})"))
    return lesson


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def load_lessons(folder: str | Path | None = None, *,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 ) -> tuple[list[Lesson], list[Problem]]:
    """Every lesson of ``folder`` (None: the shipped ones), in order, and folder-level problems.

    Lessons are sorted by ``order``, then file name (a lesson without a valid order comes
    last); broken ones (``lesson.broken``) come along so they can be listed, with their
    problems.  The folder's budget (:mod:`.limits`) is spent in file-name order.
    ``progress(done, total)`` is called after each lesson; when ``cancelled()`` turns true
    the loading stops and what was loaded so far is returned.
    """
    shipped = folder is None
    root = shipped_lessons_dir() if shipped else Path(folder)  # type: ignore[arg-type]
    problems: list[Problem] = []
    if not root.is_dir():
        return [], [Problem(root, 0, "no such folder")]
    files = lesson_files(root)
    if not files:
        return [], [Problem(root, 0, "no lesson files (*.md) in this folder")]
    if len(files) > MAX_LESSON_FILES:
        problems.append(Problem(root, 0, f"{len(files) - MAX_LESSON_FILES} lesson files are not "
                                         f"loaded: a folder holds at most {MAX_LESSON_FILES} "
                                         f"lessons (the first ones by file name are)"))
        files = files[:MAX_LESSON_FILES]
    prefix = "" if shipped else f"{root.resolve()}::"
    budget = FolderBudget()
    lessons: list[Lesson] = []
    for p in files:
        if cancelled is not None and cancelled():
            break
        lessons.append(load_lesson(p, key=prefix + p.stem, budget=budget))
        if progress is not None:
            progress(len(lessons), len(files))
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
