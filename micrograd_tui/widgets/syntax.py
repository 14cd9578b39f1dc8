"""Whether the program editor can colour the expression language.

The language is a small subset of Python, so the editor uses Textual's tree-sitter highlighting
with the Python grammar (``tree-sitter`` and ``tree-sitter-python``, both dependencies of the
app). Where their wheels could not be installed or loaded, the editor shows plain text and the
help says so once (:data:`PLAIN_TEXT_NOTE`).
"""

from __future__ import annotations

from functools import lru_cache

#: what the help says when the editor cannot colour programs
PLAIN_TEXT_NOTE = ("The program editor shows plain text: syntax colours need the tree-sitter and "
                   "tree-sitter-python packages, which could not be loaded here "
                   "(`pip install tree-sitter tree-sitter-python`).")


@lru_cache(maxsize=1)
def python_highlighting_available() -> bool:
    """True when tree-sitter loads and its Python grammar builds a language."""
    try:
        import tree_sitter
        import tree_sitter_python

        tree_sitter.Language(tree_sitter_python.language())
    except Exception:  # noqa: BLE001 - missing, or a wheel built for another platform
        return False
    return True
