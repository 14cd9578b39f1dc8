"""The Train screen's form: every setting of a training run, each checked where it is typed.

A field that does not hold a valid value is marked and gets its reason right below it
(Input validators for the type, then ``TrainConfig.validate()`` for the rules between
fields); the form posts :class:`TrainControls.ConfigChanged` only for a complete, valid
configuration, so a bad value can never reach the trainer.

A focused field says, before anything is changed, whether a change keeps the run going
(:data:`LIVE_FIELDS`: from the next step) or starts it over; a field that does not apply to
the chosen data set is disabled with the reason under it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.validation import ValidationResult
from textual.widgets import Input, Label, Select, Static

from engine.train import PRESETS, TrainConfig

from .fields import (FIELD_BY_NAME, FIELDS, LIVE_FIELDS, LIVE_HINT, RESET_HINT, Field,
                     validators_for, disabled_reason, format_number, matching_preset)

__all__ = ["FIELDS", "FIELD_BY_NAME", "Field", "TrainControls", "format_number",
           "matching_preset"]


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
    TrainControls .field-hint {
        display: none;
        color: $text-muted;
        text-style: italic;
        padding-left: 1;
        height: auto;
    }
    TrainControls .field-hint.-shown {
        display: block;
    }
    TrainControls .field-hint.-reset {
        color: $text-warning;
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
                                validators=validators_for(field), tooltip=field.tooltip or None,
                                select_on_focus=False)
            yield Static("", id=f"error-{field.name}", classes="field-error", markup=False)
            yield Static("", id=f"hint-{field.name}", classes="field-hint", markup=False)
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
        self._show_applicable()

    def _show_applicable(self) -> None:
        """Disable the fields the chosen data set does not use, saying why."""
        dataset = self.query_one("#field-dataset", Select).value
        for name in ("n_samples", "noise"):
            reason = disabled_reason(name, str(dataset))
            self.query_one(f"#field-{name}").disabled = reason is not None
            self._show_hint(name, reason or "")

    def _show_hint(self, name: str, text: str, reset: bool = False) -> None:
        hint = self.query_one(f"#hint-{name}", Static)
        hint.update(text)
        hint.set_class(bool(text), "-shown")
        hint.set_class(reset, "-reset")

    def hint_for(self, name: str) -> str:
        """What changing field ``name`` does to a run (or why it is disabled)."""
        reason = disabled_reason(name, str(self.query_one("#field-dataset", Select).value))
        if reason:
            return reason
        return LIVE_HINT if name in LIVE_FIELDS else RESET_HINT

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        name = _field_name(event.widget)
        if name is not None:
            self._show_hint(name, self.hint_for(name), name not in LIVE_FIELDS)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        name = _field_name(event.widget)
        if name is not None:
            self._show_hint(name, disabled_reason(name, str(
                self.query_one("#field-dataset", Select).value)) or "")

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

    def on_mount(self) -> None:
        self._show_applicable()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "field-dataset":
            self._show_applicable()
        if event.select.id == "preset":
            if event.value is not Select.NULL and event.value in PRESETS:
                self.set_config(PRESETS[event.value])
                self.post_message(self.ConfigChanged(self, self.config))
            return
        self.revalidate()

    def focus_first(self) -> None:
        self.query_one("#field-dataset").focus()


def _field_name(widget: object) -> str | None:
    """The setting a form widget edits (None for the preset and the file paths)."""
    wid = getattr(widget, "id", None) or ""
    name = wid.removeprefix("field-")
    return name if wid.startswith("field-") and name in FIELD_BY_NAME else None

