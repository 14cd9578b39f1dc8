"""Training the tiny GPT one document at a time, microgpt's recipe, step by step.

:class:`GPTTrainer` is made to be driven from a thread, one :meth:`~GPTTrainer.step` at a
time (the headless command and a screen call it in a loop and show each
:class:`GPTStepEvent`); :meth:`~GPTTrainer.sample` draws names at any time between steps.
It is not thread-safe: call all its methods from one thread.

The recipe (:class:`GPTTrainConfig`): ``random.Random(seed)`` shuffles the documents, then
draws the parameters; step ``k`` (0-based) trains on document ``k mod len(docs)`` wrapped
in BOS; Adam (lr 0.01, betas 0.85 and 0.99, eps 1e-8, in plain floats in microgpt's order)
with the learning rate decaying linearly to 0 over ``decay_steps`` steps.  With the defaults
the losses are microgpt's, bit for bit.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable

from ..gcpause import paused_gc
from ..value import Value
from .docs import Docs, default_docs
from .model import FINE, FUSED, GPT, GPTConfig, Kit

__all__ = ["GPTTrainConfig", "GPTStepEvent", "GPTTrainer", "DEFAULT_TEMPERATURE"]

DEFAULT_TEMPERATURE = 0.5
MAX_SEED = 2 ** 63


@dataclass(frozen=True)
class GPTTrainConfig:
    """microgpt's training recipe."""

    seed: int = 42
    lr: float = 0.01
    beta1: float = 0.85
    beta2: float = 0.99
    eps: float = 1e-8
    decay_steps: int = 1000  # the learning rate reaches 0 after this many steps
    model: GPTConfig = field(default_factory=GPTConfig)

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed < MAX_SEED:
            raise ValueError(f"seed: must be a whole number from 0 to 2**63 - 1, not {self.seed!r}")
        if isinstance(self.decay_steps, bool) or not isinstance(self.decay_steps, int) \
                or not 1 <= self.decay_steps <= 10 ** 7:
            raise ValueError(f"decay_steps: must be a whole number from 1 to 10**7, "
                             f"not {self.decay_steps!r}")
        for name in ("lr", "eps"):
            x = getattr(self, name)
            if not isinstance(x, (int, float)) or isinstance(x, bool) or not 0.0 < x < 10.0:
                raise ValueError(f"{name}: must be a number between 0 and 10, not {x!r}")
        for name in ("beta1", "beta2"):
            x = getattr(self, name)
            if not isinstance(x, (int, float)) or isinstance(x, bool) or not 0.0 <= x < 1.0:
                raise ValueError(f"{name}: must be at least 0 and below 1, not {x!r}")


@dataclass(frozen=True)
class GPTStepEvent:
    """What one training step did."""

    step: int        # steps done so far, this one included (1 for the first step)
    loss: float      # the mean loss over the document's tokens, before the update
    lr: float        # the learning rate this step used
    doc: str         # the document trained on
    seconds: float   # wall time of the step
    done: bool       # the learning rate has decayed to 0: no more steps


