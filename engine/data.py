"""Small seeded data sets to train on, standard library only.

Every generator draws from its own ``random.Random(seed)``, never from the global random
state, so the same name, size, noise and seed always give the same points.  Classification
labels are ``-1.0`` and ``+1.0`` (as in the micrograd demo); ``regression1d`` has real targets.

``noise`` is the standard deviation of the gaussian noise added to each coordinate (to the
target for ``regression1d``); the data sets are scaled to lie roughly within [-2, 2].
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: data set name -> what it is, for menus and help text
DATASETS: dict[str, str] = {
    "micrograd_demo": "The 100 points of the micrograd demo notebook (two moons, noise 0.1); "
                      "the number of samples and the noise are fixed for this one and ignored.",
    "moons": "Two interleaving half circles (like scikit-learn's make_moons).",
    "circles": "A small circle inside a large one (like scikit-learn's make_circles, factor 0.5).",
    "xor": "Points in a square; the label is the sign of x * y (exclusive or of the quadrants).",
    "spiral": "Two spiral arms winding around each other.",
    "blobs": "Two gaussian blobs, centred at (-1, -1) and (1, 1); spread 0.4 + noise.",
    "regression1d": "One input x in [-1, 1]; the target is y = sin(pi * x) plus noise (regression).",
}

#: data set name -> "classification" or "regression"
TASKS: dict[str, str] = {name: ("regression" if name == "regression1d" else "classification")
                         for name in DATASETS}

MIN_SAMPLES = 4
MAX_SAMPLES = 2000
MAX_NOISE = 1.0


@dataclass
class Dataset:
    """Points ``X`` (one list of floats per sample) with targets ``y``.

    For classification ``y`` holds -1.0 / +1.0; ``task`` is "classification" or "regression".
    """

    name: str
    X: list[list[float]]
    y: list[float]
    task: str = "classification"

    @property
    def dim(self) -> int:
        """The number of inputs per sample (0 for an empty data set)."""
        return len(self.X[0]) if self.X else 0

    def __len__(self) -> int:
        return len(self.X)

    def subset(self, indices: list[int], name: str | None = None) -> "Dataset":
        """The samples at ``indices``, in that order."""
        return Dataset(name or self.name, [list(self.X[i]) for i in indices],
                       [self.y[i] for i in indices], self.task)


# --- validation ------------------------------------------------------------------------

def _check_name(name: object) -> str:
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"name: unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
    return name


def _check_int(arg: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{arg}: must be a whole number, not {value!r}")
    return value


def _check_real(arg: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{arg}: must be a number, not {value!r}")
    f = float(value)
    if not math.isfinite(f):
        raise ValueError(f"{arg}: must be a finite number, not {value!r}")
    return f


# --- generators (each takes n, noise, rng and returns X, y) -----------------------------

def _linspace(start: float, stop: float, n: int) -> list[float]:
    if n == 1:
        return [start]
    return [start + (stop - start) * i / (n - 1) for i in range(n)]


#: (inputs, targets) of a generated data set
_Samples = tuple[list[list[float]], list[float]]


def _shuffled(X: list[list[float]], y: list[float], rng: random.Random) -> _Samples:
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


def _moons(n: int, noise: float, rng: random.Random) -> _Samples:
    n_out = n // 2
    n_in = n - n_out
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_out)]
    X += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _linspace(0.0, math.pi, n_in)]
    y = [-1.0] * n_out + [1.0] * n_in
    X = [[a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)] for a, b in X]
    return _shuffled(X, y, rng)


def _circles(n: int, noise: float, rng: random.Random) -> _Samples:
    n_out = n // 2
    n_in = n - n_out
    X = [[math.cos(2 * math.pi * i / n_out), math.sin(2 * math.pi * i / n_out)]
         for i in range(n_out)]
    X += [[0.5 * math.cos(2 * math.pi * i / n_in), 0.5 * math.sin(2 * math.pi * i / n_in)]
          for i in range(n_in)]
    y = [-1.0] * n_out + [1.0] * n_in
    X = [[a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)] for a, b in X]
    return _shuffled(X, y, rng)


def _xor(n: int, noise: float, rng: random.Random) -> _Samples:
    X, y = [], []
    pad = 0.05  # keep clean points off the axes, where the label flips
    for i in range(n):
        label = 1.0 if i % 2 == 0 else -1.0  # balanced classes, in alternate quadrants
        sign = rng.choice((-1.0, 1.0))
        a = rng.uniform(pad, 1.0) * sign
        b = rng.uniform(pad, 1.0) * sign * label
        y.append(label)
        X.append([a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)])
    return X, y


def _spiral(n: int, noise: float, rng: random.Random) -> _Samples:
    X, y = [], []
    half = n // 2
    for arm, (label, count) in enumerate(((1.0, n - half), (-1.0, half))):
        for i in range(count):
            r = i / count
            t = 1.75 * r * 2 * math.pi + arm * math.pi
            X.append([r * math.sin(t) + rng.gauss(0.0, noise), r * math.cos(t) + rng.gauss(0.0, noise)])
            y.append(label)
    return _shuffled(X, y, rng)


def _blobs(n: int, noise: float, rng: random.Random) -> _Samples:
    spread = 0.4 + noise
    X, y = [], []
    for i in range(n):
        label = 1.0 if i % 2 == 0 else -1.0
        X.append([label + rng.gauss(0.0, spread), label + rng.gauss(0.0, spread)])
        y.append(label)
    return X, y


def _regression1d(n: int, noise: float, rng: random.Random) -> _Samples:
    xs = [rng.uniform(-1.0, 1.0) for _ in range(n)]
    return [[x] for x in xs], [math.sin(math.pi * x) + rng.gauss(0.0, noise) for x in xs]


_GENERATORS = {
    "moons": _moons,
    "circles": _circles,
    "xor": _xor,
    "spiral": _spiral,
    "blobs": _blobs,
    "regression1d": _regression1d,
}


@lru_cache(maxsize=1)
def _micrograd_demo_points() -> tuple[tuple[tuple[float, ...], ...], tuple[float, ...]]:
    path = resources.files("engine") / "data" / "micrograd_moons.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    return tuple(tuple(float(v) for v in row) for row in d["X"]), tuple(float(v) for v in d["y"])


def _micrograd_demo() -> tuple[list[list[float]], list[float]]:
    X, y = _micrograd_demo_points()
    return [list(row) for row in X], list(y)


def make_dataset(name: str, n_samples: int = 100, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Generate the data set ``name`` (see :data:`DATASETS`).

    ``n_samples`` in [4, 2000], ``noise`` in [0, 1], ``seed`` any whole number.  A bad
    argument raises ``ValueError`` whose message starts with its name
    (``"n_samples: must be between 4 and 2000"``).  ``micrograd_demo`` always has the
    notebook's 100 points: ``n_samples`` and ``noise`` are ignored (but still checked).
    """
    _check_name(name)
    n_samples = _check_int("n_samples", n_samples)
    if not MIN_SAMPLES <= n_samples <= MAX_SAMPLES:
        raise ValueError(f"n_samples: must be between {MIN_SAMPLES} and {MAX_SAMPLES}, not {n_samples}")
    noise = _check_real("noise", noise)
    if not 0.0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise: must be between 0 and {MAX_NOISE:g}, not {noise:g}")
    seed = _check_int("seed", seed)
    if name == "micrograd_demo":
        X, y = _micrograd_demo()
    else:
        X, y = _GENERATORS[name](n_samples, noise, random.Random(seed))
    return Dataset(name, X, y, TASKS[name])


