"""The ``micrograd-tui`` command: the app, or a headless subcommand.

    micrograd-tui [--file PROGRAM] [--lessons DIR]     open the app
    micrograd-tui eval [SOURCE] [--file F] [--dot | --json | --check]
    micrograd-tui train [--preset micrograd-demo] [--lr 0.5] [--steps 200] ...
    micrograd-tui lessons check [DIR]
    micrograd-tui serve [--host 127.0.0.1] [--port 8000] [--lessons DIR]
    micrograd-tui gpt train [--steps N] [--seed S] [--data FILE] [--save F] [--print-every K]
    micrograd-tui gpt sample --load F [--n 20] [--temperature T]

This module only parses arguments and dispatches; the work is in :mod:`.headless` (eval)
and :mod:`.headless_train`, the app in :mod:`.app` (imported only when it is opened, so
headless commands start fast).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn, Sequence

EXAMPLES = """\
examples:
  micrograd-tui                                  open the app on micrograd's README example
  micrograd-tui eval "x = 2.0; y = x * x"        evaluate, back-propagate, print the graph
  micrograd-tui eval --file prog.txt --dot | dot -Tsvg > graph.svg
  micrograd-tui train --preset micrograd-demo    the micrograd demo notebook, headless
  micrograd-tui lessons check                    check the shipped lessons
  micrograd-tui gpt train --steps 30             microgpt's tiny GPT on names, headless
