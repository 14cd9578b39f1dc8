"""micrograd-tui's engine: a scalar autograd core, standard library only.

    from engine import Value, MLP
"""

from .errors import EngineError, NumericError
from .expr import ExprError, ExprNumericError, Program, evaluate, parse
from .graph import backward, topological_order
from .nn import MLP, Layer, Module, Neuron
from .persist import ModelFileError
from .value import OPS, Op, Value, fused_neuron, pow_const_op, vsum

__all__ = [
    "EngineError", "NumericError", "ModelFileError",
    "Value", "Op", "OPS", "pow_const_op", "fused_neuron", "vsum",
    "backward", "topological_order",
    "ExprError", "ExprNumericError", "Program", "evaluate", "parse",
    "Module", "Neuron", "Layer", "MLP",
]
