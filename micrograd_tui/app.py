"""The Textual app: four screens (playground, train, lessons, gpt) as modes, and global keys.

Screens ask the App for things with typed messages (:mod:`micrograd_tui.messages`): the App
owns the modes, so it is the one place that knows which screen shows a program or a setup.
A mode's base screen is found with Textual's public ``get_screen_stack(mode)``.  Each screen's
module is imported when the screen is first built (importing all four took ~0.5 s of CPU
before the first frame, of which the playground's is half).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, TypeVar

from textual import events, on
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hits
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from .messages import OpenGraph, OpenProgram, OpenTrainSetup, UseOp
from .playground.screen import PlaygroundScreen
from .widgets.help_screen import HelpScreen

if TYPE_CHECKING:
    from engine.train import TrainConfig

    from .gpt.screen import GPTScreen
    from .lessonbook.screen import LessonsScreen
    from .training.screen import TrainScreen

ScreenT = TypeVar("ScreenT", bound=Screen)

#: ``MICROGRAD_TUI_WARM=0`` turns off building the other screens at start (see ``warm_screens``)
WARM_ENV = "MICROGRAD_TUI_WARM"
#: the screens built in the background after the first frame, in this order
WARM_MODES = ("train", "lessons")


class ActionsFirst(SystemCommandsProvider):
    """The command palette's list in :meth:`MicrogradApp.get_system_commands`' order (Textual's
    own provider sorts it by name, which put the editor's cursor commands first)."""

    async def discover(self) -> Hits:
        for title, help_text, callback, discover in self.app.get_system_commands(self.screen):
            if discover:
                yield DiscoveryHit(title, callback, help=help_text)


def _train_screen() -> TrainScreen:
    from .training.screen import TrainScreen

    return TrainScreen()


def _lessons_screen(folder: Path | None) -> LessonsScreen:
    from .lessonbook.screen import LessonsScreen

    return LessonsScreen(folder=folder)


def _gpt_screen() -> GPTScreen:
    from .gpt.screen import GPTScreen

    return GPTScreen()


class MicrogradApp(App[None]):
    """micrograd-tui: type expressions, watch gradients flow, train, and follow lessons."""

    TITLE = "micrograd-tui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {ActionsFirst}
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
                 start_mode: str = "playground", warm_screens: bool | None = None) -> None:
        """``warm_screens``: build the Train and Lessons screens in the background after the
        first frame, so that the first F3 or F4 is as quick as a later one (``None``: yes,
        unless the environment sets ``MICROGRAD_TUI_WARM=0``)."""
        super().__init__()
        self.initial_source = source
        self.lessons_dir = Path(lessons_dir) if lessons_dir is not None else None
        self.start_mode = start_mode
        if warm_screens is None:
            warm_screens = os.environ.get(WARM_ENV, "1").strip() != "0"
        self.warm_screens = warm_screens
        #: the modes built by the warm-up so far (for the tests and the benchmark)
        self.warmed: list[str] = []
        self.add_mode("playground", lambda: PlaygroundScreen(source=self.initial_source))
        self.add_mode("train", _train_screen)
        self.add_mode("lessons", lambda: _lessons_screen(self.lessons_dir))
        self.add_mode("gpt", _gpt_screen)

    def on_mount(self) -> None:
        self.switch_mode(self.start_mode)
        if self.warm_screens:
            self.call_after_refresh(self._warm_next)

    def _warm_next(self) -> None:
        """Build the next screen of :data:`WARM_MODES` that is not built yet, one per pause.

        A screen's first switch costs Textual a new screen: its CSS parsed again with the
        whole app's, its widgets composed, mounted and laid out (0.3-1 s here).  Done now,
        between frames of the screen on show, the first F3 or F4 costs what a later one does.
        Keys still answer: each screen is a few short pieces of work with pauses between.
        """
        if self._ending():
            return
        for mode in WARM_MODES:
            if self._built(mode):  # shown already (or warmed)
                continue
            screen = self._build_mode(mode)
            self.warmed.append(mode)
            self.set_timer(0.1, lambda: self._lay_out_warm(screen))
            return

    def _ending(self) -> bool:
        """The app is ending (a warm-up timer may still fire after its screens are gone)."""
        try:
            self.screen
        except ScreenStackError:
            return True
        return not self.is_running

    def _built(self, mode: str) -> bool:
        try:
            return bool(self.get_screen_stack(mode))
        except KeyError:  # Textual's word for "not built yet"
            return False

    def _build_mode(self, mode: str) -> Screen:
        """``mode``'s base screen, built (composed and mounted) but not shown if it was not
        built yet."""
        if self._built(mode):
            return self.get_screen_stack(mode)[0]
        # Textual builds a mode's screen on its first switch_mode; _init_mode is that step
        # without showing it (pinned Textual 8.2; tests/tui/test_warm_screens.py)
        self._init_mode(mode)
        screen = self.get_screen_stack(mode)[0]
        # its widgets take the stylesheet as they mount, so it is up to date: without this,
        # its first switch_mode would parse the whole app's CSS again all the same
        screen._css_update_count = self._css_update_count
        return screen

    def _lay_out_warm(self, screen: Screen) -> None:
        """Once ``screen`` has built what it builds after its first frame (its ``built``),
        lay it out at the app's size, as showing it would (its plots and text learn their
        sizes now); then go on with the next screen."""
        if self._ending():
            return
        if screen is not self.screen and screen.is_attached:
            if not getattr(screen, "built", True):
                self.set_timer(0.1, lambda: self._lay_out_warm(screen))
                return
            screen._refresh_layout(self.size)  # draws nothing: the screen is not on show
            # and render it once, thrown away: its widgets keep what they rendered
            screen._compositor.render_full_update()
        self.set_timer(0.2, self._warm_next)

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is plain text, whatever the caller asked.

        Notifications carry user text (file paths, program names, lesson answers); one ``[``
        in it rendered as markup could end the app.  Widgets' ``notify`` comes here too.
        Textual's own two messages written in markup (Ctrl+C's "how to quit" and the saved
        screenshot) are sent as plain words by :meth:`action_help_quit` and
        :meth:`_screenshot_saved`, so no markup tag is ever shown as text.
        """
        super().notify(message, title=title, severity=severity,  # type: ignore[arg-type]
                       timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """Ctrl+C where nothing is copied: Textual's "how to quit" toast, in plain words."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    @on(events.DeliveryComplete)
    def _screenshot_saved(self, event: events.DeliveryComplete) -> None:
        if event.name == "screenshot":
            event.prevent_default()  # Textual's own handler would show its markup as text
            where = f" to {event.path}" if event.path is not None else ""
            self.notify(f"Saved the screenshot{where}", title="Screenshot")

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

    @on(UseOp)
    def _use_op(self, message: UseOp) -> None:
        """A lesson accepted the learner's operation: the playground's programs may call it
        (the playground is built, not shown, if it was not yet)."""
        screen = self._build_mode("playground")
        if isinstance(screen, PlaygroundScreen):
            screen.add_user_op(message.op)

    def open_in_playground(self, source: str, *, quiz: tuple[str, ...] = ()) -> None:
        """Show ``source`` in the playground and evaluate it (``quiz``: in quiz mode, these
        nodes' grads hidden)."""
        self.show_mode("playground", PlaygroundScreen).load_source(source, evaluate=True,
                                                                   quiz=quiz)

    def open_in_trainer(self, config: TrainConfig) -> None:
        """Show the Train screen set up with ``config`` (not started)."""
        from .training.screen import TrainScreen

        self.show_mode("train", TrainScreen).load_config(config)

    def show_mode(self, mode: str, kind: type[ScreenT]) -> ScreenT:
        """Switch to ``mode`` and return its base screen (created on first use), a ``kind``."""
        self.switch_mode(mode)
        screen = self.get_screen_stack(mode)[0]
        if not isinstance(screen, kind):
            raise TypeError(f"mode {mode!r} shows a {type(screen).__name__}, not a {kind.__name__}")
        return screen

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: the screen's actions, then the app's (F1-F4, quit), then
        Textual's (theme, keys, screenshot...), in that order.  A focused widget's own keys
        (the editor's cursor moves, select all, undo) come last and are listed only when
        typed for, unless the widget shows them in the footer."""
        def rank(node: object) -> int:  # the screen's own, the app's, a widget's
            if isinstance(node, Screen):
                return 0
            return 1 if isinstance(node, App) else 2

        def place(node: object, action: str) -> int:  # where its class declares the key
            actions = [b.action for b in getattr(type(node), "BINDINGS", ())
                       if isinstance(b, Binding)]
            return actions.index(action) if action in actions else len(actions)

        found: dict[str, tuple[int, int, SystemCommand]] = {}
        for active in screen.active_bindings.values():
            binding, node = active.binding, active.node
            if not binding.description or binding.action in found:
                continue
            key = self.get_key_display(binding)
            found[binding.action] = (rank(node), place(node, binding.action), SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} ({key})",
                lambda node=node, action=binding.action: self.run_action(action, node),
                discover=binding.show or rank(node) < 2,
            ))
        ordered = sorted(found.values(), key=lambda item: item[:2])
        yield from (command for r, _, command in ordered if r < 2)
        titles = {command.title for r, _, command in ordered if r < 2}
        yield from (c for c in super().get_system_commands(screen) if c.title not in titles)
        yield from (command for r, _, command in ordered if r == 2)
