"""Saving and loading a GPT trainer: weights, Adam's state and where the run stands.

The file is JSON, written atomically (:func:`engine.persist.atomic_write_text`) and read
with a bound (:func:`engine.persist.read_json`).  Every field is checked on loading: a
file that is not ours, of another shape, or with a number that is not finite is refused
with :class:`~engine.persist.ModelFileError` naming the file and the field.  A trainer
saved after step k and loaded goes on exactly as the run would have (same documents in the
same order, same Adam state).
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

from ..persist import ModelFileError, atomic_write_text, read_json
from .docs import MAX_VOCAB, Docs, default_docs
from .model import MATRICES, GPTConfig
from .trainer import GPTTrainConfig, GPTTrainer

__all__ = ["FORMAT", "save_trainer", "load_trainer"]

FORMAT = "micrograd-tui gpt"
VERSION = 1
_MODEL_FIELDS = ("n_embd", "n_head", "n_layer", "block_size")
_TRAIN_FIELDS = ("seed", "lr", "beta1", "beta2", "eps", "decay_steps")


def to_json(trainer: GPTTrainer) -> dict[str, Any]:
    c = trainer.config
    return {
        "format": FORMAT, "version": VERSION,
        "model": {f: getattr(c.model, f) for f in _MODEL_FIELDS},
        "train": {f: getattr(c, f) for f in _TRAIN_FIELDS},
        "vocab": trainer.data.chars,
        "data": trainer.data.source,
        "step": trainer.step_count,
        "weights": {name: [[p.data for p in row] for row in mat]
                    for name, mat in trainer.model.state.items()},
        "adam": {"m": trainer.m, "v": trainer.v},
    }


def save_trainer(trainer: GPTTrainer, path: str | os.PathLike[str]) -> None:
    """Write the trainer to ``path`` atomically (``FileWriteError`` saying why if it cannot)."""
    atomic_write_text(path, json.dumps(to_json(trainer), separators=(",", ":")) + "\n")


class _Reader:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)

    def fail(self, where: str, why: str) -> ModelFileError:
        return ModelFileError(f"{self.path}: {where}: {why}")

    def get(self, obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
        if key not in obj:
            raise self.fail(where, f"the field {key!r} is missing")
        value = obj[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(f"{where}.{key}", f"expected a number, not {value!r}")
        if not isinstance(value, kind):
            raise self.fail(f"{where}.{key}", f"expected {_kind_name(kind)}, not "
                                              f"{type(value).__name__}")
        return value

    def floats(self, values: Any, n: int, where: str) -> list[float]:
        if not isinstance(values, list) or len(values) != n:
            got = f"{len(values)} numbers" if isinstance(values, list) else type(values).__name__
            raise self.fail(where, f"expected a list of {n} numbers, not {got}")
        out = []
        for i, x in enumerate(values):
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                raise self.fail(f"{where}[{i}]", f"expected a finite number, not {x!r}")
            out.append(float(x))
        return out


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {dict: "an object", list: "a list", str: "text", int: "a whole number",
             float: "a number"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def load_trainer(path: str | os.PathLike[str], docs: Docs | None = None) -> GPTTrainer:
    """A trainer from a file written by :func:`save_trainer`.

    ``docs`` are the documents to go on training with; by default the shipped names if the
    vocabulary is theirs, otherwise none (the trainer can sample, not train).
    """
    r = _Reader(path)
    raw = read_json(path, what="GPT")
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ModelFileError(f"{r.path}: not a GPT saved by micrograd-tui (no \"format\": "
                             f"\"{FORMAT}\" field)")
    version = r.get(raw, "version", int, "file")
    if version != VERSION:
        raise r.fail("version", f"this is version {version}; only version {VERSION} can be read")
    model = r.get(raw, "model", dict, "file")
    train = r.get(raw, "train", dict, "file")
    try:
        cfg = GPTTrainConfig(
            model=GPTConfig(**{f: r.get(model, f, int, "model") for f in _MODEL_FIELDS}),
            **{f: r.get(train, f, int if f in ("seed", "decay_steps") else (int, float), "train")
               for f in _TRAIN_FIELDS})
    except ValueError as e:
        if isinstance(e, ModelFileError):
            raise
        raise r.fail("settings", str(e)) from None
    chars = r.get(raw, "vocab", str, "file")
    if not chars or len(set(chars)) != len(chars) or "".join(sorted(chars)) != chars \
            or len(chars) > MAX_VOCAB:
        raise r.fail("vocab", f"expected 1 to {MAX_VOCAB} distinct characters in sorted order")
    source = r.get(raw, "data", str, "file")
    step = r.get(raw, "step", int, "file")
    if not 0 <= step <= cfg.decay_steps:
        raise r.fail("step", f"expected 0 to {cfg.decay_steps}, not {step}")

    if docs is None:
        default = default_docs()
        docs = default if default.chars == chars else Docs((), chars, source)
    elif docs.chars != chars:
        raise ModelFileError(f"{r.path}: the model knows the characters {chars!r}; "
                             f"{docs.source} has {docs.chars!r}")
    trainer = GPTTrainer(cfg, docs)
    weights = r.get(raw, "weights", dict, "file")
    shapes = MATRICES(cfg.model, docs.vocab_size)
    extra = set(weights) - {name for name, _, _ in shapes}
    if extra:
        raise r.fail("weights", f"unknown matrices {', '.join(sorted(extra))}")
    for name, rows, cols in shapes:
        mat = r.get(weights, name, list, "weights")
        if len(mat) != rows:
            raise r.fail(f"weights.{name}", f"expected {rows} rows, not {len(mat)}")
        for i, (row, params) in enumerate(zip(mat, trainer.model.state[name])):
            for p, x in zip(params, r.floats(row, cols, f"weights.{name}[{i}]")):
                p.data = x
    adam = r.get(raw, "adam", dict, "file")
    n = len(trainer.model.params)
    trainer.m = r.floats(r.get(adam, "m", list, "adam"), n, "adam.m")
    trainer.v = r.floats(r.get(adam, "v", list, "adam"), n, "adam.v")
    if any(x < 0.0 for x in trainer.v):
        raise r.fail("adam.v", "a running mean of squares cannot be negative")
    trainer.step_count = step
    return trainer
