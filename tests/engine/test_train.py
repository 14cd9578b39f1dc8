"""The headless trainer: the micrograd demo to the last digit, determinism, pause/reset,
every data set, files, divergence, and configuration checks."""

import dataclasses
import gc
import math
import random

import pytest

from engine.data import DATASETS
from engine.errors import NumericError
from engine.nn import MLP
from engine.persist import ModelFileError
from engine.train import PRESETS, StepEvent, TrainConfig, Trainer, config_from, parse_hidden

# micrograd's demo notebook prints these (karpathy/micrograd, demo.ipynb)
DEMO_STEP0 = 0.8958441028683222
DEMO_STEP99 = 0.010978370135492717

SMALL = TrainConfig(dataset="moons", n_samples=40, noise=0.1, test_fraction=0.25, hidden=(6, 6),
                    activation="tanh", loss="bce", l2=1e-3, optimizer="adam", lr=0.05,
                    schedule="cosine", batch_size=12, steps=20, seed=11)


def numbers(events):
    return [dataclasses.astuple(e)[:-1] for e in events]  # everything but the wall time


@pytest.fixture(scope="module")
def demo_run():
    trainer = Trainer(PRESETS["micrograd-demo"])
    return trainer, trainer.run()


def test_demo_preset_is_the_default_config():
    assert PRESETS["micrograd-demo"] == TrainConfig()
    cfg = TrainConfig()
    assert (cfg.dataset, cfg.hidden, cfg.loss, cfg.l2, cfg.optimizer, cfg.lr, cfg.schedule,
            cfg.batch_size, cfg.steps, cfg.seed, cfg.fused) == (
        "micrograd_demo", (16, 16), "max_margin", 1e-4, "sgd", 1.0, "linear", 0, 100, 1337, True)


def test_micrograd_demo_reproduces_the_notebook(demo_run):
    trainer, events = demo_run
    assert len(events) == 100 and trainer.done and trainer.step_count == 100
    assert [e.step for e in events] == list(range(100))
    assert abs(events[0].loss - DEMO_STEP0) < 1e-9
    assert abs(events[99].loss - DEMO_STEP99) < 1e-9
    assert events[99].accuracy == 1.0
    assert [e.lr for e in events] == [1.0 - 0.9 * k / 100 for k in range(100)]
    assert all(e.test_loss is None and e.test_accuracy is None for e in events)
    assert all(e.seconds > 0 for e in events)
    # the trained model separates the data: every training point on the right side
    assert all((trainer.predict(x) > 0) == (y > 0) for x, y in zip(trainer.train_set.X, trainer.train_set.y))


def test_demo_model_starts_from_micrograds_weights():
    random.seed(1337)
    reference = MLP(2, [16, 16, 1])  # drawn from the global RNG, as micrograd does
    trainer = Trainer(TrainConfig())
    assert [p.data for p in trainer.model.parameters()] == [p.data for p in reference.parameters()]
    assert trainer.model.fused


def test_fused_and_fine_graphs_give_the_same_numbers():
    # on the graph path (the columnar path is compared with it in test_columnar.py)
    fused = Trainer(TrainConfig(steps=100), columnar=False)
    fine = Trainer(TrainConfig(steps=100, fused=False), columnar=False)
    assert not fine.model.fused
    assert numbers(fused.steps(4)) == numbers(fine.steps(4))
    small = [Trainer(dataclasses.replace(SMALL, fused=f), columnar=False) for f in (True, False)]
    assert numbers(small[0].steps(5)) == numbers(small[1].steps(5))


def test_same_seed_same_run_other_seed_other_run():
    a, b = Trainer(SMALL), Trainer(SMALL)
    assert numbers(a.run()) == numbers(b.run())
    assert [p.data for p in a.model.parameters()] == [p.data for p in b.model.parameters()]
    c = Trainer(dataclasses.replace(SMALL, seed=12))
    assert numbers(c.steps(3)) != numbers(a.history[:3])


def test_training_does_not_touch_the_global_random_state():
    random.seed(3)
    expected = random.random()
    random.seed(3)
    Trainer(SMALL).run()
    assert random.random() == expected


