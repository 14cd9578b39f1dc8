"""The Train screen's file actions: save and load the model, export the loss history as CSV,
and the model as a playground program.

Plain Python (no Textual): each function does the work and returns what to tell the learner,
or raises :class:`ActionFailed` whose ``str()`` is the sentence to show and whose
``severity``/``timeout`` say how.  The screen decides *when* (never while a thread trains).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import EngineError
from engine.persist import ModelFileError
from engine.train import TrainConfig, Trainer

from ..classroom.sandbox import OutsideSandbox, confine
from .csv_export import export_history_csv
from .model_program import model_program

if TYPE_CHECKING:
    from engine.nn import MLP

#: how long a failure stays on screen (seconds); "type a file name" and "nothing to export"
#: warnings use the app's default
ERROR_TIMEOUT = 8


class ActionFailed(Exception):
    """A file action could not be done; ``str()`` is the sentence shown to the learner."""

    def __init__(self, message: str, severity: str = "error",
                 timeout: float | None = ERROR_TIMEOUT) -> None:
        super().__init__(message)
        self.severity = severity
        self.timeout = timeout


def file_path(text: str, what: str) -> str:
    """The path typed in a field (``~`` expanded); ``what`` names the file in the warning.

    While served, a path out of the session's folder is refused (:mod:`.sandbox`)."""
    if not text:
        raise ActionFailed(f"Type a file name for the {what} first.", "warning", None)
    try:
        return str(confine(text, what))
    except OutsideSandbox as e:
        raise ActionFailed(str(e)) from e


def save_model(trainer: Trainer, path: str) -> str:
    try:
        trainer.save(path)
    except (OSError, EngineError, ValueError) as e:
        raise ActionFailed(f"Could not save the model to {path}: {e}") from e
    return f"Saved the model to {path}"


def load_model(trainer: Trainer, path: str) -> "MLP":
    """The model saved at ``path``, if it fits ``trainer``'s data (inputs and one output)."""
    try:
        model = Trainer.load_model(path)
    except (ModelFileError, OSError, ValueError) as e:
        reason = str(e)
        if not reason.startswith(path):
            reason = f"{path}: {reason}"
        raise ActionFailed(f"Could not load the model: {reason}") from e
    dim = trainer.train_set.dim
    if model.nin != dim or model.nouts[-1] != 1:
        raise ActionFailed(f"Could not load the model: {path}: it takes {model.nin} input(s) "
                           f"and has {model.nouts[-1]} output(s); the {trainer.config.dataset} "
                           f"data needs {dim} and 1")
    return model


def config_for_model(config: TrainConfig, model: Any) -> TrainConfig:
    """``config`` with the loaded ``model``'s shape (hidden layers and activation)."""
    new = dataclasses.replace(config, hidden=tuple(model.nouts[:-1]),
                              activation=model.activation)
    if new != config:
        problems = new.problems()
        if problems:
            raise ActionFailed(f"Could not use the loaded model: {problems[0]}")
    return new


def export_csv(trainer: Trainer, path: str) -> str:
    history = list(trainer.history)
    if not history:
        raise ActionFailed("Nothing to export yet: train first (ctrl+r).", "warning", None)
    try:
        export_history_csv(history, path)
    except OSError as e:
        raise ActionFailed(f"Could not write {path}: {e.strerror or e}") from e
    return f"Wrote {len(history)} steps to {path}"


@dataclass(frozen=True)
class GraphProgram:
    """The model as a program for the playground, and what to tell the learner about it."""

    source: str
    note: str


def graph_program(trainer: Trainer) -> GraphProgram:
    """The model on the first training point as a program, and a note about it."""
    x = list(trainer.train_set.X[0])
    try:
        program = model_program(trainer.model, x)
    except ValueError as e:
        raise ActionFailed(str(e), "warning") from e
    note = (f"The model on the input ({', '.join(f'{v:.3g}' for v in x)}): "
            f"{program.note}")
    return GraphProgram(program.source, note)
