"""micrograd-tui's engine: a scalar autograd core, standard library only."""
from .errors import EngineError, NumericError
from .value import Op, Value
from .graph import backward, topological_order

__all__ = ["EngineError", "NumericError", "Op", "Value", "backward", "topological_order"]
