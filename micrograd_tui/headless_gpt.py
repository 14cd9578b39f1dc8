"""``micrograd-tui gpt train`` and ``gpt sample``: the tiny GPT (engine.gpt), headless.

Imports rich and the engine only, never Textual (a subprocess test keeps it so).  Losses
are printed with ``repr``: every digit, to compare with microgpt's own run.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from engine import NumericError
from engine.gpt import (DEFAULT_TEMPERATURE, DataFileError, GPTTrainConfig, GPTTrainer,
                        default_docs, load_docs)
from engine.persist import FileWriteError, ModelFileError

from .headless import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, print_error
from .headless_train import CtrlC

__all__ = ["run_gpt_train", "run_gpt_sample", "DEFAULT_STEPS", "DEFAULT_SAMPLES"]

DEFAULT_STEPS = 1000
DEFAULT_SAMPLES = 20
MAX_STEPS = 10 ** 7


def _print_samples(out: Console, names: list[str], temperature: float) -> None:
    out.print(Text(f"samples (temperature {temperature:g}):", style="bold"))
    for i, name in enumerate(names, 1):
        out.print(Text(f"  {i:2d}  {name}"), soft_wrap=True)


def run_gpt_train(steps: int = DEFAULT_STEPS, seed: int = 42, data: str | None = None,
                  save: str | None = None, print_every: int = 10,
                  samples: int = DEFAULT_SAMPLES) -> int:
    """Train microgpt's model for ``steps`` steps with a progress bar; returns the exit code.

    The learning rate decays over ``max(1000, steps)`` steps, so the first 1000 steps are
    microgpt's whatever ``steps`` is.  Ctrl+C stops after the step in progress.
    """
    out = Console(highlight=False)
    if not 1 <= steps <= MAX_STEPS:
        print_error(f"--steps: must be from 1 to {MAX_STEPS}, not {steps}")
        return EXIT_USAGE
    if print_every < 1:
        print_error(f"--print-every: must be at least 1, not {print_every}")
        return EXIT_USAGE
    try:
        docs = default_docs() if data is None else load_docs(data)
        config = GPTTrainConfig(seed=seed, decay_steps=max(DEFAULT_STEPS, steps))
        trainer = GPTTrainer(config, docs)
    except DataFileError as e:
        print_error(f"--data: {e}")
        return EXIT_USAGE
    except ValueError as e:  # "seed: must be ..."
        print_error(f"--{e}")
        return EXIT_USAGE

    m = config.model
    head = Text("training ", style="bold")
    head.append(f"GPT ({m.n_layer} layer, {m.n_head} heads, n_embd {m.n_embd}, block "
                f"{m.block_size}; {len(trainer.model.params)} parameters) on "
                f"{len(docs.docs)} documents from {docs.source} (vocabulary "
                f"{docs.vocab_size}), {steps} steps, seed {seed}")
    out.print(head, soft_wrap=True)
    stopped = False
    failure: str | None = None
    started = time.perf_counter()
    with CtrlC() as ctrl_c:
        progress = Progress(TextColumn("step"), MofNCompleteColumn(), BarColumn(),
                            TextColumn("loss {task.fields[loss]}"), TimeElapsedColumn(),
                            console=out, transient=False)
        try:
            with progress:
                task = progress.add_task("gpt", total=steps, loss="-")
                for _ in range(steps):
                    event = trainer.step()
                    progress.update(task, completed=event.step, loss=f"{event.loss:.4f}")
                    if event.step % print_every == 0 or event.step == 1:
                        progress.console.print(f"step {event.step} loss {event.loss!r}",
                                               highlight=False)
                    if ctrl_c.requested:
                        stopped = event.step < steps
                        break
        except KeyboardInterrupt:
            stopped = True
        except NumericError as e:
            failure = str(e)
    elapsed = time.perf_counter() - started
    done = trainer.step_count
    if stopped:
        out.print(Text(f"stopped by Ctrl+C after {done} of {steps} steps", style="yellow"))
    if failure is not None:
        print_error(f"training failed at step {done + 1}: {failure}")
    if done:
        out.print(Text(f"{done} steps in {elapsed:.2f} s ({done / elapsed:.1f} steps/s)",
                       style="dim"))
    if save is not None and done:
        try:
            trainer.save(save)
        except (FileWriteError, OSError) as e:
            print_error(f"--save: cannot write {save}: {e}")
            return EXIT_FAILED
        out.print(Text(f"saved the model to {save}"), soft_wrap=True)
    if failure is not None:
        return EXIT_FAILED
    if samples and not stopped:
        _print_samples(out, trainer.sample(samples, DEFAULT_TEMPERATURE), DEFAULT_TEMPERATURE)
    return EXIT_INTERRUPTED if stopped else EXIT_OK


def run_gpt_sample(load: str, n: int = DEFAULT_SAMPLES,
                   temperature: float = DEFAULT_TEMPERATURE) -> int:
    """Print ``n`` names sampled from a saved GPT; returns the exit code."""
    out = Console(highlight=False)
    try:
        trainer = GPTTrainer.load(load)
    except ModelFileError as e:
        print_error(f"--load: {e}")
        return EXIT_USAGE
    try:
        names = trainer.sample(n, temperature)
    except ValueError as e:
        print_error(f"--{e}")
        return EXIT_USAGE
    out.print(Text(f"a GPT trained for {trainer.step_count} steps ({load})", style="dim"),
              soft_wrap=True)
    _print_samples(out, names, temperature)
    return EXIT_OK
