"""The key that seals what aedocs caches inside a workspace (`.aedocs/cache/`).

The cached typed files are pickles and the compiled templates are Python code: loading
either runs whatever it says. A workspace is shared (a git repository, a copied folder),
so a cache file found in it is used only when it carries the seal of this user's key:
a file someone else wrote, committed or planted is ignored, and what it stands for is
made again. The key is 32 random bytes in the user's cache folder
(`$XDG_CACHE_HOME/aedocs/key`, by default `~/.cache/aedocs/key`), readable by the user
alone, made on first use. Where it cannot be kept, each process takes a key of its own:
nothing cached is then reused, and nothing is trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

SEAL = 32  # bytes: an HMAC-SHA256 of what follows it
_KEY = 32


def sealed(data: bytes) -> bytes:
    """`data` with its seal in front, as a cache file holds it."""
    return hmac.digest(key(), data, hashlib.sha256) + data


def unsealed(blob: bytes) -> bytes | None:
    """What a cache file holds, or None when its seal is not this user's."""
    data = blob[SEAL:]
    if len(blob) < SEAL or not hmac.compare_digest(blob[:SEAL], sealed(data)[:SEAL]):
        return None
    return data


@cache
def key() -> bytes:
    """This user's key: read, or made and kept; one of the process's own when it cannot
    be kept."""
    path = key_path()
    if path is not None:
        found = _read(path)
        if found is None:
            _make(path)
            found = _read(path)
        if found is not None:
            return found
    return os.urandom(_KEY)


def key_path() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):
        return Path(base) / "aedocs" / "key"
    try:
        home = Path.home()
    except RuntimeError:  # no home folder known
        return None
    # Without HOME or a password entry, "~" stays "~": a folder of the current one
    # (maybe the shared workspace) must never hold the key.
    return home / ".cache" / "aedocs" / "key" if home.is_absolute() else None


def _read(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if len(data) == _KEY else None


def _make(path: Path) -> None:
    """Write a new key, unless another process wrote a good one first (theirs is kept);
    a damaged one is replaced."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(_KEY))
        try:
            os.link(tmp, path)  # never replaces a key another process made meanwhile
        except OSError:  # there is one already (or no hard links here)
            if _read(path) is None:
                os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
