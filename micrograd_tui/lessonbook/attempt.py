"""One attempt at a step: the numbers its programs draw, and its check's answer for them.

A program may call ``rand(lo, hi)`` (see :mod:`engine.expr`).  An attempt has a seed; each
program block draws with :func:`lessonbook.answers.block_seed` of it, so a step that shows an
earlier step's program shows the same numbers, and the check's answer is computed from the
numbers the learner sees.  A new attempt (a new seed) asks about new numbers.  A step whose
programs draw nothing keeps the answer computed when the lesson loaded.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from .answers import CheckError, Solution, block_seed, solve
from .model import Step

_RAND = re.compile(r"\brand\s*\(")


def uses_rand(source: str) -> bool:
    """Might this program draw numbers (a quick look at its text, comments included)?"""
    return bool(_RAND.search(source))


def new_seed() -> int:
    """A fresh attempt seed."""
    return random.SystemRandom().randrange(1, 2**31)


@dataclass
class Attempt:
    """What a step shows in one attempt: its programs as drawn, and its check's answer."""

    seed: int | None
    #: program source as shown (numbers drawn filled in), by the block's first line
    sources: dict[int, str] = field(default_factory=dict)
    solution: Solution | None = None
    #: the step's programs draw numbers, so a new attempt asks about new ones
    random: bool = False


def step_attempt(step: Step, seed: int | None) -> Attempt:
    """The attempt at ``step`` with ``seed``; a program that fails with these numbers is
    shown as written (``lessons check`` ran it with several draws)."""
    from engine.expr import ExprError, evaluate

    attempt = Attempt(seed)
    blocks = [(step.program.line, step.program.source)] if step.program is not None else []
    check = step.check
    if check is not None and check.source.strip():
        blocks.append((check.source_line, check.source))
    elif check is not None and step.program is None and step.fit is None \
            and step.program_context is not None:
        blocks.append((step.program_context.line, step.program_context.source))
    for line, source in blocks:
        if not uses_rand(source):
            continue
        try:
            program = evaluate(source, seed=block_seed(seed, line))
        except ExprError:
            continue
        if program.draws:
            attempt.random = True
            attempt.sources[line] = program.shown_source()
    if check is not None:
        attempt.solution = check.solution if isinstance(check.solution, Solution) else None
        if attempt.random:
            try:
                attempt.solution = solve(check, step, seed=seed)
            except CheckError:
                pass  # keep the answer computed at load time
    return attempt
