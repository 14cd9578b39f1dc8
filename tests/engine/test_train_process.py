"""Training in a worker process: the same numbers as in place (the micrograd demo to the
bit), pause and resume, live settings, divergence, a worker that dies, and a learner's own
``engine.py`` in the current folder."""

import dataclasses
import pickle
import sys
import time

import pytest

from engine.errors import NumericError
from engine.train import PRESETS, TrainConfig, Trainer
import engine.train_process
from engine.train_process import Finished, Progress, TrainProcess

# micrograd's demo notebook prints these (as in test_train.py)
DEMO_STEP0 = 0.8958441028683222
DEMO_STEP99 = 0.010978370135492717
SMALL = TrainConfig(dataset="moons", n_samples=40, noise=0.1, test_fraction=0.25, hidden=(6, 6),
                    activation="tanh", loss="bce", l2=1e-3, optimizer="adam", lr=0.05,
                    schedule="cosine", batch_size=12, steps=20, seed=11)
DEMO = PRESETS["micrograd-demo"]
LONG = TrainConfig(dataset="moons", n_samples=60, hidden=(4,), activation="tanh", loss="bce",
                   l2=0.0, optimizer="adam", lr=0.05, schedule="constant", steps=100_000, seed=3)


@pytest.fixture
def process():
    p = TrainProcess()
    yield p
    p.close()


def numbers(events):
    return [dataclasses.astuple(e)[:-1] for e in events]  # everything but the wall time


def finish(run, trainer=None, on_progress=None, timeout=60.0) -> Finished:
    """Receive a run's reports to its end; copy them into ``trainer`` as the app does."""
    deadline = time.monotonic() + timeout
    while True:
        assert time.monotonic() < deadline, "the worker never finished"
        report = run.receive(0.05)
        if isinstance(report, Finished):
            return report
        if isinstance(report, Progress):
            if trainer is not None:
                trainer.history.extend(report.events)
                trainer.step_count = report.step_count
                trainer.set_weights(report.weights)
            if on_progress is not None:
                on_progress(report)


def test_the_demo_trained_in_the_worker_is_the_notebooks_to_the_bit(process):
    here, there = Trainer(DEMO), Trainer(DEMO)
    here.run()
    reports: list[Progress] = []
    done = finish(process.begin(there, None), there, reports.append)
    assert (done.reason, done.error) == ("done", None)
    # the reports copied into the trainer as they came: every event once, in order (the
    # last ones may come with the final state only)
    assert reports and numbers(there.history) == numbers(here.history)[:len(there.history)]
    there.adopt(done.state)
    assert there.step_count == 100 and there.done
    assert there.history[0].loss == DEMO_STEP0 and there.history[99].loss == DEMO_STEP99
    assert numbers(there.history) == numbers(here.history)
    assert there.weights() == here.weights()
def test_a_paused_run_resumes_where_it_stopped_with_the_same_numbers(process):
    here = Trainer(SMALL)
    here.run()
    there = Trainer(SMALL)
    run = process.begin(there, None, interval=0.0)
    run.stop()  # stops after its first step (or later, if it was quick)
    done = finish(run, there)
    assert done.reason == "paused" and 1 <= done.state.step_count < SMALL.steps
    there.adopt(done.state)
    done = finish(process.begin(there, None), there)
    there.adopt(done.state)
    assert done.reason == "done"
    assert numbers(there.history) == numbers(here.history)
    assert there.weights() == here.weights()


def test_live_settings_apply_from_the_workers_next_step(process):
    there = Trainer(LONG)
    run = process.begin(there, None, interval=0.0)
    applied: list[int] = []

    def on_progress(report: Progress) -> None:
        applied.extend(report.updated_at)
        if report.step_count >= 10 and not hasattr(on_progress, "sent"):
            on_progress.sent = True
            run.update(lr=0.2)
        if applied and report.step_count >= applied[0] + 10:
            run.stop()

    done = finish(run, there, on_progress)
    assert done.reason == "paused" and len(applied) == 1
    history = done.state.history
    assert [e.lr for e in history] == [0.05] * applied[0] + [0.2] * (len(history) - applied[0])
    assert done.state.config.lr == 0.2 and done.state.optimizer.lr == 0.2
    assert applied[0] >= 10


def test_a_diverging_run_reports_the_operation_and_keeps_the_last_good_step(process):
    config = TrainConfig(dataset="regression1d", n_samples=40, hidden=(8, 8),
                         activation="linear", loss="mse", l2=0.0, optimizer="sgd", lr=500.0,
                         schedule="constant", batch_size=20, steps=500, seed=0)
    here = Trainer(config)
    with pytest.raises(NumericError) as raised:
        here.run()
    done = finish(process.begin(Trainer(config), None))
    assert done.reason == "failed"
    assert done.error == str(raised.value) and "diverged" in done.error
    assert done.state.step_count == here.step_count == len(done.state.history)
    assert done.state.weights() == here.weights()
    assert "smaller learning rate" in done.error


def test_a_worker_that_dies_loses_only_its_run_and_the_next_run_starts_a_new_one(process):
    trainer = Trainer(LONG)
    for _ in trainer.steps(3):
        pass
    run = process.begin(trainer, None)
    assert run.receive(10.0) is not None  # it trains
    process._process.kill()
    done = finish(run)
    assert done.reason == "failed"
    assert "ended unexpectedly" in done.error and "back at step 3" in done.error
    assert done.state.step_count == 3 and done.state.weights() == trainer.weights()
    trainer.adopt(done.state)
    done = finish(process.begin(trainer, 2))
    assert (done.reason, done.state.step_count) == ("paused", 5)


