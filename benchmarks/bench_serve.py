"""A classroom on this machine: 10 browser tabs on one `micrograd-tui serve`.

    python benchmarks/bench_serve.py [--tabs 10] [--presses 5]

Starts `micrograd-tui serve` on a free loopback port and one headless Chromium (Debian's), opens
the tabs one after another and keeps them all open, then presses keys in every tab at once, as
a class would: ctrl+b (backward) and ctrl+g (zero grad) in turn, each time waiting for the
screen to change (a.grad 138.8338 appears / disappears). Prints, per tab, the time to the first
screen, the median and the worst answer to a key press (from the key sent to the browser to
the new text on the browser's terminal), and each tab's app process memory (PSS: shared pages
split among the processes that share them, so the figures add up).

Figures only: nothing here asserts a time. Linux only (memory from /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cdp import Browser, find_chromium  # noqa: E402
from serving import Served  # noqa: E402


def pss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def key_answer(page, key: str, until, timeout: float = 60) -> float:
    t0 = time.perf_counter()
    await page.press(key)
    while not until(await page.screen()):
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"{key}: no answer in {timeout} s")
        await asyncio.sleep(0.02)
    return time.perf_counter() - t0


async def tab_presses(page, presses: int) -> list[float]:
    times = []
    for i in range(presses):
        times.append(await key_answer(page, "ctrl+b", lambda s: "138.8338" in s))
        times.append(await key_answer(page, "ctrl+g", lambda s: "138.8338" not in s))
    return times


async def run(tabs: int, presses: int, chromium: str, served: Served) -> None:
    async with Browser(chromium) as browser:
        pages, first = [], []
        for _ in range(tabs):
            page = await browser.new_page()
            t0 = time.perf_counter()
            await page.goto(served.url)
            await page.wait_for("g = 24.7041", timeout=120)
            first.append(time.perf_counter() - t0)
            pages.append(page)
        await asyncio.sleep(1.0)  # let every app settle
        apps = sorted(served.app_processes())
        t0 = time.perf_counter()
        answers = await asyncio.gather(*(tab_presses(p, presses) for p in pages))
        wall = time.perf_counter() - t0
        memory = [pss_mib(pid) for pid in apps]

    print(f"{tabs} tabs, {2 * presses} key presses each, all tabs at once "
          f"({wall:.1f} s in all); Chromium {chromium}")
    print(f"{'tab':>4} {'first screen':>13} {'median answer':>14} {'worst answer':>13}")
    for i, (f, a) in enumerate(zip(first, answers), 1):
        print(f"{i:>4} {f:>11.2f} s {statistics.median(a):>12.3f} s {max(a):>11.3f} s")
    every = [t for a in answers for t in a]
    print(f"all  {statistics.median(first):>11.2f} s {statistics.median(every):>12.3f} s "
          f"{max(every):>11.3f} s   (median first screen, median and worst answer)")
    print(f"memory per tab's app process (PSS): median {statistics.median(memory):.0f} MiB, "
          f"max {max(memory):.0f} MiB, {sum(memory):.0f} MiB for {len(memory)} processes; "
          f"the server itself {pss_mib(served.process.pid):.0f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=10)
    parser.add_argument("--presses", type=int, default=5, help="ctrl+b/ctrl+g pairs per tab")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("Chromium not found (apt-get install chromium): nothing measured")
        return 0
    with tempfile.TemporaryDirectory(prefix="mg-bench-serve-") as data:
        served = Served(Path(data))
        try:
            asyncio.run(run(args.tabs, args.presses, chromium, served))
        finally:
            if served.process.poll() is None:
                served.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
