"""The Trainer's columnar path (engine/columnar.py) gives the graph's numbers to the last bit:
whole runs compared for every preset and for every setting, plus the order of operations it
relies on, read from the graph itself."""

import dataclasses
import random

import pytest

import engine.columnar as columnar
from engine.errors import NumericError
from engine.graph import topological_order
from engine.losses import LOSSES
from engine.nn import MLP
from engine.train import PRESETS, TrainConfig, Trainer
from engine.value import NEURON, Value

BASE = TrainConfig(dataset="moons", n_samples=40, noise=0.1, test_fraction=0.25, hidden=(5, 4),
                   activation="tanh", loss="bce", l2=1e-3, optimizer="adam", lr=0.05,
                   schedule="cosine", batch_size=0, steps=6, seed=7)


def run(config, *, columnar_path, model=None, steps=None):
    """Every number a run shows (events but their wall time), the final parameters and their
    last gradients, and how many steps the columnar path did itself."""
    trainer = Trainer(config, columnar=columnar_path)
    if model is not None:
        trainer.model = model()
    done = [0]
    if trainer._columnar is not None:
        step = trainer._columnar.step

        def counting(*args, **kwargs):
            out = step(*args, **kwargs)
            done[0] += out is not None
            return out

        trainer._columnar.step = counting
    events = [dataclasses.astuple(e)[:-1] for e in trainer.steps(steps)]
    params = trainer.model.parameters()
    return events, [p.data for p in params], [p.grad for p in params], done[0]


def assert_same_run(config, *, model=None, steps=None):
    fast = run(config, columnar_path=True, model=model, steps=steps)
    graph = run(config, columnar_path=False, model=model, steps=steps)
    assert fast[3] == len(fast[0]) > 0, "the columnar path declined a step"
    assert fast[0] == graph[0]  # every step's loss, accuracy, lr, test loss and accuracy
    assert fast[1] == graph[1]  # the trained parameters
    assert fast[2] == graph[2]  # and the last step's gradients


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_gives_the_graphs_run_bit_for_bit(name):
    cfg = PRESETS[name]
    assert_same_run(dataclasses.replace(cfg, n_samples=min(cfg.n_samples, 100)), steps=6)


def test_the_micrograd_demo_prints_the_notebooks_losses_to_the_last_digit():
    # micrograd's demo.ipynb prints these at steps 0 and 99 (the graph path gives them too)
    trainer = Trainer(PRESETS["micrograd-demo"])
    events = trainer.run()
    assert (events[0].loss, events[99].loss) == (0.8958441028683222, 0.010978370135492717)
    assert events[99].accuracy == 1.0


@pytest.mark.parametrize("change", [
    {"activation": "relu"}, {"activation": "sigmoid"}, {"activation": "linear"},
    {"loss": "max_margin"}, {"loss": "mse"},
    {"optimizer": "sgd", "schedule": "linear", "lr": 0.3},
    {"optimizer": "momentum", "schedule": "step", "lr": 0.1},
    {"schedule": "constant", "l2": 0.0},
    {"batch_size": 7}, {"batch_size": 1, "loss": "max_margin"}, {"test_fraction": 0.0},
    {"hidden": ()}, {"hidden": (1,)}, {"hidden": (9, 3, 6)}, {"fused": False},
    {"dataset": "regression1d", "loss": "mse", "activation": "relu", "batch_size": 5},
    {"dataset": "blobs", "activation": "relu", "loss": "mse", "l2": 0.5},
])
def test_every_setting_gives_the_graphs_run_bit_for_bit(change):
    assert_same_run(dataclasses.replace(BASE, **change))


@pytest.mark.parametrize("output", ["tanh", "relu", "sigmoid"])
def test_a_loaded_model_with_an_output_activation_trains_the_same(output):
    def model():
        return MLP(2, [4, 1], activation="sigmoid", output_activation=output, fused=True,
                   rng=random.Random(3))

    assert_same_run(dataclasses.replace(BASE, loss="mse"), model=model)


def test_an_overflow_is_the_graphs_error_and_changes_nothing():
    cfg = TrainConfig(dataset="regression1d", n_samples=40, hidden=(8, 8), activation="linear",
                      loss="mse", l2=0.0, optimizer="sgd", lr=500.0, schedule="constant",
                      batch_size=20, steps=500, seed=0)
    errors, states = [], []
    for path in (True, False):
        trainer = Trainer(cfg, columnar=path)
        with pytest.raises(NumericError) as e:
            trainer.run()
        errors.append(str(e.value))
        states.append((trainer.step_count, [dataclasses.astuple(e)[:-1] for e in trainer.history],
                       [p.data for p in trainer.model.parameters()]))
    assert "diverged" in errors[0] and states[0][0] > 1
    assert errors[0] == errors[1] and states[0] == states[1]


