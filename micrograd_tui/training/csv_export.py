"""The loss history as CSV: one row per step (1-based), written atomically.

Plain Python (no Textual).
"""

from __future__ import annotations

from typing import Any, Sequence

from engine.persist import atomic_write_text

CSV_COLUMNS = ("step", "loss", "accuracy", "lr", "test_loss", "test_accuracy", "seconds")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    return str(v)


def history_csv(history: Sequence[Any]) -> str:
    """The loss history (a list of ``StepEvent``) as CSV text, one row per step (1-based)."""
    lines = [",".join(CSV_COLUMNS)]
    for ev in history:
        lines.append(",".join((
            str(ev.step + 1), _cell(ev.loss), _cell(ev.accuracy), _cell(ev.lr),
            _cell(ev.test_loss), _cell(ev.test_accuracy), _cell(ev.seconds),
        )))
    return "\n".join(lines) + "\n"


def export_history_csv(history: Sequence[Any], path: str) -> None:
    """Write :func:`history_csv` to ``path`` atomically."""
    atomic_write_text(path, history_csv(history))
