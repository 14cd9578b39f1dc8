"""Files that must survive a crash: atomic writes, defensive reads, corrupt files kept aside."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from .errors import EngineError

MAX_FILE_BYTES = 50 * 1024 * 1024


class ModelFileError(EngineError, ValueError):
    """A file could not be read as what it should be; the message names the file and why."""


class FileWriteError(EngineError, OSError):
    """A file could not be written; ``str()`` is ``"<path>: <reason in words>"``."""

    def __init__(self, path: str | os.PathLike[str], reason: str, code: int = errno.EIO) -> None:
        super().__init__(code, reason, str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def atomic_write_text(path: str | os.PathLike[str], text: str, *,
                      create_folders: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Readers see the old file or the new one, never half of one.  The folder must exist unless
    ``create_folders`` (a typo in a folder name should not quietly make new folders).
    Failures raise :class:`FileWriteError` saying why in words.
    """
    path = Path(path)
    if path.is_dir():
        raise FileWriteError(path, "is a folder, not a file", errno.EISDIR)
    if create_folders:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise FileWriteError(path.parent, f"cannot create this folder ({e.strerror or e})",
                                 e.errno or errno.EIO) from None
    elif not path.parent.is_dir():
        raise FileWriteError(path.parent, "no such folder", errno.ENOENT)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise FileWriteError(path, f"cannot write in this folder ({e.strerror or e})",
                             e.errno or errno.EIO) from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a saved file is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and not isinstance(e, FileWriteError):
            raise FileWriteError(path, e.strerror or str(e), e.errno or errno.EIO) from None
        raise


def read_json(path: str | os.PathLike[str], *, what: str = "file") -> Any:
    """Parse a JSON file; any problem raises :class:`ModelFileError` with the path and reason."""
    path = Path(path)
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(st.st_mode):
            raise ModelFileError(f"{path}: not a regular file")
        size = st.st_size
        if size > MAX_FILE_BYTES:
            raise ModelFileError(f"{path}: this {what} file is too large ({size} bytes)")
        text = path.read_text(encoding="utf-8")
    except ModelFileError:
        raise
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such {what} file") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path}: is a folder, not a {what} file") from None
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: not a {what} file (it is not UTF-8 text)") from None
    except OSError as e:
        raise ModelFileError(f"{path}: cannot read this {what} file ({e.strerror or e})") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as e:  # JSONDecodeError, or a 5000-digit integer
        where = f" at line {e.lineno}, column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
        raise ModelFileError(f"{path}: not valid JSON{where}") from None


def set_aside(path: str | os.PathLike[str]) -> Path:
    """Move a corrupt file out of the way (never delete it); returns where it went."""
    path = Path(path)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    return target