def test_stopping_the_iteration_pauses_and_resuming_continues_the_same_run():
    whole = Trainer(SMALL).run()
    paused = Trainer(SMALL)
    for event in paused.steps():
        if event.step == 2:
            break
    assert paused.step_count == 3 and len(paused.history) == 3 and not paused.done
    assert [e.step for e in paused.steps(4)] == [3, 4, 5, 6]
    rest = list(paused.steps())
    assert paused.done and rest[-1].step == SMALL.steps - 1
    assert list(paused.steps()) == []
    assert numbers(paused.history) == numbers(whole)


def test_run_reports_every_event_and_stops_when_asked():
    trainer = Trainer(SMALL)
    seen = []
    events = trainer.run(on_event=seen.append, should_stop=lambda: len(seen) >= 5)
    assert events == seen == trainer.history and len(events) == 5
    assert trainer.step_count == 5


def test_step_after_the_end_is_refused():
    trainer = Trainer(dataclasses.replace(SMALL, steps=2))
    trainer.run()
    with pytest.raises(RuntimeError, match="finished"):
        trainer.step()


def test_reset_starts_again_from_the_same_weights():
    trainer = Trainer(SMALL)
    initial = [p.data for p in trainer.model.parameters()]
    first = numbers(trainer.steps(6))
    assert [p.data for p in trainer.model.parameters()] != initial
    trainer.reset()
    assert trainer.step_count == 0 and trainer.history == [] and trainer.last is None
    assert [p.data for p in trainer.model.parameters()] == initial
    assert numbers(trainer.steps(6)) == first


def test_test_set_metrics_are_those_of_the_parameters_before_the_update():
    trainer = Trainer(SMALL)
    assert len(trainer.train_set) == 30 and len(trainer.test_set) == 10
    expected = trainer.evaluate(trainer.test_set)
    event = trainer.step()
    assert (event.test_loss, event.test_accuracy) == expected
    assert 0.0 <= event.test_accuracy <= 1.0


def test_full_batch_loss_agrees_with_the_float_evaluation():
    cfg = dataclasses.replace(SMALL, batch_size=0, test_fraction=0.0)
    trainer = Trainer(cfg)
    assert trainer.test_set is None
    loss, acc = trainer.evaluate(trainer.train_set)
    event = trainer.step()
    assert event.loss == loss and event.accuracy == acc


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("fused", [True, False])
def test_predictions_agree_with_the_graph(activation, fused):
    cfg = dataclasses.replace(SMALL, activation=activation, fused=fused, loss="mse")
    trainer = Trainer(cfg)
    list(trainer.steps(3))
    xs, ys = [-1.5, 0.0, 0.75, 2.0], [-1.0, 0.25, 1.5]
    grid = trainer.predict_grid(xs, ys)
    assert len(grid) == len(ys) and all(len(row) == len(xs) for row in grid)
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            graph = trainer.model([x, y]).data
            assert grid[i][j] == graph == trainer.predict([x, y])
    assert trainer.predict_many([[0.1, 0.2], [0.3, -0.4]]) == [trainer.model([0.1, 0.2]).data,
                                                               trainer.model([0.3, -0.4]).data]


def test_prediction_input_size_is_checked():
    trainer = Trainer(SMALL)
    with pytest.raises(ValueError, match="^x: "):
        trainer.predict([1.0])
    regression = Trainer(PRESETS["regression"])
    with pytest.raises(ValueError, match="2 inputs"):
        regression.predict_grid([0.0], [0.0])


def test_regression_has_no_accuracy_and_learns_a_curve():
    trainer = Trainer(dataclasses.replace(PRESETS["regression"], steps=60))
    events = trainer.run()
    assert all(e.accuracy is None and e.test_accuracy is None for e in events)
    assert events[-1].test_loss is not None
    assert events[-1].loss < events[0].loss / 5
    curve = trainer.predict_many([[x / 10] for x in range(-10, 11)])
    assert len(curve) == 21 and all(math.isfinite(v) for v in curve)


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_trains_a_few_steps(name):
    loss = "mse" if name == "regression1d" else "max_margin"
    cfg = TrainConfig(dataset=name, n_samples=30, test_fraction=0.2, hidden=(4,), loss=loss,
                      optimizer="adam", lr=0.05, batch_size=8, steps=4, seed=1)
    trainer = Trainer(cfg)
    events = trainer.run()
    assert len(events) == 4 and trainer.done
    assert all(math.isfinite(e.loss) and math.isfinite(e.test_loss) for e in events)
    assert trainer.train_set.dim == (1 if name == "regression1d" else 2)


