"""Plain: saving and loading the GPT screen's weights, and what to tell the learner.

Each function does the work and returns the sentence to show, or raises
:class:`GPTFileFailed` whose ``str()`` says what went wrong and where.  Writes are atomic
(:mod:`engine.persist`); a bad file is refused naming the file and the field; while the app
is served, paths stay in the session's folder (:func:`~micrograd_tui.classroom.sandbox.confine`).
"""

from __future__ import annotations

from engine.errors import EngineError
from engine.gpt import GPTTrainer

from ..classroom.sandbox import OutsideSandbox, confine

DEFAULT_PATH = "gpt.json"


class GPTFileFailed(Exception):
    """A save or load could not be done; ``str()`` is the sentence shown."""


def gpt_path(text: str) -> str:
    """The typed path (``~`` expanded), confined while served."""
    text = text.strip()
    if not text:
        raise GPTFileFailed("Type a file name for the weights first (the Weights field).")
    try:
        return str(confine(text, "weights file"))
    except OutsideSandbox as e:
        raise GPTFileFailed(str(e)) from e


def save_gpt(trainer: GPTTrainer, text: str) -> str:
    path = gpt_path(text)
    try:
        trainer.save(path)
    except (OSError, EngineError, ValueError) as e:
        raise GPTFileFailed(f"Could not save the weights to {path}: {e}") from e
    return f"Saved the weights after step {trainer.step_count} to {path}"


def load_gpt(text: str) -> tuple[GPTTrainer, str]:
    """The trainer saved at the typed path, and the sentence to show."""
    path = gpt_path(text)
    try:
        trainer = GPTTrainer.load(path)
    except (OSError, EngineError, ValueError) as e:
        reason = str(e)
        if path not in reason:
            reason = f"{path}: {reason}"
        raise GPTFileFailed(f"Could not load the weights: {reason}") from e
    note = "" if trainer.docs else " (its characters are not the names': it can sample, not train)"
    return trainer, f"Loaded the weights at step {trainer.step_count} from {path}{note}"
