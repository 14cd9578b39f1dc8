"""The tiny GPT (engine.gpt): fused nodes against the fine graph, and microgpt's losses.

Both contenders train the same model with the same recipe (seed 42, names.txt), on the
same documents, in one process, alternating in rounds with ``gc.collect()`` in between:

* fine: one node per operation, microgpt's own way (``sum`` of products, ``a * b**-1``);
* fused: a ``dot`` node per dot product and a ``sum`` node per sum (the same bits).

It prints steps/s and µs/step (wall and CPU time), how each step's time splits between
forward, backward and Adam, and the losses at steps 1, 2, 3, 10 and 30 against microgpt's:

    .venv/bin/python benchmarks/bench_gpt.py [--rounds 3] [--steps 5]
"""

from __future__ import annotations

import argparse
import gc
import time
from dataclasses import dataclass, field

from engine.gcpause import paused_gc
from engine.gpt import GPTTrainer

MICROGPT = {1: 3.3659669475848504, 2: 3.4242727838717717, 3: 3.177802125458052,
            10: 3.2228882401182624, 30: 2.26912287647159}


@dataclass
class Times:
    steps: int = 0
    wall: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))
    cpu: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))

    def total(self, kind: str) -> float:
        return sum(getattr(self, kind).values())


PHASES = ("forward", "backward", "adam")


def timed_steps(trainer: GPTTrainer, n: int, times: Times) -> None:
    """``n`` steps of ``trainer.step()``, its three parts timed one by one."""
    clocks = (time.perf_counter, time.process_time)
    for _ in range(n):
        doc = trainer.next_doc()
        lr = trainer.lr
        marks = [(w(), c()) for w, c in [clocks]]
        with paused_gc():
            loss = trainer.forward(doc)
            marks.append((time.perf_counter(), time.process_time()))
            loss.backward()
            del loss
        marks.append((time.perf_counter(), time.process_time()))
        trainer.update(lr)
        trainer.step_count += 1
        marks.append((time.perf_counter(), time.process_time()))
        for phase, (a, b) in zip(PHASES, zip(marks, marks[1:])):
            times.wall[phase] += b[0] - a[0]
            times.cpu[phase] += b[1] - a[1]
        times.steps += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=5, help="steps per contender per round")
    args = ap.parse_args()

    print("losses (fused, seed 42) against microgpt's own run:")
    trainer = GPTTrainer()
    for _ in range(max(MICROGPT)):
        event = trainer.step()
        if event.step in MICROGPT:
            same = "same bits" if event.loss == MICROGPT[event.step] else \
                f"DIFFERS by {event.loss - MICROGPT[event.step]:.3g}"
            print(f"  step {event.step:2d}  {event.loss!r:<20}  microgpt {MICROGPT[event.step]!r:<20}  {same}")

    contenders = {"fine": GPTTrainer(fused=False), "fused": GPTTrainer()}
    times = {name: Times() for name in contenders}
    for _ in range(args.rounds):
        for name, t in contenders.items():
            gc.collect()
            timed_steps(t, args.steps, times[name])
    print(f"\nspeed: {args.rounds} rounds x {args.steps} steps each, alternating "
          f"(the same documents for both)")
    print(f"  {'':6} {'steps/s':>8} {'µs/step':>10} {'steps/s':>8} {'µs/step':>10}   "
          f"{'forward':>8} {'backward':>8} {'adam':>8}  (µs/step, wall)")
    print(f"  {'':6} {'wall':>8} {'wall':>10} {'cpu':>8} {'cpu':>10}")
    for name, tm in times.items():
        w, c = tm.total("wall") / tm.steps, tm.total("cpu") / tm.steps
        parts = "".join(f" {tm.wall[p] / tm.steps * 1e6:8.0f}" for p in PHASES)
        print(f"  {name:6} {1 / w:8.2f} {w * 1e6:10.0f} {1 / c:8.2f} {c * 1e6:10.0f}  {parts}")
    fine, fused = times["fine"], times["fused"]
    print(f"\nfused / fine speed-up: {fine.total('wall') / fused.total('wall') * fused.steps / fine.steps:.2f}x wall, "
          f"{fine.total('cpu') / fused.total('cpu') * fused.steps / fine.steps:.2f}x cpu")
    saved = fine.total("wall") / fine.steps - fused.total("wall") / fused.steps
    for p in PHASES:
        d = (fine.wall[p] / fine.steps - fused.wall[p] / fused.steps)
        ratio = fine.wall[p] / fused.wall[p] if fused.wall[p] else float("inf")
        print(f"  {p:8}: {ratio:5.2f}x faster, {100 * d / saved:5.1f}% of the time saved")


if __name__ == "__main__":
    main()