def test_every_preset_is_valid():
    for name, cfg in PRESETS.items():
        assert cfg.validate() is cfg, name


def test_xor_preset_learns_xor():
    trainer = Trainer(PRESETS["xor"])
    events = trainer.run()
    assert events[-1].accuracy >= 0.95 and events[-1].test_accuracy >= 0.95


def test_save_then_load_gives_the_same_predictions(tmp_path):
    trainer = Trainer(SMALL)
    list(trainer.steps(5))
    path = tmp_path / "model.json"
    trainer.save(str(path))
    model = Trainer.load_model(str(path))
    other = Trainer(SMALL)
    assert other.predict([0.3, 0.4]) != trainer.predict([0.3, 0.4])
    other.model = model
    xs = [i / 4 for i in range(-8, 9)]
    assert other.predict_grid(xs, xs) == trainer.predict_grid(xs, xs)
    # the loaded model can be trained further
    assert math.isfinite(other.step().loss)


def test_loading_a_bad_file_or_a_mismatched_model_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ModelFileError, match="bad.json"):
        Trainer.load_model(str(bad))
    trainer = Trainer(SMALL)
    with pytest.raises(ValueError, match="^model: .*2 input"):
        trainer.model = MLP(3, [4, 1])


def test_divergence_is_a_numeric_error_and_keeps_the_last_good_model():
    cfg = TrainConfig(dataset="regression1d", n_samples=40, hidden=(8, 8), activation="linear",
                      loss="mse", l2=0.0, optimizer="sgd", lr=500.0, schedule="constant",
                      batch_size=20, steps=500, seed=0)
    trainer = Trainer(cfg)
    with pytest.raises(NumericError, match="diverged") as e:
        trainer.run()
    assert "smaller learning rate" in str(e.value)
    assert 0 < trainer.step_count < 500 and len(trainer.history) == trainer.step_count
    params = [p.data for p in trainer.model.parameters()]
    assert all(math.isfinite(v) for v in params)
    assert gc.isenabled()
    # nothing moved: trying the same step again fails the same way
    with pytest.raises(NumericError) as again:
        trainer.step()
    assert str(again.value) == str(e.value)
    assert [p.data for p in trainer.model.parameters()] == params
    assert math.isfinite(trainer.predict([0.5]))


@pytest.mark.parametrize("columnar", [True, False])
def test_the_cyclic_gc_is_paused_only_during_a_step(columnar):
    trainer = Trainer(SMALL, columnar=columnar)
    states = []
    owner, name = (trainer._columnar, "step") if columnar else (trainer, "_loss_fn")
    real = getattr(owner, name)

    def spy(*args):
        states.append(gc.isenabled())
        return real(*args)

    setattr(owner, name, spy)
    trainer.step()
    assert states == [False] and gc.isenabled()
    gc.disable()
    try:
        trainer.step()
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


@pytest.mark.parametrize("change, field", [
    ({"dataset": "mnist"}, "dataset"),
    ({"n_samples": 3}, "n_samples"),
    ({"n_samples": "many"}, "n_samples"),
    ({"noise": -1.0}, "noise"),
    ({"test_fraction": 0.95}, "test_fraction"),
    ({"hidden": (16, 0)}, "hidden"),
    ({"hidden": (16, "a")}, "hidden"),
    ({"hidden": (4,) * 7}, "hidden"),
    ({"activation": "gelu"}, "activation"),
    ({"loss": "hinge"}, "loss"),
    ({"l2": -0.1}, "l2"),
    ({"optimizer": "rmsprop"}, "optimizer"),
    ({"lr": 0.0}, "lr"),
    ({"lr": float("inf")}, "lr"),
    ({"lr": 5000.0}, "lr"),
    ({"schedule": "wavy"}, "schedule"),
    ({"batch_size": -1}, "batch_size"),
    ({"batch_size": 101}, "batch_size"),
    ({"steps": 0}, "steps"),
    ({"steps": 2.5}, "steps"),
    ({"seed": -1}, "seed"),
    ({"fused": "yes"}, "fused"),
])
def test_validate_names_the_bad_field(change, field):
    cfg = TrainConfig(**change)
    with pytest.raises(ValueError) as e:
        cfg.validate()
    assert str(e.value).startswith(f"{field}: ")
    with pytest.raises(ValueError):
        Trainer(cfg)