def test_a_learners_engine_py_in_the_current_folder_does_not_hide_the_engine(
        process, tmp_path, monkeypatch):
    # micrograd's README has learners write an engine.py; the worker must not import it
    (tmp_path / "engine.py").write_text("raise SystemExit('the learner engine.py ran')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    done = finish(process.begin(Trainer(SMALL), 3))
    assert (done.reason, done.error, done.state.step_count) == ("paused", None, 3)


def test_a_trainer_copies_and_adopts_whole():
    t = Trainer(SMALL)
    for _ in t.steps(4):
        pass
    copy = pickle.loads(pickle.dumps(t))
    for _ in copy.steps(3):
        pass
    copy.update(lr=0.01)  # the copy's lock works
    model = t.model
    t.adopt(copy)
    assert t.step_count == 7 and numbers(t.history) == numbers(copy.history)
    assert t.model is not model and t.weights() == copy.weights()
    assert t.config.lr == 0.01 and t.optimizer.lr == 0.01
    with pytest.raises(ValueError, match="parameters"):
        t.set_weights([1.0])
    # the adopted trainer goes on exactly as the copy would
    ahead = pickle.loads(pickle.dumps(copy))
    t.update(l2=0.5)
    ahead.update(l2=0.5)
    assert numbers(t.steps(3)) == numbers(ahead.steps(3))
    assert t.weights() == ahead.weights()


def test_past_events_stay_here_and_come_back_in_front_of_the_runs(process):
    # a long run's history would cost a second each way: the worker starts with none
    short, long = Trainer(SMALL), Trainer(SMALL)
    for t in (short, long):
        for _ in t.steps(2):
            pass
    long.history = long.history + [long.history[-1]] * 50_000  # as if after 50,000 steps
    sizes = []
    for t in (short, long):
        run = process.begin(t, 3)
        sizes.append(len(run._start_state))
        done = finish(run)
        assert done.state.history[:len(t.history)] == t.history
        assert len(done.state.history) == len(t.history) + 3
        assert [e.step for e in done.state.history[-3:]] == [2, 3, 4]
    assert sizes[0] == sizes[1]


def test_without_an_interpreter_to_start_the_worker_begin_says_so(monkeypatch):
    monkeypatch.setattr(sys, "executable", "")
    process = TrainProcess()
    with pytest.raises(OSError, match="sys.executable is empty"):
        process.begin(Trainer(SMALL), 3)
    monkeypatch.undo()
    done = finish(process.begin(Trainer(SMALL), 3))  # the next begin is not stuck
    assert done.state.step_count == 3
    process.close()


def test_a_worker_that_died_between_runs_is_replaced(process):
    process.start()
    process._process.kill()
    process._process.wait(5)
    done = finish(process.begin(Trainer(SMALL), 3))
    assert (done.reason, done.error, done.state.step_count) == ("paused", None, 3)


def test_what_a_broken_worker_prints_is_quoted_in_the_error_not_on_the_screen(
        process, monkeypatch, capfd):
    # a worker that breaks (here: one that only prints and exits) must not write over a TUI
    monkeypatch.setattr(engine.train_process, "_WORKER_MAIN",
                        "import sys; sys.stderr.write('Traceback...\\nboom: it broke\\n'); "
                        "sys.exit(3)")
    done = finish(process.begin(Trainer(SMALL), 3))
    assert done.reason == "failed"
    assert "ended unexpectedly (exit code 3: boom: it broke)" in done.error
    assert done.state.step_count == 0
    assert "boom" not in capfd.readouterr().err


def test_a_worker_whose_app_is_gone_stops_training_and_exits(process):
    # the app killed (its end of the socket closed with no "quit"): no orphan trains on
    run = process.begin(Trainer(LONG), None)
    assert run.receive(10.0) is not None  # it trains
    worker = process._process
    process._conn.close()
    assert worker.wait(10) == 0


def test_the_gpt_trains_in_the_worker_with_the_same_numbers(process):
    from engine.gpt import GPTTrainer

    here, there = GPTTrainer(), GPTTrainer()
    losses = [here.step().loss for _ in range(5)]
    reports: list[Progress] = []
    done = finish(process.begin(there, 5, interval=10.0, every=2), on_progress=reports.append)
    assert (done.reason, done.error) == ("paused", None)
    # a report at each multiple of 2 (the weights of exactly that step), and the last steps'
    assert [r.step_count for r in reports] == [2, 4, 5]
    assert [e.loss for r in reports for e in r.events] == losses
    there.adopt(done.state)
    assert there.step_count == 5 and there.weights() == here.weights()
    assert (there.m, there.v) == (here.m, here.v)


def test_where_no_worker_can_be_started_begin_raises_an_oserror_that_says_so(monkeypatch):
    def no_pass_fds(*args, **kwargs):  # as subprocess does where pass_fds is not supported
        raise ValueError("pass_fds not supported on this platform")

    monkeypatch.setattr(engine.train_process.subprocess, "Popen", no_pass_fds)
    process = TrainProcess()
    with pytest.raises(OSError, match="cannot start a training worker here: pass_fds"):
        process.begin(Trainer(SMALL), 3)
    assert not process.alive
    monkeypatch.undo()
    done = finish(process.begin(Trainer(SMALL), 3))  # not stuck: the next begin works
    assert done.state.step_count == 3
    process.close()
