"""The GPT screen (F5): it trains microgpt's GPT live, shows samples, saves and loads, opens
one token's graph in the playground, and leaves no thread behind."""

from __future__ import annotations

import asyncio
import threading

from engine.gpt import GPTTrainer
from micrograd_tui.app import MicrogradApp
from micrograd_tui.gpt import screen as screen_module
from micrograd_tui.gpt.screen import GPTScreen
from micrograd_tui.playground.screen import PlaygroundScreen

from pilot_helpers import wait_for  # the folder of this test is on sys.path

# microgpt's own losses at steps 1 and 2 (seed 42, the shipped names)
MICROGPT_STEP_1 = 3.3659669475848504
MICROGPT_STEP_2 = 3.4242727838717717




async def gpt_screen(app, pilot) -> GPTScreen:
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, GPTScreen)
    return screen


async def test_f5_trains_the_gpt_live_and_shows_fresh_names():
    app = MicrogradApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await gpt_screen(app, pilot)
        screen.sample_every = 3
        await pilot.press("ctrl+n")  # one step
        await wait_for(pilot, lambda: not screen.running and screen.step_count == 1)
        assert screen.history.raw == [MICROGPT_STEP_1]
        assert "step 1/1000" in screen.status.plain and "3.3660" in screen.status.plain
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.samples.names)
        await pilot.press("ctrl+r")  # pause
        await wait_for(pilot, lambda: not screen.running)
        assert screen.status.state == "paused"
        n = screen.step_count
        assert n >= 3 and len(screen.history) == n and screen.history.raw[1] == MICROGPT_STEP_2
        assert len(screen.samples.names) == 6
        assert "at step" in str(screen.samples.render())
        await pilot.press("f7")  # reset
        await pilot.pause()
        assert screen.step_count == 0 and len(screen.history) == 0 and not screen.samples.names


async def test_quitting_mid_training_leaves_no_thread_behind(monkeypatch):
    # the thread pool's threads stay (idle) after their work, so watch the work itself:
    # the training function must return once the app has quit
    # (in a worker process, the thread copying its reports must return, and the worker end)
    returned = threading.Event()
    for name in ("run_gpt", "run_gpt_in_process"):
        real = getattr(screen_module, name)

        def watched(*args, real=real, **kwargs):
            try:
                return real(*args, **kwargs)
            finally:
                returned.set()

        monkeypatch.setattr(screen_module, name, watched)
    app = MicrogradApp(start_mode="gpt")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GPTScreen)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.step_count >= 2)
        assert screen.running and not returned.is_set()
        trainer, worker = screen.trainer, screen.gpt_run.worker
        process = screen.train_process._process
        assert process is not None and process.poll() is None  # it trains in the worker
        await pilot.press("ctrl+q")
    assert worker is not None and worker.is_cancelled
    assert await asyncio.to_thread(returned.wait, 15)
    assert process.wait(5) is not None  # the worker process is gone too
    stopped_at = trainer.step_count
    await asyncio.sleep(0.3)
    assert trainer.step_count == stopped_at < 1000


async def test_save_load_and_a_bad_file_refused(tmp_path):
    app = MicrogradApp(start_mode="gpt")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GPTScreen)
        path = screen.query_one("#gpt-path")
        path.value = str(tmp_path / "w.json")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: not screen.running and screen.step_count == 1)
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = GPTTrainer.load(str(tmp_path / "w.json"))
        assert saved.step_count == 1
        await pilot.press("f7")
        await pilot.pause()
        assert screen.step_count == 0
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.step_count == 1
        assert [p.data for p in screen.trainer.model.params] == \
            [p.data for p in saved.model.params]

        bad = tmp_path / "bad.json"
        bad.write_text('{"format": "something else"}')
        path.value = str(bad)
        await pilot.press("ctrl+o")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Could not load the weights" in m and str(bad) in m
                   and "not a GPT saved by micrograd-tui" in m for m in messages)
        assert screen.step_count == 1  # the trained weights stay


async def test_one_tokens_graph_opens_in_the_playground_without_touching_the_trainer():
    app = MicrogradApp(start_mode="gpt")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GPTScreen)
        trainer = screen.trainer
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: app.current_mode == "playground")
        playground = app.screen
        assert isinstance(playground, PlaygroundScreen)
        await wait_for(pilot, lambda: playground.index is not None
                       and len(playground.index) > 10_000)
        index = playground.index
        ops = {node._op for node in index.order}
        assert {"exp", "log", "relu"} <= ops  # attention's softmax is there, node by node
        assert "wte[" in "".join(node.label for node in index.order if not node._prev)
        expected = trainer.token_graph(trainer.next_doc(), 3).data
        assert index.root.data == expected
        assert "GPT" in playground.editor.text
        await pilot.press("ctrl+b")  # backward in the playground...
        await pilot.pause()
        assert any(node.grad != 0.0 for node in index.order if not node._prev)
        # ...reaches a copy: the trainer's next step starts from zero grads
        assert all(p.grad == 0.0 for p in trainer.model.params)
