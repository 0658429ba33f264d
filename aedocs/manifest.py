"""What the last build did, so the next one costs only what changed.

Under `output/.aedocs/`:
- `manifest/<client>.json` (kept in the archive): each output's key, the hash of
  everything it was made from, and its inputs; one file per client, so a build that
  changed one client's documents adds one small file to the archive, not all of them;
- `state.json` (local, not archived): the size, mtime and hash of every file the last
  build read, the weekly reports each client's activity calls for, and the diagnostics it
  printed, so a build where nothing changed is answered from stat() calls alone; and what
  each client's files gave (`aedocs.reuse`), so a build reads only the clients that
  changed;
- `building` (local, while a build runs): see `Journal`.

Standard library only: a no-op build must not import the heavy modules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from aedocs import __version__
from aedocs.diagnostics import Diagnostic, Level
from aedocs.render.files import template_files
from aedocs.source import read_file
from aedocs.workspace import leftover, yaml_name
from aedocs.write import remove, write_text

OUTPUT_DIR = "output"  # the outputs and their archive, in the workspace
OUTPUT_SUFFIXES = (".docx", ".md")  # the files of an output: the document and its twin
FOLDER = ".aedocs"  # in OUTPUT_DIR: what follows
MANIFESTS = f"{FOLDER}/manifest"  # <client>.json each
OLD_MANIFEST = f"{FOLDER}/manifest.json"  # all clients in one file, as older archives have
STATE = f"{FOLDER}/state.json"
JOURNAL = f"{FOLDER}/building"  # exists while a build runs: see Journal


UNREADABLE = "unreadable"  # the hash of a file that cannot be read


@dataclass
class FileStamp:
    size: int
    mtime_ns: int
    sha256: str


@dataclass
class State:
    """The local memory of the last build (never archived)."""

    version: str = __version__
    files: dict[str, FileStamp] = field(default_factory=dict)  # workspace-relative
    weeks: dict[str, list[list[str]]] = field(default_factory=dict)  # client -> [id, end]
    diagnostics: list[list[Any]] = field(default_factory=list)  # path, line, col, message, level
    failed: bool = False
    outputs: list[str] = field(default_factory=list)  # built outputs, all on disk
    held: list[str] = field(default_factory=list)  # outputs whose inputs had errors
    unbuilt: list[str] = field(default_factory=list)  # failed to render: last good kept
    complete: bool = True  # False after a build of some paths only: others may be outdated
    archived: bool = True  # False after --no-archive: the archive may lack the outputs
    workspace: str = ""  # the key of what every client depends on (config, templates, ...)
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)  # see aedocs.reuse
    # Signed outputs on disk as the last build found them equal to their signed version:
    # output rel -> [tag name, .docx size, .docx mtime_ns, .md size, .md mtime_ns].
    frozen: dict[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, output: Path) -> State | None:
        try:
            raw = json.loads((output / STATE).read_text(encoding="utf-8"))
            files = {k: FileStamp(*v) for k, v in raw["files"].items()}
            return cls(
                version=raw["version"],
                files=files,
                weeks=raw["weeks"],
                diagnostics=raw["diagnostics"],
                failed=raw["failed"],
                outputs=raw["outputs"],
                held=raw["held"],
                unbuilt=raw.get("unbuilt", []),
                complete=raw["complete"],
                archived=raw["archived"],
                workspace=raw.get("workspace", ""),
                clients=raw.get("clients", {}),
                frozen=raw.get("frozen", {}),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def problems(self) -> list[Diagnostic]:
        """The diagnostics the last build printed."""
        return from_rows(self.diagnostics)

    def same(self, rel: str, hasher: Hasher) -> bool:
        """Whether workspace file `rel` has the bytes the last build read."""
        stamp = self.files.get(rel)
        try:
            return stamp is not None and hasher(rel) == stamp.sha256
        except OSError:  # gone since the folder was listed
            return False

    def write(self, output: Path) -> None:
        raw = {
            "version": self.version,
            "failed": self.failed,
            "outputs": self.outputs,
            "held": self.held,
            "unbuilt": self.unbuilt,
            "complete": self.complete,
            "archived": self.archived,
            "workspace": self.workspace,
            "clients": self.clients,
            "frozen": self.frozen,
            "diagnostics": self.diagnostics,
            "weeks": self.weeks,
            "files": {k: [v.size, v.mtime_ns, v.sha256] for k, v in self.files.items()},
        }
        write_text(output / STATE, json.dumps(raw, sort_keys=True) + "\n")  # indent: 3x slower


class Manifest:
    """Each output's key and inputs (`entries`: output rel -> {"key", "inputs"}), as the
    last build left them, and the files they came from."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.entries: dict[str, dict[str, Any]] = {}
        self._files: set[str] = set()  # client ids that have a file, readable or not
        self._kept: dict[str, Any] = {}  # client id -> the entries its file holds
        folder = output / MANIFESTS
        found = sorted(folder.glob("*.json")) if folder.is_dir() else []
        for path in [output / OLD_MANIFEST, *found]:
            if path.parent == folder:
                self._files.add(path.stem)
            try:
                outputs = json.loads(path.read_text(encoding="utf-8"))["outputs"]
                self.entries.update(outputs)
            except (OSError, ValueError, KeyError, TypeError):
                continue  # its outputs count as new; the file is written again or removed
            if path.parent == folder:
                self._kept[path.stem] = outputs

    def write(self, entries: dict[str, dict[str, Any]]) -> list[str]:
        """Store `entries`, each client's in its file, rewriting only the files that
        change; the paths (relative to the output folder) of every manifest file there
        is or was, for the commit."""
        by_client: dict[str, dict[str, dict[str, Any]]] = {}
        for rel, entry in entries.items():
            by_client.setdefault(rel.split("/", 1)[0], {})[rel] = entry
        paths = []
        for client in sorted(by_client.keys() | self._files):
            path = f"{MANIFESTS}/{client}.json"
            paths.append(path)
            if client not in by_client:
                remove(self.output / path)
            elif by_client[client] != self._kept.get(client):  # else: what its file holds
                write_text(self.output / path, manifest_text(by_client[client]))
        if (self.output / OLD_MANIFEST).exists():
            remove(self.output / OLD_MANIFEST)
            paths.append(OLD_MANIFEST)
        return paths


