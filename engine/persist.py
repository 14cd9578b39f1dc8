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


class FileReadError(EngineError, ValueError):
    """A file could not be read; the message names the file and says why in words."""


class ModelFileError(FileReadError):
    """A file could not be read as what it should be; the message names the file and why."""


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words ("a folder", "a character device", ...)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def read_text_limited(path: str | os.PathLike[str], limit: int, *, what: str = "file",
                      stdin: bool = False) -> str:
    """The UTF-8 text of a regular file, reading never more than ``limit + 1`` bytes.

    Anything else is refused with :class:`FileReadError` saying why: a FIFO (opened without
    blocking, so it cannot hang), a device such as ``/dev/zero`` (also behind a symlink), a
    folder, a file over ``limit`` bytes, text that is not UTF-8.  A UTF-8 byte-order mark at
    the start is dropped.  With ``stdin=True`` the path ``-`` reads standard input, capped the
    same way.
    """
    import sys

    name = os.fspath(path)
    if stdin and name == "-":
        data = sys.stdin.buffer.read(limit + 1)
        where = "standard input"
    else:
        where = name
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
                         | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise FileReadError(f"{where}: no such {what}") from None
        except IsADirectoryError:
            raise FileReadError(f"{where}: is a folder, not a {what}") from None
        except OSError as e:
            raise FileReadError(f"{where}: cannot open this {what} ({e.strerror or e})") from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise FileReadError(f"{where}: is {file_kind(st.st_mode)}, not a regular file; "
                                    f"only regular files are read")
            if st.st_size > limit:
                raise FileReadError(f"{where}: this {what} is too large ({st.st_size} bytes; "
                                    f"the limit is {limit})")
            chunks: list[bytes] = []
            left = limit + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            data = b"".join(chunks)
        except OSError as e:
            raise FileReadError(f"{where}: cannot read this {what} ({e.strerror or e})") from None
        finally:
            os.close(fd)
    if len(data) > limit:
        raise FileReadError(f"{where}: this {what} is too large (more than {limit} bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FileReadError(f"{where}: not a {what} of UTF-8 text (a byte that is not UTF-8 "
                            f"at offset {e.start})") from None


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
    try:
        text = read_text_limited(path, MAX_FILE_BYTES, what=f"{what} file")
    except ModelFileError:
        raise
    except FileReadError as e:
        raise ModelFileError(str(e)) from None
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
