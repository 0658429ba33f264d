"""The archive's application lock: one aedocs process writes output/ at a time.

The lock is `fcntl.flock` on an open file, so the kernel releases it when its holder
exits, however it exits: a killed build never leaves a lock that blocks the next one.
The git processes of the holder inherit the descriptor, so a git still finishing after
its parent was killed keeps the lock until it exits.
The holder writes who it is into the file, for the message the others show. Any lock
file git left behind is stale once we hold our lock (only aedocs writes the archive), so
it is removed then.
"""

from __future__ import annotations

import fcntl
import os
import shlex
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from aedocs.archive.errors import ArchiveBusy

LOCK_NAME = ".aedocs.lock"


def holder_text() -> str:
    """Who we are, as written into the lock file."""
    # os.uname: the host name without importing socket (this module needs fcntl: POSIX)
    return f"pid {os.getpid()} on {os.uname().nodename} ({shlex.join(sys.argv)})"


# (lock file, thread) -> the descriptor that holds it. flock excludes every other open
# of the file, even in the same process: a thread that already holds the lock (through
# another `Archive` of the same folder) must reuse its descriptor, not wait for itself.
_HELD: dict[tuple[Path, int], int] = {}


@contextmanager
def hold(
    path: Path,
    wait: bool,
    on_wait: Callable[[str], None] | None = None,
    on_taken: Callable[[], object] | None = None,
) -> Iterator[int]:
    """Hold the lock at `path`; wait for it (telling `on_wait`) or raise ArchiveBusy.

    Yields the locked file descriptor: a child process that inherits it holds the lock
    as long as it runs. Re-entrant within one thread: `on_taken` runs only when the lock
    is taken, not when a thread that holds it enters again.
    """
    key = (path.resolve(), threading.get_ident())
    if key in _HELD:
        yield _HELD[key]
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        take(fd, path, wait, on_wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder_text().encode(), 0)
        _HELD[key] = fd
        if on_taken is not None:
            on_taken()
        try:
            yield fd
        finally:
            del _HELD[key]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def take(fd: int, path: Path, wait: bool, on_wait: Callable[[str], None] | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = path.read_text(errors="replace").strip() or "another aedocs process"
        if not wait:
            raise ArchiveBusy(f"{path.parent} is in use by {holder}; try again later") from None
        if on_wait is not None:
            on_wait(f"waiting for {path.parent}: in use by {holder}")
        fcntl.flock(fd, fcntl.LOCK_EX)


def clear_stale_git_locks(git_dir: Path) -> list[Path]:
    """Remove the lock files a killed git left; call only while holding our lock."""
    if not git_dir.is_dir():  # no repository yet
        return []
    stale = [git_dir / name for name in os.listdir(git_dir) if name.endswith(".lock")]
    for folder, _, names in os.walk(git_dir / "refs"):  # one file per tag: no pathlib glob
        stale += [Path(folder, name) for name in names if name.endswith(".lock")]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale
