"""The Train screen's form: every setting of a training run, each checked where it is typed.

A field that does not hold a valid value is marked and gets its reason right below it
(Input validators for the type, then ``TrainConfig.validate()`` for the rules between
fields); the form posts :class:`TrainControls.ConfigChanged` only for a complete, valid
configuration, so a bad value can never reach the trainer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.validation import Integer, Number, ValidationResult, Validator
from textual.widgets import Input, Label, Select, Static

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


def _validators(field: Field) -> list:
    if field.kind == "int":
        return [Integer(failure_description="must be a whole number")]
    if field.kind == "float":
        return [Number(failure_description="must be a number")]
    if field.kind == "layers":
        return [_LayerSizes()]
    return []


class TrainControls(VerticalScroll):
    """The settings form.  ``config`` is the last valid configuration it holds."""

    DEFAULT_CSS = """
    TrainControls {
        width: 34;
        height: 1fr;
        padding: 0 1 0 0;
        border-right: vkey $foreground 20%;
        scrollbar-size-vertical: 1;
    }
    TrainControls .row {
        height: 1;
        margin-bottom: 0;
    }
    TrainControls .row > Label {
        width: 12;
        padding-left: 1;
        color: $text-muted;
    }
    TrainControls .row > Input, TrainControls .row > Select {
        width: 1fr;
    }
    TrainControls .field-error {
        display: none;
        color: $error;
        padding-left: 1;
        height: auto;
    }
    TrainControls .field-error.-shown {
        display: block;
    }
    TrainControls .section {
        color: $text-accent;
        text-style: bold;
        padding-left: 1;
        margin-top: 1;
    }
    TrainControls .section.-first {
        margin-top: 0;
    }
    """

    @dataclass
    class ConfigChanged(Message):
        """The form holds a new valid configuration."""

        controls: "TrainControls"
        config: TrainConfig

        @property
        def control(self) -> "TrainControls":
            return self.controls

    def __init__(self, config: TrainConfig | None = None, *, model_path: str = "model.json",
                 csv_path: str = "loss_history.csv", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.config: TrainConfig = config or TrainConfig()
        self.errors: dict[str, str] = {}
        self._model_path = model_path
        self._csv_path = csv_path

    # --- building ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("Settings", classes="section -first")
        with Horizontal(classes="row"):
            yield Label("Preset")
            preset = matching_preset(self.config)
            yield Select([(name, name) for name in PRESETS], prompt="choose…",
                         value=preset if preset is not None else Select.NULL,
                         id="preset", compact=True,
                         tooltip="Fill every setting from a named setup")
        for field in FIELDS:
            value = getattr(self.config, field.name)
            with Horizontal(classes="row"):
                yield Label(field.label)
                if field.kind == "select":
                    yield Select([(o.replace("_", " "), o) for o in field.options],
                                 value=value if value in field.options else Select.NULL,
                                 allow_blank=value not in field.options,
                                 id=f"field-{field.name}", compact=True,
                                 tooltip=field.tooltip or None)
                else:
                    yield Input(field.show(value), id=f"field-{field.name}", compact=True,
                                validators=_validators(field), tooltip=field.tooltip or None,
                                select_on_focus=False)
            yield Static("", id=f"error-{field.name}", classes="field-error", markup=False)
        yield Static("", id="error-form", classes="field-error", markup=False)
        yield Static("Files", classes="section")
        with Horizontal(classes="row"):
            yield Label("Model")
            yield Input(self._model_path, id="model-path", compact=True,
                        tooltip="Model file for save (ctrl+s) and load (ctrl+o)")
        with Horizontal(classes="row"):
            yield Label("Loss CSV")
            yield Input(self._csv_path, id="csv-path", compact=True,
                        tooltip="CSV file for exporting the loss history")

    # --- reading and writing ------------------------------------------------------------
    @property
    def model_path(self) -> str:
        return self.query_one("#model-path", Input).value.strip()

    @property
    def csv_path(self) -> str:
        return self.query_one("#csv-path", Input).value.strip()

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def set_config(self, config: TrainConfig) -> None:
        """Show ``config`` in the fields (it becomes the form's configuration)."""
        self.config = config
        if not self.is_mounted:
            return
        for field in FIELDS:
            value = getattr(config, field.name)
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                if value not in field.options:
                    # a value the form cannot show; keep it out of the form's options
                    continue
                widget.value = value
            elif isinstance(widget, Input):
                widget.value = field.show(value)
        self._show_errors({})
        self._show_preset()

    def _show_preset(self) -> None:
        """Name the preset the form's configuration is, or show "choose…" if it is none."""
        preset = matching_preset(self.config)
        select = self.query_one("#preset", Select)
        with self.prevent(Select.Changed):  # showing a preset is not choosing one
            select.value = preset if preset is not None else Select.NULL

    def read_config(self) -> tuple[TrainConfig | None, dict[str, str]]:
        """The configuration the fields describe, or None and ``{field: reason}``."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for field in FIELDS:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                if widget.value is Select.NULL:
                    errors[field.name] = "choose a value"
                    continue
                values[field.name] = widget.value
                continue
            assert isinstance(widget, Input)
            result: ValidationResult | None = widget.validate(widget.value)
            if result is not None and not result.is_valid:
                errors[field.name] = "; ".join(result.failure_descriptions)
                continue
            try:
                values[field.name] = field.parse(widget.value)
            except ValueError as e:
                errors[field.name] = str(e)
        if errors:
            return None, errors
        try:
            config = dataclasses.replace(self.config, **values)
        except (TypeError, ValueError) as e:
            return None, {"form": str(e)}
        for problem in config.problems():
            name, _, reason = problem.partition(":")
            name = name.strip()
            if name in FIELD_BY_NAME and reason:
                errors.setdefault(name, reason.strip())
            else:
                errors.setdefault("form", problem)
        if errors:
            return None, errors
        return config, {}

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.errors = errors
        for name in [f.name for f in FIELDS] + ["form"]:
            label = self.query_one(f"#error-{name}", Static)
            message = errors.get(name, "")
            label.update(message)
            label.set_class(bool(message), "-shown")
            if name in FIELD_BY_NAME:
                widget = self.query_one(f"#field-{name}")
                widget.set_class(bool(message), "-invalid")

    def revalidate(self) -> TrainConfig | None:
        """Check every field, show the reasons, and post ConfigChanged for a new valid config."""
        config, errors = self.read_config()
        self._show_errors(errors)
        if config is not None and config != self.config:
            self.config = config
            self._show_preset()
            self.post_message(self.ConfigChanged(self, config))
        return config

    # --- events ---------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("field-"):
            event.stop()
            self.revalidate()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "preset":
            if event.value is not Select.NULL and event.value in PRESETS:
                self.set_config(PRESETS[event.value])
                self.post_message(self.ConfigChanged(self, self.config))
            return
        self.revalidate()

    def focus_first(self) -> None:
        self.query_one("#field-dataset").focus()

