"""Hostile lesson folders through `lessons check`: nothing hangs, crashes or eats memory.

A FIFO named like a lesson, a link to /dev/zero, a table of a thousand rows, fit blocks over
the budget, a block that raises something unexpected: each is reported with file (and line),
and the good lessons beside them stay usable.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
from pathlib import Path

import pytest

from micrograd_tui.lessonbook import limits, load_lessons, run_check

GOOD = Path(__file__).parent / "fixtures" / "good" / "01-tiny.md"

HEAD = "---\ntitle: {title}\nsummary: S\norder: {order}\n---\n\n"

FIT = """\
```fit
inputs: [[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7], [6, 7, 8], [7, 8, 9], [8, 9, 1], [9, 1, 2], [1, 3, 5]]
targets: [1, -1, 1, -1, 1, -1, 1, -1, 1, -1]
layers: [16, 16, 1]
steps: {steps}
```
"""


def lesson(title: str, order: int, body: str) -> str:
    return HEAD.format(title=title, order=order) + body


def check_within(folder: Path, seconds: float = 60) -> tuple[int, str]:
    """`lessons check` on ``folder`` in a thread: a hang fails the test instead of the suite."""
    out = io.StringIO()
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(run_check(str(folder), out=out)),
                              daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"lessons check did not finish within {seconds} s:\n{out.getvalue()}"
    return result[0], out.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "mine"
    d.mkdir()
    shutil.copy(GOOD, d / "01-tiny.md")
    return d


def good_is_usable(folder: Path) -> None:
    lessons, _ = load_lessons(folder)
    tiny = next(le for le in lessons if le.path.name == "01-tiny.md")
    assert not tiny.broken and tiny.checks[0].solution is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_like_a_lesson_is_listed_as_broken_and_does_not_hang(folder: Path) -> None:
    os.mkfifo(folder / "x.md")
    code, out = check_within(folder)
    assert code == 1
    assert f"{folder / 'x.md'}:1: is a named pipe (FIFO), not a regular file" in out
    good_is_usable(folder)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_dev_zero_is_refused_without_reading_it(folder: Path) -> None:
    (folder / "z.md").symlink_to("/dev/zero")
    code, out = check_within(folder)
    assert code == 1
    assert f"{folder / 'z.md'}:1: is a character device, not a regular file" in out
    good_is_usable(folder)


def test_a_byte_order_mark_is_accepted(folder: Path) -> None:
    (folder / "02-bom.md").write_bytes("\ufeff".encode() + lesson("With a BOM", 2, "## One\n\nText.\n").encode())
    code, out = check_within(folder)
    assert code == 0, out
    lessons, _ = load_lessons(folder)
    assert [le.title for le in lessons] == ["A tiny good lesson", "With a BOM"]


def test_a_huge_table_is_refused_at_the_row_over_the_limit(folder: Path) -> None:
    rows = "\n".join(f"| {i} | {i * i} |" for i in range(1000))
    (folder / "02-table.md").write_text(lesson("Table", 2, f"## Squares\n\n| n | n² |\n|---|---|\n{rows}\n"))
    code, out = check_within(folder)
    assert code == 1
    # the header row (a row too) is line 9, the rows under it start on line 11: row
    # MAX_TABLE_ROWS + 1 is on line 10 + MAX_TABLE_ROWS
    assert f"02-table.md:{10 + limits.MAX_TABLE_ROWS}: this table has more than " \
           f"{limits.MAX_TABLE_ROWS} rows" in out
    good_is_usable(folder)


def test_deep_nesting_too_many_blocks_and_a_long_step_are_refused(folder: Path) -> None:
    nested = "\n".join("  " * i + "- item" for i in range(limits.MAX_NESTING + 2))
    (folder / "02-nested.md").write_text(lesson("Nested", 2, f"## Deep\n\n{nested}\n"))
    quotes = "> " * (limits.MAX_NESTING + 3) + "deep"
    (folder / "03-quotes.md").write_text(lesson("Quotes", 3, f"## Deep\n\n{quotes}\n"))
    paragraphs = "\n\n".join(f"Paragraph {i}." for i in range(limits.MAX_STEP_BLOCKS + 1))
    (folder / "04-blocks.md").write_text(lesson("Blocks", 4, f"## Many\n\n{paragraphs}\n"))
    words = "word " * (limits.MAX_STEP_CHARS // 5 + 10)
    (folder / "05-long.md").write_text(lesson("Long", 5, f"## Long\n\n{words}\n"))
    code, out = check_within(folder)
    assert code == 1
    assert f"02-nested.md:{9 + limits.MAX_NESTING}: lists and quotes are nested" in out
    assert "03-quotes.md:9: lists and quotes are nested" in out
    assert "04-blocks.md:7: this step has" in out and "Markdown blocks" in out
    assert "05-long.md:7: this step is too long to show" in out
    good_is_usable(folder)


def test_fit_blocks_over_the_lessons_budget_make_it_broken_before_they_run(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran = []
    from micrograd_tui.lessonbook import fit

    original = fit.run_fit
    monkeypatch.setattr(fit, "run_fit", lambda spec: ran.append(spec) or original(spec))
    # 10 rows x 353 parameters x 50 steps = 176,500 each: two are over a lesson's 300,000
    body = "".join(f"## Fit {i}\n\n{FIT.format(steps=50)}\n" for i in range(2))
    (folder / "02-heavy.md").write_text(lesson("Heavy", 2, body))
    code, out = check_within(folder)
    assert code == 1
    assert "02-heavy.md: loading this lesson would take too long" in out and "353,000" in out
    assert ran == [], "nothing of an over-budget lesson runs"
    good_is_usable(folder)


def test_the_folders_budget_is_spent_in_order_and_the_rest_are_broken(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "FOLDER_WORK", 40_000)  # each lesson below needs 17,650
    for i in range(2, 6):
        (folder / f"0{i}-fit.md").write_text(lesson(f"Fit {i}", i, f"## Fit\n\n{FIT.format(steps=5)}"))
    lessons, _ = load_lessons(folder)
    broken = {le.path.name: le.problems for le in lessons if le.broken}
    assert sorted(broken) == ["04-fit.md", "05-fit.md"]  # 01, 02, 03 fit in 40,000
    assert "the folder's budget" in str(broken["04-fit.md"][0])


def test_too_many_lesson_files_are_a_folder_problem(folder: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from micrograd_tui.lessonbook import library

    monkeypatch.setattr(library, "MAX_LESSON_FILES", 2)
    for i in range(2, 5):
        (folder / f"0{i}.md").write_text(lesson(f"L{i}", i, "## One\n\nText.\n"))
    lessons, problems = load_lessons(folder)
    assert [le.path.name for le in lessons] == ["01-tiny.md", "02.md"]
    assert "2 lesson files are not loaded" in str(problems[0])


def test_an_unexpected_error_in_one_block_breaks_only_that_lesson(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from micrograd_tui.lessonbook import setups

    def explode(block):
        raise RuntimeError("a bug in the setup reader")

    monkeypatch.setattr(setups, "build_config", explode)
    (folder / "02-train.md").write_text(lesson("Train", 2, "## Setup\n\n```train\nlr: 0.1\n```\n"))
    code, out = check_within(folder)
    assert code == 1
    assert (f"{folder / '02-train.md'}:9: checking this train block failed unexpectedly "
            f"(RuntimeError: a bug in the setup reader)") in out
    good_is_usable(folder)
