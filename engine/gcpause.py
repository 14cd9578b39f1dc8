"""Pausing Python's cyclic garbage collector while the engine makes or walks many nodes.

A graph of Values has no reference cycles, so reference counting frees it; the cyclic
collector would only scan the thousands of new objects again and again (2.5x slower
topological order on a 10**6 chain, 1.5-2x slower training steps on the fine graph, and an
evaluation time that grows faster than linearly).  Every place the engine does this uses
:func:`paused_gc`, so a reader finds them all by its name.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic GC inside the block; enable it again after, if it was on before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