def test_validate_messages_a_user_reads():
    with pytest.raises(ValueError, match=r"^lr: must be > 0$"):
        TrainConfig(lr=-1.0).validate()
    with pytest.raises(ValueError, match=r"^loss: max_margin needs a classification data set"):
        TrainConfig(dataset="regression1d").validate()
    with pytest.raises(ValueError, match=r"^loss: bce needs a classification"):
        TrainConfig(dataset="regression1d", loss="bce").validate()
    with pytest.raises(ValueError, match=r"^batch_size: must be at most 80, the size of the training set"):
        TrainConfig(test_fraction=0.2, batch_size=81).validate()
    assert TrainConfig(dataset="regression1d", loss="mse").validate()
    assert TrainConfig(hidden=[8]).hidden == (8,)
    assert TrainConfig(lr=-1, steps=0).problems()[1].startswith("steps: ")


def test_config_round_trips_through_a_dict():
    cfg = PRESETS["moons-tanh"]
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="^colour: "):
        TrainConfig.from_dict({"colour": "red"})


@pytest.mark.parametrize("text, sizes", [
    ("16,16", (16, 16)),
    ("16, 16", (16, 16)),
    ("[16, 16]", (16, 16)),
    ("(8, 4)", (8, 4)),
    ("16 16", (16, 16)),
    (" 8 ,\t4 ", (8, 4)),
    ("32", (32,)),
    ("", ()),
    ("   ", ()),
    ("none", ()),
    ("None", ()),
    ("[]", ()),
])
def test_parse_hidden_reads_layer_sizes_as_people_write_them(text, sizes):
    assert parse_hidden(text) == sizes


@pytest.mark.parametrize("text, says", [
    ("16,x", "'x' is not a whole number"),
    ("1.5", "'1.5' is not a whole number"),
    ("16;16", "'16;16' is not a whole number"),
    ("nope", "'nope' is not a whole number"),
    ("16,,16", "missing"),
    ("16,", "missing"),
    ("[16, 16", "do not match"),
    ("16)", "do not match"),
])
def test_parse_hidden_says_what_is_wrong(text, says):
    with pytest.raises(ValueError) as e:
        parse_hidden(text)
    assert str(e.value).startswith("hidden: ") and says in str(e.value)


def test_parse_hidden_leaves_the_sizes_to_validate():
    # the form is fine; whether the sizes are allowed is one rule, in TrainConfig
    assert parse_hidden("16, 0") == (16, 0) and parse_hidden("-3") == (-3,)
    for text in ("16, 0", "-3", "999"):
        with pytest.raises(ValueError, match="^hidden: each layer needs between 1 and"):
            config_from(None, hidden=parse_hidden(text))


def test_config_from_is_a_preset_with_changes_validated():
    assert config_from() == TrainConfig()
    assert config_from(None, lr=0.5) == TrainConfig(lr=0.5)
    assert config_from("xor", steps=7) == dataclasses.replace(PRESETS["xor"], steps=7)
    assert PRESETS["xor"].steps == 150  # the preset itself is not changed


@pytest.mark.parametrize("preset, changes, message", [
    ("nope", {}, r"^preset: unknown preset 'nope'; choose one of micrograd-demo, "),
    (None, {"learning_rate": 0.1}, r"^learning_rate: not a training setting; the settings are "
                                   r"preset, dataset, "),
    ("micrograd-demo", {"lr": -1.0}, r"^lr: must be > 0$"),
    ("regression", {"loss": "max_margin"}, r"^loss: max_margin needs a classification"),
])
def test_config_from_names_the_setting_to_blame(preset, changes, message):
    with pytest.raises(ValueError, match=message):
        config_from(preset, **changes)


