"""The Train screen's worker process: a run there is the run a user would get in place,
pause and go on included; a worker that dies or cannot start costs a run at most, never the
app."""

from __future__ import annotations

import dataclasses
import os

from engine.train import TrainConfig, Trainer
from engine.train_process import TrainProcess
from micrograd_tui.gpt.screen import GPTScreen
from micrograd_tui.training.run import RedrawPacer

from pilot_helpers import wait_for  # the folder of this test is on sys.path
from test_train_screen import TrainApp, running

LONG = TrainConfig(dataset="moons", n_samples=60, noise=0.1, test_fraction=0.25, hidden=(6,),
                   activation="tanh", loss="bce", l2=1e-3, optimizer="adam", lr=0.05,
                   schedule="cosine", batch_size=16, steps=100_000, seed=5)


def numbers(events):
    return [dataclasses.astuple(e)[:-1] for e in events]  # everything but the wall time


async def test_a_run_paused_and_resumed_in_the_worker_is_the_headless_run():
    config = dataclasses.replace(LONG, steps=400)
    app = TrainApp(config)
    async with running(app, (100, 32)) as pilot:
        screen = app.screen
        trainer = screen.trainer
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 20)
        assert screen.train_process is not None and screen.train_process.alive
        await pilot.press("ctrl+r")  # pause
        await wait_for(pilot, lambda: not screen.running)
        paused_at = screen.step_count
        assert "paused" in screen.status.plain and 20 <= paused_at < config.steps
        await pilot.press("ctrl+n")  # one step, in the app's own thread
        await wait_for(pilot, lambda: not screen.running and screen.step_count == paused_at + 1)
        await pilot.press("ctrl+r")  # and on to the end, in the worker again
        await wait_for(pilot, lambda: not screen.running and screen.trainer.done, timeout=60)
        assert screen.trainer is trainer
        headless = Trainer(config)
        headless.run()
        assert numbers(trainer.history) == numbers(headless.history)
        assert trainer.weights() == headless.weights()
        assert "done" in screen.status.plain


async def test_a_worker_that_dies_costs_its_run_and_says_so():
    app = TrainApp(LONG)
    async with running(app, (100, 32)) as pilot:
        screen = app.screen
        await pilot.press("ctrl+n", "ctrl+n")  # two steps before the run
        await wait_for(pilot, lambda: not screen.running and screen.step_count == 2)
        before = screen.trainer.weights()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 10)
        screen.train_process._process.kill()
        await wait_for(pilot, lambda: not screen.running)
        assert "failed" in screen.status.plain
        errors = [m for s, m in app.messages if s == "error"]
        assert errors and "ended unexpectedly" in errors[-1] and "back at step 2" in errors[-1]
        t = screen.trainer
        assert t.step_count == 2 and [e.step for e in t.history] == [0, 1]
        assert t.weights() == before
        await pilot.press("ctrl+r")  # a new worker takes the next run
        await wait_for(pilot, lambda: screen.step_count >= 10)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running)
        assert [e.step for e in t.history] == list(range(t.step_count))


async def test_without_a_worker_the_app_trains_in_a_thread_and_says_so(monkeypatch):
    def cannot_start(self):
        raise OSError("[Errno 11] Resource temporarily unavailable")

    monkeypatch.setattr(TrainProcess, "start", cannot_start)
    config = dataclasses.replace(LONG, steps=40)
    app = TrainApp(config)
    async with running(app, (100, 32)) as pilot:
        screen = app.screen
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running and screen.trainer.done)
        warnings = [m for s, m in app.messages if s == "warning"]
        assert warnings and "Resource temporarily unavailable" in warnings[-1]
        assert "own process" in warnings[-1]
        assert screen.train_process is None
        headless = Trainer(config)
        headless.run()
        assert numbers(screen.trainer.history) == numbers(headless.history)


async def test_leaving_the_app_mid_run_ends_the_worker():
    app = TrainApp(LONG)
    async with running(app, (100, 32)) as pilot:
        screen = app.screen
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 5)
        process = screen.train_process._process
        assert process.poll() is None
    # run_test has left the app: the worker is gone (not training on in the background)
    assert process.wait(5) is not None


async def test_on_one_cpu_the_screens_train_in_a_thread(monkeypatch):
    # the worker and the drawing would only take turns on one CPU
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    config = dataclasses.replace(LONG, steps=30)
    app = TrainApp(config)
    async with running(app, (100, 32)) as pilot:
        screen = app.screen
        assert screen.train_process is None
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running and screen.trainer.done)
        assert not [m for s, m in app.messages if s == "warning"]  # nothing to warn about
    assert GPTScreen().train_process is None


def test_a_served_app_draws_less_often_while_its_worker_trains(tmp_path, monkeypatch):
    # a classroom machine's cores are shared by every tab's app and worker
    pacers = []
    for served in (False, True):
        if served:
            monkeypatch.setenv("MICROGRAD_TUI_SANDBOX", str(tmp_path))
        pacer = RedrawPacer()
        pacer.in_process = True
        pacer.view_computed(0.004)
        pacer.update_view_interval(0.006)  # 10 ms a picture
        pacers.append(pacer.view_interval)
    alone, served_interval = pacers
    assert alone <= 0.05 and served_interval >= 0.2