_SORTED = json.JSONEncoder(sort_keys=True).encode  # json.dumps(sort_keys=True) makes one a call


def manifest_text(outputs: dict[str, dict[str, Any]]) -> str:
    """A manifest file as stored: sorted, one output per line, so archive diffs stay small."""
    lines = [f"  {_SORTED(k)}: {_SORTED(v)}" for k, v in sorted(outputs.items())]
    return '{"version": 1, "outputs": {\n' + ",\n".join(lines) + "\n}}\n"


class Journal:
    """`output/.aedocs/building`: it exists while a build runs, and names each output the
    build hands over to be written, before it is written. Found when a build starts, it
    tells that the last one was stopped before its end, and which outputs may now hold
    what no manifest entry says (`dirty`): their sources may even have been put back as
    they were since. `dirty` is None when that cannot be read: then any output may be."""

    def __init__(self, output: Path) -> None:
        self.path = output / JOURNAL
        self.found = True
        self.dirty: set[str] | None = set()
        try:
            self.dirty.update(self.path.read_text(encoding="utf-8").splitlines()[1:])
        except FileNotFoundError:
            self.found = False
        except (OSError, UnicodeDecodeError):
            self.dirty = None

    def begin(self) -> None:
        """This build's journal: its process id, then the outputs the stopped build named,
        until this one has written them again."""
        carried = sorted(self.dirty) if self.dirty is not None else []
        write_text(self.path, "".join(f"{line}\n" for line in [str(os.getpid()), *carried]))

    def handing(self, rels: Iterable[str]) -> None:
        """Name these outputs before they are handed over to be written."""
        with open(self.path, "a", encoding="utf-8") as journal:
            journal.write("".join(f"{rel}\n" for rel in rels))

    def end(self) -> None:
        """The build ended: the manifest says what every output holds."""
        remove(self.path)


