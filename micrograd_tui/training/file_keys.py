"""The Train screen's file keys: save and load the model, export the loss CSV, open the
model's graph in the playground.

The work is in :mod:`.files` (plain Python); this is the screen's side of it: *when* it runs
(never while a thread uses the trainer) and what the learner is told.  :class:`FileKeys` is a
mixin of :class:`~micrograd_tui.training.screen.TrainScreen`, which provides what its
``TYPE_CHECKING`` block lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from engine.train import Trainer

from ..messages import OpenProgram
from .files import (ActionFailed, config_for_model, export_csv, file_path, graph_program,
                    load_model, save_model)
from .view import compute_view

if TYPE_CHECKING:
    from textual.message import Message

    from engine.train import TrainConfig

    from .controls import TrainControls
    from .run import RunControl
    from .view import ModelView, ViewAxes


class FileKeys:
    """Ctrl+S, Ctrl+O, Ctrl+Y and Ctrl+G of the Train screen."""

    if TYPE_CHECKING:  # provided by TrainScreen
        trainer: Trainer | None
        run_control: RunControl
        controls: TrainControls
        _view_axes: ViewAxes | None

        def notify(self, message: str, *, title: str = "", severity: Any = "information",
                   timeout: float | None = None, markup: bool = True) -> None: ...

        def post_message(self, message: Message) -> bool: ...

        def _new_trainer(self, config: TrainConfig) -> None: ...

        def _draw_model_view(self, view: ModelView | None, step: int | None) -> None: ...

    def _attempt(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)``; an :class:`ActionFailed` is shown and gives None."""
        try:
            return fn(*args)
        except ActionFailed as e:
            self.notify(str(e), severity=e.severity, timeout=e.timeout, markup=False)
            return None

    def _tell(self, fn: Callable[..., str], *args: Any) -> None:
        """``fn(*args)`` and show what it says (or why it failed)."""
        said = self._attempt(fn, *args)
        if said is not None:
            self.notify(said, markup=False)

    def _write(self, text: str, what: str, write: Callable[[Trainer, str], str]) -> None:
        """``write(trainer, path)`` to the path typed in a field, when the trainer is free."""
        path = self._attempt(file_path, text, what)
        if path is None or self.trainer is None:
            return
        trainer = self.trainer
        self.run_control.when_free(lambda: self._tell(write, trainer, path))

    def action_save_model(self) -> None:
        self._write(self.controls.model_path, "model", save_model)

    def action_load_model(self) -> None:
        path = self._attempt(file_path, self.controls.model_path, "model")
        if path is None or self.trainer is None:
            return

        def load() -> None:
            model = self._attempt(load_model, self.trainer, path)
            if model is not None and self._use_model(model):
                self.notify(f"Loaded the model from {path}", markup=False)

        self.run_control.when_free(load)

    def _use_model(self, model: Any) -> bool:
        """Put a loaded model in the trainer (its shape goes into the form); False when its
        shape does not fit (the reason has been shown)."""
        trainer = self.trainer
        assert trainer is not None
        config = self._attempt(config_for_model, trainer.config, model)
        if config is None:
            return False
        if config != trainer.config:
            # another shape: start over with it (the form shows it), then use the weights
            self.controls.set_config(config)
            self._new_trainer(config)
            trainer = self.trainer
            assert trainer is not None
        trainer.model = model
        self._draw_model_view(compute_view(trainer, self._view_axes), trainer.step_count)
        return True

    def action_export_csv(self) -> None:
        self._write(self.controls.csv_path, "loss CSV", export_csv)

    def action_open_graph(self) -> None:
        if self.trainer is None:
            return

        def open_graph() -> None:
            found = self._attempt(graph_program, self.trainer)
            if found is None:
                return
            self.post_message(OpenProgram(found.source, found.note))

        self.run_control.when_free(open_graph)
