"""The GPT screen's training speed against the headless GPT trainer, with training in the
app's worker process and in a thread of the app (as when no worker can start).

The GPT screen draws the loss curve and makes up six names every 25 steps while it trains.
In a thread of the app, that drawing and sampling share one GIL with training; in the worker
process (the default) training has a core of its own and the names are sampled in the app
from the weights the worker reports at those steps.  Three contenders per round, in the same
process, with ``gc.collect()`` between them: headless, the app with its worker, the app
training in a thread.  It prints steps/s (wall), the app process's CPU per step, and the
median of the run-by-run ratios to headless.

    .venv/bin/python benchmarks/bench_gpt_app.py [--rounds 5] [--steps 120] [--size 120x40]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import tempfile
import time

from engine.gpt import GPTTrainer
from micrograd_tui.app import MicrogradApp


def headless(steps: int) -> tuple[float, float]:
    trainer = GPTTrainer()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
        trainer.step()
    return steps / (time.perf_counter() - start), (time.process_time() - cpu) / steps


async def in_app(steps: int, size: tuple[int, int], worker: bool) -> tuple[float, float]:
    app = MicrogradApp(start_mode="gpt", warm_screens=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        if not worker:
            screen.train_process = None
        else:  # started before the run, as the app would have done by the time of a key
            screen.train_process.start()
            await asyncio.sleep(0.3)
        cpu = time.process_time()
        screen._start(steps)  # what ctrl+r does, for a fixed number of steps
        while not screen.gpt_run.running:
            await asyncio.sleep(0.01)
        while screen.gpt_run.running:
            await asyncio.sleep(0.05)
        await pilot.pause()
        assert screen.step_count == steps and screen.speed is not None
        return screen.speed, (time.process_time() - cpu) / steps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=120)
    ap.add_argument("--size", default="120x40", help="terminal size for the app, WxH")
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="mg-bench-gpt-") as data:
        os.environ["MICROGRAD_TUI_DATA_DIR"] = data
        rows: dict[str, list[tuple[float, float]]] = {"headless": [], "app, worker": [],
                                                      "app, thread": []}
        for i in range(args.rounds):
            gc.collect()
            rows["headless"].append(headless(args.steps))
            gc.collect()
            rows["app, worker"].append(asyncio.run(in_app(args.steps, (w, h), True)))
            gc.collect()
            rows["app, thread"].append(asyncio.run(in_app(args.steps, (w, h), False)))
            hd = rows["headless"][-1][0]
            print(f"round {i + 1}: headless {hd:5.1f}/s   worker {rows['app, worker'][-1][0]:5.1f}/s"
                  f"   thread {rows['app, thread'][-1][0]:5.1f}/s", flush=True)
    med = statistics.median
    heads = [s for s, _ in rows["headless"]]
    print(f"\ntiny GPT, {args.steps} steps, app at {w}x{h}, median of {args.rounds} "
          "(ratio: median of the round-by-round ratios to headless):")
    print(f"  {'':12s} {'steps/s':>8s} {'ratio':>6s}   app process CPU per step")
    for name, runs in rows.items():
        ratio = med(s / hd for (s, _), hd in zip(runs, heads))
        print(f"  {name:12s} {med(s for s, _ in runs):8.1f} {ratio:6.2f}   "
              f"{med(c for _, c in runs) * 1000:6.1f} ms")
    print("  (headless: its own CPU per step; the app: its own process's, the worker's not "
          "included.)  On a shared machine single rounds vary by 20% or more.")


if __name__ == "__main__":
    main()
