"""Example programs, kept in one place so the command line and the playground show the same."""

from __future__ import annotations

#: The example from karpathy/micrograd's README.  After backward: g = 24.7041,
#: a.grad = 138.8338, b.grad = 645.5773 (micrograd's test values 24.70408163265306,
#: 138.83381924198252 and 645.5772594752186).
README_EXAMPLE = """\
a = -4.0
b = 2.0
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
"""