class GPTTrainer:
    """A GPT, its documents and its Adam state; see the module docstring."""

    def __init__(self, config: GPTTrainConfig | None = None, docs: Docs | None = None, *,
                 fused: bool = True) -> None:
        self.config = config or GPTTrainConfig()
        self.data = docs if docs is not None else default_docs()
        self.kit: Kit = FUSED if fused else FINE
        self.rng = random.Random(self.config.seed)
        order = list(self.data.docs)
        self.rng.shuffle(order)
        self.docs: list[str] = order
        self.model = GPT(self.config.model, self.data.vocab_size, self.rng)
        n = len(self.model.params)
        self.m: list[float] = [0.0] * n
        self.v: list[float] = [0.0] * n
        self.step_count = 0
        self._index = {ch: i for i, ch in enumerate(self.data.chars)}
        # the rest of the seeded stream draws the samples (as microgpt, after training)
        self.sample_rng = self.rng

    # --- state, for training a copy in another process (engine.train_process) -------------
    def weights(self) -> list[float]:
        """The parameters' values, in ``model.params`` order."""
        return [p.data for p in self.model.params]

    def set_weights(self, weights: list[float]) -> None:
        params = self.model.params
        if len(weights) != len(params):
            raise ValueError(f"weights: the model has {len(params)} parameters, not {len(weights)}")
        for p, w in zip(params, weights):
            p.data = w

    def adopt(self, other: GPTTrainer) -> None:
        """Take over the state of ``other``, a copy of this trainer that trained elsewhere."""
        self.__dict__.update(vars(other))

    # --- one step, in three parts (the benchmark times each) --------------------------
    @property
    def done(self) -> bool:
        return self.step_count >= self.config.decay_steps

    @property
    def lr(self) -> float:
        """The learning rate of the next step."""
        return self.config.lr * (1 - self.step_count / self.config.decay_steps)

    def next_doc(self) -> str:
        if not self.docs:
            raise ValueError(f"no documents to train on ({self.data.source}): load a data file")
        return self.docs[self.step_count % len(self.docs)]

    def tokens(self, doc: str) -> list[int]:
        bos = self.data.bos
        try:
            return [bos, *(self._index[ch] for ch in doc), bos]
        except KeyError as e:
            raise ValueError(f"the character {e.args[0]!r} is not in the model's vocabulary") from None

    def forward(self, doc: str) -> Value:
        """The loss on ``doc`` as a graph (not yet back-propagated)."""
        return self.model.loss(self.tokens(doc), self.kit)

    def update(self, lr: float) -> None:
        """Adam on every parameter from its grad, then grad = 0 (microgpt's order of operations)."""
        c = self.config
        b1, b2, eps = c.beta1, c.beta2, c.eps
        a1, a2 = 1 - b1, 1 - b2
        t = self.step_count + 1
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t
        m, v = self.m, self.v
        for i, p in enumerate(self.model.params):
            g = p.grad
            mi = m[i] = b1 * m[i] + a1 * g
            vi = v[i] = b2 * v[i] + a2 * g ** 2
            p.data -= lr * (mi / c1) / ((vi / c2) ** 0.5 + eps)
            p.grad = 0.0

    def step(self) -> GPTStepEvent:
        """Train on the next document: forward, backward, Adam.  ``NumericError`` if the
        numbers leave the floats (the parameters are then left as they were)."""
        if self.done:
            raise ValueError(f"the run is over: the learning rate reached 0 after "
                             f"{self.config.decay_steps} steps")
        doc = self.next_doc()
        start = time.perf_counter()
        lr = self.lr
        with paused_gc():
            loss = self.forward(doc)
            loss.backward()
            value = loss.data
            del loss  # the graph is freed before Adam runs
        self.update(lr)
        self.step_count += 1
        return GPTStepEvent(self.step_count, value, lr, doc, time.perf_counter() - start,
                            self.done)

    # --- sampling ------------------------------------------------------------------------
    def sample(self, n: int = 20, temperature: float = DEFAULT_TEMPERATURE,
               rng: random.Random | None = None) -> list[str]:
        """``n`` documents drawn from the model, token by token, until BOS or ``block_size``."""
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 10000:
            raise ValueError(f"n: must be a whole number from 0 to 10000, not {n!r}")
        if not isinstance(temperature, (int, float)) or not 0.01 <= temperature <= 100.0:
            raise ValueError(f"temperature: must be a number from 0.01 to 100, not {temperature!r}")
        rng = rng or self.sample_rng
        out = []
        with paused_gc():
            for _ in range(n):
                out.append(self._sample_one(temperature, rng.choices))
        return out

    def _sample_one(self, temperature: float, choices: Callable[..., list[int]]) -> str:
        cfg = self.config.model
        keys: list[list[list[Value]]] = [[] for _ in range(cfg.n_layer)]
        values: list[list[list[Value]]] = [[] for _ in range(cfg.n_layer)]
        bos, chars = self.data.bos, self.data.chars
        token = bos
        text = []
        ids = range(self.data.vocab_size)
        for pos in range(cfg.block_size):
            logits = self.model.forward(token, pos, keys, values, FUSED)
            probs = FUSED.softmax([x * temperature ** -1 for x in logits])
            token = choices(ids, weights=[p.data for p in probs])[0]
            if token == bos:
                break
            text.append(chars[token])
        return "".join(text)

    # --- one token's graph, for the playground -------------------------------------------
    def token_graph(self, doc: str | None = None, pos: int = 0) -> Value:
        """The loss of predicting token ``pos + 1`` of ``doc`` (the next document by default)
        from the tokens before it: one node per operation (softmax's exps, sum and
        divisions visible), every parameter labelled (``layer0.attn_wq[3][5]``)."""
        doc = self.next_doc() if doc is None else doc
        tokens = self.tokens(doc)
        n = min(self.config.model.block_size, len(tokens) - 1)
        if isinstance(pos, bool) or not isinstance(pos, int) or not 0 <= pos < n:
            raise ValueError(f"pos: must be from 0 to {n - 1} for the document {doc!r}, not {pos!r}")
        self.model.label_params()
        cfg = self.config.model
        keys: list[list[list[Value]]] = [[] for _ in range(cfg.n_layer)]
        values: list[list[list[Value]]] = [[] for _ in range(cfg.n_layer)]
        for p in range(pos + 1):
            logits = self.model.forward(tokens[p], p, keys, values, FINE)
        probs = FINE.softmax(logits)
        loss = probs[tokens[pos + 1]].log() * -1
        loss.label = f"loss at position {pos}"
        return loss

    # --- files -------------------------------------------------------------------------
    def save(self, path: str) -> None:
        """Save weights, Adam's state and the step atomically (see :mod:`engine.gpt.files`)."""
        from .files import save_trainer

        save_trainer(self, path)

    @classmethod
    def load(cls, path: str, docs: Docs | None = None) -> "GPTTrainer":
        """A trainer from a saved file; ``ModelFileError`` naming the file and field if bad."""
        from .files import load_trainer

        return load_trainer(path, docs)
