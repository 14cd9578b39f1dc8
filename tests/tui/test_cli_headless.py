"""The headless commands stay headless: ``eval``, ``train`` and ``lessons check`` load no Textual.

They run in a fresh interpreter (an earlier test may have imported the app), one command after
another; after each, the test lists which UI modules are loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

UI_LIBRARIES = ("textual", "textual_plotext", "plotext")

COMMANDS = {
    "eval": ["eval", "x = 2.0; y = x * x + 1"],
    "train": ["train", "--preset", "micrograd-demo", "--steps", "3"],
    "lessons check": ["lessons", "check"],
}

PROBE = """
import contextlib, io, json, sys
from micrograd_tui.cli import main
report = {{}}
for name, argv in {commands}.items():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {libs})
    report[name] = {{"code": code, "printed": len(out.getvalue()), "loaded": loaded}}
print(json.dumps(report))
"""


def test_headless_commands_load_no_textual() -> None:
    code = PROBE.format(commands=repr(COMMANDS), libs=repr(set(UI_LIBRARIES)))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    for name in COMMANDS:
        ran = report[name]
        assert ran["code"] == 0 and ran["printed"] > 0, f"`micrograd-tui {name}` did not run: {ran}"
        assert ran["loaded"] == [], f"`micrograd-tui {name}` loaded {ran['loaded']}"
