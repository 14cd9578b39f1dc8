"""The Train screen's look inside the network (Ctrl+T) and its live settings.

:class:`InsideKeys` is a mixin of :class:`~micrograd_tui.training.screen.TrainScreen` (which
provides what its ``TYPE_CHECKING`` block lists): it shows or hides the
:class:`~.neurons.NeuronPanel`, computes its pictures (:mod:`.neuron_maps`) on the UI thread
when no run is going and in the training thread beside the boundary while one is, and
applies a changed form: the learning rate, L2 and schedule go on with the run
(``Trainer.update``), the number of steps too when no thread is running, anything else
starts over.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from engine.train import Trainer

from .controls import TrainControls
from .neuron_maps import Bounds, NeuronMaps, neuron_maps, plane_bounds
from .neurons import NeuronPanel

if TYPE_CHECKING:
    from engine.train import TrainConfig

    from .run import RedrawPacer, RunControl

NOT_2D = "The pictures of the neurons need a data set with 2 inputs."
DRAWING = "Drawing the neurons at the next step…"


def live_changes(old: TrainConfig, new: TrainConfig) -> dict[str, Any] | None:
    """The live settings (lr, l2, schedule) that differ, or None if anything else does
    (``steps`` aside: the caller handles it)."""
    changed = {name: getattr(new, name) for name in Trainer.LIVE_SETTINGS
               if getattr(new, name) != getattr(old, name)}
    if dataclasses.replace(old, **changed, steps=new.steps) != new:
        return None
    return changed


class InsideKeys:
    """Ctrl+T (the neuron panel) and live settings for the Train screen."""

    if TYPE_CHECKING:  # provided by TrainScreen
        trainer: Trainer | None
        run_control: RunControl
        pacer: RedrawPacer

        def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...
        def notify(self, message: str, *, title: str = "", severity: Any = "information",
                   timeout: float | None = None, markup: bool = True) -> None: ...
        def _new_trainer(self, config: TrainConfig) -> None: ...
        def _show_status(self, state: str | None = None,
                         speed: float | None = None) -> None: ...

    #: read by the training thread (plain values, set on the UI thread)
    _neurons_on = False
    _neuron_selected: tuple[int, int] = (0, 0)
    _neuron_bounds: Bounds | None = None

    @property
    def neuron_panel(self) -> NeuronPanel:
        return self.query_one(NeuronPanel)

    def action_toggle_neurons(self) -> None:
        plots = self.query_one("#plots")
        plots.toggle_class("-neurons")
        self._neurons_on = plots.has_class("-neurons")
        if self._neurons_on:
            if self.run_control.free:
                self.refresh_neurons()
            elif self.trainer is not None and self.trainer.train_set.dim == 2:
                # the training thread draws them (soon: at its next report); until then, no
                # pictures of older weights (maybe of another run)
                self.pacer.want_view_soon()
                self.neuron_panel.show(None, DRAWING)
            else:
                self.show_neurons(None)  # says why there is nothing to show
            self.neuron_panel.focus()

    def neuron_maps_for(self, trainer: Trainer) -> NeuronMaps | None:
        """The pictures for ``trainer`` (None when the panel is hidden or the data is not 2-D);
        safe in the training thread between two steps."""
        if not self._neurons_on or trainer.train_set.dim != 2:
            return None
        if self._neuron_bounds is None:
            self._neuron_bounds = plane_bounds(trainer.train_set.X)
        return neuron_maps(trainer.model, self._neuron_bounds, self._neuron_selected)

    def refresh_neurons(self, *, new_data: bool = False) -> None:
        """Draw the pictures now, when no thread uses the trainer (else the thread does)."""
        if new_data:
            self._neuron_bounds = None
        t = self.trainer
        if not self._neurons_on or t is None or not self.run_control.free:
            return
        self.show_neurons(self.neuron_maps_for(t))

    def show_neurons(self, maps: NeuronMaps | None) -> None:
        t = self.trainer
        note = NOT_2D if t is not None and t.train_set.dim != 2 else ""
        self.neuron_panel.show(maps, note)

    def on_neuron_panel_selected(self, message: NeuronPanel.Selected) -> None:
        self._neuron_selected = message.selected
        self.refresh_neurons()

    # --- live settings -------------------------------------------------------------------
    def on_train_controls_config_changed(self, message: TrainControls.ConfigChanged) -> None:
        t = self.trainer
        new = message.config
        if t is not None and new == t.config:
            return
        live = None if t is None else live_changes(t.config, new)
        if t is None or live is None or (new.steps != t.config.steps
                                         and not self.run_control.free):
            self._new_trainer(new)
            return
        if new.steps != t.config.steps:
            t.set_steps(new.steps)  # keeps weights and optimizer state
        if live:
            t.update(**live)
            self.run_control.forward_live(live)
        if self.run_control.free:
            self._show_status("done" if t.done else "paused" if t.step_count else "ready")
