"""The workspace: its root (found like git finds .git), its files, and their typed models.

Reading every source file and typing it is the only I/O of validation; the cross-file
rules in `aedocs.validate` then work on what this module returns.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from aedocs.diagnostics import AedocsError, Diagnostic, Level
from aedocs.ids import ID_PATTERN, name_problem

if TYPE_CHECKING:  # loading imports YAML and pydantic; finding the root needs neither
    from aedocs.model import Client, Config, Document
    from aedocs.source import Source
    from aedocs.typedcache import SourceCache

CONFIG_FILE = "aedocs.yaml"
CLIENT_FILE = "client.yaml"
_ID = re.compile(ID_PATTERN)
M = TypeVar("M", "Client", "Document")
_MEETING_STEM = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*$")
SOURCE_SUFFIX = ".yaml"  # a source file's name ends so; another YAML name is warned about
_YAML_SUFFIXES = (".yaml", ".yml")  # whatever their case
# What editors and systems leave beside the files they touch, never a source: hidden
# files (vim's .x.swp, Emacs' lock .#x, macOS' ._x and .DS_Store), backups (x~, #x#,
# x.bak), Office's ~$x and vim's 4913 probe.
_LEFTOVER_PREFIXES = (".", "#", "~$")
_LEFTOVER_SUFFIXES = ("~", "#", ".swp", ".swx", ".swo", ".tmp", ".bak")
_LEFTOVER_NAMES = frozenset({"4913"})


@dataclass
class Doc:
    """One source document of a client: where it is and what it says."""

    kind: str  # meeting | proposal | schedule | workorder
    client: str
    id: str  # the file stem: the document's id and its output name
    source: Source
    model: Document


@dataclass
class ClientFiles:
    id: str
    source: Source
    model: Client
    docs: list[Doc] = field(default_factory=list)
    # Documents that exist but did not type, as (kind, id): references to them are not
    # reported a second time.
    unreadable: set[tuple[str, str]] = field(default_factory=set)
    # Every file of the folder that loaded, typed or not: confidentiality reads them all.
    sources: list[Source] = field(default_factory=list)


@dataclass
class Workspace:
    root: Path
    config: Config
    config_source: Source
    clients: dict[str, ClientFiles]
    diagnostics: list[Diagnostic]  # problems found while loading and typing files
    cache: SourceCache  # what typing each file gave, kept between builds
    failed_sources: set[str] = field(default_factory=set)  # rel paths that did not load

    def docs(self) -> Iterator[Doc]:
        for client in self.clients.values():
            yield from client.docs


def leftover(name: str) -> bool:
    """Whether a file or folder named `name` is an editor's or the system's, which every
    command ignores without a word."""
    return (
        name.startswith(_LEFTOVER_PREFIXES)
        or name.endswith(_LEFTOVER_SUFFIXES)
        or name in _LEFTOVER_NAMES
    )


def yaml_name(name: str) -> bool:
    """Whether a file named `name` under clients/ is one aedocs reads (it ends in
    `SOURCE_SUFFIX`) or warns about (another case, `.yml`): one that is no leftover and
    ends in .yaml or .yml, in any case."""
    return name.lower().endswith(_YAML_SUFFIXES) and not leftover(name)


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding `aedocs.yaml`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise AedocsError(
        f"no {CONFIG_FILE} in {start} or any folder above it "
        "(create a workspace with 'aedocs init DIR')"
    )


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def inside(root: Path, path: Path) -> str | None:
    """`path` relative to the workspace `root` (links resolved), or None if outside it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def given_path(root: Path, path: Path, given: Path) -> str:
    """`path` relative to the workspace `root`, for a path the user gave as `given`;
    AedocsError when it is outside the workspace."""
    found = inside(root, path)
    if found is None:
        raise AedocsError(f"{given}: not inside the workspace {root}")
    return found


def load_workspace(root: Path) -> Workspace:
    """Read and type every source file; a workspace whose config is unusable raises."""
    ws = open_workspace(root)
    for client in ws.clients.values():
        load_documents(ws, client)
    return ws


def open_workspace(root: Path) -> Workspace:
    """The config and every client's `client.yaml`, typed; the documents are read by
    `load_documents`, client by client. A workspace whose config is unusable raises."""
    from aedocs.model import Config
    from aedocs.typedcache import WORKSPACE, SourceCache

    cache = SourceCache(root)
    config_source, config, loaded, found = cache.typed(
        WORKSPACE, root / CONFIG_FILE, CONFIG_FILE, Config
    )
    diags = loaded + found
    if config is None or config_source is None:
        raise AedocsError(diags)
    ws = Workspace(root, config, config_source, {}, diags, cache)
    clients_dir = root / "clients"
    if not clients_dir.is_dir():
        if os.path.lexists(clients_dir):  # a file, a link to nowhere: no client is known
            why = "not a folder: each client lives in clients/<client-id>/client.yaml"
            ws.diagnostics.append(Diagnostic("clients", 0, 0, why))
        return ws
    for folder in sorted(p for p in clients_dir.iterdir() if not leftover(p.name)):
        if folder.is_dir():
            _open_client(ws, folder)
        elif yaml_name(folder.name):
            ws.diagnostics.append(
                _warning(
                    root,
                    folder,
                    "not read: a client lives in its own folder, clients/<client-id>/client.yaml",
                )
            )
    return ws


