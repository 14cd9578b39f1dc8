"""Data sets: seeded, the right shapes, the right geometry, clear errors."""

import json
import math
import random
from pathlib import Path

import pytest

from engine.data import DATASETS, Dataset, make_dataset, split_sizes, train_test_split

CLASSIFICATION = [name for name in DATASETS if name != "regression1d"]
JSON_PATH = Path(__file__).resolve().parents[2] / "engine" / "data" / "micrograd_moons.json"


def test_every_dataset_is_listed_with_a_description():
    assert set(DATASETS) == {"micrograd_demo", "moons", "circles", "xor", "spiral", "blobs",
                             "regression1d"}
    assert all(isinstance(d, str) and d for d in DATASETS.values())
    assert "ignored" in DATASETS["micrograd_demo"]


@pytest.mark.parametrize("name", list(DATASETS))
def test_shapes_labels_and_finite_values(name):
    ds = make_dataset(name, n_samples=60, noise=0.1, seed=3)
    expected_n = 100 if name == "micrograd_demo" else 60
    assert len(ds) == len(ds.y) == expected_n
    assert ds.dim == (1 if name == "regression1d" else 2)
    assert all(len(row) == ds.dim for row in ds.X)
    assert all(math.isfinite(v) and isinstance(v, float) for row in ds.X for v in row)
    if name == "regression1d":
        assert ds.task == "regression"
    else:
        assert ds.task == "classification"
        assert set(ds.y) == {-1.0, 1.0}


@pytest.mark.parametrize("name", CLASSIFICATION[1:])
def test_classes_are_balanced(name):
    ds = make_dataset(name, n_samples=101, seed=1)
    positives = sum(1 for v in ds.y if v > 0)
    assert abs(positives - (101 - positives)) <= 1


@pytest.mark.parametrize("name", [n for n in DATASETS if n != "micrograd_demo"])
def test_same_seed_same_data_other_seed_other_data(name):
    a = make_dataset(name, n_samples=40, noise=0.2, seed=7)
    b = make_dataset(name, n_samples=40, noise=0.2, seed=7)
    c = make_dataset(name, n_samples=40, noise=0.2, seed=8)
    assert (a.X, a.y) == (b.X, b.y)
    assert a.X != c.X


def test_the_global_random_state_is_left_alone():
    random.seed(5)
    expected = random.random()
    random.seed(5)
    for name in DATASETS:
        make_dataset(name, seed=1)
    train_test_split(make_dataset("moons"), 0.3, seed=2)
    assert random.random() == expected


def test_micrograd_demo_is_the_notebook_data_whatever_the_size_and_noise():
    raw = json.loads(JSON_PATH.read_text())
    ds = make_dataset("micrograd_demo", n_samples=10, noise=0.9, seed=99)
    assert ds.X == raw["X"] and ds.y == [float(v) for v in raw["y"]]
    ds.X[0][0] = 123.0  # a caller changing its copy does not change the next one
    assert make_dataset("micrograd_demo").X[0][0] == raw["X"][0][0]


def test_moons_without_noise_lie_on_two_half_circles():
    ds = make_dataset("moons", n_samples=50, noise=0.0, seed=0)
    for (x, y), label in zip(ds.X, ds.y):
        if label < 0:  # upper moon: unit circle around (0, 0)
            assert math.hypot(x, y) == pytest.approx(1.0) and y >= -1e-12
        else:  # lower moon: unit circle around (1, 0.5)
            assert math.hypot(x - 1.0, y - 0.5) == pytest.approx(1.0) and y <= 0.5 + 1e-12


def test_circles_without_noise_have_radius_one_and_one_half():
    ds = make_dataset("circles", n_samples=40, noise=0.0, seed=0)
    for (x, y), label in zip(ds.X, ds.y):
        assert math.hypot(x, y) == pytest.approx(1.0 if label < 0 else 0.5)


def test_xor_label_is_the_sign_of_the_product_without_noise():
    ds = make_dataset("xor", n_samples=200, noise=0.0, seed=0)
    assert all((x * y > 0) == (label > 0) for (x, y), label in zip(ds.X, ds.y))


