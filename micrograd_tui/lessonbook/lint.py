"""``micrograd-tui lessons check [DIR]``: validate lessons, print each problem with file and line."""

from __future__ import annotations

import sys
from typing import TextIO

from .library import load_lessons


def run_check(folder: str | None = None, *, out: TextIO | None = None) -> int:
    """Check every lesson of ``folder`` (None: the shipped lessons).

    Prints one ``path:line: message`` line per problem and a summary; returns 0 when every
    lesson is clean, 1 otherwise.
    """
    out = out or sys.stdout
    lessons, problems = load_lessons(folder)
    for lesson in lessons:
        problems.extend(lesson.problems)
    problems.sort(key=lambda p: (str(p.path), p.line))
    for problem in problems:
        print(problem, file=out)
    broken = sum(1 for lesson in lessons if lesson.broken)
    checks = sum(len(lesson.checks) for lesson in lessons if not lesson.broken)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
              f"({broken} of {len(lessons)} lessons broken)", file=out)
        return 1
    print(f"{len(lessons)} lessons OK ({checks} checks, every answer computed by the engine)",
          file=out)
    return 0