class Hasher:
    """sha256 of workspace files, trusting size + mtime when they match the last build."""

    def __init__(self, root: Path, previous: State | None) -> None:
        self.root = root
        self.previous = previous.files if previous else {}
        self.stamps: dict[str, FileStamp] = {}
        self._prefix = f"{root}{os.sep}"  # a build asks for every file: no Path per file

    def __call__(self, rel: str) -> str:
        stamp = self.stamps.get(rel)
        if stamp is None:
            stamp = self._stamp(rel, self._prefix + rel)
            self.stamps[rel] = stamp
        return stamp.sha256

    def path(self, rel: str, path: Path) -> str:
        """The hash of a file outside the workspace (a built-in template), by its path."""
        if rel not in self.stamps:
            self.stamps[rel] = self._stamp(rel, str(path))
        return self.stamps[rel].sha256

    def _stamp(self, rel: str, path: str) -> FileStamp:
        try:
            st = os.stat(path)
            old = self.previous.get(rel)
            if old and old.size == st.st_size and old.mtime_ns == st.st_mtime_ns:
                return old
            digest = hashlib.sha256(read_file(path)).hexdigest()
        except OSError:  # the loader reports it; a stamp no readable file can match
            return FileStamp(-1, -1, UNREADABLE)
        return FileStamp(st.st_size, st.st_mtime_ns, digest)


def key(parts: Iterable[str]) -> str:
    """One key from the hashes of everything an output depends on."""
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        h.update(b"\0" + part.encode())
    return h.hexdigest()


def unchanged(
    root: Path, output: Path, state: State | None, sources: list[str], as_of: dt.date
) -> bool:
    """True when the last build still stands: same files, same stats, outputs in place."""
    if state is None or state.version != __version__ or not state.complete:
        return False
    if os.path.lexists(output / JOURNAL):  # a build runs, or the last one was stopped
        return False
    if state.unbuilt:  # outputs failed to render: try them again (a worker may have died)
        return False
    if set(sources) | {r for r in state.files if os.path.isabs(r)} != set(state.files):
        return False
    for rel, stamp in state.files.items():
        path = Path(rel) if os.path.isabs(rel) else root / rel
        try:
            st = path.stat()
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != (stamp.size, stamp.mtime_ns):
            return False
    due = {rel for client, weeks in state.weeks.items() for rel in weekly_due(client, weeks, as_of)}
    if due != weekly(state.outputs + state.held):
        return False
    if not all(signing_stands(c.get("signing", []), as_of) for c in state.clients.values()):
        return False
    if not all(map(OnDisk(output), state.outputs)):
        return False
    return all(frozen_stands(output, rel, stamp) for rel, stamp in state.frozen.items())


def signing_window(dates: Iterable[dt.date], as_of: dt.date) -> list[str]:
    """The days a build's date may move to without any of these signature dates passing
    from later to reached or back: [the last one reached by `as_of` or "", the first
    after it or ""]."""
    dates = list(dates)
    reached = [d for d in dates if d <= as_of]
    later = [d for d in dates if d > as_of]
    return [max(reached).isoformat() if reached else "", min(later).isoformat() if later else ""]


def signing_stands(window: list[str], as_of: dt.date) -> bool:
    """Whether a client's signatures read on `as_of` as they did for the build that
    recorded `window` (see `signing_window`)."""
    if len(window) != 2:
        return not window  # none recorded: a client without a signature date
    day = as_of.isoformat()
    return window[0] <= day and (not window[1] or day < window[1])


def frozen_stamp(output: Path, rel: str, tag: str) -> list[Any] | None:
    """What `State.frozen` keeps of signed output `rel`, frozen at `tag`: its files' sizes
    and mtimes (None when one is missing)."""
    stamp: list[Any] = [tag]
    for suffix in OUTPUT_SUFFIXES:
        try:
            st = os.stat(f"{output}{os.sep}{rel}{suffix}")
        except OSError:
            return None
        stamp += [st.st_size, st.st_mtime_ns]
    return stamp


