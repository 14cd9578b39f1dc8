"""The GPT screen trains in a worker process: the run the user sees is the headless one
(losses, weights, the names sampled at each sampling step), and a worker that dies undoes
its run, curve included."""

from __future__ import annotations

import random

from engine.gpt import GPTTrainer
from micrograd_tui.app import MicrogradApp
from micrograd_tui.gpt.run import SAMPLE_COUNT
from micrograd_tui.gpt.screen import GPTScreen

from pilot_helpers import wait_for  # the folder of this test is on sys.path


async def test_a_run_in_the_worker_is_the_headless_run_names_included():
    app = MicrogradApp(start_mode="gpt")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GPTScreen)
        screen.sample_every = 4
        shown: list[tuple[int, list[str]]] = []
        show_names = screen.samples.show_names

        def recorded(step: int, names: list[str]) -> None:
            shown.append((step, list(names)))
            show_names(step, names)

        screen.samples.show_names = recorded
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 9)
        assert screen.train_process is not None and screen.train_process.alive
        await pilot.press("ctrl+r")  # pause
        await wait_for(pilot, lambda: not screen.running)
        await pilot.press("ctrl+r")  # and on, in the worker again
        await wait_for(pilot, lambda: screen.step_count >= 14)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running)
        n = screen.step_count
        headless = GPTTrainer()
        losses, names = [], {}
        for _ in range(n):
            losses.append(headless.step().loss)
            if headless.step_count % 4 == 0:
                names[headless.step_count] = headless.sample(
                    SAMPLE_COUNT, rng=random.Random(headless.step_count))
        assert screen.history.raw == losses
        assert screen.trainer.weights() == headless.weights()
        assert screen.trainer.m == headless.m and screen.trainer.v == headless.v
        assert [step for step, _ in shown] == sorted(names)
        assert all(got == names[step] for step, got in shown)


async def test_a_worker_that_dies_undoes_its_run_and_says_so():
    app = MicrogradApp(start_mode="gpt")
    messages: list[tuple[str, str]] = []
    notify = app.notify
    app.notify = lambda message, **kw: (messages.append((kw.get("severity"), message)),
                                        notify(message, **kw))[1]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+n", "ctrl+n")  # two steps, in the thread
        await wait_for(pilot, lambda: not screen.running and screen.step_count == 2)
        before = (screen.trainer.weights(), list(screen.history.raw))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 5)
        screen.train_process._process.kill()
        await wait_for(pilot, lambda: not screen.running)
        errors = [m for s, m in messages if s == "error"]
        assert errors and "ended unexpectedly" in errors[-1] and "back at step 2" in errors[-1]
        assert screen.step_count == 2 and screen.status.state == "failed"
        assert (screen.trainer.weights(), screen.history.raw) == before
        await pilot.press("ctrl+r")  # a new worker takes the next run
        await wait_for(pilot, lambda: screen.step_count >= 4)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not screen.running)
        assert len(screen.history) == screen.step_count
