"""Review: the checks the learner passed, oldest passed first, to be asked again with new numbers."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Lesson
from .progress import ProgressStore


@dataclass(frozen=True)
class ReviewItem:
    """A passed check to ask again: where it is (lesson and step index) and its id."""

    lesson: int
    step: int
    check_id: str


def review_queue(lessons: list[Lesson], progress: ProgressStore) -> list[ReviewItem]:
    """Every passed check of a lesson that is not broken, oldest passed first."""
    where: dict[tuple[str, str], tuple[int, int]] = {}
    for li, lesson in enumerate(lessons):
        if lesson.broken:
            continue
        for si, step in enumerate(lesson.steps):
            if step.check is not None:
                where[(lesson.key, step.check.id)] = (li, si)
    queue: list[ReviewItem] = []
    for _, key, check_id in progress.passed_checks():
        found = where.get((key, check_id))
        if found is not None:
            queue.append(ReviewItem(found[0], found[1], check_id))
    return queue
