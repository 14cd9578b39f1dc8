"""A ```train``` block: ``key: value`` lines made into an ``engine.train.TrainConfig``."""

from __future__ import annotations

import dataclasses

from .model import TrainBlock


class SetupError(ValueError):
    """A train block that is not a valid setup; ``line`` is the file line to report."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_TRUE = ("yes", "true", "on", "1")
_FALSE = ("no", "false", "off", "0")


def _coerce(key: str, raw: str, default: object, line: int) -> object:
    """The text of a setting as the type of its default (``hidden`` as parse_hidden reads it)."""
    from engine.train import parse_hidden

    raw = raw.strip()
    if isinstance(default, tuple):
        try:
            return parse_hidden(raw)
        except ValueError as e:
            raise SetupError(line, str(e)) from None
    try:
        if isinstance(default, bool):
            if raw.lower() in _TRUE:
                return True
            if raw.lower() in _FALSE:
                return False
            raise ValueError
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        kind = {bool: "yes or no", int: "a whole number", float: "a number"}[type(default)]
        raise SetupError(line, f"{key}: {kind}, not {raw!r}") from None
    return raw


def build_config(block: TrainBlock):
    """The block's TrainConfig, validated (raises :class:`SetupError` at the line to blame)."""
    from engine.train import TrainConfig, config_from

    # each default's type says how to read that setting's text
    defaults = dataclasses.asdict(TrainConfig())
    lines: dict[str, int] = {}
    preset: str | None = None
    changes: dict[str, object] = {}
    for f in block.fields:
        lines[f.key] = f.line
        if f.key == "preset":
            preset = f.value.strip()
        elif f.key in defaults:
            changes[f.key] = _coerce(f.key, f.value, defaults[f.key], f.line)
        else:
            changes[f.key] = f.value  # config_from names it as an unknown setting
    try:
        return config_from(preset, **changes)
    except ValueError as e:
        message = str(e)
        name = message.split(":", 1)[0].strip()
        raise SetupError(lines.get(name, block.line), f"the setup is not valid: {message}") from None