def frozen_stands(output: Path, rel: str, stamp: list[Any], tag: str | None = None) -> bool:
    """Whether signed output `rel` still has the sizes and mtimes of `stamp` (and, given
    `tag`, was frozen at that tag), and the tag is still in the archive: three stat()
    calls, no hashing. A tag deleted by hand makes the build read the client again, and
    tag the version it finds as committed."""
    if tag is not None and stamp[0] != tag:
        return False
    return frozen_stamp(output, rel, stamp[0]) == stamp and tag_exists(output, stamp[0])


def tag_exists(output: Path, name: str) -> bool:
    """Whether the archive in `output` has the tag `name`, read from git's own files, as
    git keeps them: a loose ref, or a line of packed-refs (after a `git gc` or `git
    pack-refs`). An archive whose refs are in a reftable is taken to have it."""
    git = f"{output}{os.sep}.git{os.sep}"
    if os.path.exists(f"{git}refs{os.sep}tags{os.sep}{name}"):
        return True
    if os.path.isdir(f"{git}reftable"):
        return True
    try:
        st = os.stat(f"{git}packed-refs")
    except OSError:
        return False
    return name in _packed_tags(f"{git}packed-refs", st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=4)
def _packed_tags(path: str, size: int, mtime_ns: int) -> frozenset[str]:
    """The tags listed in a packed-refs file (read again when its size or mtime change)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as lines:
            refs = (line.split() for line in lines if not line.startswith(("#", "^")))
            return frozenset(p[1].removeprefix("refs/tags/") for p in refs if len(p) == 2)
    except OSError:
        return frozenset()


def weekly_due(client: str, weeks: list[list[str]], as_of: dt.date) -> set[str]:
    """The weekly reports of `client` that `as_of` calls for, of its `[week id, last
    day]` weeks with activity."""
    iso = as_of.isoformat()
    return {f"{client}/weekly/{week}" for week, end in weeks if end < iso}


def weekly(outputs: Iterable[str]) -> set[str]:
    """The weekly reports among `outputs`."""
    return {rel for rel in outputs if "/weekly/" in rel}


class OnDisk:
    """Whether an output has both its files, the .docx and its .md twin, in `output`.

    Each folder is listed once (one call instead of two stats per output): use one
    `OnDisk` only while nothing writes the folders it asks about.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self._files: dict[str, frozenset[str]] = {}

    def __call__(self, rel: str) -> bool:
        folder, _, name = rel.rpartition("/")
        files = self._files.get(folder)
        if files is None:
            try:
                with os.scandir(f"{self.output}{os.sep}{folder}") as entries:
                    files = frozenset(e.name for e in entries if e.is_file())
            except OSError:
                files = frozenset()
            self._files[folder] = files
        return f"{name}.docx" in files and f"{name}.md" in files


DiagnosticRow = list[Any]  # path, line, col, message, level: as state.json keeps one


def rows(diagnostics: Iterable[Diagnostic]) -> list[DiagnosticRow]:
    return [[d.path, d.line, d.col, d.message, d.level.value] for d in sorted(diagnostics)]


def from_rows(found: Iterable[DiagnosticRow]) -> list[Diagnostic]:
    return [
        Diagnostic(path, line, col, message, Level(level))
        for path, line, col, message, level in found
    ]


def workspace_files(root: Path) -> list[str]:
    """What a build reads from the workspace: aedocs.yaml, the YAML files under clients/,
    and the files of templates/ (overrides and the reference document); relative paths.

    A folder that is a symbolic link is followed where documents are read, a client's
    folder and its document folders, and not below them: as deep as links go, no loop
    and no link to a large tree makes the listing endless."""
    found: list[str] = ["aedocs.yaml"] if (root / "aedocs.yaml").exists() else []
    stack = [(root / "clients", 0)]
    templates = root / "templates"
    found += [f"templates/{p.relative_to(templates).as_posix()}" for p in template_files(templates)]
    cut = len(str(root)) + 1
    while stack:
        folder, depth = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if leftover(entry.name):
                continue
            if _is_folder(entry, follow=depth < 2):
                stack.append((Path(entry.path), depth + 1))
            elif yaml_name(entry.name):
                found.append(entry.path[cut:].replace(os.sep, "/"))
    return sorted(found)


def _is_folder(entry: os.DirEntry[str], follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:  # a link in a loop: a file that cannot be read, as the loader says
        return False
