"""While the app is served to browsers, the files it writes or reads stay in the tab's folder.

``micrograd-tui serve`` starts each tab's app with ``$MICROGRAD_TUI_SANDBOX`` set to that tab's
own data folder (also its current folder). Every path a learner can type or the app picks for a
save, a load or an export goes through :func:`confine`: outside that folder (an absolute path,
``..``, ``~``, or a symbolic link that leads out) it is refused with a sentence that says why.
Without the variable (the app in a terminal) paths are used as typed.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_SANDBOX = "MICROGRAD_TUI_SANDBOX"


class OutsideSandbox(ValueError):
    """A path leads out of the served session's folder; ``str()`` says which and why."""


def sandbox_root() -> Path | None:
    """The folder files must stay in, or None when the app is not served."""
    root = os.environ.get(ENV_SANDBOX)
    return Path(root).resolve() if root else None


def confine(path: str | Path, what: str = "file") -> Path:
    """``path`` (``~`` expanded) when not served; when served, the path if it stays in the
    session's folder (relative paths count from there), else :class:`OutsideSandbox`."""
    root = sandbox_root()
    full = Path(path).expanduser()
    if root is None:
        return full
    if not full.is_absolute():
        full = root / full
    resolved = full.resolve()  # follows symbolic links and `..`
    if resolved != root and not resolved.is_relative_to(root):
        raise OutsideSandbox(f"The {what} {path} is outside this session's folder {root}: "
                             "while the app is served, files stay there (type a plain name "
                             "such as model.json).")
    return full