"""


def _layers(text: str) -> tuple[int, ...]:
    """``--layers``: ``16,16``, ``"16 16"``, ``[16,16]``; ``none`` or ``""``: no hidden layer.

    The form is checked here (argparse reports it, like a misspelt number); the sizes
    themselves when the configuration is validated (``error: --layers: ...``)."""
    from engine.train import parse_hidden

    try:
        return parse_hidden(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e).removeprefix("hidden: ")) from None


def _names(d: dict) -> str:
    return ", ".join(d)


class _Parser(argparse.ArgumentParser):
    """argparse, with long values in its messages clipped (``invalid float value: 'xxx…'``)."""

    def error(self, message: str) -> NoReturn:
        from .headless import MAX_QUOTED, clip_quoted

        head, sep, rest = message.partition("unrecognized arguments: ")
        if sep and len(rest) > MAX_QUOTED:
            message = f"{head}{sep}{rest[:MAX_QUOTED - 1]}…"
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {clip_quoted(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    # the engine is light (standard library only): its tables give the choices in --help
    from engine.data import DATASETS
    from engine.losses import LOSSES
    from engine.nn import ACTIVATIONS
    from engine.optim import OPTIMIZERS, SCHEDULES
    from engine.train import PRESETS

    parser = _Parser(
        prog="micrograd-tui",
        description="A terminal playground for backpropagation: a scalar autograd engine, "
                    "a Textual app (playground, training, lessons) and headless commands.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", metavar="FILE",
                        help="a program to load in the playground instead of the README example")
    parser.add_argument("--lessons", metavar="DIR",
                        help="a folder of lessons to use instead of the shipped ones")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ev = sub.add_parser(
        "eval", help="evaluate a program, run backward, print the graph",
        description="Evaluate an expression program, back-propagate from its last assigned "
                    "variable and print the graph (a tree by default). With no program, "
                    "micrograd's README example.")
    ev.add_argument("source", nargs="?", metavar="SOURCE",
                    help="the program; statements on separate lines or separated by ';'")
    ev.add_argument("--file", metavar="FILE", help="read the program from FILE ('-': stdin)")
    fmt = ev.add_mutually_exclusive_group()
    fmt.add_argument("--dot", action="store_const", const="dot", dest="format",
                     help="print Graphviz DOT (pipe it to 'dot -Tsvg')")
    fmt.add_argument("--json", action="store_const", const="json", dest="format",
                     help="print the graph as JSON")
    fmt.add_argument("--check", action="store_const", const="check", dest="format",
                     help="print the gradient check (backward against central differences) "
                          "for every leaf; exit status 1 when a leaf fails")

    tr = sub.add_parser(
        "train", help="train a small network headless",
        description="Train an MLP headless with a progress bar and print the final loss and "
                    "accuracy. Options override the preset (or the defaults). Ctrl+C stops "
                    "after the current step.")
    tr.add_argument("--preset", metavar="NAME", help=f"start from a preset: {_names(PRESETS)}")
    tr.add_argument("--dataset", metavar="NAME",
                    help=f"the data: {_names(DATASETS)}")
    tr.add_argument("--samples", dest="n_samples", type=int, metavar="N",
                    help="number of points to generate")
    tr.add_argument("--noise", type=float, metavar="X", help="noise of the generated data")
    tr.add_argument("--test-fraction", dest="test_fraction", type=float, metavar="X",
                    help="share of the points held out for testing")
    tr.add_argument("--layers", dest="hidden", type=_layers, metavar="16,16",
                    help="hidden layer sizes, e.g. 16,16 ('none': no hidden layer)")
    tr.add_argument("--activation", metavar="NAME", help=f"hidden layers' activation: {_names(ACTIVATIONS)}")
    tr.add_argument("--loss", metavar="NAME", help=f"loss: {_names(LOSSES)}")
    tr.add_argument("--l2", type=float, metavar="X", help="L2 regularization strength")
    tr.add_argument("--optimizer", metavar="NAME", help=f"optimizer: {_names(OPTIMIZERS)}")
    tr.add_argument("--lr", type=float, metavar="X", help="learning rate")
    tr.add_argument("--schedule", metavar="NAME",
                    help=f"learning-rate schedule: {_names(SCHEDULES)}")
    tr.add_argument("--batch-size", dest="batch_size", type=int, metavar="N",
                    help="points per step (0: all of them)")
    tr.add_argument("--steps", type=int, metavar="N", help="number of training steps")
    tr.add_argument("--seed", type=int, metavar="N", help="random seed (data and weights)")
    tr.add_argument("--save", metavar="FILE", help="save the trained model as JSON")

    _add_gpt_parser(sub)

    ls = sub.add_parser("lessons", help="work with lesson files")
    ls_sub = ls.add_subparsers(dest="lessons_command", metavar="COMMAND", required=True)
    check = ls_sub.add_parser("check", help="check lesson files (the shipped ones by default)",
                              description="Check that every lesson parses and every exercise "
                                          "can be solved; exit code 0 when all pass.")
    check.add_argument("dir", nargs="?", metavar="DIR", help="a folder of lessons")

    sv = sub.add_parser(
        "serve", help="serve the app to web browsers (a classroom)",
        description="Serve the app to web browsers: each tab gets its own app and its own "
                    "folder. Binds 127.0.0.1 (this computer only) unless --host says otherwise.")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1; 0.0.0.0: the whole network)")
    sv.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    sv.add_argument("--lessons", metavar="DIR", dest="serve_lessons",
                    help="a folder of lessons instead of the shipped ones")
    return parser


def _add_gpt_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    gpt = sub.add_parser("gpt", help="train or sample the tiny GPT (microgpt's), headless")
    gpt_sub = gpt.add_subparsers(dest="gpt_command", metavar="COMMAND", required=True)
    gt = gpt_sub.add_parser(
        "train", help="train on names (or your own text file), printing the losses",
        description="Train microgpt's GPT with its recipe, one document a step, with a "
                    "progress bar; print the loss (every digit) every K steps and samples at "
                    "the end. Ctrl+C stops after the current step.")
    gt.add_argument("--steps", type=int, default=1000, metavar="N", help="training steps (1000)")
    gt.add_argument("--seed", type=int, default=42, metavar="S", help="random seed (42)")
    gt.add_argument("--data", metavar="FILE",
                    help="a UTF-8 text file, one document a line (default: 32,033 names)")
    gt.add_argument("--save", metavar="FILE", help="save the trained model (JSON)")
    gt.add_argument("--print-every", dest="print_every", type=int, default=10, metavar="K",
                    help="print the loss every K steps (10)")
    gs = gpt_sub.add_parser("sample", help="print names sampled from a saved GPT")
    gs.add_argument("--load", metavar="FILE", required=True, help="a file saved by 'gpt train'")
    gs.add_argument("--n", type=int, default=20, metavar="N", help="how many (20)")
    gs.add_argument("--temperature", type=float, default=0.5, metavar="T",
                    help="below 1: safer names, above 1: wilder (0.5)")


def _gpt(args: argparse.Namespace) -> int:
    from .headless_gpt import run_gpt_sample, run_gpt_train

    if args.gpt_command == "train":
        return run_gpt_train(args.steps, args.seed, args.data, args.save, args.print_every)
    return run_gpt_sample(args.load, args.n, args.temperature)


TRAIN_FIELDS = ("dataset", "n_samples", "noise", "test_fraction", "hidden", "activation",
                "loss", "l2", "optimizer", "lr", "schedule", "batch_size", "steps", "seed")


def _error(message: str) -> int:
    from .headless import EXIT_USAGE, print_error

    print_error(message)
    return EXIT_USAGE


def _path(text: str | None) -> str | None:
    """A path from the command line, ``~`` expanded (also in ``--save=~/m.json``, which the
    shell leaves alone), as the app's file fields do."""
    return None if text is None else os.path.expanduser(text)


