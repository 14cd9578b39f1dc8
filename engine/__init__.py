"""micrograd-tui's engine: a scalar autograd core, standard library only.

    from engine import Value, MLP
"""

from .draw import GraphvizMissingError, draw_dot
from .errors import EngineError, NumericError
from .expr import ExprError, ExprNumericError, Limits, Program, evaluate, parse
from .data import DATASETS, Dataset, make_dataset, train_test_split
from .gradcheck import GradCheckRow, check_gradients
from .graph import backward, topological_order
from .losses import LOSSES, bce, max_margin, mse
from .optim import SGD, Adam
from .train import PRESETS, StepEvent, TrainConfig, Trainer
from .nn import MLP, Layer, Module, Neuron
from .persist import ModelFileError
from .value import OPS, Op, Value, fused_neuron, pow_const_op, vsum

__all__ = [
    "EngineError", "NumericError", "ModelFileError",
    "Value", "Op", "OPS", "pow_const_op", "fused_neuron", "vsum",
    "backward", "topological_order",
    "ExprError", "ExprNumericError", "Limits", "Program", "evaluate", "parse",
    "Module", "Neuron", "Layer", "MLP",
    "Dataset", "DATASETS", "make_dataset", "train_test_split",
    "LOSSES", "max_margin", "mse", "bce", "SGD", "Adam",
    "TrainConfig", "PRESETS", "StepEvent", "Trainer",
    "GradCheckRow", "check_gradients",
    "draw_dot", "GraphvizMissingError",
]
