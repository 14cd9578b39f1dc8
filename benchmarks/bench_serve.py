"""A classroom on this machine: 10 browser tabs on one `micrograd-tui serve`.

    python benchmarks/bench_serve.py [--tabs 10] [--presses 5] [--poll]

Starts `micrograd-tui serve` on a free loopback port and one headless Chromium (Debian's), opens
the tabs one after another and keeps them all open (each keeps its focus, as the window of a
learner's own browser would), then presses keys in every tab at once, as a class would: ctrl+b
(backward) and ctrl+g (zero grad) in turn, each time waiting for the screen to change
(a.grad 138.8338 appears / disappears). Prints, per tab, the time to the first screen, the
median and the worst answer to a key press (from the key sent to the browser to the terminal
output that shows the change), the same per press (the first press of every tab, the second...),
the CPU time the apps, the server and Chromium used meanwhile, and each tab's app process memory
(PSS: shared pages split among the processes that share them, so the figures add up).

The page itself notes when the change arrives (a hook on the terminal's output), so measuring
costs the browser next to nothing; --poll measures as before instead, reading every tab's
screen from here every 20 ms, which costs Chromium CPU on the same two cores (for comparison).

Figures only: nothing here asserts a time. Linux only (memory and CPU time from /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cdp import Browser, find_chromium  # noqa: E402
from serving import Served  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def pss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stats() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds so far) for every process."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    return found


def cpu_seconds(served: Served, browser: Browser) -> dict[str, float]:
    """CPU time used so far by the tabs' apps, the server, and Chromium (all its processes)."""
    stats = _stats()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        children.setdefault(parent, []).append(pid)

    def tree(root: int) -> float:
        todo, total = [root], 0.0
        while todo:
            pid = todo.pop()
            total += stats.get(pid, (0, 0.0))[1]
            todo += children.get(pid, [])
        return total

    server = served.process.pid
    return {"apps": tree(server) - stats.get(server, (0, 0.0))[1],
            "server": stats.get(server, (0, 0.0))[1], "Chromium": tree(browser.process.pid)}


async def polled_answer(page, key: str, text: str, shown: bool, timeout: float = 60) -> float:
    """The benchmark's first way: read the screen every 20 ms until it changes."""
    t0 = time.perf_counter()
    await page.press(key)
    while (text in await page.screen()) != shown:
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"{key}: no answer in {timeout} s")
        await asyncio.sleep(0.02)
    return time.perf_counter() - t0


async def tab_presses(page, presses: int, poll: bool) -> list[float]:
    answer = (lambda *a: polled_answer(page, *a)) if poll else page.answer
    times = []
    for _ in range(presses):
        times.append(await answer("ctrl+b", "138.8338", True))
        times.append(await answer("ctrl+g", "138.8338", False))
    return times


def spent(before: dict[str, float], after: dict[str, float]) -> str:
    return ", ".join(f"{k} {after[k] - before[k]:.1f} s" for k in before)


async def run(tabs: int, presses: int, poll: bool, chromium: str, served: Served) -> None:
    async with Browser(chromium) as browser:
        pages, first = [], []
        cpu_start = cpu_seconds(served, browser)
        for _ in range(tabs):
            page = await browser.new_page()
            t0 = time.perf_counter()
            await page.goto(served.url)
            await page.wait_for("g = 24.7041", timeout=120)
            first.append(time.perf_counter() - t0)
            pages.append(page)
        await asyncio.sleep(1.0)  # let every app settle
        apps = sorted(served.app_processes())
        cpu_opened = cpu_seconds(served, browser)
        t0 = time.perf_counter()
        answers = await asyncio.gather(*(tab_presses(p, presses, poll) for p in pages))
        wall = time.perf_counter() - t0
        cpu_pressed = cpu_seconds(served, browser)
        memory = [pss_mib(pid) for pid in apps]

    how = "the screen read every 20 ms from here" if poll else "the page noting the change"
    print(f"{tabs} tabs, {2 * presses} key presses each, all tabs at once "
          f"({wall:.1f} s in all; measured by {how}); Chromium {chromium}")
    print(f"{'tab':>4} {'first screen':>13} {'median answer':>14} {'worst answer':>13}")
    for i, (f, a) in enumerate(zip(first, answers), 1):
        print(f"{i:>4} {f:>11.2f} s {statistics.median(a):>12.3f} s {max(a):>11.3f} s")
    every = [t for a in answers for t in a]
    print(f"all  {statistics.median(first):>11.2f} s {statistics.median(every):>12.3f} s "
          f"{max(every):>11.3f} s   (median first screen, median and worst answer)")
    print("per press, median/worst over the tabs: " + "  ".join(
        f"#{i + 1} {statistics.median(col):.2f}/{max(col):.2f}"
        for i, col in enumerate(zip(*answers))) + " s")
    print(f"CPU time opening the tabs ({sum(first) + 1:.0f} s): {spent(cpu_start, cpu_opened)}; "
          f"pressing keys ({wall:.1f} s): {spent(cpu_opened, cpu_pressed)}")
    print(f"memory per tab's app process (PSS): median {statistics.median(memory):.0f} MiB, "
          f"max {max(memory):.0f} MiB, {sum(memory):.0f} MiB for {len(memory)} processes; "
          f"the server itself {pss_mib(served.process.pid):.0f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=10)
    parser.add_argument("--presses", type=int, default=5, help="ctrl+b/ctrl+g pairs per tab")
    parser.add_argument("--poll", action="store_true",
                        help="wait for each answer by reading the screen every 20 ms (as before)")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("Chromium not found (apt-get install chromium): nothing measured")
        return 0
    with tempfile.TemporaryDirectory(prefix="mg-bench-serve-") as data:
        served = Served(Path(data))
        try:
            asyncio.run(run(args.tabs, args.presses, args.poll, chromium, served))
        finally:
            if served.process.poll() is None:
                served.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