def split_sizes(n: int, test_fraction: float) -> tuple[int, int]:
    """How :func:`train_test_split` divides ``n`` samples: ``(n_train, n_test)``."""
    if test_fraction <= 0.0:
        return n, 0
    n_test = min(max(1, round(n * test_fraction)), n - 2)
    if n_test < 1:
        raise ValueError(f"test_fraction: {n} samples are too few to split")
    return n - n_test, n_test


def train_test_split(ds: Dataset, test_fraction: float, seed: int = 0) -> tuple[Dataset, Dataset]:
    """Shuffle ``ds`` with ``random.Random(seed)`` and hold out ``test_fraction`` of it.

    ``test_fraction`` is in [0, 0.9]; when it is above 0 the test set has at least one
    sample and the training set at least two.  With 0 the test set is empty and the training
    set has every sample in its original order.
    """
    f = _check_real("test_fraction", test_fraction)
    if not 0.0 <= f <= 0.9:
        raise ValueError(f"test_fraction: must be between 0 and 0.9, not {f:g}")
    seed = _check_int("seed", seed)
    n = len(ds)
    n_test = split_sizes(n, f)[1]
    if n_test == 0:
        return ds.subset(list(range(n))), Dataset(ds.name, [], [], ds.task)
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return ds.subset(sorted(order[n_test:])), ds.subset(sorted(order[:n_test]))
