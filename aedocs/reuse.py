"""Reuse: which clients' results from the last build still stand.

A build reads, validates and plans a client again only when something that client's
results depend on changed since the last build:
- one of its files (edited, added or removed);
- what every client depends on (`workspace_key`): the config, any `client.yaml` (every
  client's names take part in the confidentiality rule), a template or the reference
  document, the aedocs version;
- the weekly reports `--as-of` calls for;
- one of its outputs is missing from output/;
- the finance numbers of other clients collide with its own differently than last time.
Otherwise its diagnostics, its plan and its manifest entries are taken as they are from
`state.json`. A build with `--force` or PATHs, or after one with PATHs, reads everything.

Standard library only: this decides, before anything heavy is imported, what to read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aedocs import __version__
from aedocs.manifest import (
    DiagnosticRow,
    Hasher,
    OnDisk,
    State,
    signing_stands,
    weekly,
    weekly_due,
)


@dataclass
class ClientResult:
    """What one client's files gave the last build (stored in `state.json`)."""

    files: list[str]  # workspace-relative paths of its YAML files
    diagnostics: list[DiagnosticRow] = field(default_factory=list)  # all but numbers
    unique: list[DiagnosticRow] = field(default_factory=list)  # numbers used twice
    broken: list[str] = field(default_factory=list)  # its files with errors
    outputs: list[str] = field(default_factory=list)  # built (or up to date)
    held: list[str] = field(default_factory=list)  # inputs had errors: last good kept
    weeks: list[list[str]] = field(default_factory=list)  # [week id, its last day]
    numbers: list[list[Any]] = field(default_factory=list)  # what, value, path, line, col
    # [first, last) days for which its signatures read as they did: see `signing_window`.
    signing: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, raw: Any) -> ClientResult | None:
        try:
            return cls(**raw)
        except TypeError:
            return None

    def raw(self) -> dict[str, Any]:
        return dict(vars(self))  # for json.dumps: no deep copy as asdict would make


def by_client(rels: Iterable[str]) -> dict[str, list[str]]:
    """`clients/<id>/...` paths grouped by client id (sorted; other paths left out)."""
    found: dict[str, list[str]] = {}
    for rel in sorted(rels):
        parts = rel.split("/")
        if len(parts) > 2 and parts[0] == "clients":
            found.setdefault(parts[1], []).append(rel)
    return found


def reusable(
    state: State | None,
    fresh: bool,
    workspace_key: str,
    files: dict[str, list[str]],
    hasher: Hasher,
    as_of: dt.date,
    out_dir: Path,
) -> dict[str, ClientResult]:
    """Client id -> its last results, for each client whose results still stand.

    `fresh`: everything must be read again (--force, PATHs, or a new archive wanted);
    `files`: each client's YAML files now, from `by_client`.
    """
    if fresh or state is None or state.version != __version__ or not state.complete:
        return {}
    if state.workspace != workspace_key:
        return {}
    kept = {}
    for client, raw in state.clients.items():
        last = ClientResult.parse(raw)
        if last is not None and _stands(last, client, state, files, hasher, as_of, out_dir):
            kept[client] = last
    return kept


def _stands(
    last: ClientResult,
    client: str,
    state: State,
    files: dict[str, list[str]],
    hasher: Hasher,
    as_of: dt.date,
    out_dir: Path,
) -> bool:
    if last.files != files.get(client, []):
        return False
    if not all(state.same(rel, hasher) for rel in last.files):
        return False
    if weekly_due(client, last.weeks, as_of) != weekly(last.outputs + last.held):
        return False
    if not signing_stands(last.signing, as_of):
        return False
    return all(map(OnDisk(out_dir), last.outputs))
