"""``python -m micrograd_tui``: the same command as ``micrograd-tui``.

``python -m`` puts the current folder first on ``sys.path``, so a learner's own ``engine.py``
(the file micrograd's README has them write) would hide the app's ``engine`` package. The
console script never looks there; neither do we: the current folder is dropped, unless the app
itself is run from a checkout in that folder. Whatever still hides the engine (``PYTHONPATH``)
is named in one line.
"""

import os
import sys
from importlib.util import find_spec
from pathlib import Path

_HOME = Path(__file__).resolve().parent.parent  # the folder that holds micrograd_tui/


def _same(entry: str, folder: Path) -> bool:
    try:
        return Path(entry or os.curdir).resolve() == folder
    except OSError:
        return False


def _drop_current_folder() -> None:
    try:
        here = Path.cwd().resolve()
    except OSError:  # the current folder was deleted: nothing there to hide anything
        here = None
    if here is None or here == _HOME:
        return
    sys.path[:] = [p for p in sys.path if not _same(p, here)]


def _engine_hidden_by() -> str | None:
    """The file that would be imported as ``engine`` instead of the app's package, if any."""
    try:
        spec = find_spec("engine")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.submodule_search_locations is not None:
        return None  # missing (the import error says so) or a package
    return spec.origin or "engine"


_drop_current_folder()
_hidden = _engine_hidden_by()
if _hidden is not None:
    print(f"micrograd-tui: error: {_hidden} hides the app's engine package; rename that file "
          "or take its folder out of PYTHONPATH", file=sys.stderr)
    raise SystemExit(2)

from micrograd_tui.cli import main  # noqa: E402 - after sys.path is settled

raise SystemExit(main())
