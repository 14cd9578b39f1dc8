"""What a training run is: :class:`TrainConfig`, its checks, the presets, and the hidden-layer
syntax (``"16, 16"``).  :class:`engine.train.Trainer` runs one; every front end (the Train
screen, ``micrograd-tui train``, lessons' ``train`` blocks) builds its config here, so they
all refuse the same settings with the same words.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .data import DATASETS, MAX_NOISE, MAX_SAMPLES, MIN_SAMPLES, TASKS, split_sizes
from .losses import LOSS_TASKS, LOSSES
from .nn import ACTIVATIONS
from .optim import OPTIMIZERS, SCHEDULES

__all__ = ["PRESETS", "TrainConfig", "config_from", "parse_hidden", "MAX_LAYERS", "MAX_WIDTH",
           "MAX_STEPS", "MAX_LR", "MAX_L2", "MAX_TEST_FRACTION"]

MAX_LAYERS = 6
MAX_WIDTH = 128
MAX_STEPS = 100_000
MAX_LR = 1000.0
MAX_L2 = 1.0
MAX_TEST_FRACTION = 0.9


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_real(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


@dataclass
class TrainConfig:
    """Everything that defines a training run; the defaults are the micrograd demo."""

    dataset: str = "micrograd_demo"
    n_samples: int = 100
    noise: float = 0.1
    test_fraction: float = 0.0
    hidden: tuple[int, ...] = (16, 16)
    activation: str = "relu"
    loss: str = "max_margin"
    l2: float = 1e-4
    optimizer: str = "sgd"
    lr: float = 1.0
    schedule: str = "linear"
    batch_size: int = 0
    steps: int = 100
    seed: int = 1337
    fused: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.hidden, list):
            self.hidden = tuple(self.hidden)

    @property
    def task(self) -> str:
        """'classification' or 'regression', from the data set."""
        return TASKS.get(self.dataset, "classification")

    @property
    def n_total(self) -> int:
        """The number of samples the data set will have (the demo always has 100)."""
        return 100 if self.dataset == "micrograd_demo" else self.n_samples

    def problems(self) -> list[str]:
        """Every problem with this configuration, each message starting with the field name."""
        out: list[str] = []
        if self.dataset not in DATASETS:
            out.append(f"dataset: unknown data set {self.dataset!r}; choose one of {', '.join(DATASETS)}")
        if not _is_int(self.n_samples) or not MIN_SAMPLES <= self.n_samples <= MAX_SAMPLES:
            out.append(f"n_samples: must be a whole number between {MIN_SAMPLES} and {MAX_SAMPLES}")
        if not _is_real(self.noise) or not 0.0 <= self.noise <= MAX_NOISE:
            out.append(f"noise: must be a number between 0 and {MAX_NOISE:g}")
        if not _is_real(self.test_fraction) or not 0.0 <= self.test_fraction <= MAX_TEST_FRACTION:
            out.append(f"test_fraction: must be a number between 0 and {MAX_TEST_FRACTION:g}")
        hidden = self.hidden
        if not isinstance(hidden, tuple) or not all(_is_int(h) for h in hidden):
            out.append("hidden: must be a list of whole numbers, e.g. 16,16")
        elif len(hidden) > MAX_LAYERS:
            out.append(f"hidden: at most {MAX_LAYERS} hidden layers")
        elif not all(1 <= h <= MAX_WIDTH for h in hidden):
            out.append(f"hidden: each layer needs between 1 and {MAX_WIDTH} neurons")
        if self.activation not in ACTIVATIONS:
            out.append(f"activation: unknown activation {self.activation!r}; "
                       f"choose one of {', '.join(ACTIVATIONS)}")
        if self.loss not in LOSSES:
            out.append(f"loss: unknown loss {self.loss!r}; choose one of {', '.join(LOSSES)}")
        elif self.dataset in DATASETS and self.task not in LOSS_TASKS[self.loss]:
            out.append(f"loss: {self.loss} needs a classification data set; "
                       f"{self.dataset} is a regression task (use mse)")
        if not _is_real(self.l2) or not 0.0 <= self.l2 <= MAX_L2:
            out.append(f"l2: must be a number between 0 and {MAX_L2:g}")
        if self.optimizer not in OPTIMIZERS:
            out.append(f"optimizer: unknown optimizer {self.optimizer!r}; "
                       f"choose one of {', '.join(OPTIMIZERS)}")
        if not _is_real(self.lr) or self.lr <= 0.0:
            out.append("lr: must be > 0" if _is_real(self.lr) else "lr: must be a finite number > 0")
        elif self.lr > MAX_LR:
            out.append(f"lr: must be at most {MAX_LR:g}")
        if self.schedule not in SCHEDULES:
            out.append(f"schedule: unknown schedule {self.schedule!r}; choose one of {', '.join(SCHEDULES)}")
        if not _is_int(self.steps) or not 1 <= self.steps <= MAX_STEPS:
            out.append(f"steps: must be a whole number between 1 and {MAX_STEPS}")
        if not _is_int(self.batch_size) or self.batch_size < 0:
            out.append("batch_size: must be a whole number >= 0 (0 = the full batch)")
        elif self.batch_size and not any(p.startswith(("n_samples", "test_fraction")) for p in out):
            n_train = self._n_train()
            if n_train is not None and self.batch_size > n_train:
                out.append(f"batch_size: must be at most {n_train}, the size of the training set "
                           f"(0 = the full batch)")
        if not _is_int(self.seed) or self.seed < 0:
            out.append("seed: must be a whole number >= 0")
        if not isinstance(self.fused, bool):
            out.append("fused: must be True or False")
        if not out and self._n_train() is None:
            out.append("test_fraction: too few samples to split off a test set")
        return out

    def _n_train(self) -> int | None:
        try:
            return split_sizes(self.n_total, self.test_fraction)[0]
        except ValueError:
            return None

    def validate(self) -> "TrainConfig":
        """Raise ``ValueError`` for the first problem (message starts with the field name)."""
        problems = self.problems()
        if problems:
            raise ValueError(problems[0])
        return self

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TrainConfig":
        """A config from ``to_dict()`` output; unknown keys raise ``ValueError``."""
        _check_settings(d)
        return cls(**d)


def _check_settings(names: Iterable[str], *, also: Sequence[str] = ()) -> None:
    """Raise ``ValueError`` ("lr_max: not a training setting; ...") for a name that is not a
    field of :class:`TrainConfig` (``also``: other names the caller accepts, listed too)."""
    fields = [f.name for f in dataclasses.fields(TrainConfig)]
    unknown = sorted(set(names) - set(fields))
    if unknown:
        raise ValueError(f"{unknown[0]}: not a training setting; the settings are "
                         f"{', '.join([*also, *fields])}")


#: preset name -> configuration
PRESETS: dict[str, TrainConfig] = {
    "micrograd-demo": TrainConfig(),
    "moons-tanh": TrainConfig(dataset="moons", n_samples=200, noise=0.15, test_fraction=0.2,
                              hidden=(16, 16), activation="tanh", loss="bce", l2=1e-4,
                              optimizer="adam", lr=0.05, schedule="cosine", steps=150, seed=1),
    "xor": TrainConfig(dataset="xor", n_samples=200, noise=0.05, test_fraction=0.2, hidden=(8, 8),
                       activation="tanh", loss="bce", l2=0.0, optimizer="adam", lr=0.05,
                       schedule="constant", steps=150, seed=2),
    "circles": TrainConfig(dataset="circles", n_samples=200, noise=0.08, test_fraction=0.2,
                           hidden=(8, 8), activation="relu", loss="max_margin", l2=1e-4,
                           optimizer="momentum", lr=0.05, schedule="linear", steps=150, seed=3),
    "spiral": TrainConfig(dataset="spiral", n_samples=200, noise=0.02, test_fraction=0.0,
                          hidden=(16, 16), activation="tanh", loss="bce", l2=0.0,
                          optimizer="adam", lr=0.05, schedule="cosine", steps=300, seed=4),
    "regression": TrainConfig(dataset="regression1d", n_samples=80, noise=0.1, test_fraction=0.2,
                              hidden=(16, 16), activation="tanh", loss="mse", l2=0.0,
                              optimizer="adam", lr=0.03, schedule="cosine", steps=300, seed=5),
}


def config_from(preset: str | None = None, /, **overrides: Any) -> TrainConfig:
    """A preset (None: the defaults) with some settings changed, validated.

    ``config_from("micrograd-demo", lr=0.5, steps=200)``.  Raises ``ValueError`` whose
    message starts with the setting to blame: ``"preset: unknown preset 'x'; ..."``,
    ``"lr_max: not a training setting; ..."`` or the first of :meth:`TrainConfig.problems`
    (``"lr: must be > 0"``), so a caller can point at the option or line that set it.
    """
    if preset is None:
        base = TrainConfig()
    elif preset in PRESETS:
        base = PRESETS[preset]
    else:
        raise ValueError(f"preset: unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    _check_settings(overrides, also=("preset",))
    return dataclasses.replace(base, **overrides).validate()


_HIDDEN_EXAMPLE = "write layer sizes such as 16,16 (or none)"
_HIDDEN_SEPARATOR = re.compile(r"\s*,\s*|\s+")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def parse_hidden(text: str) -> tuple[int, ...]:
    """Hidden-layer sizes as people write them: ``"16,16"``, ``"16, 16"``, ``"[16, 16]"``,
    ``"(16, 16)"``, ``"16 16"`` -> ``(16, 16)``; ``""``, ``"none"`` or ``"[]"`` -> ``()``
    (no hidden layer).

    Only the form is checked here; whether the sizes are allowed (1 to ``MAX_WIDTH``, at most
    ``MAX_LAYERS``) is :meth:`TrainConfig.problems`'s job, so every front end says the same.
    Raises ``ValueError`` starting with ``"hidden:"`` and saying what is wrong.
    """
    s = text.strip()
    if s.lower() == "none":
        return ()
    for open_, close in ("[]", "()"):
        if s.startswith(open_) != s.endswith(close):
            raise ValueError(f"hidden: {open_!r} and {close!r} do not match in {s!r}; "
                             f"{_HIDDEN_EXAMPLE}")
        if s.startswith(open_):
            s = s[1:-1].strip()
            break
    if not s:
        return ()
    sizes = []
    for part in _HIDDEN_SEPARATOR.split(s):
        if not part:
            raise ValueError(f"hidden: a layer size is missing next to a comma in "
                             f"{text.strip()!r}; {_HIDDEN_EXAMPLE}")
        if not _WHOLE_NUMBER.fullmatch(part):
            raise ValueError(f"hidden: {part!r} is not a whole number; {_HIDDEN_EXAMPLE}")
        sizes.append(int(part))
    return tuple(sizes)
