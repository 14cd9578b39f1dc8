"""Review asks again the checks the learner passed, the one passed longest ago first."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from micrograd_tui.lessonbook import load_lessons
from micrograd_tui.lessonbook import progress as progress_module
from micrograd_tui.lessonbook.progress import ProgressStore
from micrograd_tui.lessonbook.review import review_queue


def test_review_asks_the_oldest_passed_check_first(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    lessons, problems = load_lessons(None)
    assert not problems
    keys = [lesson.key for lesson in lessons]
    first, fourth = keys.index("01-derivative"), keys.index("04-chain-rule")
    clock = itertools.count(100)  # every call a later time
    monkeypatch.setattr(progress_module.time, "time", lambda: float(next(clock)))
    store = ProgressStore.open(tmp_path)
    # passed in an order that is neither the course's nor the file's
    store.pass_check("04-chain-rule", "3")  # first
    store.pass_check("01-derivative", "1")  # second
    store.pass_check("04-chain-rule", "0")  # third
    store.pass_check("04-chain-rule", "0")  # already passed: no change, still third
    queue = review_queue(lessons, ProgressStore.open(tmp_path))  # as saved, read back
    assert [(q.lesson, q.check_id) for q in queue] == [(fourth, "3"), (first, "1"), (fourth, "0")]
    assert [lessons[q.lesson].steps[q.step].check.id for q in queue] == ["3", "1", "0"]
    # passed again in a review: it goes to the end of the queue
    store.pass_check("04-chain-rule", "3", again=True)  # last
    queue = review_queue(lessons, store)
    assert [(q.lesson, q.check_id) for q in queue] == [(first, "1"), (fourth, "0"), (fourth, "3")]
