"""The slowest programs the expression language accepts: worst cases within its limits.

    .venv/bin/python benchmarks/bench_expr_limits.py [--repeat 5]

The limits (``engine.expr``'s ``MAX_*``: 20,000 characters, 500 statements, 64 levels of
brackets, 1,000 tokens in one statement, 100 characters in one number, 200,000 graph nodes)
bound how much work a program can ask for; this script builds the heaviest programs it knows
that still fit, and times for each:

* ``ast.parse``   Python's parser alone, on the same text (the bulk of reading);
* ``read``        :func:`engine.expr.parse`: the raw scan, ``ast.parse`` and the allow-list;
* ``evaluate``    :func:`engine.expr.evaluate`: reading again, then building the graph;
* ``backward``    ``Program.backward()`` on that graph;

each as wall time and CPU time (the best of ``--repeat`` runs, ``gc.collect()`` between
cases and runs, the collector left on as in the app), then the worst total by CPU time (on
a shared machine the wall time also counts waiting for a core).  A case that the
language refuses (after reading) is timed the same way: refusing must be quick too.  Prints
figures; asserts nothing about time (the README quotes them).
"""

from __future__ import annotations

import argparse
import ast
import gc
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runs from a checkout without installing, too
    sys.path.insert(0, str(ROOT))

from engine import expr  # noqa: E402
from engine.expr import ExprError, evaluate, parse  # noqa: E402


def fill(header: str, statement: Callable[[int], str]) -> str:
    """``header`` then statements ``statement(0), statement(1), ...`` one per line, as many as
    fit in MAX_SOURCE_CHARS and MAX_STATEMENTS."""
    lines = [header] if header else []
    size = len(header) + 1 if header else 0
    i = 0
    while len(lines) < expr.MAX_STATEMENTS:
        line = statement(i)
        if size + len(line) + 1 > expr.MAX_SOURCE_CHARS:
            break
        lines.append(line)
        size += len(line) + 1
        i += 1
    return "\n".join(lines)


def terms(n_tokens: int, per_term: int) -> int:
    """How many terms of ``per_term`` tokens fit in one statement beside ``x =``."""
    return (n_tokens - 2) // per_term


def cases() -> dict[str, str]:
    tok, depth, num = expr.MAX_STATEMENT_TOKENS, expr.MAX_DEPTH, expr.MAX_NUMBER_CHARS
    n = terms(tok, 2)  # "a *" pairs: 499 factors of a
    long_number = "1." + "0" * (num - 3) + "1"
    nested_call = "tanh(" * depth + "a" + ")" * depth  # 2·64 + 1 tokens
    k_nested = (tok - 1) // (3 * depth + 2)  # tanh ( per level, a, ) per level, and +
    return {
        # the case: long products, the most nodes and the most AST per character
        "products, 499 factors": fill("a = 1.0", lambda i: f"p{i}=" + "*".join(["a"] * n)),
        "sums, 499 terms": fill("a = 1.0", lambda i: f"s{i}=" + "+".join(["a"] * n)),
        "powers a**a**..., 332": fill("a = 1.0", lambda i: f"w{i}=" + "**".join(["a"] * terms(tok, 3))),
        "unary minus, 998 deep": fill("a = 1.0", lambda i: f"u{i}=" + "-" * (tok - 3) + "a"),
        "method chains .tanh()": fill("a = 0.5", lambda i: f"m{i}=a" + ".tanh()" * ((tok - 3) // 4)),
        "nested calls, depth 64": fill("a = 0.5", lambda i: f"n{i}=" + "+".join([nested_call] * k_nested)),
        "nested brackets (a*(a*": fill("a = 1.0", lambda i: f"b{i}=" + "(a*" * depth + "a" + ")" * depth),
        "500 statements": fill("a = 1.0", lambda i: f"c{i}=a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a"),
        "500 statements, chained": fill("a = 1.0", lambda i: f"a=a*a+a*a*1.0001-a*a*a"),
        "100-char numbers": fill("a = 1.0", lambda i: f"l{i}=a*" + "*".join([long_number] * 9)),
        "numbers folded": fill("", lambda i: f"f{i}=" + "*".join(["1.0"] * n)),
        # refused after reading: the parser's second (error-reporting) pass runs too
        "products + syntax error": fill("a = 1.0", lambda i: f"p{i}=" + "*".join(["a"] * n))[:-1] + "*)",
        "products + undefined": fill("a = 1.0", lambda i: f"p{i}=" + "*".join(["a"] * n))[:-1] + "z",
    }


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Best wall and CPU seconds of ``repeat`` runs, and the last result (or the error)."""
    best_wall = best_cpu = float("inf")
    result: object = None
    for _ in range(repeat):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            result = fn()
        except (ExprError, SyntaxError) as e:
            result = e
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best_wall, best_cpu, result


def ms(x: float) -> str:
    return f"{x * 1000:7.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (best is shown)")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]} on {sys.platform}; limits: "
          f"{expr.MAX_SOURCE_CHARS:,} chars, {expr.MAX_STATEMENTS} statements, depth "
          f"{expr.MAX_DEPTH}, {expr.MAX_STATEMENT_TOKENS:,} tokens/statement, "
          f"{expr.MAX_NUMBER_CHARS} chars/number, {expr.MAX_NODES:,} nodes")
    print(f"best of {args.repeat}; ms as wall/CPU; total = evaluate + backward\n")
    head = (f"{'case':<26} {'chars':>6} {'stmts':>5} {'nodes':>6}  {'ast.parse':>15}  "
            f"{'read':>15}  {'evaluate':>15}  {'backward':>15}  {'total':>15}")
    print(head)
    print("-" * len(head))
    worst = ("", 0.0, 0.0)
    for name, source in cases().items():
        gc.collect()
        a_wall, a_cpu, _ = timed(lambda: ast.parse(source), args.repeat)  # may refuse
        r_wall, r_cpu, _ = timed(lambda: parse(source), args.repeat)
        e_wall, e_cpu, program = timed(lambda: evaluate(source), args.repeat)
        if isinstance(program, ExprError):
            b_wall = b_cpu = 0.0
            nodes = f"refused: {program.message[:50]}"
            stmts = "-"
        else:
            b_wall, b_cpu, _ = timed(program.backward, args.repeat)
            nodes = f"{len(program._nodes):>6}"
            stmts = f"{len(program.statements):>5}"
        total_wall, total_cpu = e_wall + b_wall, e_cpu + b_cpu
        if total_cpu > worst[2]:
            worst = (name, total_wall, total_cpu)
        cells = [f"{ms(w)}/{ms(c).strip():<7}" for w, c in
                 ((a_wall, a_cpu), (r_wall, r_cpu), (e_wall, e_cpu), (b_wall, b_cpu),
                  (total_wall, total_cpu))]
        tail = f"  {nodes}" if isinstance(program, ExprError) else ""
        print(f"{name:<26} {len(source):>6} {stmts:>5} "
              f"{'' if tail else nodes:>6}  " + "  ".join(cells) + tail)
        del program
    print(f"\nworst total (by CPU time): {worst[0]}: {worst[2] * 1000:.0f} ms CPU, "
          f"{worst[1] * 1000:.0f} ms wall")
    print("CPU time is this process's own work; wall time also counts waiting for a core, "
          "so on a busy machine it is larger")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
