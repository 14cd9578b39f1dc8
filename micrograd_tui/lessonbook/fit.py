"""A ```fit``` block: the lecture's training loop, spelled out as data and run by the engine.

    for k in range(steps):
        ypred = [model(x) for x in inputs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(targets, ypred))
        loss.backward()            # zero_grad: no  ->  gradients pile up across steps
        for p in model.parameters():
            p.data += -lr * p.grad
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from engine.errors import NumericError
from engine.nn import ACTIVATIONS, MLP
from engine.value import Value

from .model import FitBlock

MAX_ROWS = 64
MAX_WIDTH = 64
MAX_STEPS = 1000
#: rows × parameters × steps: the most work a fit block may ask for (it runs as the lesson loads)
MAX_WORK = 300_000  # a whole lesson may use no more (limits.LESSON_WORK)


class FitError(ValueError):
    """A fit block that cannot run; ``line`` is the file line to report."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class FitSpec:
    inputs: list[list[float]]
    targets: list[float]
    layers: list[int]
    activation: str = "tanh"
    output_activation: str = "tanh"
    lr: float = 0.05
    steps: int = 20
    seed: int = 42
    zero_grad: bool = True

    @property
    def nin(self) -> int:
        return len(self.inputs[0])


@dataclass
class FitResult:
    spec: FitSpec
    #: loss before each update (``losses[0]`` is the untrained model's), then the final loss
    losses: list[float]
    predictions: list[float]
    parameters: int
    error: str = ""  # non-empty: the run stopped early (e.g. the numbers overflowed)

    @property
    def first_loss(self) -> float:
        return self.losses[0]

    @property
    def final_loss(self) -> float:
        return self.losses[-1]

    def names(self) -> dict[str, float]:
        """What a check's answer may use."""
        out: dict[str, float] = {
            "first_loss": self.first_loss,
            "final_loss": self.final_loss,
            "parameters": float(self.parameters),
        }
        for i, p in enumerate(self.predictions, 1):
            out[f"pred{i}"] = p
        return out

    def table(self, rows: int = 8) -> list[tuple[str, float]]:
        """(label, loss) rows to show: the first steps, then every few, then the final loss."""
        n = len(self.losses) - 1  # updates made
        if n <= 0:
            return [("start", self.losses[0])]
        every = max(1, -(-n // rows))
        picks = list(range(0, n, every))
        out = [(f"step {k}", self.losses[k]) for k in picks]
        out.append((f"after {n}", self.losses[-1]))
        return out


def _json_value(f_value: str, line: int, key: str):
    try:
        return json.loads(f_value if f_value.lstrip().startswith("[") else f"[{f_value}]")
    except (json.JSONDecodeError, RecursionError):
        raise FitError(line, f"{key}: not a list of numbers: {f_value!r}") from None


def _number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x and abs(x) < 1e12


def parse_fit(block: FitBlock) -> FitSpec:
    """Read a fit block's fields (raises :class:`FitError` at the offending line)."""
    fields = {f.key: f for f in block.fields}
    for key in ("inputs", "targets", "layers"):
        if key not in fields:
            raise FitError(block.line, f"the fit block has no {key}")
    f = fields["inputs"]
    inputs = _json_value(f.value, f.line, "inputs")
    if inputs and all(_number(x) for x in inputs):
        inputs = [[x] for x in inputs]  # one input per sample
    if (not inputs or len(inputs) > MAX_ROWS or not all(isinstance(r, list) and r for r in inputs)
            or not all(_number(x) for r in inputs for x in r)):
        raise FitError(f.line, f"inputs: a list of 1 to {MAX_ROWS} rows of numbers, "
                               "such as [[2, 3, -1], [3, -1, 0.5]]")
    if len({len(r) for r in inputs}) != 1:
        raise FitError(f.line, "inputs: every row needs the same number of values")
    f = fields["targets"]
    targets = _json_value(f.value, f.line, "targets")
    if not all(_number(x) for x in targets) or len(targets) != len(inputs):
        raise FitError(f.line, f"targets: one number per input row ({len(inputs)})")
    f = fields["layers"]
    layers = _json_value(f.value, f.line, "layers")
    if (not layers or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_WIDTH
                              for n in layers) or layers[-1] != 1):
        raise FitError(f.line, f"layers: layer sizes from 1 to {MAX_WIDTH}, the last one 1, "
                               "such as [4, 4, 1]")
    spec = FitSpec([[float(x) for x in r] for r in inputs], [float(t) for t in targets], layers)
    for key in ("activation", "output_activation"):
        if key in fields:
            v = fields[key].value.strip()
            if v not in ACTIVATIONS:
                raise FitError(fields[key].line, f"{key}: one of {', '.join(ACTIVATIONS)}, not {v!r}")
            setattr(spec, key, v)
    if "lr" in fields:
        f = fields["lr"]
        try:
            spec.lr = float(f.value)
            if not 0 < spec.lr < 1e6:
                raise ValueError
        except ValueError:
            raise FitError(f.line, f"lr: a number > 0, not {f.value!r}") from None
    for key, top in (("steps", MAX_STEPS), ("seed", 2**32)):
        if key in fields:
            f = fields[key]
            try:
                v = int(f.value)
                if not 0 <= v <= top:
                    raise ValueError
            except ValueError:
                raise FitError(f.line, f"{key}: a whole number from 0 to {top}, not {f.value!r}") from None
            setattr(spec, key, v)
    sizes = [spec.nin] + spec.layers
    n_params = sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(spec.layers)))
    work = len(spec.inputs) * n_params * max(1, spec.steps)
    if work > MAX_WORK:
        f = fields.get("steps") or fields["layers"]
        raise FitError(f.line, f"this run is too big to do while the lesson loads ({len(spec.inputs)} "
                               f"rows × {n_params} parameters × {spec.steps} steps; at most "
                               f"{MAX_WORK:,}): use fewer steps, rows or neurons")
    if "zero_grad" in fields:
        f = fields["zero_grad"]
        v = f.value.strip().lower()
        if v not in ("yes", "no", "true", "false"):
            raise FitError(f.line, f"zero_grad: yes or no, not {f.value!r}")
        spec.zero_grad = v in ("yes", "true")
    return spec


def run_fit(spec: FitSpec) -> FitResult:
    """Train ``MLP(nin, layers)`` on the rows with the sum of squared errors."""
    model = MLP(spec.nin, spec.layers, activation=spec.activation,
                output_activation=spec.output_activation, rng=random.Random(spec.seed))
    params = model.parameters()
    losses: list[float] = []
    predictions: list[float] = []
    error = ""

    def forward() -> Value:
        nonlocal predictions
        ypred = [model.forward(x)[0] for x in spec.inputs]
        predictions = [y.data for y in ypred]
        loss = Value(0.0)
        for ygt, yout in zip(spec.targets, ypred):
            loss = loss + (yout - ygt) ** 2
        return loss

    try:
        for k in range(spec.steps):
            loss = forward()
            losses.append(loss.data)
            if spec.zero_grad:
                for p in params:
                    p.grad = 0.0
            loss.backward()  # adds into the parameters' grads (they pile up without zero_grad)
            for p in params:
                p.data += -spec.lr * p.grad
        losses.append(forward().data)
    except NumericError as e:
        error = f"step {len(losses)}: {e}"
    return FitResult(spec, losses, predictions, len(params), error)


def fit_block(block: FitBlock) -> FitResult:
    """Parse and run a fit block (raises :class:`FitError` for a bad block or a failed run)."""
    result = run_fit(parse_fit(block))
    if result.error or not result.losses:
        raise FitError(block.line, f"the training run failed at {result.error}")
    return result
