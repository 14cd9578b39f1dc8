"""The Train form's fields: each setting's label, kind, validators, and what changing it does
to a run under way (:data:`LIVE_FIELDS` go on from the next step, the rest start over)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.validation import Integer, Number, ValidationResult, Validator

from engine.data import DATASETS
from engine.losses import LOSSES
from engine.nn import ACTIVATIONS
from engine.optim import OPTIMIZERS, SCHEDULES
from engine.train import PRESETS, TrainConfig, parse_hidden


def matching_preset(config: TrainConfig) -> str | None:
    """The name of the preset ``config`` is exactly, or None when it is none of them."""
    return next((name for name, preset in PRESETS.items() if preset == config), None)


class _LayerSizes(Validator):
    """The Hidden field holds layer sizes as :func:`engine.train.parse_hidden` reads them;
    the failure says what is wrong (``'x' is not a whole number; ...``)."""

    def validate(self, value: str) -> ValidationResult:
        try:
            parse_hidden(value)
        except ValueError as e:
            return self.failure(str(e).removeprefix("hidden:").strip())
        return self.success()


def format_number(v: float) -> str:
    """A float for a form field: ``0.1``, ``1e-05``, ``1.0``."""
    return repr(float(v))


@dataclass(frozen=True)
class Field:
    """One setting: the TrainConfig attribute, its label, and how to read and show it."""

    name: str
    label: str
    kind: str  # "select", "int", "float", "layers"
    options: tuple[str, ...] = ()
    tooltip: str = ""

    def parse(self, text: str) -> Any:
        if self.kind == "int":
            return int(text.strip())
        if self.kind == "float":
            return float(text.strip())
        if self.kind == "layers":
            return parse_hidden(text)
        return text

    def show(self, value: Any) -> str:
        if self.kind == "float":
            return format_number(value)
        if self.kind == "layers":
            return ",".join(str(n) for n in value)
        return str(value)


FIELDS: tuple[Field, ...] = (
    Field("dataset", "Dataset", "select", tuple(DATASETS),
          "Which points to learn; the description is in the help (F1)"),
    Field("n_samples", "Samples", "int", tooltip="Number of data points"),
    Field("noise", "Noise", "float", tooltip="How much the points are scattered"),
    Field("test_fraction", "Test frac", "float",
          tooltip="Share of points held out to measure test loss (0 = none)"),
    Field("hidden", "Hidden", "layers",
          tooltip="Hidden layer sizes, comma separated, e.g. 16,16"),
    Field("activation", "Activation", "select", tuple(ACTIVATIONS),
          tooltip="Nonlinearity of the hidden layers"),
    Field("loss", "Loss", "select", tuple(LOSSES)),
    Field("l2", "L2", "float", tooltip="Weight decay strength (0 = none)"),
    Field("optimizer", "Optimizer", "select", tuple(OPTIMIZERS)),
    Field("lr", "Learn rate", "float", tooltip="Learning rate at step 0"),
    Field("schedule", "Schedule", "select", SCHEDULES,
          tooltip="How the learning rate changes over the run"),
    Field("batch_size", "Batch", "int", tooltip="Points per step (0 = all of them)"),
    Field("steps", "Steps", "int", tooltip="Length of the run"),
    Field("seed", "Seed", "int", tooltip="Seed for data, split and initial weights"),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}

#: fields that change a run under way, from its next step (Trainer.update); steps too
LIVE_FIELDS = frozenset({"lr", "l2", "schedule", "steps"})
LIVE_HINT = "applies from the next step"
RESET_HINT = "changing this resets the run"


def disabled_reason(field: str, dataset: str) -> str | None:
    """Why ``field`` does not apply to ``dataset`` (None: it does)."""
    if dataset == "micrograd_demo" and field in ("n_samples", "noise"):
        return "not used: micrograd demo data"
    return None


def validators_for(field: Field) -> list:
    if field.kind == "int":
        return [Integer(failure_description="must be a whole number")]
    if field.kind == "float":
        return [Number(failure_description="must be a number")]
    if field.kind == "layers":
        return [_LayerSizes()]
    return []
