"""How quickly the app shows up, and how it copes with a graph of 10,000 nodes.

    python benchmarks/bench_tui.py

1. Time to first frame, each in a fresh Python process (imports included): micrograd-tui's
   app (the playground with the README example evaluated) against a minimal Textual app
   (one Static), and the ratio.
2. A program of about 10,000 nodes in the playground (headless, 120x40): evaluating it,
   indexing the graph, showing the tree (first render), opening its root again, a backward
   pass with every visible row updated, and the first step of the step-through.

3. The first switch to Train (F3) against a later one, in a fresh process each time: the
   time until the Train screen has drawn its first frame, and the ratio (the aim: <= 1.5x).
   Then the same for Lessons (F4), timed until the switch is handled. Three ways: with the
   warm-up (the app builds both screens in the background after its first frame; the keys
   pressed 2 s after start, as a learner would), with the keys pressed at once (the warm-up
   not done yet), and with the warm-up off (MICROGRAD_TUI_WARM=0, as classroom sessions).

Figures only: nothing here is a test and nothing asserts a time.  Every app here keeps its files
in a temporary data folder (MICROGRAD_TUI_DATA_DIR): the 10,000-node program must not become
the learner's last program (every later start would evaluate it again), and a learner's own
last program must not change the figures.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_FRAME = r"""
import asyncio, sys, time
t0 = time.perf_counter()
{imports}
async def main():
    app = {make_app}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print(time.perf_counter() - t0)
asyncio.run(main())
"""

MINIMAL = dict(
    imports="from textual.app import App\nfrom textual.widgets import Static\n"
            "class Minimal(App):\n    def compose(self):\n        yield Static('hello')",
    make_app="Minimal()",
)
FULL = dict(imports="from micrograd_tui.app import MicrogradApp", make_app="MicrogradApp()")


def first_frame(kind: dict, repeats: int) -> list[float]:
    code = FIRST_FRAME.format(**kind)
    # the app's warm-up starts after its first frame, and pilot.pause() would wait for it
    env = dict(os.environ, MICROGRAD_TUI_WARM="0")
    times = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=ROOT, check=True, env=env)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return times


SWITCH = r"""
import asyncio, sys, time
from micrograd_tui.app import MicrogradApp
async def main():
    app = MicrogradApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await asyncio.sleep(float(sys.argv[1]))
        out = []
        for key in ("f3", "f2", "f3", "f2", "f4", "f2", "f4"):
            t0 = time.perf_counter()
            await pilot.press(key)
            if key == "f3":  # the time of the screen's first frame after the switch
                screen = app.screen
                while screen.shown_at is None or screen.shown_at < t0 or not screen.built:
                    await asyncio.sleep(0.005)
                out += [screen.shown_at - t0, time.perf_counter() - t0]
            elif key == "f4":  # all of the switch (the lessons load in a thread after it)
                out.append(time.perf_counter() - t0)
        print(*out)
asyncio.run(main())
"""


def switches(repeats: int, settle: float, warm: bool) -> list[float]:
    """Medians, in seconds: [first Train frame, first Train built, later Train frame,
    later Train built, first Lessons switch, later Lessons switch], the keys pressed
    ``settle`` seconds after the first frame, with the warm-up on or off."""
    rows = []
    env = dict(os.environ, MICROGRAD_TUI_WARM="1" if warm else "0")
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", SWITCH, str(settle)], capture_output=True,
                             text=True, cwd=ROOT, check=True, env=env)
        rows.append(list(map(float, out.stdout.strip().splitlines()[-1].split())))
    return [statistics.median(column) for column in zip(*rows)]


def big_program(statements: int = 17, terms: int = 300) -> str:
    """About 600 nodes per statement: ``y = -y + -y + ...`` (a neg and an add per term)."""
    line = "y=" + "+".join(["-y"] * terms)
    return "x = 0.5\ny = x\n" + "\n".join([line] * statements) + "\n"


async def graph_figures() -> dict[str, float]:
    from engine.expr import evaluate
    from micrograd_tui.app import MicrogradApp
    from micrograd_tui.playground.graph_index import GraphIndex

    source = big_program()
    figures: dict[str, float] = {}
    t = time.perf_counter()
    program = evaluate(source)
    figures["evaluate (engine.expr)"] = time.perf_counter() - t
    t = time.perf_counter()
    index = GraphIndex(program.output, program.variables)
    figures["index the graph (GraphIndex)"] = time.perf_counter() - t
    figures["nodes"] = len(index)

    app = MicrogradApp(source="x = 1.0")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        tree = screen.tree
        t = time.perf_counter()
        screen.load_source(source)  # long: evaluated in a worker thread
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.index is not None and len(screen.index) == len(index)
        figures["load, evaluate and show in the app (first render)"] = time.perf_counter() - t
        figures["rows built by the first view"] = len(tree.built_nodes)

        tree.root.collapse()
        await pilot.pause()
        t = time.perf_counter()
        tree.open(tree.root)
        await pilot.pause()
        figures["open the root again (rendered)"] = time.perf_counter() - t

        t = time.perf_counter()
        screen.action_backward()
        figures["backward + update visible rows (action only)"] = time.perf_counter() - t
        await pilot.pause()

        t = time.perf_counter()
        screen.action_step()
        figures["first step of the step-through (action only)"] = time.perf_counter() - t
        await pilot.pause()
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="mg-bench-tui-") as data:
        os.environ["MICROGRAD_TUI_DATA_DIR"] = data  # for this process and its children
        run()


def run() -> None:
    repeats = 3
    print(f"Time to first frame (fresh process, imports included, median of {repeats})")
    minimal = statistics.median(first_frame(MINIMAL, repeats))
    full = statistics.median(first_frame(FULL, repeats))
    print(f"  minimal Textual app      {minimal * 1000:8.0f} ms")
    print(f"  micrograd-tui playground {full * 1000:8.0f} ms   ({full / minimal:.2f}x the minimal app)")
    print()
    repeats = 5
    print(f"Switching to Train (F3) and Lessons (F4), first and later, median of {repeats}")
    print(f"  {'':34} {'Train first':>11} {'later':>7} {'ratio':>6}   {'Lessons first':>13} "
          f"{'later':>7} {'ratio':>6}")
    for label, settle, warm in (("warm-up on, keys 2 s after start", 2.0, True),
                                ("warm-up on, keys at once", 0.0, True),
                                ("warm-up off", 2.0, False)):
        first, _, later, _, lessons_first, lessons_later = switches(repeats, settle, warm)
        print(f"  {label:34} {first * 1000:8.0f} ms {later * 1000:4.0f} ms {first / later:5.2f}x"
              f"   {lessons_first * 1000:10.0f} ms {lessons_later * 1000:4.0f} ms "
              f"{lessons_first / lessons_later:5.2f}x")
    print()
    figures = asyncio.run(graph_figures())
    print(f"A graph of {int(figures.pop('nodes')):,} nodes in the playground (headless, 120x40)")
    rows = int(figures.pop("rows built by the first view"))
    for name, seconds in figures.items():
        print(f"  {name:<52} {seconds * 1000:8.1f} ms")
    print(f"  rows built for the first view: {rows} (children are built on expand)")


if __name__ == "__main__":
    main()
