"""The engine is headless: importing it, and every module in it, loads no UI library."""

from __future__ import annotations

import json
import subprocess
import sys

UI_LIBRARIES = ("textual", "rich", "plotext", "textual_plotext", "micrograd_tui")

PROBE = """
import json, pkgutil, sys
import engine
first = sorted(m for m in sys.modules if m.split(".")[0] in {libs})
modules = [m.name for m in pkgutil.walk_packages(engine.__path__, "engine.")]
for name in modules:
    __import__(name)
after = sorted(m for m in sys.modules if m.split(".")[0] in {libs})
print(json.dumps({{"first": first, "modules": modules, "after": after}}))
"""


def test_import_engine_loads_no_ui_library() -> None:
    code = PROBE.format(libs=repr(set(UI_LIBRARIES)))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["first"] == [], f"`import engine` loaded {report['first']}"
    assert "engine.export" in report["modules"]  # the walk really found the engine's modules
    assert report["after"] == [], f"engine's modules loaded {report['after']}"