def _open_client(ws: Workspace, folder: Path) -> None:
    from aedocs.model import Client
    from aedocs.typedcache import WORKSPACE

    root = ws.root
    problem = (
        "is not a valid id (lowercase letters, digits and '-')"
        if not _ID.match(folder.name)
        else name_problem(folder.name)
    )
    if problem:
        ws.diagnostics.append(
            Diagnostic(rel(root, folder), 0, 0, f"client folder name '{folder.name}' {problem}")
        )
        return
    client_path = folder / CLIENT_FILE
    if not client_path.is_file():
        ws.diagnostics.append(
            Diagnostic(
                rel(root, folder),
                0,
                0,
                f"client folder without {CLIENT_FILE} "
                f"(create it with 'aedocs new client {folder.name}')",
            )
        )
        return
    source, model = _typed(ws, client_path, Client, WORKSPACE)
    if source is not None and model is not None:
        ws.clients[folder.name] = ClientFiles(folder.name, source, model, sources=[source])
    else:
        # Its documents are not built until it is fixed, but their own errors (those no
        # rule about the account finds) are said now, with the client file's: all at once.
        _read_documents(ws, folder, None)
        ws.cache.close(folder.name, save=False)


def load_documents(ws: Workspace, client: ClientFiles) -> None:
    """Read and type the documents of `client`, folder by folder, file by file."""
    folder = ws.root / "clients" / client.id
    _read_documents(ws, folder, client)


def _read_documents(ws: Workspace, folder: Path, client: ClientFiles | None) -> None:
    """Read and type the documents in a client's `folder`, into `client` (None: only
    for their diagnostics, the client file having errors)."""
    from aedocs.model import FOLDERS

    for kind, sub in FOLDERS.items():
        for path in sorted((folder / sub).glob("*")):
            if yaml_name(path.name):
                _load_doc(ws, folder.name, kind, path, client)
    client_path = folder / CLIENT_FILE
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(map(leftover, parts)) or not yaml_name(path.name):
            continue
        if path != client_path and path.parent.name not in FOLDERS.values():
            ws.diagnostics.append(
                _warning(
                    ws.root,
                    path,
                    "not read: documents go in " + ", ".join(f"{f}/" for f in FOLDERS.values()),
                )
            )


def unload_documents(client: ClientFiles) -> None:
    """Forget the documents of `client` (a build that has planned and dispatched them
    keeps its memory to one client at a time)."""
    client.docs = []
    client.sources = client.sources[:1]
    client.unreadable = set()


def _load_doc(
    ws: Workspace, client_id: str, kind: str, path: Path, client: ClientFiles | None
) -> None:
    from aedocs.model import KINDS

    if path.suffix != SOURCE_SUFFIX:
        ws.diagnostics.append(_warning(ws.root, path, "not read: name source files *.yaml"))
        return
    stem = path.stem
    problem = _stem_problem(kind, stem)
    if problem:
        ws.diagnostics.append(Diagnostic(rel(ws.root, path), 0, 0, problem))
        return
    source, model = _typed(ws, path, KINDS[kind], client_id)
    if client is None:
        return
    if source is not None:
        client.sources.append(source)
    if source is not None and model is not None:
        client.docs.append(Doc(kind, client.id, stem, source, model))
    else:
        client.unreadable.add((kind, stem))


def _stem_problem(kind: str, stem: str) -> str | None:
    if kind == "meeting" and not _MEETING_STEM.match(stem):
        return f"file name '{stem}.yaml' must be YYYY-MM-DD-<slug>.yaml (slug: a-z, 0-9, -)"
    if kind == "meeting" and not _is_date(stem[:10]):
        return f"file name '{stem}.yaml' starts with {stem[:10]}, which is not a real date"
    if kind in ("proposal", "schedule") and not _ID.match(stem):
        return f"file name '{stem}.yaml' must be a slug: lowercase letters, digits and '-'"
    problem = name_problem(stem) if kind != "workorder" else None  # a number: validated
    return f"file name '{stem}.yaml' {problem}" if problem else None


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _typed(ws: Workspace, path: Path, model: type[M], group: str) -> tuple[Source | None, M | None]:
    """Load and type one file (or take it from the cache's `group`); a file with any
    error is remembered as failed (not built), though a typed model still takes part in
    the cross-file rules."""
    file_rel = rel(ws.root, path)
    source, typed, loaded, found = ws.cache.typed(group, path, file_rel, model)
    ws.diagnostics += loaded + found
    if typed is None or any(d.is_error for d in loaded):
        ws.failed_sources.add(file_rel)
    return source, typed


def _warning(root: Path, path: Path, message: str) -> Diagnostic:
    return Diagnostic(rel(root, path), 0, 0, message, Level.WARNING)