def test_a_declined_step_runs_on_the_graph_with_the_same_numbers(monkeypatch):
    # a bound on the inputs' gradients that always trips: every step falls back to the graph
    monkeypatch.setattr(columnar, "_INPUT_GRAD_BOUND", -1.0)
    fast = run(BASE, columnar_path=True)
    graph = run(BASE, columnar_path=False)
    assert fast[3] == 0
    assert fast[:3] == graph[:3]


def test_the_graphs_backward_order_is_the_one_the_columnar_path_follows():
    """backward walks the reversed topological order: read it off a Trainer-like loss graph."""
    rng = random.Random(5)
    model = MLP(2, [3, 4, 1], fused=True, rng=rng)
    xs = [[Value(rng.uniform(-1, 1)), Value(rng.uniform(-1, 1))] for _ in range(5)]
    scores = [model.forward(x)[0] for x in xs]
    loss = LOSSES["max_margin"](scores, [1.0, -1.0, 1.0, 1.0, -1.0], model.parameters(), 1e-3)
    walk = {id(node): i for i, node in enumerate(reversed(topological_order(loss)))}
    params = {id(p) for p in model.parameters()}

    def neurons_of(score):  # (last layer's neuron nodes, layer 1's neuron nodes) of a sample
        hidden2 = [h._prev[0] for h in score._prev[1 + 4:]]  # relu nodes -> neuron nodes
        hidden1 = [h._prev[0] for h in hidden2[0]._prev[1 + 3:]]
        return hidden2, hidden1

    squares = [n for n in topological_order(loss)
               if n._prev and n._prev[0] is n._prev[-1] and id(n._prev[0]) in params]
    assert len(squares) == len(params)
    first_neuron = min(walk[id(s)] for s in scores)
    # the L2 terms come before any sample
    assert all(walk[id(sq)] < first_neuron for sq in squares)
    # the samples come last-first, each one's nodes together
    spans = []
    for s in scores:
        hidden2, hidden1 = neurons_of(s)
        nodes = [s, *hidden2, *hidden1]
        assert all(n._op is NEURON for n in nodes)
        spans.append((min(walk[id(n)] for n in nodes), max(walk[id(n)] for n in nodes)))
    assert all(later[1] < earlier[0] for earlier, later in zip(spans, spans[1:]))
    # within a sample, a layer's neurons come last-first, after the layer above
    hidden2, hidden1 = neurons_of(scores[2])
    assert [walk[id(n)] for n in hidden2] == sorted((walk[id(n)] for n in hidden2), reverse=True)
    assert [walk[id(n)] for n in hidden1] == sorted((walk[id(n)] for n in hidden1), reverse=True)
    assert walk[id(scores[2])] < min(walk[id(n)] for n in hidden2)
    assert max(walk[id(n)] for n in hidden2) < min(walk[id(n)] for n in hidden1)


def test_the_model_holds_the_trained_numbers_for_graph_views():
    trainer = Trainer(BASE)
    trainer.run()
    x = trainer.train_set.X[0]
    # the model of Values (for "open the model's graph") computes what the trainer predicts
    assert trainer.model(x).data == trainer.predict(x)


@pytest.mark.parametrize("width", [0, 1, 2, 3, 4, 5, 8, 9, 12, 13, 19])
def test_mul_add_adds_left_to_right_like_a_plain_loop(width):
    rng = random.Random(width)
    acc = [rng.uniform(-1, 1) for _ in range(6)]
    ws = [rng.uniform(-1e3, 1e3) for _ in range(width)]
    cols = [[rng.uniform(-1e-3, 1e3) for _ in range(6)] for _ in range(width)]
    expected = []
    for i, a in enumerate(acc):
        for w, col in zip(ws, cols):
            a = a + w * col[i]
        expected.append(a)
    assert columnar._mul_add(acc, ws, cols) == expected


def test_an_activation_the_path_does_not_know_trains_on_the_graph(monkeypatch):
    monkeypatch.setattr(columnar, "ACTIVATIONS", ("relu", "linear"))  # as if tanh were new
    fast = run(BASE, columnar_path=True)
    assert fast[3] == 0
    assert fast[:3] == run(BASE, columnar_path=False)[:3]