def _folder_problem(folder: str) -> str | None:
    """Why ``folder`` cannot be a folder of lessons, or None: the same words for
    ``--lessons`` and ``lessons check``."""
    path = Path(folder)
    if path.is_dir():
        return None
    return f"{folder}: " + ("is a file, not a folder of lessons" if path.exists()
                            else "no such folder")


def _open_app(args: argparse.Namespace) -> int:
    source = None
    if args.lessons is not None and (problem := _folder_problem(args.lessons)):
        return _error(f"--lessons: {problem}")
    if args.file is not None:
        from engine.persist import FileReadError

        from .headless import read_program_file

        try:
            source = read_program_file(args.file, stdin=False)
        except FileReadError as e:
            return _error(f"--file: cannot read {e}")
    from .app import MicrogradApp

    app = MicrogradApp(source=source, lessons_dir=args.lessons)
    app.run()
    return app.return_code or 0  # non-zero when the app stopped on an error


def _lessons(args: argparse.Namespace) -> int:
    # "check" is the only lessons command (argparse refuses the others)
    if args.dir is not None and (problem := _folder_problem(args.dir)):
        return _error(problem)
    from .lessonbook.lint import run_check

    return int(run_check(args.dir))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input, 1 failure, 130
    stopped by Ctrl+C).

    Ctrl+C at any moment, even while the first imports load, ends with one line, never a
    traceback.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        # before training started (the engine and rich load in the first half second):
        # training itself handles Ctrl+C and says how many steps ran
        train = _command(argv) == "train"
        line = "stopped by Ctrl+C" + (" before training started" if train else "")
        try:
            print(line, file=sys.stdout if train else sys.stderr, flush=True)
        except (KeyboardInterrupt, OSError):
            pass
        return 130


def _command(argv: list[str]) -> str | None:
    """The subcommand in ``argv`` without parsing it (parsing may be what was interrupted)."""
    words = iter(argv)
    for word in words:
        if word in ("--file", "--lessons"):
            next(words, None)  # the option's value
        elif not word.startswith("-"):
            return word
    return None


def _main(argv: list[str]) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, or argparse's own usage error (exit code 2)
        return e.code if isinstance(e.code, int) else 2
    for name in ("file", "lessons", "save", "dir"):
        if getattr(args, name, None) is not None:
            setattr(args, name, _path(getattr(args, name)))
    try:
        if args.command == "eval" and args.format == "check":
            from .headless_check import run_check

            return run_check(args.source, args.file)
        if args.command == "eval":
            from .headless import run_eval

            return run_eval(args.source, args.file, args.format or "tree")
        if args.command == "train":
            from .headless_train import run_train

            overrides = {f: getattr(args, f) for f in TRAIN_FIELDS}
            return run_train(args.preset, overrides, args.save)
        if args.command == "lessons":
            return _lessons(args)
        if args.command == "serve":
            from .classroom.server import run_server

            if args.serve_lessons is not None and not Path(args.serve_lessons).is_dir():
                return _error(f"--lessons: no such folder: {args.serve_lessons}")
            return run_server(args.host, args.port, args.serve_lessons)
        if args.command == "gpt":
            return _gpt(args)
        return _open_app(args)
    except BrokenPipeError:  # e.g. `micrograd-tui eval --dot | head`
        # Python flushes stdout again at exit: point it at /dev/null so that is quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
