"""A tiny GPT built from our Values: exactly the architecture of Karpathy's microgpt.

Token and position embeddings, RMSNorm, ``n_layer`` blocks of multi-head causal
self-attention (one token at a time, with a KV cache) and a ReLU MLP, residual connections,
no biases, and an lm_head.  The parameters are drawn with ``gauss(0, 0.08)`` in microgpt's
order: wte, wpe, lm_head, then per layer attn_wq, attn_wk, attn_wv, attn_wo, mlp_fc1,
mlp_fc2, each row by row.

The same forward pass is written over two sets of building blocks (:class:`Kit`):

* :class:`FineKit`, one node per operation, microgpt's own way: ``sum`` of products from 0,
  ``a / b`` as ``a * b**-1``, ``a - b`` as ``a + (-b)``, ``-a`` as ``a * -1``;
* :class:`FusedKit`, one ``dot`` node per output of a linear map (and per attention logit
  and weighted value), one ``sum`` node per sum.  Each fused node adds left to right from 0
  as the fine chain does and hands gradients back in the fine chain's order, so both give
  the same numbers to the last bit (losses *and* gradients; ``tests/engine/test_gpt.py``
  checks it) while the fused graph has about 20 times fewer nodes.

Softmax stays made of nodes in both (exp, a sum, ``** -1``, products): a single softmax
node would add each logit's gradient in another order and change the last bits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Sequence, cast

from ..value import Value, dot, dot_of, vsum

__all__ = ["GPTConfig", "GPT", "Kit", "FineKit", "FusedKit", "MATRICES"]


@dataclass(frozen=True)
class GPTConfig:
    """The shape of the model (microgpt's defaults)."""

    n_embd: int = 16
    n_head: int = 4
    n_layer: int = 1
    block_size: int = 16
    init_std: float = 0.08

    def __post_init__(self) -> None:
        for name in ("n_embd", "n_head", "n_layer", "block_size"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 1024:
                raise ValueError(f"{name}: must be a whole number from 1 to 1024, not {v!r}")
        if self.n_embd % self.n_head:
            raise ValueError(f"n_head: {self.n_head} heads do not divide n_embd {self.n_embd}")
        if not 0.0 < self.init_std < 10.0:
            raise ValueError(f"init_std: must be between 0 and 10, not {self.init_std!r}")

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head


def MATRICES(config: GPTConfig, vocab_size: int) -> list[tuple[str, int, int]]:
    """(name, rows, columns) of every weight matrix, in microgpt's state-dict order."""
    e = config.n_embd
    shapes = [("wte", vocab_size, e), ("wpe", config.block_size, e), ("lm_head", vocab_size, e)]
    for i in range(config.n_layer):
        shapes += [(f"layer{i}.attn_wq", e, e), (f"layer{i}.attn_wk", e, e),
                   (f"layer{i}.attn_wv", e, e), (f"layer{i}.attn_wo", e, e),
                   (f"layer{i}.mlp_fc1", 4 * e, e), (f"layer{i}.mlp_fc2", e, 4 * e)]
    return shapes


class Kit:
    """The building blocks of the forward pass; see :class:`FineKit` and :class:`FusedKit`."""

    def dot(self, a: Sequence[Value], b: Sequence[Value]) -> Value:
        raise NotImplementedError

    def total(self, xs: Sequence[Value]) -> Value:
        raise NotImplementedError

    def linear(self, x: Sequence[Value], w: Sequence[Sequence[Value]]) -> list[Value]:
        return [self.dot(row, x) for row in w]

    def softmax(self, logits: Sequence[Value]) -> list[Value]:
        m = max(v.data for v in logits)  # a constant: shifting by it leaves softmax unchanged
        exps = [(v + (-m)).exp() for v in logits]
        total = self.total(exps)
        # microgpt's e / total is e * total**-1, one power node per e: gradients reach
        # total through each of them, an order a shared 1/total would change
        return [e * total ** -1 for e in exps]

    def probability(self, logits: Sequence[Value], i: int) -> Value:
        """``softmax(logits)[i]``; microgpt builds every probability, as this does."""
        return self.softmax(logits)[i]

    def rmsnorm(self, x: Sequence[Value]) -> list[Value]:
        ms = self.dot(x, x) * len(x) ** -1
        scale = (ms + 1e-5) ** -0.5
        return [xi * scale for xi in x]


class FineKit(Kit):
    """One node per operation, as microgpt builds it."""

    def dot(self, a: Sequence[Value], b: Sequence[Value]) -> Value:
        return cast(Value, sum(x * y for x, y in zip(a, b)))  # from int 0, left to right

    def total(self, xs: Sequence[Value]) -> Value:
        return cast(Value, sum(xs))


class FusedKit(Kit):
    """A ``dot`` node per dot product, a ``sum`` node per sum: the same bits, far fewer nodes."""

    def dot(self, a: Sequence[Value], b: Sequence[Value]) -> Value:
        return dot(a, b)

    def total(self, xs: Sequence[Value]) -> Value:
        return vsum(xs)

    def probability(self, logits: Sequence[Value], i: int) -> Value:
        """``softmax(logits)[i]`` without the other probabilities' nodes, which the loss
        never reaches (so the graph, and every number, is the same)."""
        m = max(v.data for v in logits)
        exps = [(v + (-m)).exp() for v in logits]
        return exps[i] * self.total(exps) ** -1

    def linear(self, x: Sequence[Value], w: Sequence[Sequence[Value]]) -> list[Value]:
        xd = [v.data for v in x]
        return [dot_of(row, x, xd) for row in w]


FINE, FUSED = FineKit(), FusedKit()


class GPT:
    """The parameters and the forward pass for one token at a time."""

    def __init__(self, config: GPTConfig, vocab_size: int, rng: random.Random) -> None:
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size < 2:
            raise ValueError(f"vocab_size: must be at least 2 (a character and BOS), not {vocab_size!r}")
        self.config = config
        self.vocab_size = vocab_size
        gauss, std = rng.gauss, config.init_std
        self.state: dict[str, list[list[Value]]] = {}
        for name, rows, cols in MATRICES(config, vocab_size):
            self.state[name] = [[Value(gauss(0, std)) for _ in range(cols)] for _ in range(rows)]
        self.params: list[Value] = [p for mat in self.state.values() for row in mat for p in row]

    def label_params(self) -> None:
        """Name every parameter after its place (``layer0.attn_wq[3][5]``), for graphs."""
        for name, mat in self.state.items():
            for i, row in enumerate(mat):
                for j, p in enumerate(row):
                    p.label = f"{name}[{i}][{j}]"

    def forward(self, token: int, pos: int, keys: list[list[list[Value]]],
                values: list[list[list[Value]]], kit: Kit = FUSED) -> list[Value]:
        """The logits for the next token after ``token`` at position ``pos``.

        ``keys`` and ``values`` hold one list per layer (the KV cache); this appends the
        token's key and value to them, so call it for positions 0, 1, 2, ... in order.
        """
        c = self.config
        sd = self.state
        hd = c.head_dim
        x = [t + p for t, p in zip(sd["wte"][token], sd["wpe"][pos])]
        x = kit.rmsnorm(x)
        inv_sqrt = (hd ** 0.5) ** -1
        for li in range(c.n_layer):
            pre = f"layer{li}."
            x_residual = x
            x = kit.rmsnorm(x)
            q = kit.linear(x, sd[pre + "attn_wq"])
            k = kit.linear(x, sd[pre + "attn_wk"])
            v = kit.linear(x, sd[pre + "attn_wv"])
            keys[li].append(k)
            values[li].append(v)
            x_attn: list[Value] = []
            for h in range(c.n_head):
                hs = h * hd
                q_h = q[hs:hs + hd]
                k_h = [ki[hs:hs + hd] for ki in keys[li]]
                v_h = [vi[hs:hs + hd] for vi in values[li]]
                logits = [kit.dot(q_h, kt) * inv_sqrt for kt in k_h]
                weights = kit.softmax(logits)
                x_attn.extend(kit.dot(weights, [vt[j] for vt in v_h]) for j in range(hd))
            x = kit.linear(x_attn, sd[pre + "attn_wo"])
            x = [a + b for a, b in zip(x, x_residual)]
            x_residual = x
            x = kit.rmsnorm(x)
            x = [h.relu() for h in kit.linear(x, sd[pre + "mlp_fc1"])]
            x = kit.linear(x, sd[pre + "mlp_fc2"])
            x = [a + b for a, b in zip(x, x_residual)]
        return kit.linear(x, sd["lm_head"])

    def loss(self, tokens: Sequence[int], kit: Kit = FUSED) -> Value:
        """The mean cross-entropy of predicting each next token of ``tokens`` (at most
        ``block_size`` predictions), as one Value to back-propagate from."""
        n = min(self.config.block_size, len(tokens) - 1)
        if n < 1:
            raise ValueError("a document needs at least two tokens (BOS on both sides)")
        keys: list[list[list[Value]]] = [[] for _ in range(self.config.n_layer)]
        values: list[list[list[Value]]] = [[] for _ in range(self.config.n_layer)]
        losses = []
        for pos in range(n):
            logits = self.forward(tokens[pos], pos, keys, values, kit)
            prob = kit.probability(logits, tokens[pos + 1])
            losses.append(prob.log() * -1)
        return (1 / n) * kit.total(losses)
