"""Training speed inside the app versus the headless trainer, on the micrograd demo.

The Train screen trains in a worker process and draws live (loss, accuracy, the decision
boundary, and with Ctrl+T the neuron panel: one heatmap per neuron); issue 12 asks it to keep
at least 85% of the headless trainer's steps per second with those panels visible, the
pictures refreshed every few steps.  This script runs five contenders in the same process, in
a rotating order, and prints steps/s, the ratios, and how often a new picture came:

* the headless trainer;
* the worker process alone (a run sent, trained and sent back, with no app around it);
* the app with its plots (the boundary, the loss and accuracy curves);
* the app with the neuron panel on (Ctrl+T: the boundary and the neuron heatmaps);
* the same in a thread of the app's process (no worker: drawing and training share a GIL).

It then checks that 1,000 points stay interactive: the app trains on 1,000 moons and the
script times how long Ctrl+T (the neuron panel) and Ctrl+R (pause) take to show on screen.

    .venv/bin/python benchmarks/bench_train.py [--repeat 7] [--steps 300] [--size 120x40]

The in-app figure is the screen's own measure of a run (steps done / wall time from the
moment the run's thread starts, sending the trainer to the worker, to the worker's final
state being back), with the app rendering to Textual's headless driver.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import os
import statistics
import tempfile
import time

from engine.train import PRESETS, TrainConfig, Trainer
from engine.train_process import Finished, TrainProcess
from micrograd_tui.app import MicrogradApp
from micrograd_tui.training.neurons import NeuronPanel
from micrograd_tui.training.screen import TrainScreen


@dataclasses.dataclass
class Speed:
    wall: float  # steps per second of wall time
    cpu: float   # steps per second of this process's CPU time (all threads)
    ui: float = 0.0  # CPU ms per step of the threads other than the trainer's (drawing)
    pictures: int = 0  # boundary pictures (and neuron panels) shown while the run went on
    seconds: float = 0.0  # the run's wall time


def headless(config: TrainConfig) -> Speed:
    trainer = Trainer(config)
    start, cpu = time.perf_counter(), time.process_time()
    n = 0
    for _ in trainer.steps():
        n += 1
    return Speed(n / (time.perf_counter() - start), n / (time.process_time() - cpu))


def worker_alone(config: TrainConfig) -> Speed:
    """The worker process with no app around it: the run sent, trained and sent back as the
    app's runs are, its reports only received (the app's peer for what the worker does)."""
    process = TrainProcess()
    process.start()
    time.sleep(0.3)  # started, as the app's worker is by the time of a run
    try:
        trainer = Trainer(config)
        start, cpu = time.perf_counter(), time.process_time()
        run = process.begin(trainer, None)
        while not isinstance(report := run.receive(0.02), Finished):
            pass
        seconds = time.perf_counter() - start
        n = report.state.step_count
        return Speed(n / seconds, n / (time.process_time() - cpu + report.cpu_seconds))
    finally:
        process.close()


def _app() -> MicrogradApp:
    # without building the other screens in the background: that is a cost of the app's
    # first seconds (benchmarks/bench_tui.py times it), not of training, and on a loaded
    # machine it would still be going on during the first runs
    return MicrogradApp(start_mode="train", warm_screens=False)


async def _train_screen(pilot) -> TrainScreen:
    """The Train screen, once it has built its form and first trainer."""
    screen = pilot.app.screen
    assert isinstance(screen, TrainScreen)
    while not screen.built:
        await asyncio.sleep(0.02)
    return screen


async def in_app(config: TrainConfig, size: tuple[int, int], neurons: bool,
                 process: bool = True) -> Speed:
    app = _app()
    async with app.run_test(size=size) as pilot:
        screen = await _train_screen(pilot)
        if not process:
            screen.train_process = None  # train in a thread of the app's process
        elif screen.train_process is not None:
            # the app starts its worker process after the first frame (with the warm-up,
            # off here); a first run without it would also time the worker's start
            screen.train_process.start()
        screen.load_config(config)
        if neurons:
            screen.action_toggle_neurons()  # what ctrl+t does
        await pilot.pause(0.2)
        assert screen.query_one(NeuronPanel).display == neurons
        pictures = _count_pictures(screen, neurons)
        # what ctrl+r does (pilot.press would also wait on every widget while training runs,
        # a cost of the test harness, not of the app)
        screen.action_run_pause()
        while screen.running or screen.step_count < config.steps:
            await asyncio.sleep(0.05)
        await pilot.pause()
        assert screen.last_run_speed is not None and screen.last_run_process_seconds
        # both measured by the training thread from its first step to its last: wall time,
        # and the CPU time of the whole process (the UI thread's drawing included)
        assert screen.last_run_cpu_seconds is not None
        ui = screen.last_run_process_seconds - screen.last_run_cpu_seconds
        return Speed(screen.last_run_speed, config.steps / screen.last_run_process_seconds,
                     1000 * ui / config.steps, len(pictures), screen.last_run_seconds or 0.0)


def _count_pictures(screen: TrainScreen, neurons: bool) -> list[int]:
    """The steps at which a new picture (the boundary, and the neuron panel if on) is shown
    during the run (grows as they come)."""
    seen: list[int] = []
    plot, panel = screen.model_plot, screen.query_one(NeuronPanel)
    show_boundary, show_neurons = plot.show_boundary, panel.show

    def counted_boundary(*args, step=None, **kw):
        if screen.running and not neurons:
            seen.append(step)
        return show_boundary(*args, step=step, **kw)

    def counted_neurons(*args, **kw):
        if screen.running:
            seen.append(screen.step_count)
        return show_neurons(*args, **kw)

    plot.show_boundary = counted_boundary  # instance attributes: the screen's calls find them
    panel.show = counted_neurons
    return seen


# --- 1,000 points: do the keys still answer while the app trains? ---------------------------

BIG = TrainConfig(dataset="moons", n_samples=1000, noise=0.15, test_fraction=0.2,
                  hidden=(16, 16), activation="tanh", loss="bce", l2=1e-4, optimizer="adam",
                  lr=0.05, schedule="cosine", steps=100_000, seed=1)


async def _until(cond, timeout: float = 10.0) -> float:
    """Seconds until ``cond()`` holds (polled every 5 ms; ``timeout`` if it never does)."""
    start = time.perf_counter()
    while not cond():
        if time.perf_counter() - start > timeout:
            return timeout
        await asyncio.sleep(0.005)
    return time.perf_counter() - start


async def big_data(size: tuple[int, int], rounds: int) -> dict[str, list[float]]:
    """While training on 1,000 points: seconds from a key press (posted to the app as the
    driver posts a terminal's key) to the screen showing its effect; steps/s of the runs."""
    app = _app()
    out: dict[str, list[float]] = {"ctrl+t (show)": [], "ctrl+t (pictures)": [],
                                   "ctrl+t (hide)": [], "ctrl+r (pause)": [], "steps/s": []}
    async with app.run_test(size=size) as pilot:
        screen = await _train_screen(pilot)
        panel = screen.query_one(NeuronPanel)
        screen.load_config(BIG)
        await pilot.pause(0.2)
        for _ in range(rounds):
            screen.action_run_pause()
            await asyncio.sleep(1.0)  # well into the run
            before = panel.maps
            app.post_message(_key("ctrl+t"))
            out["ctrl+t (show)"].append(await _until(lambda: panel.display
                                                     and panel.region.width > 0))
            # the pictures of the current weights (the training thread draws them)
            out["ctrl+t (pictures)"].append(await _until(
                lambda: panel.maps is not None and panel.maps is not before))
            await asyncio.sleep(1.0)
            app.post_message(_key("ctrl+t"))
            out["ctrl+t (hide)"].append(await _until(lambda: not panel.display))
            await asyncio.sleep(0.5)
            app.post_message(_key("ctrl+r"))
            out["ctrl+r (pause)"].append(await _until(lambda: not screen.running))
            if screen.last_run_speed:
                out["steps/s"].append(screen.last_run_speed)
            await pilot.pause()
    return out


def _key(key: str):
    from textual import events
    return events.Key(key, None)


# --- the report ------------------------------------------------------------------------------

def main() -> None:
    with tempfile.TemporaryDirectory(prefix="mg-bench-train-") as data:
        os.environ["MICROGRAD_TUI_DATA_DIR"] = data  # the learner's files stay as they are
        run()


def run() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--size", default="120x40", help="terminal size for the app, WxH")
    ap.add_argument("--big-rounds", type=int, default=5,
                    help="key presses of each kind in the 1,000-point test (0: skip it)")
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))
    config = dataclasses.replace(PRESETS["micrograd-demo"], steps=args.steps)
    contenders = {
        "headless trainer": lambda: headless(config),
        "worker, no app": lambda: worker_alone(config),
        "app, plots": lambda: asyncio.run(in_app(config, (w, h), neurons=False)),
        "app, neuron panel": lambda: asyncio.run(in_app(config, (w, h), neurons=True)),
        "app, panel, thread": lambda: asyncio.run(in_app(config, (w, h), neurons=True,
                                                         process=False)),
    }
    names = list(contenders)
    speeds: dict[str, list[Speed]] = {name: [] for name in names}
    headless(dataclasses.replace(config, steps=5))  # warm up
    for i in range(args.repeat):
        # rotate which goes first, so a slow spell of a shared machine hits all alike
        order = names[i % len(names):] + names[:i % len(names)]
        for name in order:
            gc.collect()
            speeds[name].append(contenders[name]())
        hd = speeds[names[0]][-1]
        line = f"run {i + 1}: headless {hd.wall:5.1f}/s"
        for name in names[1:]:
            s = speeds[name][-1]
            line += (f"   {name.removeprefix('app, ')} {s.wall:5.1f}/s ratio {s.wall / hd.wall:.2f}"
                     f" (cpu {s.cpu / hd.cpu:.2f})")
        print(line, flush=True)
    med = statistics.median
    heads = speeds[names[0]]
    print(f"\nmicrograd demo, {args.steps} steps, app at {w}x{h}, median of {args.repeat} "
          "(steps/s; ratio: median of the run-by-run ratios to headless):")
    print(f"  {'':20s}  {'wall':>7s} {'ratio':>6s}   {'per CPU s':>9s} {'ratio':>6s}"
          "   UI process            pictures: a second  steps apart")
    for name in names:
        runs = speeds[name]
        rw = med(a.wall / b.wall for a, b in zip(runs, heads))
        rc = med(a.cpu / b.cpu for a, b in zip(runs, heads))
        print(f"  {name:20s}  {med(s.wall for s in runs):7.1f} {rw:6.2f}   "
              f"{med(s.cpu for s in runs):9.1f} {rc:6.2f}"
              + (f"   {med(s.ui for s in runs):.2f} ms CPU per step"
                 f"   {med(s.pictures / s.seconds for s in runs):9.1f}"
                 f"  {med(args.steps / max(1, s.pictures) for s in runs):11.1f}"
                 if name.startswith("app") else ""))
    alone = speeds["worker, no app"]
    print("  app with its worker / the worker alone (median of the run-by-run ratios): "
          + ", ".join(f"{name.removeprefix('app, ')} "
                      f"{med(a.wall / b.wall for a, b in zip(speeds[name], alone)):.2f}"
                      for name in ("app, plots", "app, neuron panel")))
    print("  (issue 12 asks >= 0.85 with the panels visible.)  The app trains in a worker "
          "process, a fresh interpreter whose small heap makes it a little faster than the "
          "headless trainer inside this big process: 'worker, no app' is that peer.  'thread' trains in a thread of the app's process instead (as without a "
          "worker), where drawing and training share one GIL.  Per CPU second counts the app's "
          "process and the worker; wall time is what a user sees.  UI process: CPU of the "
          "app's own threads (drawing, copying reports) per step.  On a shared machine single "
          "runs vary by 10-20%: use --repeat.")
    if args.big_rounds:
        gc.collect()
        got = asyncio.run(big_data((w, h), args.big_rounds))
        print(f"\n1,000 points (moons, 800 train / 200 test), app at {w}x{h}, training, "
              f"{args.big_rounds} presses of each key (seconds from the key to the screen):")
        for key, what in (("ctrl+t (show)", "the panel is on screen"),
                          ("ctrl+t (pictures)", "... with pictures of the current weights"),
                          ("ctrl+t (hide)", "the panel is gone"),
                          ("ctrl+r (pause)", "the run has stopped (its step finished)")):
            v = got[key]
            print(f"  {key:18s}: median {med(v):.3f} s, worst {max(v):.3f} s   ({what})")
        v = got["steps/s"]
        if v:
            print(f"  steps/s while training (median of the runs): {med(v):.1f}")


if __name__ == "__main__":
    main()
