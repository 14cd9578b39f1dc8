"""The Textual app: four screens (playground, train, lessons, gpt) as modes, and global keys.

Screens ask the App for things with typed messages (:mod:`micrograd_tui.messages`): the App
owns the modes, so it is the one place that knows which screen shows a program or a setup.
A mode's base screen is found with Textual's public ``get_screen_stack(mode)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, TypeVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.train import TrainConfig

from .lessonbook.screen import LessonsScreen
from .gpt.screen import GPTScreen
from .messages import OpenGraph, OpenProgram, OpenTrainSetup
from .playground.screen import PlaygroundScreen
from .training.screen import TrainScreen
from .widgets.help_screen import HelpScreen

ScreenT = TypeVar("ScreenT", bound=Screen)


class MicrogradApp(App[None]):
    """micrograd-tui: type expressions, watch gradients flow, train, and follow lessons."""

    TITLE = "micrograd-tui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # the modes are added in __init__: two of their screens take this app's options
    DEFAULT_MODE = "playground"
    # F1-F5 are shown on every screen's top line (NavBar), so the Footer keeps its room for
    # the screen's own keys; the command palette and the help list them all the same
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "switch_mode('playground')", "Playground", show=False),
        Binding("f3", "switch_mode('train')", "Train", show=False),
        Binding("f4", "switch_mode('lessons')", "Lessons", show=False),
        Binding("f5", "switch_mode('gpt')", "GPT", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, *, source: str | None = None, lessons_dir: str | Path | None = None,
                 start_mode: str = "playground") -> None:
        super().__init__()
        self.initial_source = source
        self.lessons_dir = Path(lessons_dir) if lessons_dir is not None else None
        self.start_mode = start_mode
        self.add_mode("playground", lambda: PlaygroundScreen(source=self.initial_source))
        self.add_mode("train", TrainScreen)
        self.add_mode("lessons", lambda: LessonsScreen(folder=self.lessons_dir))
        self.add_mode("gpt", GPTScreen)

    def on_mount(self) -> None:
        self.switch_mode(self.start_mode)

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is plain text, whatever the caller asked.

        Notifications carry user text (file paths, program names, lesson answers); one ``[``
        in it rendered as markup could end the app.  Widgets' ``notify`` comes here too.
        """
        super().notify(message, title=title, severity=severity,  # type: ignore[arg-type]
                       timeout=timeout, markup=False)

    # --- actions ---------------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # --- what screens ask for ------------------------------------------------------------
    @on(OpenProgram)
    def _open_program(self, message: OpenProgram) -> None:
        self.open_in_playground(message.source, quiz=message.quiz)
        if message.note:
            self.notify(message.note)

    @on(OpenTrainSetup)
    def _open_train_setup(self, message: OpenTrainSetup) -> None:
        self.open_in_trainer(message.config)

    @on(OpenGraph)
    async def _open_graph(self, message: OpenGraph) -> None:
        await self.switch_mode("playground")  # mounted (and its first program shown) first
        screen = self.show_mode("playground", PlaygroundScreen)
        screen.show_graph(message.root, message.variables, message.title)

    def open_in_playground(self, source: str, *, quiz: tuple[str, ...] = ()) -> None:
        """Show ``source`` in the playground and evaluate it (``quiz``: in quiz mode, these
        nodes' grads hidden)."""
        self.show_mode("playground", PlaygroundScreen).load_source(source, evaluate=True,
                                                                   quiz=quiz)

    def open_in_trainer(self, config: TrainConfig) -> None:
        """Show the Train screen set up with ``config`` (not started)."""
        self.show_mode("train", TrainScreen).load_config(config)

    def show_mode(self, mode: str, kind: type[ScreenT]) -> ScreenT:
        """Switch to ``mode`` and return its base screen (created on first use), a ``kind``."""
        self.switch_mode(mode)
        screen = self.get_screen_stack(mode)[0]
        if not isinstance(screen, kind):
            raise TypeError(f"mode {mode!r} shows a {type(screen).__name__}, not a {kind.__name__}")
        return screen

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette lists every key binding's action, and the built-in commands."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} ({key})",
                lambda node=active.node, action=binding.action: self.run_action(action, node),
            )
        yield from super().get_system_commands(screen)
