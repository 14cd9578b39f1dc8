"""The headless ``train`` command: a progress bar, Ctrl+C between steps, the final figures.

Output goes through :mod:`.headless` (``error: ...`` lines, exit codes), as for ``eval``.
"""

from __future__ import annotations

import signal
import threading
import time
from typing import TYPE_CHECKING, Any

from rich.text import Text

from engine import NumericError

from .headless import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, _stdout, print_error

if TYPE_CHECKING:
    from engine.train import StepEvent, TrainConfig

#: TrainConfig field -> the command-line option that sets it (for error messages).
TRAIN_OPTIONS: dict[str, str] = {
    "dataset": "--dataset",
    "n_samples": "--samples",
    "noise": "--noise",
    "test_fraction": "--test-fraction",
    "hidden": "--layers",
    "activation": "--activation",
    "loss": "--loss",
    "l2": "--l2",
    "optimizer": "--optimizer",
    "lr": "--lr",
    "schedule": "--schedule",
    "batch_size": "--batch-size",
    "steps": "--steps",
    "seed": "--seed",
}

#: what else ``option_error`` may blame: the preset is an option, not a setting
_OTHER_OPTIONS = {"preset": "--preset"}


def option_error(err: Exception) -> str:
    """``"lr: must be > 0"`` -> ``"--lr: must be > 0"``: name the option the user typed."""
    text = str(err)
    field, sep, rest = text.partition(":")
    option = TRAIN_OPTIONS.get(field.strip()) or _OTHER_OPTIONS.get(field.strip())
    if sep and option:
        return f"{option}:{rest}"
    return text


class CtrlC:
    """Turns the first Ctrl+C into a request to stop after the current step; a second
    Ctrl+C interrupts at once.  Only the main thread can own signals: elsewhere it does
    nothing and ``KeyboardInterrupt`` is handled by the caller."""

    def __init__(self) -> None:
        self.requested = False
        self._old: Any = None

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self) -> "CtrlC":
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


def _percent(x: float | None) -> str:
    return "n/a" if x is None else f"{100.0 * x:.1f}%"


def describe_config(config: "TrainConfig", sizes: list[int]) -> Text:
    """One line saying what is trained; ``sizes`` are the layer sizes, inputs first."""
    text = Text("training ", style="bold")
    text.append(f"MLP {'-'.join(map(str, sizes))} ({config.activation}) on {config.dataset} "
                f"({config.n_samples} samples), {config.loss} + {config.l2:g}·L2, "
                f"{config.optimizer} lr {config.lr:g} ({config.schedule}), "
                f"{config.steps} steps, seed {config.seed}")
    if config.batch_size:
        text.append(f", batches of {config.batch_size}")
    return text


def run_train(preset: str | None = None, overrides: dict[str, Any] | None = None,
              save: str | None = None) -> int:
    """``micrograd-tui train``: train headless with a progress bar; returns the exit code.

    Ctrl+C stops after the step in progress; the figures of the last finished step are
    printed (and the model saved if ``save`` was given).  ``save`` is checked before the
    first step (:func:`engine.persist.check_save_target`): a missing folder, a folder that
    cannot be written, a device or ``/dev/stdout`` is refused at once, exit code 2.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from engine.train import Trainer, config_from

    # the status line's format, so the app and the command line show a loss alike
    from .training.figures import format_loss

    out = _stdout()
    given = {k: v for k, v in (overrides or {}).items() if v is not None}  # None: not given
    try:
        config = config_from(preset, **given)
        trainer = Trainer(config)
    except ValueError as e:
        print_error(option_error(e))
        return EXIT_USAGE
    if save is not None:
        from engine.persist import FileWriteError, check_save_target

        try:
            check_save_target(save)
        except FileWriteError as e:
            print_error(f"--save: {e}")
            return EXIT_USAGE

    last: StepEvent | None = None
    stopped = False
    failure: str | None = None
    started = time.perf_counter()
    with CtrlC() as ctrl_c:
        out.print(describe_config(config, [trainer.model.nin, *trainer.model.nouts]),
                  soft_wrap=True)
        progress = Progress(
            TextColumn("step"), MofNCompleteColumn(), BarColumn(),
            TextColumn("loss {task.fields[loss]}"), TextColumn("accuracy {task.fields[acc]}"),
            TimeElapsedColumn(), console=out, transient=False,
        )
        try:
            with progress:
                task = progress.add_task("train", total=config.steps, loss="-", acc="-")
                for event in trainer.steps():
                    last = event
                    progress.update(task, completed=event.step + 1, loss=format_loss(event.loss),
                                    acc=_percent(event.accuracy))
                    if ctrl_c.requested:
                        stopped = not trainer.done
                        break
        except KeyboardInterrupt:
            stopped = True
        except NumericError as e:
            failure = str(e)
    elapsed = time.perf_counter() - started

    if stopped:
        out.print(Text(f"stopped by Ctrl+C after {trainer.step_count} of {config.steps} steps",
                       style="yellow"))
    if failure is not None:
        print_error(f"training failed: {failure}")
    if last is not None:
        summary = Text("final ", style="bold")
        summary.append(f"loss {last.loss:.10g}   accuracy {_percent(last.accuracy)}")
        if last.test_loss is not None:
            summary.append(f"   test loss {last.test_loss:.10g}   "
                           f"test accuracy {_percent(last.test_accuracy)}")
        summary.append(f"   ({trainer.step_count} steps, {elapsed:.2f} s)", style="dim")
        out.print(summary, soft_wrap=True)
    if save is not None and last is not None:
        try:
            trainer.save(save)
        except (OSError, ValueError) as e:
            print_error(f"--save: {e}" if str(e).startswith(save) else
                        f"--save: cannot write {save}: {e}")
            return EXIT_FAILED
        out.print(Text(f"saved the model to {save}"), soft_wrap=True)
    if failure is not None:
        return EXIT_FAILED
    return EXIT_INTERRUPTED if stopped else EXIT_OK
