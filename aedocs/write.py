"""Write: atomic file writes, so a crash or Ctrl-C never leaves a half-written file.

Each file is written to a temporary file in the same folder, then renamed over the
target with `os.replace` (atomic on POSIX and Windows): a build killed at any moment
leaves either the old file or the new one. There is no fsync per file: it cost more
than the rendering of a document, a killed process loses nothing the kernel already
has, and the archive's commit of the outputs is the durable record.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from pathlib import Path

_serial = itertools.count()
_TEMPORARY = re.compile(r"\..+\.\d+\.\d+\.tmp\Z", re.DOTALL)  # what _temporary names
_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)


def write_bytes(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically; False (and no write) when it already holds it."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    try:  # the folder usually exists: make it only when it does not
        fd, tmp = _temporary(path)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def remove_temporaries(folder: Path) -> int:
    """Remove the temporary files that processes killed while writing left under `folder`
    (its `.git` aside); how many. Only while nothing else writes there."""
    removed = 0
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name != ".git"]
        for name in files:
            if _TEMPORARY.match(name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(parent, name))
                    removed += 1
    return removed


def _temporary(path: Path) -> tuple[int, str]:
    """A new file beside `path` for this process, named after it, open for writing."""
    while True:
        tmp = f"{path.parent}{os.sep}.{path.name}.{os.getpid()}.{next(_serial)}.tmp"
        try:
            return os.open(tmp, _FLAGS, 0o644), tmp
        except FileExistsError:  # left by a killed process that had this pid: next
            continue


def write_text(path: Path, text: str) -> bool:
    """Write UTF-8 text with '\\n' line ends, atomically."""
    return write_bytes(path, text.encode("utf-8"))


def remove(path: Path) -> bool:
    """Remove a file if it exists; True when something was removed."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
