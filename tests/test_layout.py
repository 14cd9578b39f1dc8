"""The layout stays readable: no source module over ~400 lines, and the README's layout
section names what is really there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400

# none left: a module that grows past the limit is split by concept, not listed here
TOO_LONG_FOR_NOW: set[str] = set()


def _sources() -> list[Path]:
    return sorted(p for package in ("engine", "micrograd_tui")
                  for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def test_no_source_module_is_over_400_lines() -> None:
    sources = _sources()
    assert len(sources) > 20  # the walk really found the packages
    too_long = {}
    for path in sources:
        name = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and name not in TOO_LONG_FOR_NOW:
            too_long[name] = lines
    assert too_long == {}, f"split these modules (over {MAX_LINES} lines): {too_long}"


def _layout_entries() -> list[tuple[str, str]]:
    """``(path, line)`` for every name the README's "Project layout" block lists.

    A line is ``names   description``: the names (separated by one space) come before the
    first run of two or more spaces; indentation puts them inside the folder above."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Project layout", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None, "README: the Project layout section has no code block"
    entries: list[tuple[str, str]] = []
    folders: list[tuple[int, str]] = []  # (indent, path/) of the enclosing folders
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        names = re.split(r" {2,}", line.strip(), maxsplit=1)[0].split(" ")
        while folders and folders[-1][0] >= indent:
            folders.pop()
        parent = folders[-1][1] if folders else ""
        for name in names:
            entries.append((parent + name, line))
        if len(names) == 1 and names[0].endswith("/"):
            folders.append((indent, parent + names[0]))
    return entries


def test_readme_layout_names_only_what_exists() -> None:
    entries = _layout_entries()
    assert ("micrograd_tui/playground/screen.py" in {p for p, _ in entries})
    missing = [f"{path}  (README line: {line.strip()!r})" for path, line in entries
               if not (ROOT / path.rstrip("/")).exists()]
    assert missing == [], "README's layout names paths that do not exist:\n" + "\n".join(missing)


def test_readme_layout_names_every_app_module() -> None:
    named = {path.rstrip("/") for path, _ in _layout_entries()}
    package = ROOT / "micrograd_tui"
    unnamed = []
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or path.name == "__init__.py":
            continue
        if path.is_dir() or path.suffix in (".py", ".tcss"):
            name = path.relative_to(ROOT).as_posix()
            if name not in named:
                unnamed.append(name)
    assert unnamed == [], f"README's layout section does not name: {unnamed}"
