"""The command line: eval (tree, DOT, JSON), train, lessons check and opening the app."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from micrograd_tui.cli import main
from micrograd_tui.playground.examples import README_EXAMPLE

# micrograd's own test values for its README example (test_engine.py::test_more_ops)
G, A_GRAD, B_GRAD = 24.70408163265306, 138.83381924198252, 645.5772594752186
# the micrograd demo notebook: loss at step 0 and at step 99
DEMO_LOSS_0, DEMO_LOSS_99 = 0.8958441028683222, 0.010978370135492717

ROOT = Path(__file__).resolve().parents[2]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def readme_graph_size() -> int:
    from engine.expr import evaluate
    from engine.graph import topological_order

    return len(topological_order(evaluate(README_EXAMPLE).output))


# --- eval ------------------------------------------------------------------------------

def test_eval_default_is_the_readme_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["eval"], capsys)
    assert code == 0, err
    assert f"g = {G:.4f}" in out
    assert f"a.grad = {A_GRAD:.4f}" in out
    assert f"b.grad = {B_GRAD:.4f}" in out
    # two inputs (a, b) and six numbers written in the program, as the gradient check says
    assert "(2 inputs, 6 constants," in out.splitlines()[0]
    # the tree: the output first, leaves and operations told apart, shared nodes referenced
    tree = eval_tree(out)
    assert tree[0][:2] == ("g", "+")
    kinds = {(name, kind) for name, kind, _ in tree}
    # earlier values of a reassigned variable are numbered, constants are their value
    assert {("a", "leaf"), ("b", "leaf"), ("f", "**2"), ("c#1", "+"), ("(2.0)", "const"),
            ("(10.0)", "const")} <= kinds
    # b is used 5 times: shown in full once, then as references with the same data and grad
    b_lines = [(name, kind, rest) for name, kind, rest in tree if name in ("b", "↪ b")]
    assert [(name, kind) for name, kind, _ in b_lines] == [("b", "leaf")] + [("↪ b", "shared")] * 4
    assert len({rest for _, _, rest in b_lines}) == 1


def test_eval_names_intermediates_t1_t2_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["eval"], capsys)
    assert code == 0, err
    names = [name.removeprefix("↪ ") for name, _, _ in eval_tree(out)]
    temps = sorted({n for n in names if n.startswith("t")}, key=lambda n: int(n[1:]))
    # 15 unnamed operations in the README example, each one readable, none like `+#3`
    assert temps == [f"t{k}" for k in range(1, 16)]
    assert not any("#" in n and not n[0] in "cdg" for n in names)
    assert ("g", "+") == eval_tree(out)[0][:2] and ("t15", "/") in {n[:2] for n in eval_tree(out)}


def eval_tree(out: str) -> list[tuple[str, str, str]]:
    lines = out.splitlines()
    return [tree_line(line) for line in lines[1:lines.index("variables")]]


def tree_line(line: str) -> tuple[str, str, str]:
    """(name, kind, "data ... grad ...") of one line of the eval tree."""
    body = line.split("── ", 1)[-1]
    head, _, numbers = body.partition(" data ")
    words = head.split()
    if words[0] == "↪":
        words = [f"↪ {words[1]}", *words[2:]]
    return words[0], " ".join(words[1:]), " ".join(numbers.split())


async def test_eval_names_every_row_as_the_playground_does(
        capsys: pytest.CaptureFixture[str]) -> None:
    from micrograd_tui.app import MicrogradApp

    code, out, err = run(["eval"], capsys)
    assert code == 0, err
    printed = [name for name, _, _ in eval_tree(out)]
    app = MicrogradApp()
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        tree = app.screen.tree
        stack = [tree.root]  # open every row, as eval prints every row
        while stack:
            node = stack.pop()
            if node.allow_expand:
                tree.open(node)
                stack.extend(node.children)
        await pilot.pause()
        shown = [("↪ " if row.is_ref else "") + row.name
                 for row in (line.node.data for line in tree._tree_lines)]
    assert printed == shown
    assert "·" not in out and " #" not in out


def test_eval_prints_numbers_as_the_playground_rows_do(
        capsys: pytest.CaptureFixture[str]) -> None:
    from engine.expr import evaluate
    from micrograd_tui.playground.graph_index import GraphIndex

    source = "a = 3000000.0\nb = 0.00002\nc = a * b"
    code, out, err = run(["eval", source], capsys)
    assert code == 0, err
    program = evaluate(source)
    program.backward()
    index = GraphIndex(program.output, dict(program.variables))
    rows = [index.root_row(), *index.child_rows(index.root_row())]
    shown = {row.name: row.numbers() for row in rows}  # (data, grad) as the playground shows
    assert shown["a"] == ("3.000e+06", "2.000e-05") and shown["b"] == ("2.000e-05", "3.000e+06")
    printed = {name: tuple(rest.split()[0::2]) for name, _, rest in eval_tree(out)}
    assert printed == shown
    assert "a = 3.000e+06" in out and "a.grad = 2.000e-05" in out


def test_python_dash_m_runs_eval() -> None:
    done = subprocess.run([sys.executable, "-m", "micrograd_tui", "eval", "x = 3.0\ny = x * x"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert "y = 9.0000" in done.stdout and "x.grad = 6.0000" in done.stdout


def test_eval_dot_names_every_node(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["eval", "--dot"], capsys)
    assert code == 0, err
    n = readme_graph_size()
    assert out.startswith("digraph")
    for i in range(n):
        assert f"  n{i} [label=" in out
    assert f"  n{n} [" not in out
    assert f"{{ g | data {G:.4f} | grad 1.0000 }}" in out
    assert f"{{ a | data -4.0000 | grad {A_GRAD:.4f} }}" in out
    assert f"{{ b | data 2.0000 | grad {B_GRAD:.4f} }}" in out


def test_eval_json_has_every_node(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["eval", "--json"], capsys)
    assert code == 0, err
    graph = json.loads(out)
    nodes = graph["nodes"]
    assert len(nodes) == readme_graph_size()
    root = nodes[graph["root"]]
    assert root["label"] == "g" and root["data"] == pytest.approx(G, abs=1e-9)
    leaves = {n["label"]: n for n in nodes if n["op"] == "" and n["label"]}
    assert leaves["a"]["grad"] == pytest.approx(A_GRAD, abs=1e-9)
    assert leaves["b"]["grad"] == pytest.approx(B_GRAD, abs=1e-9)


def test_eval_from_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prog = tmp_path / "prog.txt"
    prog.write_text("w = 0.5\nz = tanh(w)\n")
    code, out, _ = run(["eval", "--file", str(prog), "--json"], capsys)
    assert code == 0
    root = json.loads(out)["nodes"][-1]
    assert root["label"] == "z" and root["op"] == "tanh"


@pytest.mark.parametrize("source, line, col", [
    ("a = 1.0\nb = a.__class__", 2, None),
    ("y = q + 1", 1, 5),
    ("x = [bold]1[/bold]", 1, None),
])
def test_eval_bad_program(source: str, line: int, col: int | None,
                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["eval", source], capsys)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    first, shown, caret = err.splitlines()[:3]
    assert first.startswith(f"error: line {line}, column {col or ''}")
    reported_col = int(first.split("column ")[1].split(":")[0])
    bad_line = source.splitlines()[line - 1]
    assert shown == "  " + bad_line  # user text printed as is: no markup eaten
    assert caret == "  " + " " * (reported_col - 1) + "^"


def test_eval_numeric_error_points_at_the_operation(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["eval", "x = 0.0\ny = 1 / x"], capsys)
    assert code == 2
    assert err.startswith("error: line 2, column 7:") and "division by zero" in err


def test_eval_unreadable_file_or_both_sources(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["eval", "--file", str(tmp_path / "missing.txt")], capsys)
    assert code == 2 and "missing.txt" in err and "Traceback" not in err
    code, _, err = run(["eval", "x = 1.0", "--file", str(tmp_path / "missing.txt")], capsys)
    assert code == 2 and "not both" in err


def test_dot_and_json_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["eval", "--dot", "--json"], capsys)
    assert code == 2 and "not allowed with" in err


# --- train -----------------------------------------------------------------------------

def _final_loss(out: str) -> float:
    line = next(line for line in out.splitlines() if line.startswith("final loss"))
    return float(line.split()[2])


def test_train_preset_first_step_matches_the_notebook(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["train", "--preset", "micrograd-demo", "--steps", "1"], capsys)
    assert code == 0, err
    assert _final_loss(out) == pytest.approx(DEMO_LOSS_0, abs=1e-9)


def test_train_preset_five_steps(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    code, out, err = run(["train", "--preset", "micrograd-demo", "--steps", "5",
                          "--save", str(model)], capsys)
    assert code == 0, err
    assert "(5 steps" in out
    assert 0 < _final_loss(out) < DEMO_LOSS_0
    assert json.loads(model.read_text())["nouts"] == [16, 16, 1]


def test_train_whole_demo_reproduces_the_notebook(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["train", "--preset", "micrograd-demo"], capsys)
    assert code == 0, err
    assert _final_loss(out) == pytest.approx(DEMO_LOSS_99, abs=1e-9)
    assert "accuracy 100.0%" in out


@pytest.mark.parametrize("argv, message", [
    (["--lr", "-1"], "error: --lr:"),
    (["--lr", "0"], "error: --lr:"),
    (["--steps", "0"], "error: --steps:"),
    (["--layers", "16,0"], "error: --layers:"),
    (["--dataset", "nope"], "error: --dataset:"),
    (["--preset", "nope"], "error: --preset:"),
    (["--lr", "fast"], "argument --lr: invalid float value"),
    (["--layers", "16,x"], "argument --layers: 'x' is not a whole number; write layer sizes"),
    (["--layers", "[16,16"], "argument --layers: '[' and ']' do not match"),
    (["--layers", "-3"], "error: --layers: each layer needs between 1 and"),
])
def test_train_refuses_bad_options(argv: list[str], message: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["train", *argv], capsys)
    assert code == 2
    assert message in err
    assert "final loss" not in out


@pytest.mark.parametrize("layers, sizes", [
    ("4,3", "2-4-3-1"), ("4, 3", "2-4-3-1"), ("[4, 3]", "2-4-3-1"), ("4 3", "2-4-3-1"),
    ("none", "2-1"), ("", "2-1"),
])
def test_train_layers_are_written_as_in_the_app_and_the_lessons(
        layers: str, sizes: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["train", "--layers", layers, "--steps", "1"], capsys)
    assert code == 0, err
    assert out.startswith(f"training MLP {sizes} (relu)")


def test_train_ctrl_c_stops_between_steps() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "micrograd_tui", "train", "--preset", "micrograd-demo",
         "--steps", "50000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "COLUMNS": "120"})
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # printed once Ctrl+C is handled
        assert first.startswith("training"), first
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "stopped by Ctrl+C after" in out
    assert 0 < _final_loss(out) < DEMO_LOSS_0


# --- lessons check and the app -----------------------------------------------------------

def test_lessons_check_dispatches(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    check = pytest.importorskip("micrograd_tui.lessonbook.lint")
    seen = []
    monkeypatch.setattr(check, "run_check", lambda d: seen.append(d) or 3)
    assert main(["lessons", "check", str(tmp_path)]) == 3
    assert main(["lessons", "check"]) == 3
    assert seen == [str(tmp_path), None]
    code, _, err = run(["lessons", "check", str(tmp_path / "nope")], capsys)
    assert code == 2 and "nope" in err


class FakeApp:
    opened: list[dict] = []
    return_code = 0

    def __init__(self, *, source=None, lessons_dir=None) -> None:
        self.kwargs = {"source": source, "lessons_dir": lessons_dir}

    def run(self) -> None:
        FakeApp.opened.append(self.kwargs)


def test_no_command_opens_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import micrograd_tui.app

    monkeypatch.setattr(micrograd_tui.app, "MicrogradApp", FakeApp)
    FakeApp.opened = []
    prog = tmp_path / "p.txt"
    prog.write_text("x = 1.0\n")
    assert main([]) == 0
    assert main(["--file", str(prog), "--lessons", str(tmp_path)]) == 0
    assert FakeApp.opened == [{"source": None, "lessons_dir": None},
                              {"source": "x = 1.0\n", "lessons_dir": str(tmp_path)}]


def test_app_options_are_checked_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    import micrograd_tui.app

    monkeypatch.setattr(micrograd_tui.app, "MicrogradApp", FakeApp)
    FakeApp.opened = []
    code, _, err = run(["--lessons", str(tmp_path / "none")], capsys)
    assert code == 2 and f"error: --lessons: {tmp_path / 'none'}: no such folder" in err
    code, _, err = run(["--file", str(tmp_path / "none.txt")], capsys)
    assert code == 2 and "error: --file: cannot read" in err
    assert FakeApp.opened == []


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "eval" in out and "train" in out


def test_train_divergence_is_reported_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["train", "--lr", "1000", "--optimizer", "momentum", "--loss", "mse",
                          "--schedule", "constant", "--steps", "50"], capsys)
    assert code == 1
    assert err.startswith("error: training failed:") and "overflow" in err
    assert "Traceback" not in err
    assert "final loss" in out  # the last finished step's figures are still shown