def test_step_events_are_frozen():
    event = StepEvent(0, 1.0, 0.5, 0.1, None, None, 0.01)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.loss = 2.0  # type: ignore[misc]


def test_changing_the_number_of_steps_keeps_the_optimizer_state():
    cfg = TrainConfig(dataset="moons", n_samples=40, hidden=(4,), optimizer="adam", lr=0.05,
                      schedule="linear", steps=10, seed=3)
    trainer = Trainer(cfg)
    for _ in trainer.steps(6):
        pass
    optimizer = trainer.optimizer
    moments = (list(optimizer.m), list(optimizer.v), optimizer.t)
    weights = [p.data for p in trainer.model.parameters()]
    trainer.set_steps(20)
    assert trainer.optimizer is optimizer
    assert (optimizer.m, optimizer.v, optimizer.t) == moments
    assert [p.data for p in trainer.model.parameters()] == weights
    assert trainer.optimizer.lr_at(6) == pytest.approx(0.05 * (1 - 0.9 * 6 / 20))
    assert not trainer.done and len(list(trainer.steps())) == 14
    with pytest.raises(ValueError, match="steps"):
        trainer.set_steps(0)


LIVE = TrainConfig(dataset="moons", n_samples=40, noise=0.1, hidden=(5,), activation="tanh",
                   loss="bce", l2=0.0, optimizer="momentum", lr=0.05, schedule="constant",
                   steps=12, seed=7)


@pytest.mark.parametrize("columnar", [True, False])
def test_live_settings_change_the_next_steps_and_keep_the_run(columnar):
    trainer = Trainer(LIVE, columnar=columnar)
    before = list(trainer.steps(4))
    velocity = list(trainer.optimizer.velocity)
    weights = [p.data for p in trainer.model.parameters()]
    trainer.update(lr=0.2, l2=0.01, schedule="linear")
    assert trainer.step_count == 4 and trainer.history == before
    assert trainer.optimizer.velocity == velocity
    assert [p.data for p in trainer.model.parameters()] == weights
    event = trainer.step()
    assert event.step == 4
    assert event.lr == pytest.approx(0.2 * (1 - 0.9 * 4 / 12))
    # the loss of step 5 includes the new L2 term on the weights before that step
    l2_term = 0.01 * sum(w * w for w in weights)
    unchanged = Trainer(LIVE, columnar=columnar)
    list(unchanged.steps(4))
    assert event.loss == pytest.approx(unchanged.step().loss + l2_term, rel=1e-9)


def test_live_settings_are_the_same_on_both_paths():
    runs = []
    for columnar in (True, False):
        trainer = Trainer(LIVE, columnar=columnar)
        list(trainer.steps(3))
        trainer.update(lr=0.3, l2=1e-3)
        runs.append(numbers(trainer.steps()))
    assert runs[0] == runs[1]


def test_a_live_change_during_a_step_waits_for_the_next_one():
    trainer = Trainer(LIVE)
    list(trainer.steps(2))
    plain_step = trainer._step

    def step_that_is_interrupted():
        trainer.update(lr=0.5)  # as the UI thread would, while the step runs
        return plain_step()

    trainer._step = step_that_is_interrupted
    assert trainer.step().lr == 0.05
    trainer._step = plain_step
    assert trainer.step().lr == 0.5 and trainer.config.lr == 0.5


def test_only_live_settings_change_without_starting_over():
    trainer = Trainer(LIVE)
    with pytest.raises(ValueError, match="^hidden: cannot change during a run"):
        trainer.update(hidden=(3,))
    with pytest.raises(ValueError, match="^lr: must be > 0"):
        trainer.update(lr=-1.0)
    with pytest.raises(ValueError, match="^schedule: unknown schedule"):
        trainer.update(schedule="sometimes")
    assert trainer.config == LIVE
