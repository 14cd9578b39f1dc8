"""App-wide messages: what a screen asks the App for.

A screen never calls another screen, nor reaches into the App by ``getattr``: it posts one of
these, it bubbles up to the App, and the App, which owns the modes, handles it.  Messages that
stay inside one feature live in that feature's folder (``playground/messages.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from engine.train import TrainConfig
    from engine.user_ops import UserOp
    from engine.value import Value


@dataclass
class OpenProgram(Message):
    """Show ``source`` in the playground and evaluate it; then tell the learner ``note``
    (what the program is), when there is one; ``quiz``: see below."""

    source: str
    note: str = ""
    #: open it in quiz mode with these nodes' grads hidden (a lesson's unanswered checks)
    quiz: tuple[str, ...] = ()


@dataclass
class OpenTrainSetup(Message):
    """Show the Train screen set up with ``config`` (not started)."""

    config: TrainConfig


@dataclass
class OpenGraph(Message):
    """Show a graph built elsewhere (one token of the GPT) in the playground's tree:
    ``root`` is its output, ``variables`` name some of its nodes (the root picker lists
    them), ``title`` says what it is."""

    root: Value
    variables: dict[str, Value]
    title: str


@dataclass
class UseOp(Message):
    """The learner wrote ``op``'s derivative and the engine accepted it (a lesson's op
    exercise): programs in the playground may call it for the rest of the session."""

    op: UserOp
