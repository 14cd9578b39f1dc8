"""A headless trainer, used alike by the app's Train screen and the command line.

``Trainer(config)`` builds the data set and the model from a :class:`TrainConfig`, then
trains one step at a time: each step computes the loss over the (mini-)batch,
back-propagates and updates the parameters, and reports a :class:`StepEvent`.  A step runs
whole layers over the batch (:mod:`engine.columnar`), with exactly the numbers of the graph
of Values it would otherwise build; ``Trainer(config, columnar=False)`` builds that graph
(one fused node per neuron and sample, or the fine graph).  The caller
may stop iterating :meth:`Trainer.steps` at any point: that pauses (or cancels) training
between two steps, and iterating again resumes it.  Everything is deterministic for a seed.

The ``micrograd-demo`` preset is karpathy/micrograd's demo notebook: the model is
``MLP(2, [16, 16, 1])`` drawn from ``random.Random(1337)`` (the same numbers as
``random.seed(1337)``), max-margin loss + 1e-4 L2, full batch, SGD with
``lr = 1.0 - 0.9*k/100``; it reproduces the notebook's losses to the last digit.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from threading import Lock
from time import perf_counter
from typing import Any, Callable, Iterator, Sequence

from .columnar import BatchPath
from .data import Dataset, make_dataset, train_test_split
from .errors import NumericError
from .losses import LOSSES, accuracy, loss_value
from .float_forward import layer_columns
from .nn import MLP
from .optim import Optimizer, make_optimizer
from .train_config import MAX_LAYERS, MAX_WIDTH, PRESETS, TrainConfig, _is_int, config_from, \
    parse_hidden
from .gcpause import paused_gc
from .value import Value

__all__ = ["PRESETS", "StepEvent", "TrainConfig", "Trainer", "config_from", "layer_columns",
           "parse_hidden"]

# the config, its checks and presets live in engine.train_config; they stay importable here

@dataclass(frozen=True)
class StepEvent:
    """What one training step did.

    ``step`` is the 0-based index of the step just done; ``loss`` and ``accuracy`` are those
    of the batch *before* the update (as the micrograd notebook prints them); ``accuracy``
    is None for regression.  ``test_loss``/``test_accuracy`` (same parameters, same loss
    formula including the L2 term) are None without a test set.  ``seconds``: wall time.
    """

    step: int
    loss: float
    accuracy: float | None
    lr: float
    test_loss: float | None = None
    test_accuracy: float | None = None
    seconds: float = field(default=0.0, compare=False)


class Trainer:
    """Trains an MLP on a data set, one step at a time (see the module docstring)."""

    def __init__(self, config: TrainConfig | None = None, *, columnar: bool = True) -> None:
        config = dataclasses.replace(config) if config is not None else TrainConfig()
        config.validate()
        self.config = config
        self.task = config.task
        self.dataset = make_dataset(config.dataset, config.n_samples, config.noise, config.seed)
        train, test = train_test_split(self.dataset, config.test_fraction, config.seed)
        self.train_set: Dataset = train
        self.test_set: Dataset | None = test if len(test) else None
        self._loss_fn = LOSSES[config.loss]
        # the inputs become leaves once; every step's graph starts from them
        self._inputs: list[list[Value]] = [[Value(x) for x in row] for row in train.X]
        # the fast path (whole layers over the batch, same bits); columnar=False: the graph
        self._columnar = BatchPath(train.X) if columnar else None
        self.history: list[StepEvent] = []
        self.step_count = 0
        # live settings (update()): a change asked for during a step waits for the next one
        self._settings_lock = Lock()
        self._stepping = False
        self._pending: dict[str, Any] = {}
        self.reset()

    # --- state ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to step 0: weights drawn again from the seed, history cleared."""
        cfg = self.config
        rng = random.Random(cfg.seed)  # the same draws as random.seed(seed) in micrograd
        self.model = MLP(self.train_set.dim, [*cfg.hidden, 1], activation=cfg.activation,
                         fused=cfg.fused, rng=rng)
        self._batch_rng = random.Random(f"batches:{cfg.seed}")
        self.history = []
        self.step_count = 0

    def __getstate__(self) -> dict[str, Any]:
        # a copy (pickle, deepcopy) takes everything but the lock, and no step is under way
        state = self.__dict__.copy()
        del state["_settings_lock"]
        state["_stepping"] = False
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._settings_lock = Lock()

    def adopt(self, other: Trainer) -> None:
        """Take over the state of ``other``, a copy of this trainer that trained elsewhere
        (:mod:`engine.train_process` trains a pickled copy in another process): its model,
        optimizer, batch order, history and settings.  A live change asked of this trainer
        meanwhile and not yet applied (:meth:`update`) still applies at its next step."""
        state = other.__getstate__()
        with self._settings_lock:
            state["_pending"] = self._pending
            self.__dict__.update(state)

    def weights(self) -> list[float]:
        """The parameters' values, in :meth:`MLP.parameters` order."""
        return [p.data for p in self._params]

    def set_weights(self, weights: Sequence[float]) -> None:
        """Set the parameters' values (as :meth:`weights` gives them), e.g. to draw the model
        of a copy that trains in another process."""
        if len(weights) != len(self._params):
            raise ValueError(f"weights: the model has {len(self._params)} parameters, "
                             f"not {len(weights)}")
        for p, w in zip(self._params, weights):
            p.data = w

    @property
    def model(self) -> MLP:
        """The model being trained.  Assign another one (e.g. from :meth:`load_model`) to
        predict or train with it: it must take this data set's inputs and have one output;
        the optimizer then starts afresh (step count and history are kept)."""
        return self._model

    @model.setter
    def model(self, model: MLP) -> None:
        if model.nin != self.train_set.dim or model.nouts[-1] != 1:
            raise ValueError(f"model: this data set needs a model with {self.train_set.dim} "
                             f"input(s) and 1 output, not {model.nin} and {model.nouts[-1]}")
        cfg = self.config
        model.fused = cfg.fused
        self._model = model
        self._params = model.parameters()
        self.optimizer: Optimizer = make_optimizer(cfg.optimizer, self._params, cfg.lr,
                                                   schedule=cfg.schedule, steps=cfg.steps)

    def set_steps(self, steps: int) -> None:
        """Make the run longer or shorter, keeping the weights, history and the optimizer's
        state (momentum, Adam's moments); the learning-rate schedule follows the new length."""
        config = dataclasses.replace(self.config, steps=steps)
        config.validate()
        self.config = config
        self.optimizer.steps = steps

    #: the settings :meth:`update` may change without starting over
    LIVE_SETTINGS = ("lr", "l2", "schedule")

    def update(self, **settings: Any) -> None:
        """Change the learning rate, L2 strength or schedule of a run under way, keeping the
        weights, the history and the optimizer's state: ``trainer.update(lr=0.1)``.

        The change applies from the next step (a step already under way in another thread
        finishes with the old settings); the schedule's position is the step count, so
        ``lr`` is the new rate at step 0 of the same schedule.  Raises ``ValueError`` naming
        the setting for anything else (those need a new trainer) or an invalid value.
        """
        other = sorted(set(settings) - set(self.LIVE_SETTINGS))
        if other:
            raise ValueError(f"{other[0]}: cannot change during a run; only "
                             f"{', '.join(self.LIVE_SETTINGS)} can (start over for the rest)")
        with self._settings_lock:
            pending = {**self._pending, **settings}
            dataclasses.replace(self.config, **pending).validate()
            if self._stepping:
                self._pending = pending
            else:
                self._pending = {}
                self._apply_settings(pending)

    def _apply_settings(self, settings: dict[str, Any]) -> None:
        """Set validated live settings on the config (read by the loss, the graph's and the
        columnar path's alike, at each step) and on the optimizer."""
        if not settings:
            return
        self.config = dataclasses.replace(self.config, **settings)
        self.optimizer.lr = float(self.config.lr)
        self.optimizer.schedule = self.config.schedule

    @property
    def done(self) -> bool:
        return self.step_count >= self.config.steps

    @property
    def last(self) -> StepEvent | None:
        """The latest event, or None before the first step."""
        return self.history[-1] if self.history else None

    # --- training --------------------------------------------------------------------
    def step(self) -> StepEvent:
        """One step: loss of the batch, backward, update.  Raises ``NumericError`` if it diverges.

        After an error nothing has changed: the parameters are those of the last good step.
        """
        with self._settings_lock:
            pending, self._pending = self._pending, {}
            self._apply_settings(pending)
            self._stepping = True
        try:
            return self._step()
        finally:
            with self._settings_lock:
                self._stepping = False

    def _step(self) -> StepEvent:
        cfg = self.config
        if self.done:
            raise RuntimeError(f"training is finished ({self.step_count} of {cfg.steps} steps); "
                               f"reset to train again")
        k = self.step_count
        start = perf_counter()
        rng_state = self._batch_rng.getstate()
        if cfg.batch_size:
            idx = self._batch_rng.sample(range(len(self._inputs)), cfg.batch_size)
            xs = [self._inputs[i] for i in idx]
            ys = [self.train_set.y[i] for i in idx]
        else:
            idx = None
            xs, ys = self._inputs, self.train_set.y
        forward = self._model.forward
        params = self._params
        classification = self.task == "classification"
        # The graph has no cycles, so reference counting frees it; the cyclic collector would
        # only walk the thousands of new nodes again and again (measured on the demo: the fine
        # graph steps 1.5-2x faster with it paused, the fused one a few percent).
        with paused_gc():
            fast = None if self._columnar is None else \
                self._columnar.step(self._model, params, idx, ys, cfg.loss, cfg.l2)
            if fast is not None:
                train_loss, scores = fast
            else:  # the graph (also when the fast path meets an overflow: the graph names it)
                try:
                    graph_scores = [forward(x)[0] for x in xs]
                    loss = self._loss_fn(graph_scores, ys, params, cfg.l2)
                    # backward() adds into the leaves: the parameters and inputs start at 0
                    for p in params:
                        p.grad = 0.0
                    for row in xs:
                        for xi in row:
                            xi.grad = 0.0
                    loss.backward()
                except NumericError as e:
                    self._batch_rng.setstate(rng_state)
                    raise NumericError(e.op, e.operands, e.reason,
                                       where=f"at training step {k + 1}: the model diverged; "
                                             f"try a smaller learning rate") from None
                train_loss = loss.data
                scores = [s.data for s in graph_scores]
                del graph_scores, loss
            train_acc = accuracy(scores, ys) if classification else None
            del scores
            test_loss = test_acc = None
            if self.test_set is not None:
                test_loss, test_acc = self.evaluate(self.test_set)
            try:
                lr = self.optimizer.step(k)
            except NumericError:
                self._batch_rng.setstate(rng_state)
                raise
        event = StepEvent(k, train_loss, train_acc, lr, test_loss, test_acc, perf_counter() - start)
        self.history.append(event)
        self.step_count = k + 1
        return event

    def steps(self, n: int | None = None) -> Iterator[StepEvent]:
        """Yield events for up to ``n`` steps (all remaining if None); each step runs when
        the next event is asked for, so stopping the iteration pauses training."""
        done = 0
        while not self.done and (n is None or done < n):
            yield self.step()
            done += 1

    def run(self, on_event: Callable[[StepEvent], object] | None = None,
            should_stop: Callable[[], bool] | None = None) -> list[StepEvent]:
        """Train to the end (or until ``should_stop()`` is true); returns this run's events."""
        events = []
        for event in self.steps():
            events.append(event)
            if on_event is not None:
                on_event(event)
            if should_stop is not None and should_stop():
                break
        return events

    # --- predictions, without graphs ---------------------------------------------------
    def _forward_floats(self, points: Sequence[Sequence[float]]) -> list[float]:
        """The model's raw scores for many points, with floats (same order of operations,
        hence the same numbers, as the graph).  Works column by column over the points."""
        nin = self._model.nin
        for p in points:
            if len(p) != nin:
                raise ValueError(f"x: the model takes {nin} input(s), got {len(p)}")
        if not points:
            return []
        return layer_columns(self._model, points)[-1][0]

    def predict(self, x: Sequence[float]) -> float:
        """The model's raw score for one input (no graph is kept)."""
        return self._forward_floats([x])[0]

    def predict_many(self, points: Sequence[Sequence[float]]) -> list[float]:
        """Raw scores for many inputs (e.g. a fitted curve for ``regression1d``)."""
        return self._forward_floats(points)

    def predict_grid(self, xs: Sequence[float], ys: Sequence[float]) -> list[list[float]]:
        """Scores over a grid for a 2-input model: ``grid[i][j]`` is the score at (xs[j], ys[i])."""
        if self._model.nin != 2:
            raise ValueError(f"predict_grid needs a model with 2 inputs, not {self._model.nin}")
        xs = list(xs)
        flat = self._forward_floats([(x, y) for y in ys for x in xs])
        w = len(xs)
        return [flat[i * w:(i + 1) * w] for i in range(len(ys))]

    def evaluate(self, ds: Dataset) -> tuple[float, float | None]:
        """(loss, accuracy) of the current model on ``ds`` with the configured loss and L2.

        Accuracy is None for regression."""
        scores = self._forward_floats(ds.X)
        loss = loss_value(self.config.loss, scores, ds.y, [p.data for p in self._params],
                          self.config.l2)
        return loss, (accuracy(scores, ds.y) if ds.task == "classification" else None)

    # --- files ---------------------------------------------------------------------------
    def save(self, path: str) -> None:
        """Write the model's parameters as JSON, atomically."""
        self._model.save(path)

    @classmethod
    def load_model(cls, path: str) -> MLP:
        """Read a model saved by :meth:`save` (``ModelFileError`` for a bad file).

        A model larger than training allows (``MAX_LAYERS`` hidden layers of ``MAX_WIDTH``
        neurons) is refused before anything is built.  Assign it to ``trainer.model`` to
        predict or train with it."""
        from .persist import ModelFileError, read_json

        d = read_json(path, what="model")
        problem = _model_size_problem(d)
        if problem:
            raise ModelFileError(f"{path}: {problem}")
        try:
            return MLP.from_dict(d, fused=True)
        except ValueError as e:
            raise ModelFileError(f"{path}: {e}") from None


def _model_size_problem(d: Any) -> str | None:
    """Why a saved model's layers exceed what training allows, read from the file's sizes
    alone; None when they fit (or are malformed, which :meth:`MLP.from_dict` explains)."""
    nin, nouts = (d.get("nin"), d.get("nouts")) if isinstance(d, dict) else (None, None)
    if not isinstance(nouts, list):
        return None
    if len(nouts) - 1 > MAX_LAYERS:
        return (f"the model has {len(nouts) - 1} hidden layers; "
                f"at most {MAX_LAYERS} can be trained here")
    for n in [nin, *nouts]:
        if _is_int(n) and n > MAX_WIDTH:
            return f"the model has a layer of {n} neurons; at most {MAX_WIDTH} can be trained here"
    return None
