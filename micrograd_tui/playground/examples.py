"""Example programs, kept in one place so the command line and the playground show the same:
micrograd's README example and the lecture's programs (the playground's example picker)."""

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

#: From the lecture "The spelled-out intro to neural networks and backpropagation": L = -8.0;
#: backward gives a.grad = 6, b.grad = -4, c.grad = -2, f.grad = 4.
LECTURE_L = """\
# L = (a*b + c) * f, built one step at a time as in the lecture
a = 2.0
b = -3.0
c = 10.0
e = a * b
d = e + c
f = -2.0
L = d * f
"""

#: The lecture's neuron: o = tanh(x1*w1 + x2*w2 + b) = 0.7071; x1.grad = -1.5, w1.grad = 1.0,
#: x2.grad = 0.5, w2.grad = 0.0 (b is chosen so that n = 0.8814).
TANH_NEURON = """\
# a neuron with two inputs: o = tanh(x1*w1 + x2*w2 + b)
x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
x1w1 = x1 * w1
x2w2 = x2 * w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = n.tanh()
"""

#: The same neuron with tanh spelled out with exp: the same o and the same gradients.
TANH_FROM_EXP = """\
# the same neuron, tanh written with exp: tanh(n) = (e^2n - 1) / (e^2n + 1)
x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
n = x1*w1 + x2*w2 + b
e = (2 * n).exp()
o = (e - 1) / (e + 1)
"""

#: The lecture's bug: a node used twice must add up its gradients; a.grad = 2.
A_PLUS_A = """\
# a used twice: backward must add both contributions, so a.grad = 2
a = 3.0
b = a + a
"""

#: One layer of two tanh neurons on the lecture's first input x = [2.0, 3.0, -1.0].
NEURON_LAYER = """\
# one layer of two tanh neurons for one input x = (2.0, 3.0, -1.0)
x1 = 2.0
x2 = 3.0
x3 = -1.0
h1 = (0.5*x1 - 0.3*x2 + 0.8*x3 + 0.1).tanh()
h2 = (-0.6*x1 + 0.2*x2 + 0.4*x3 - 0.2).tanh()
out = h1 + h2   # one number to run backward from
"""

#: The example picker's list: (title, program), in the lecture's order.
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("micrograd's README example (g = 24.7041)", README_EXAMPLE),
    ("L = (a*b + c) * f, the lecture's first graph", LECTURE_L),
    ("a tanh neuron: o = tanh(x1*w1 + x2*w2 + b)", TANH_NEURON),
    ("the same neuron, tanh from exp", TANH_FROM_EXP),
    ("a + a: a node used twice", A_PLUS_A),
    ("one layer of two neurons for one input", NEURON_LAYER),
)
