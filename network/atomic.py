"""Atomic file writes: a temporary file in the target's folder, then a rename, so a reader
never sees half a file and a failed write leaves nothing behind.

Every ``OSError`` from a write names the file the caller asked for, never the temporary
``.part`` file, and a target that exists but is not a regular file (a device such as
``/dev/null``, a fifo, a folder) is refused rather than replaced by a regular file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

# Temporary files older than this are left over by a killed process and may be removed;
# a younger one may belong to a process that is still writing.
STALE_AFTER = 3600  # seconds

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a fifo (named pipe)"),
          (stat.S_ISSOCK, "a socket"))


def target_problem(path) -> str | None:
    """Why ``path`` cannot be (re)written as a regular file, or None if it can be tried:
    it exists and is not a regular file, or a parent folder is in fact a file."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:
        mode = None  # a parent is a file: found below
    except OSError as e:
        return e.strerror or str(e)
    if mode is not None:
        if stat.S_ISREG(mode):
            return None
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        return f"it is {kind}, not a regular file"
    for parent in path.parents:  # the nearest existing ancestor must be a folder
        with contextlib.suppress(OSError):
            if parent.exists():
                return None if parent.is_dir() else f"{parent} is a file, not a folder"
    return None


def check_target(path) -> None:
    """Raise OSError naming ``path`` if it cannot be written as a regular file."""
    problem = target_problem(path)
    if problem:
        raise OSError(f"cannot write {path}: {problem}")


def folder_problem(folder, need_bytes: int = 0) -> str | None:
    """Why files cannot be written in ``folder`` (created if missing), or None if they can:
    tried with a nameless temporary file, and the free space compared with ``need_bytes``."""
    folder = Path(folder)
    for path in (folder, *folder.parents):  # the nearest existing ancestor must be a folder
        with contextlib.suppress(OSError):
            if path.exists():
                if not path.is_dir():
                    return f"{path} is a file, not a folder"
                break
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
        free = shutil.disk_usage(folder).free
    except OSError as e:
        return e.strerror or str(e)
    if free < need_bytes:
        return f"only {free:,} bytes free, about {need_bytes:,} needed"
    return None


def _naming(path: Path, error: OSError) -> OSError:
    """``error`` again, as the same kind of OSError, with a message that names ``path``."""
    reason = error.strerror or str(error)
    if isinstance(error, (FileExistsError, NotADirectoryError)):
        reason = target_problem(path) or reason  # "x is a file, not a folder" says more
    try:
        named = type(error)(f"cannot write {path}: {reason}")
    except TypeError:  # an OSError subclass with another constructor
        named = OSError(f"cannot write {path}: {reason}")
    named.errno = error.errno  # (strerror stays None, so str() is the message above)
    return named


@contextlib.contextmanager
def atomic_write(path, mode: str = "wb"):
    """Yield a file object; on success it replaces ``path`` in one step, on error it vanishes.

    Raises OSError naming ``path`` if it exists and is not a regular file, or if the write
    fails (no such folder, no permission, a full disk, ...)."""
    path = Path(path)
    check_target(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file ordinary permissions
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(e, OSError):
            raise _naming(path, e) from None
        raise


def remove_stale_parts(folder, pattern: str, max_age: float = STALE_AFTER) -> list[Path]:
    """Remove the regular files in ``folder`` matching ``pattern`` (a glob such as
    ``".*.part"``) last modified more than ``max_age`` seconds ago; return those removed.
    Anything that cannot be read or removed is left alone."""
    removed, now = [], time.time()
    with contextlib.suppress(OSError):
        for path in Path(folder).glob(pattern):
            with contextlib.suppress(OSError):
                info = path.lstat()
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime > max_age:
                    path.unlink()
                    removed.append(path)
    return removed
