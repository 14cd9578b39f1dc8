"""Stress the lesson answer walker with many random typed answers (the suite runs 20,000).

    python benchmarks/stress_answers.py [COUNT] [SEED]      (default 1,000,000 answers, seed 1)

Every answer must either give a finite number or be refused with AnswerError, and grading
must always return a verdict with a message; anything else is printed with the answer that
caused it, and the exit status is 1.  Prints how many were computed and refused, and the
rate.  Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "lessons"))

from engine.value import Value  # noqa: E402
from lesson_answer_gen import LESSON, answer  # noqa: E402
from micrograd_tui.lessonbook import parse_text  # noqa: E402
from micrograd_tui.lessonbook.answers import (AnswerError, Verdict, evaluate_expression,  # noqa: E402
                                             grade, solve)



def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    lesson = parse_text(LESSON, "t.md")
    check = lesson.steps[0].check
    check.solution = solve(check, lesson.steps[0])
    names = {"a": Value(-2.0), "b": Value(3.0), "L": Value(-6.0)}
    rng = random.Random(seed)
    computed = refused = failures = 0
    t0 = time.perf_counter()
    for i in range(count):
        text = answer(rng)
        try:
            value = evaluate_expression(text, names)
            if not math.isfinite(value):
                raise AssertionError(f"a value that is not finite: {value}")
            computed += 1
        except AnswerError:
            refused += 1
        except Exception as e:  # noqa: BLE001 - that is what we look for
            failures += 1
            print(f"answer {i}: {text!r}: {type(e).__name__}: {e}")
        try:
            verdict = grade(check, text)
            if not isinstance(verdict, Verdict) or not verdict.message:
                raise AssertionError(f"no message: {verdict!r}")
        except Exception as e:  # noqa: BLE001
            failures += 1
            print(f"grading answer {i}: {text!r}: {type(e).__name__}: {e}")
        if (i + 1) % 200_000 == 0:
            print(f"  {i + 1:,} answers ...", flush=True)
    dt = time.perf_counter() - t0
    print(f"{count:,} random answers (seed {seed}): {computed:,} computed, {refused:,} refused, "
          f"{failures} failures; {dt:.1f} s ({count / dt:,.0f} answers/s, each also graded)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
