"""``micrograd-tui eval --check``: the playground's gradient check table, printed headless."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine import value as value_module
from micrograd_tui.app import MicrogradApp
from micrograd_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
HUGE_PLUS_SMALL = "a = 1e10; b = 1.0; c = a + b"
UNRELIABLE = "numeric estimate unreliable here (cancellation)"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def table_rows(out: str) -> dict[str, list[str]]:
    """The printed table's rows by leaf name: the cells after the name."""
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["leaf", "kind"])
    return {line.split()[0]: line.split()[1:] for line in lines[header + 1:] if line.strip()}


def test_the_readme_example_passes_with_exit_status_0(capsys):
    code, out, err = run(["eval", "--check"], capsys)
    assert code == 0, err
    assert "Gradient check of g" in out and "2 inputs and 6 constants pass." in out
    rows = table_rows(out)
    assert rows["a"] == ["input", "138.8338", "138.8338", rows["a"][3], "pass"]
    assert rows["b"][-1] == "pass"


@pytest.mark.parametrize("program, leaf", [(HUGE_PLUS_SMALL, "b"), ("a = 3.0; c = a + 1e12", "a")])
def test_cancellation_is_unreliable_and_does_not_fail(program, leaf, capsys):
    code, out, err = run(["eval", "--check", program], capsys)
    assert code == 0, err
    assert f"{leaf}: {UNRELIABLE}" in out
    assert "unreliable (cancellation)" in out and "FAIL" not in out
    assert table_rows(out)[leaf][-1] == "unreliable"


def test_a_wrong_derivative_fails_with_exit_status_1(monkeypatch, capsys):
    monkeypatch.setattr(value_module.TANH, "derivative",
                        lambda out, x: (2.0 * (1.0 - out * out),))
    code, out, err = run(["eval", "--check", "y = 0.3\nz = tanh(2 * y) + y"], capsys)
    assert code == 1, err
    assert "1 of 1 input FAIL" in out
    assert table_rows(out)["y"][-1] == "FAIL"
    # beside a leaf lost to rounding (b): y, well resolved, still fails
    program = "y = 0.3; " + HUGE_PLUS_SMALL + "; d = c - a + tanh(y)"
    code, out, err = run(["eval", "--check", program], capsys)
    assert code == 1, err
    rows = table_rows(out)
    assert rows["y"][-1] == "FAIL" and rows["b"][-1] == "unreliable"
    assert "1 of 3 inputs FAIL, 1 of 3 inputs unreliable (cancellation)" in out


def test_a_program_with_an_error_is_bad_input(capsys):
    code, out, err = run(["eval", "--check", "x = 2.0; y = x +"], capsys)
    assert code == 2 and out == ""
    assert "error: line 1" in err


def test_check_cannot_be_combined_with_another_format(capsys):
    code, _, err = run(["eval", "--check", "--dot"], capsys)
    assert code == 2 and "not allowed with" in err


PROBE = """
import json, sys
from micrograd_tui.cli import main
code = main(["eval", "--check", {program!r}])
print(json.dumps({{"code": code, "textual": sorted(m for m in sys.modules
                                                   if m.split(".")[0] == "textual")}}))
"""


def test_the_command_does_not_import_textual():
    done = subprocess.run([sys.executable, "-c", PROBE.format(program=HUGE_PLUS_SMALL)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report == {"code": 0, "textual": []}
    assert "unreliable" in done.stdout


async def test_the_playground_shows_the_same_table(capsys):
    program = HUGE_PLUS_SMALL + "; d = c * 2"
    code, out, _ = run(["eval", "--check", program], capsys)
    assert code == 0
    printed = table_rows(out)
    app = MicrogradApp(source=program)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        modal = app.screen
        assert type(modal).__name__ == "GradCheckScreen"
        table = modal.query_one("#gradcheck-table")
        shown = {}
        for i in range(table.row_count):
            cells = [str(c) for c in table.get_row_at(i)]
            shown[cells[0]] = cells[1:]
        assert shown == printed
        assert shown["b"][-1] == "unreliable"
        summary = modal.summary().plain
        assert f"b: {UNRELIABLE}" in summary and "1 of 2 inputs unreliable" in summary
        assert modal.passed  # an unreliable row is not a failure
