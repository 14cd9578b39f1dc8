"""Optimizers: plain SGD (with momentum if asked) and Adam, with a learning-rate schedule.

An optimizer holds the parameters; ``step(k)`` moves each one against its ``grad``, with the
learning rate of step ``k`` (0-based) from the schedule.  ``k`` is optional: a bare ``step()``,
as micrograd-style loops write it, is the step after the last one taken (0 at first), so the
schedule still advances.  If an update would make any
parameter (or Adam's running averages) infinite or NaN, nothing is changed and
:class:`~engine.errors.NumericError` says training diverged, instead of leaving NaNs behind.

Schedules, for a run of ``steps`` steps starting at rate ``lr``:

* ``constant``: ``lr``;
* ``linear``: ``lr * (1 - 0.9 * k / steps)``, down to a tenth (micrograd's demo uses
  ``1.0 - 0.9*k/100``, which is this with ``lr=1.0, steps=100``);
* ``cosine``: from ``lr`` to ``lr / 10`` along half a cosine;
* ``step``: halved after each quarter of the run.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

from .errors import NumericError
from .value import Value

__all__ = ["OPTIMIZERS", "SCHEDULES", "Adam", "Optimizer", "SGD", "lr_at", "make_optimizer"]

_INF = math.inf

#: schedule name -> description
SCHEDULES: dict[str, str] = {
    "constant": "the same learning rate at every step",
    "linear": "decreases linearly to a tenth: lr * (1 - 0.9 * k / steps)",
    "cosine": "decreases to a tenth along half a cosine",
    "step": "halved after each quarter of the run",
}

#: optimizer name -> description
OPTIMIZERS: dict[str, str] = {
    "sgd": "stochastic gradient descent: p -= lr * grad",
    "momentum": "SGD with momentum 0.9: v = 0.9 v + grad; p -= lr * v",
    "adam": "Adam (betas 0.9, 0.999): steps scaled by running gradient statistics",
}


def lr_at(schedule: str, lr: float, k: int, steps: int) -> float:
    """The learning rate at step ``k`` (0-based) of a run of ``steps`` steps."""
    k = min(max(k, 0), steps)
    if schedule == "constant":
        return lr
    if schedule == "linear":
        return lr * (1 - 0.9 * k / steps)
    if schedule == "cosine":
        return lr * (0.1 + 0.9 * 0.5 * (1.0 + math.cos(math.pi * k / steps)))
    if schedule == "step":
        return lr * 0.5 ** (k // max(1, steps // 4))
    raise ValueError(f"schedule: unknown schedule {schedule!r}; choose one of {', '.join(SCHEDULES)}")


def _positive(name: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0.0 < x < _INF:
        raise ValueError(f"{name}: must be a finite number > 0, not {x!r}")
    return float(x)


def _unit(name: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0.0 <= x < 1.0:
        raise ValueError(f"{name}: must be at least 0 and below 1, not {x!r}")
    return float(x)


class Optimizer:
    """What SGD and Adam share: parameters, a schedule, and a safe update."""

    def __init__(self, params: Iterable[Value], lr: float, *, schedule: str = "constant",
                 steps: int = 100) -> None:
        self.params: list[Value] = list(params)
        self.lr = _positive("lr", lr)
        if schedule not in SCHEDULES:
            raise ValueError(f"schedule: unknown schedule {schedule!r}; choose one of {', '.join(SCHEDULES)}")
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps: must be a whole number >= 1, not {steps!r}")
        self.schedule = schedule
        self.steps = steps
        self.steps_taken = 0  # the step a bare step() takes: one past the last step taken

    def lr_at(self, k: int) -> float:
        """The learning rate this optimizer uses at step ``k``."""
        return lr_at(self.schedule, self.lr, k, self.steps)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self, k: int | None = None) -> float:
        """Update every parameter from its grad for step ``k``; returns the learning rate used.

        Without ``k``, this is the step after the last one taken (step 0 the first time).
        """
        if k is None:
            k = self.steps_taken
        elif isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise ValueError(f"step: k must be a whole number >= 0 (or left out), not {k!r}")
        lr = self.lr_at(k)
        self._update(k, lr)
        self.steps_taken = k + 1
        return lr

    def _update(self, k: int, lr: float) -> None:
        """Move the parameters for step ``k`` at rate ``lr`` (through :meth:`_commit`)."""
        raise NotImplementedError

    def _diverged(self, k: int, lr: float, i: int, what: str, new: float) -> NumericError:
        p = self.params[i]
        name = f"'{p.label}'" if p.label else f"parameter #{i + 1}"
        return NumericError(
            type(self).__name__.lower(), (p.data, p.grad),
            f"training diverged at step {k + 1}: {what.format(name)} would become {new} "
            f"(learning rate {lr:g}); try a smaller learning rate")

    def _commit(self, k: int, lr: float, new: Sequence[float],
                *state: tuple[str, Sequence[float]]) -> None:
        """Check everything is finite, then set the parameters to ``new``."""
        for what, seq in (("{}", new), *state):
            for i, v in enumerate(seq):
                if not -_INF < v < _INF:
                    raise self._diverged(k, lr, i, what, v)
        for p, v in zip(self.params, new):
            p.data = v


class SGD(Optimizer):
    """``p -= lr_k * grad``; with ``momentum`` m: ``v = m*v + grad; p -= lr_k * v``."""

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0, *,
                 schedule: str = "constant", steps: int = 100) -> None:
        super().__init__(params, lr, schedule=schedule, steps=steps)
        self.momentum = _unit("momentum", momentum)
        self.velocity = [0.0] * len(self.params)

    def _update(self, k: int, lr: float) -> None:
        if self.momentum == 0.0:
            self._commit(k, lr, [p.data - lr * p.grad for p in self.params])
            return
        mu = self.momentum
        vel = [mu * v + p.grad for v, p in zip(self.velocity, self.params)]
        self._commit(k, lr, [p.data - lr * v for p, v in zip(self.params, vel)],
                     ("the velocity of {}", vel))
        self.velocity = vel


class Adam(Optimizer):
    """Adam (Kingma & Ba), with bias correction; the schedule scales its learning rate."""

    def __init__(self, params: Iterable[Value], lr: float = 0.01,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, *,
                 schedule: str = "constant", steps: int = 100) -> None:
        super().__init__(params, lr, schedule=schedule, steps=steps)
        b1, b2 = betas
        self.betas = (_unit("betas", b1), _unit("betas", b2))
        self.eps = _positive("eps", eps)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0

    def _update(self, k: int, lr: float) -> None:
        b1, b2 = self.betas
        t = self.t + 1
        c1 = 1.0 - b1 ** t
        c2 = 1.0 - b2 ** t
        eps = self.eps
        m = [b1 * mi + (1.0 - b1) * p.grad for mi, p in zip(self.m, self.params)]
        v = [b2 * vi + (1.0 - b2) * (p.grad * p.grad) for vi, p in zip(self.v, self.params)]
        new = [p.data - lr * (mi / c1) / (math.sqrt(vi / c2) + eps)
               for p, mi, vi in zip(self.params, m, v)]
        self._commit(k, lr, new, ("the gradient average of {}", m),
                     ("the squared-gradient average of {}", v))
        self.m, self.v, self.t = m, v, t


def make_optimizer(name: str, params: Iterable[Value], lr: float, *, schedule: str = "constant",
                   steps: int = 100) -> Optimizer:
    """The optimizer called ``name`` (see :data:`OPTIMIZERS`)."""
    if name == "sgd":
        return SGD(params, lr, schedule=schedule, steps=steps)
    if name == "momentum":
        return SGD(params, lr, momentum=0.9, schedule=schedule, steps=steps)
    if name == "adam":
        return Adam(params, lr, schedule=schedule, steps=steps)
    raise ValueError(f"optimizer: unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
