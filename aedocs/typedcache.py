"""Typed files kept between builds: what loading and typing a file gave, by its bytes.

Typing a file (YAML, then the models' validation) costs a few milliseconds, and the first
file of each kind also pays for building that model's validator. A build after one saved
edit (watch mode, or `aedocs build` run by hand) reads one client again for one changed
file; with this cache it types only that file and takes the others as they were.

An entry is found by the file's path, the model it is typed with and the SHA-256 of its
bytes, so it is never stale. A group file is unpickled only when it carries the seal of
this user's key (`aedocs.cachekey`): one that someone else wrote or planted in the
workspace is ignored. The whole cache is ignored when it was written by other typing code
(the modules that load and type files are part of its signature) or another pydantic or
Python, and when it cannot be read. Groups: `_workspace` (the config and every
`client.yaml`) and one per client (its documents), each in
`.aedocs/cache/sources/<group>.pickle` of the workspace, a folder git ignores, beside the
compiled templates. Reading never writes; `close` and `flush` write a group whose entries
changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from aedocs.cachekey import sealed, unsealed
from aedocs.diagnostics import Diagnostic
from aedocs.source import Source, read_file
from aedocs.write import remove, write_bytes

if TYPE_CHECKING:
    from pydantic import BaseModel

FOLDER = ".aedocs/cache/sources"
WORKSPACE = "_workspace"  # the config and the client.yaml files; no client id starts with _
M = TypeVar("M", bound="BaseModel")
# The modules whose code decides what a file types to, beside this one.
_TYPING_CODE = ("diagnostics.py", "ids.py", "load.py", "source.py", "model")
_signature: bytes | None = None

# (path, model name) -> (SHA-256 of the bytes, the Source's fields, the typed model, what
# loading said, what typing said)
Entry = tuple[bytes, tuple[Any, ...] | None, Any, list[Diagnostic], list[Diagnostic]]


class SourceCache:
    """Typed files of the workspace at `root`, by group; see the module's docstring."""

    def __init__(self, root: Path) -> None:
        self.folder = root / FOLDER
        self._stored: dict[str, dict[tuple[str, str], Entry]] = {}  # as read from disk
        self._used: dict[str, dict[tuple[str, str], Entry]] = {}  # what this process typed
        self._unsaved: dict[str, dict[tuple[str, str], Entry]] = {}  # for `flush` to write

    def __getstate__(self) -> dict[str, Any]:
        # Sent to a rendering worker with the workspace: it types nothing.
        return {"folder": self.folder, "_stored": {}, "_used": {}, "_unsaved": {}}

    def typed(
        self, group: str, path: Path, rel: str, model: type[M]
    ) -> tuple[Source | None, M | None, list[Diagnostic], list[Diagnostic]]:
        """Load and type `path` (known as `rel`) as `model`, or take what that gave the
        last time for the same bytes: the source, the typed model, the diagnostics of
        loading and those of typing."""
        from aedocs.load import load_bytes, load_file
        from aedocs.model.parse import parse

        try:
            raw = read_file(path)
        except OSError:
            source, loaded = load_file(path, rel)  # says why it cannot be read
            return source, None, loaded, []
        key = (rel, model.__name__)
        digest = hashlib.sha256(raw).digest()
        entry = self._stored_group(group).get(key)
        if entry is None or entry[0] != digest:
            source, loaded = load_bytes(raw, path, rel)
            typed, found = parse(source, model) if source is not None else (None, [])
            fields = None if source is None else _fields(source)
            entry = (digest, fields, typed, loaded, found)
        self._used.setdefault(group, {})[key] = entry
        _, fields, typed, loaded, found = entry
        source = None if fields is None else Source(path, *fields)
        return source, typed, list(loaded), list(found)

    def close(self, group: str, save: bool) -> None:
        """Done with `group`: forget it (a build holds one client at a time), and when
        `save`, keep what this process typed of it for `flush` if it differs from what is
        kept."""
        used = self._used.pop(group, {})
        stored = self._stored.pop(group, None)
        if not save:
            return
        if stored is None:
            stored = _read(self.folder / f"{group}.pickle")
        if {k: e[0] for k, e in used.items()} != {k: e[0] for k, e in stored.items()}:
            self._unsaved[group] = used

    def flush(self, groups: Iterable[str] | None = None) -> None:
        """Write the groups `close` kept (a build does it while it waits for rendering);
        with `groups` (those that still exist), remove the files of the others."""
        if groups is not None and self._unsaved:
            wanted = {f"{group}.pickle" for group in groups}
            with contextlib.suppress(OSError):
                for name in os.listdir(self.folder):
                    if name.endswith(".pickle") and name not in wanted:
                        remove(self.folder / name)
        while self._unsaved:
            group, used = self._unsaved.popitem()
            path = self.folder / f"{group}.pickle"
            if not used:
                remove(path)
                continue
            try:
                data = pickle.dumps((signature(), used), protocol=pickle.HIGHEST_PROTOCOL)
                write_bytes(path, sealed(data))
            except Exception:  # only a cache: the next build types these files again
                continue

    def _stored_group(self, group: str) -> dict[tuple[str, str], Entry]:
        if group not in self._stored:
            self._stored[group] = _read(self.folder / f"{group}.pickle")
        return self._stored[group]


def _fields(source: Source) -> tuple[Any, ...]:
    # A Source pickles without its places (for the workers): the cache keeps them.
    return (source.rel, source.data, source.places, source.reported, source.lines, source.numbers)


def _read(path: Path) -> dict[tuple[str, str], Entry]:
    try:
        data = unsealed(path.read_bytes())
    except OSError:
        return {}
    if data is None:  # not written by this user's aedocs: never unpickled
        return {}
    try:
        kept_signature, entries = pickle.loads(data)
    except Exception:  # damaged, or written by code that no longer exists: ignored
        return {}
    if kept_signature != signature() or not isinstance(entries, dict):
        return {}
    return entries


def signature() -> bytes:
    """What the typing of a file depends on besides its bytes: the code that types it
    (when its source cannot be read, nothing kept is trusted), aedocs, pydantic, Python."""
    global _signature
    if _signature is None:
        import pydantic

        from aedocs import __version__

        digest = hashlib.sha256(f"{__version__}|{pydantic.VERSION}|{sys.version}".encode())
        package = Path(__file__).parent
        try:
            for name in _TYPING_CODE:
                target = package / name
                for path in sorted(target.glob("*.py")) if target.is_dir() else [target]:
                    digest.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:  # installed without its sources: this process's own signature
            digest.update(os.urandom(16))
        _signature = digest.digest()
    return _signature