def test_spiral_arms_start_at_the_centre_and_wind_outwards():
    ds = make_dataset("spiral", n_samples=200, noise=0.0, seed=0)
    radii = sorted(math.hypot(x, y) for x, y in ds.X)
    assert radii[0] == pytest.approx(0.0) and 0.95 < radii[-1] <= 1.0


def test_blobs_are_centred_on_their_labels():
    ds = make_dataset("blobs", n_samples=400, noise=0.1, seed=0)
    for label in (-1.0, 1.0):
        pts = [p for p, v in zip(ds.X, ds.y) if v == label]
        cx = sum(p[0] for p in pts) / len(pts)
        cy = sum(p[1] for p in pts) / len(pts)
        assert abs(cx - label) < 0.15 and abs(cy - label) < 0.15


def test_regression1d_is_a_sine_without_noise():
    ds = make_dataset("regression1d", n_samples=30, noise=0.0, seed=0)
    for (x,), y in zip(ds.X, ds.y):
        assert -1.0 <= x <= 1.0
        assert y == pytest.approx(math.sin(math.pi * x))


@pytest.mark.parametrize("kwargs, field", [
    ({"name": "nope"}, "name"),
    ({"name": 3}, "name"),
    ({"n_samples": 3}, "n_samples"),
    ({"n_samples": 2001}, "n_samples"),
    ({"n_samples": 10.5}, "n_samples"),
    ({"n_samples": True}, "n_samples"),
    ({"noise": -0.1}, "noise"),
    ({"noise": 1.5}, "noise"),
    ({"noise": float("nan")}, "noise"),
    ({"noise": "0.1"}, "noise"),
    ({"seed": 1.5}, "seed"),
    ({"name": "micrograd_demo", "n_samples": 0}, "n_samples"),
])
def test_bad_arguments_are_named(kwargs, field):
    args = {"name": "moons", **kwargs}
    with pytest.raises(ValueError) as e:
        make_dataset(**args)
    assert str(e.value).startswith(f"{field}: ")


def test_n_samples_error_says_the_range():
    with pytest.raises(ValueError, match=r"^n_samples: must be between 4 and 2000"):
        make_dataset("moons", n_samples=1)


def test_train_test_split_partitions_the_data_reproducibly():
    ds = make_dataset("moons", n_samples=50, seed=1)
    train, test = train_test_split(ds, 0.2, seed=4)
    assert (len(train), len(test)) == (40, 10) == split_sizes(50, 0.2)
    pairs = sorted((tuple(x), y) for x, y in zip(train.X + test.X, train.y + test.y))
    assert pairs == sorted((tuple(x), y) for x, y in zip(ds.X, ds.y))
    again = train_test_split(ds, 0.2, seed=4)
    assert (again[0].X, again[1].X) == (train.X, test.X)
    other = train_test_split(ds, 0.2, seed=5)
    assert other[1].X != test.X
    assert train.task == test.task == "classification"


def test_split_keeps_at_least_one_test_and_two_training_samples():
    ds = make_dataset("xor", n_samples=4, seed=1)
    assert [len(s) for s in train_test_split(ds, 0.01, seed=0)] == [3, 1]
    assert [len(s) for s in train_test_split(ds, 0.9, seed=0)] == [2, 2]


def test_split_with_no_test_fraction_keeps_everything_in_order():
    ds = make_dataset("blobs", n_samples=20, seed=1)
    train, test = train_test_split(ds, 0.0, seed=0)
    assert train.X == ds.X and len(test) == 0 and test.dim == 0


@pytest.mark.parametrize("fraction", [-0.1, 0.95, float("inf"), "half"])
def test_split_refuses_bad_fractions(fraction):
    with pytest.raises(ValueError, match=r"^test_fraction: "):
        train_test_split(make_dataset("moons"), fraction, seed=0)


def test_dataset_is_a_plain_dataclass():
    ds = Dataset("mine", [[1.0, 2.0], [3.0, 4.0]], [1.0, -1.0], "classification")
    assert ds.dim == 2 and len(ds) == 2
