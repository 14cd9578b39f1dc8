"""Files that must survive a crash: atomic writes, defensive reads, corrupt files kept aside."""

from __future__ import annotations

import errno
import json
import os
import re
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


#: a temp file of ours left by an interrupted save is removed by the next save next to it once
#: it is this old (seconds): a save in progress elsewhere writes its temp file within seconds.
STALE_TEMP_SECONDS = 3600

#: paths that name this process's own streams, not files
_STREAM_PATHS = {"/dev/stdin": "standard input", "/dev/stdout": "standard output",
                 "/dev/stderr": "standard error", "/dev/tty": "the terminal"}
_FD_PATH = re.compile(r"/(?:dev/fd|proc/(?:self|thread-self|[0-9]+)/fd)/([0-9]+)")


def _temp_name(target: str) -> re.Pattern[str]:
    """The names our temp files for ``target`` get: ``.NAME.`` + mkstemp's 8 characters +
    ``.tmp``."""
    return re.compile(re.escape(f".{target}.") + r"[a-z0-9_]{8}\.tmp")


def _stream_name(path: str) -> str | None:
    """``"standard output"`` for ``/dev/stdout`` (and ``/dev/fd/1``, ``/proc/self/fd/1``...)."""
    name = os.path.normpath(os.path.abspath(path))
    if name in _STREAM_PATHS:
        return _STREAM_PATHS[name]
    m = _FD_PATH.fullmatch(name)
    if m:
        fd = int(m.group(1))
        return ("standard input", "standard output", "standard error")[fd] if fd < 3 \
            else f"the open file descriptor {fd}"
    return None


def save_target(path: str | os.PathLike[str], *, create_folders: bool = False) -> Path:
    """Where a save to ``path`` will write, or :class:`FileWriteError` saying why it cannot.

    A symlink is followed: the file it points to is the one written (atomically, in that
    file's folder), and the link stays.  Refused: a target that exists and is not a regular
    file (a folder, a device such as ``/dev/null``, a FIFO, a socket, also behind a link),
    ``/dev/stdout`` and the like (a save writes a file, not a stream), and a missing folder
    (unless ``create_folders``).  Nothing is written.
    """
    given = Path(path)
    stream = _stream_name(os.fspath(given))
    if stream is not None:
        raise FileWriteError(given, f"is {stream}, not a file; give the name of a file to "
                             f"write (such as model.json)", errno.EINVAL)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise FileWriteError(given, f"cannot check this file ({e.strerror or e})",
                             e.errno or errno.EIO) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        via = f" (a link to {target})" if target != given else ""
        if stat.S_ISDIR(st.st_mode):
            raise FileWriteError(given, f"is a folder, not a file{via}", errno.EISDIR)
        raise FileWriteError(given, f"is {file_kind(st.st_mode)}, not a regular file{via}; "
                             f"only regular files are replaced", errno.EINVAL)
    if create_folders:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise FileWriteError(target.parent, f"cannot create this folder ({e.strerror or e})",
                                 e.errno or errno.EIO) from None
    elif not target.parent.is_dir():
        what = "not a folder" if target.parent.exists() else "no such folder"
        raise FileWriteError(target.parent, what, errno.ENOENT)
    return target


def check_save_target(path: str | os.PathLike[str]) -> Path:
    """Check, before any work, that a save to ``path`` can succeed; returns the file that
    will be written (a symlink's target).

    Everything :func:`save_target` checks, and that the folder lets us make a file: a
    temp file of our own naming is created and removed at once.  Raises
    :class:`FileWriteError` saying why in words.
    """
    target = save_target(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise FileWriteError(target.parent, f"cannot write in this folder ({e.strerror or e})",
                             e.errno or errno.EIO) from None
    os.close(fd)
    os.unlink(tmp)
    return target


def remove_stale_temps(target: str | os.PathLike[str],
                       older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove temp files an interrupted save of ``target`` left beside it; returns them.

    Only files named as ours (``.NAME.`` + 8 characters of mkstemp + ``.tmp``) that are
    regular files (not links), owned by this user and unchanged for ``older_than`` seconds
    (so a save in progress in another process keeps its file).  Nothing else is touched;
    failures are ignored (a leftover temp file does no harm).
    """
    target = Path(target)
    pattern = _temp_name(target.name)
    now = time.time()
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(target.parent) if pattern.fullmatch(n)]
    except OSError:
        return removed
    for name in names:
        tmp = target.parent / name
        try:
            st = os.lstat(tmp)
            if (stat.S_ISREG(st.st_mode) and st.st_uid == getattr(os, "geteuid", lambda: st.st_uid)()
                    and now - st.st_mtime >= older_than):
                os.unlink(tmp)
                removed.append(tmp)
        except OSError:
            continue
    return removed


def atomic_write_text(path: str | os.PathLike[str], text: str, *,
                      create_folders: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Readers see the old file or the new one, never half of one.  The folder must exist unless
    ``create_folders`` (a typo in a folder name should not quietly make new folders).
    What is refused is :func:`save_target`'s: anything that exists and is not a regular file
    (a device, a FIFO, a folder...) and ``/dev/stdout``; a symlink is followed, so the file
    it points to is replaced and the link stays.  Temp files an interrupted save left next
    to the target are removed (:func:`remove_stale_temps`).  Failures raise
    :class:`FileWriteError` saying why in words.
    """
    target = save_target(path, create_folders=create_folders)
    remove_stale_temps(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
        save_target(path)  # again, just before the rename: nothing else swapped in meanwhile
        os.replace(tmp, target)
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
