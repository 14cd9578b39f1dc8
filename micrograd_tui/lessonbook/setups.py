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
    raw = raw.strip()
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
        if isinstance(default, tuple):
            inner = raw.strip("[]() ")
            return tuple(int(p) for p in inner.replace(",", " ").split()) if inner else ()
    except ValueError:
        kind = {bool: "yes or no", int: "a whole number", float: "a number",
                tuple: "whole numbers such as 16, 16"}[type(default)]
        raise SetupError(line, f"{key}: {kind}, not {raw!r}") from None
    return raw


def build_config(block: TrainBlock):
    """The block's TrainConfig, validated (raises :class:`SetupError` at the line to blame)."""
    from engine.train import PRESETS, TrainConfig

    fields = {f.key: f for f in block.fields}
    base = TrainConfig()
    if "preset" in fields:
        f = fields["preset"]
        if f.value not in PRESETS:
            raise SetupError(f.line, f"preset: one of {', '.join(PRESETS)}, not {f.value!r}")
        base = PRESETS[f.value]
    known = {fd.name: fd for fd in dataclasses.fields(TrainConfig)}
    changes: dict[str, object] = {}
    for f in block.fields:
        if f.key == "preset":
            continue
        if f.key not in known:
            raise SetupError(f.line, f"unknown train key {f.key!r} (known: preset, "
                                     f"{', '.join(known)})")
        changes[f.key] = _coerce(f.key, f.value, getattr(base, f.key), f.line)
    config = dataclasses.replace(base, **changes)
    try:
        config.validate()
    except ValueError as e:
        message = str(e)
        name = message.split(":", 1)[0].strip()
        line = fields[name].line if name in fields else block.line
        raise SetupError(line, f"the setup is not valid: {message}") from None
    return config
