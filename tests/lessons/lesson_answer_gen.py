"""Random typed answers for the answer walker (test_answer_fuzz.py, benchmarks/stress_answers.py).

The pieces are chosen to reach the walker's corners: infinities (``1e999``), nan
(``1e999-1e999``), huge and negative powers, functions out of their domain, deep nesting,
names that exist and names that do not, and characters that are not arithmetic at all.
"""

from __future__ import annotations

import random

ATOMS = ("0", "1", "2", "-1", "0.5", "3.25", "1e999", "-1e999", "1e308", "1e-320", "9**9",
         "(1e999-1e999)", "a", "a.grad", "a.data", "b", "L", "q", "a.x", "1j", "'s'", "True",
         "0x1f", "1_0", ".5", "5.", "1e", "nan", "inf")
BINARY = ("+", "-", "*", "/", "**", "//", "%", "@", ",", " ", "")
FUNCTIONS = ("abs", "tanh", "exp", "log", "sqrt", "cosh", "__import__", "")
#: a one-check lesson the random answers are graded against (a.grad of L = a * b)
LESSON = """\
---
title: T
summary: S
order: 1
---

## Step

```check
question: What is a.grad?
answer: a.grad
a = -2.0
b = 3.0
L = a * b
```
"""

JUNK = ("(", ")", "[", "]", "{", "}", ".", ":", "=", ";", "\\", "#", "é", "\t", "\x00", "λ", "`")


def expression(rng: random.Random, depth: int = 0) -> str:
    """A random answer in the shape of arithmetic (mostly): atoms joined by operators."""
    roll = rng.random()
    if depth > 6 or roll < 0.3:
        return rng.choice(ATOMS)
    if roll < 0.55:
        return f"{expression(rng, depth + 1)}{rng.choice(BINARY)}{expression(rng, depth + 1)}"
    if roll < 0.7:
        return f"({expression(rng, depth + 1)})"
    if roll < 0.8:
        return f"{rng.choice(('-', '+', '--', 'not '))}{expression(rng, depth + 1)}"
    if roll < 0.92:
        return f"{rng.choice(FUNCTIONS)}({expression(rng, depth + 1)})"
    return "(" * rng.randint(1, 120) + rng.choice(ATOMS) + ")" * rng.randint(0, 120)


def answer(rng: random.Random) -> str:
    """A random typed answer; one in ten has a junk character somewhere."""
    text = expression(rng)
    if rng.random() < 0.1:
        i = rng.randint(0, len(text))
        text = text[:i] + rng.choice(JUNK) + text[i:]
    return text
