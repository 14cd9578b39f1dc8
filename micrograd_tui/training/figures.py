"""How a training figure reads: loss, accuracy, learning rate.

Plain Python (no Textual): the Train screen's status line and the headless ``train`` command
show a loss alike.
"""

from __future__ import annotations

import math


def format_loss(v: float | None) -> str:
    if v is None:
        return "–"
    if not math.isfinite(v):
        return str(v)
    return f"{v:.4f}" if abs(v) < 1e5 else f"{v:.4g}"


def format_accuracy(a: float | None) -> str:
    """``1.0`` -> ``100%``, ``0.995`` -> ``99.5%`` (never rounds up to 100%)."""
    if a is None:
        return "–"
    pct = a * 100.0
    if pct == round(pct):
        return f"{pct:.0f}%"
    return f"{math.floor(pct * 10) / 10:.1f}%"


def format_lr(v: float | None) -> str:
    return "–" if v is None else f"{v:.4g}"
