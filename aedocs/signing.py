"""Signed documents: which outputs are frozen, what may change them, and their tags.

A document is signed when every entry of its `signatures` has its date. The build then
tags its output in the archive (`signed/<client>/<kind>/<id>/v<revision>`, see
`aedocs.archive.signed`) with the sha256 of the .docx and the hash of what its YAML says,
and never writes that output again. Changing what the YAML says is an error until
`revision` goes up by one and `changes` says what changed; the new revision is built to
the same path and must be signed again, no earlier than the day the last one was.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from aedocs.archive import (
    Archive,
    ArchiveError,
    Problem,
    Signature,
    SignedRecord,
    TagInfo,
    parse_signed_tag_name,
    sha256_hex,
    signed_tag_name,
)
from aedocs.diagnostics import Diagnostic, Level
from aedocs.manifest import OUTPUT_DIR
from aedocs.model import FOLDERS
from aedocs.plan import OUTPUT_OF, Output, plan
from aedocs.source import Source
from aedocs.workspace import Doc, Workspace

# Source folder (meetings, ...) -> output folder (minutes, ...).
OUTPUT_FOLDER = {FOLDERS[kind]: folder for kind, (folder, _template) in OUTPUT_OF.items()}


@dataclass(frozen=True)
class SignedVersion:
    """One signed revision in the archive; `record` is None when its message is unreadable
    (`aedocs verify` reports that)."""

    tag: TagInfo
    record: SignedRecord | None


# `<client>/<kind>/<id>` -> revision -> its signed version.
SignedVersions = dict[str, dict[int, SignedVersion]]


def data_hash(source: Source) -> str:
    """sha256 of what the YAML says: its values, not its comments, quoting or layout."""
    text = json.dumps(
        source.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_iso
    )
    return sha256_hex(text.encode())


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"a loaded value cannot be a {type(value).__name__}")


def signed_versions(archive: Archive | None, prefix: str = "signed/") -> SignedVersions:
    """Every signed version in the archive (whose tag starts with `prefix`), by document
    and revision."""
    found: SignedVersions = {}
    for tag in archive.tags(prefix) if archive is not None else []:
        named = parse_signed_tag_name(tag.name)
        if named is None:
            continue
        try:
            record: SignedRecord | None = SignedRecord.parse(tag.message)
        except ArchiveError:
            record = None
        found.setdefault(named[0], {})[named[1]] = SignedVersion(tag, record)
    return found


def signed_changes(ws: Workspace, found: list[Diagnostic]) -> tuple[list[Diagnostic], set[str]]:
    """For commands that only read (validate, status): changes to signed documents that
    do not raise their revision, as a build finds them against the signed versions in
    the archive in output/, when there is one; and the outputs a build would not render
    (frozen at a signed revision). `found`: the workspace's diagnostics."""
    out_dir = ws.root / OUTPUT_DIR
    if not (out_dir / ".git").is_dir():
        return [], set()
    broken = {d.path for d in found if d.is_error}
    outputs = plan(ws, dt.date.today(), broken).outputs
    try:
        return check_signed(ws, Archive(out_dir), outputs)
    except ArchiveError as exc:
        why = f"archive: {exc}; signed documents not checked"
        return [Diagnostic(f"{OUTPUT_DIR}/.git", 0, 0, why, Level.WARNING)], set()


def missing_tags(entries: Mapping[str, Mapping[str, Any]], names: set[str]) -> list[Problem]:
    """Outputs whose manifest entries (`entries`) record a signed revision whose tag is
    not among the archive's tag `names`: deleted by hand, since aedocs never deletes one."""
    problems = []
    for rel, entry in sorted(entries.items()):
        revision = entry.get("signed")
        client, _, rest = rel.partition("/")
        kind, _, doc_id = rest.partition("/")
        if not isinstance(revision, int) or not doc_id:
            continue
        name = signed_tag_name(client, kind, doc_id, revision)
        if name not in names:
            why = f"signed as revision {revision}, but its tag {name} is missing"
            problems.append(Problem(f"{rel}.docx", why))
    return problems


def own_output(out: Output) -> bool:
    """Whether `out` is its source document's own output (not the invoice request of a
    work order, which the work order's signatures do not sign)."""
    return out.doc is not None and out.folder == OUTPUT_OF[out.doc.kind][0]


def check_signed(
    ws: Workspace,
    archive: Archive | None,
    outputs: Iterable[Output],
    versions: SignedVersions | None = None,
) -> tuple[list[Diagnostic], set[str]]:
    """Problems with the revisions of signed documents, and the outputs not to write.

    The set holds the `rel` of every output whose revision is signed in the archive (it
    is frozen: never written again, whatever changed in templates or the reference
    document), and of every output whose revision is wrong (its last version stays).
    `versions`: the archive's signed versions, when the caller has read them already.
    """
    if versions is None:
        versions = signed_versions(archive)
    problems: list[Diagnostic] = []
    keep: set[str] = set()
    for out in outputs:
        signed = versions.get(out.rel)
        if out.doc is None or not signed or not own_output(out):
            continue
        found = revision_problems(out.doc, signed)
        problems += found
        if found or out.doc.model.revision <= max(signed):
            keep.add(out.rel)
    return problems, keep


def revision_problems(doc: Doc, signed: dict[int, SignedVersion]) -> list[Diagnostic]:
    """What is wrong with the source's revision, given the signed ones."""
    source = doc.source
    line, col = source.place(("revision",), key=True)
    found = [Diagnostic(source.rel, line, col, text) for text in revision_messages(doc, signed)]
    return found + list(signed_again_problems(doc, signed))


def revision_messages(doc: Doc, signed: dict[int, SignedVersion]) -> Iterator[str]:
    revision, last = doc.model.revision, max(signed)
    record = signed[last].record
    by = f" by {signers(record)}" if record else ""
    if revision < last:
        yield (
            f"revision {revision} is older than revision {last}, signed{by}; "
            f"set revision: {last}, or {last + 1} to change it"
        )
    elif revision in signed:
        own = signed[revision].record
        if own is not None and own.data is not None and own.data != data_hash(doc.source):
            yield (
                f"signed by {signers(own)} (revision {revision}); to change it, "
                f"set revision: {revision + 1} and say what changed in changes:"
            )
    elif revision > last + 1:
        yield (
            f"revision {revision} skips {last + 1}: the last signed revision is {last}{by}; "
            f"set revision: {last + 1}"
        )
    # A revision without `changes` is a validation rule of every document, signed or not.


def signed_again_problems(doc: Doc, signed: dict[int, SignedVersion]) -> Iterator[Diagnostic]:
    """Signatures of a new revision dated before the previous one was signed."""
    revision = doc.model.revision
    earliest = earliest_signature(signed, revision)
    for i, sig in enumerate(doc.model.signatures):
        if earliest is not None and sig.on is not None and sig.on < earliest:
            yield doc.source.error(
                ("signatures", i, "on"),
                f"{sig.on} is before revision {revision - 1} was signed ({earliest}); "
                f"sign revision {revision} again",
            )


def earliest_signature(signed: dict[int, SignedVersion], revision: int) -> dt.date | None:
    """The first day a signature of `revision` may carry: the day the revision before,
    the last one signed, got its last signature (None: no such limit)."""
    if not signed or revision - 1 != max(signed):
        return None
    record = signed[revision - 1].record
    return max((s.on for s in record.signatures), default=None) if record else None


def signers(record: SignedRecord) -> str:
    """`ana on 2026-11-21 and lwei on 2026-11-22`."""
    each = [f"{s.by} on {s.on.isoformat()}" for s in record.signatures]
    return " and ".join(each) if len(each) < 3 else ", ".join(each[:-1]) + " and " + each[-1]


@dataclass(frozen=True)
class ToTag:
    """A signed document's output, to tag once the build's commit holds its .docx."""

    out: str  # `<client>/<kind>/<id>`
    client: str
    kind: str
    doc_id: str
    revision: int
    signatures: tuple[Signature, ...]
    data: str


def to_tag(outputs: Iterable[Output], as_of: dt.date) -> list[ToTag]:
    """The documents among `outputs` signed as of `as_of` (their own outputs, not
    invoice requests)."""
    found = []
    for out in outputs:
        doc = out.doc
        if doc is None or not own_output(out) or not doc.model.signed_by(as_of):
            continue
        signatures = tuple(Signature(s.by, s.on) for s in doc.model.signatures if s.on)
        found.append(
            ToTag(
                out.rel,
                out.client,
                out.folder,
                out.id,
                doc.model.revision,
                signatures,
                data_hash(doc.source),
            )
        )
    return found


def tag_all(
    archive: Archive,
    pending: Iterable[ToTag],
    output_root: Path,
    existing: set[str] | None = None,
) -> list[str]:
    """Tag each of `pending` whose revision has no tag yet, on HEAD; the tags made.

    Call after the build's commit, with the outputs it wrote (outputs found up to date
    may be passed too: a build killed between its commit and its tags left them
    untagged). The .docx on disk must be the one HEAD holds. `existing`: the names of
    the tags of these documents, when the caller has read them already.
    """
    pending = list(pending)
    if not pending:
        return []
    existing = set(existing) if existing is not None else {t.name for t in archive.tags()}
    records: list[SignedRecord] = []
    for one in pending:
        name = signed_tag_name(one.client, one.kind, one.doc_id, one.revision)
        if name in existing:
            continue
        existing.add(name)
        path = f"{one.out}.docx"
        records.append(
            SignedRecord(
                client=one.client,
                kind=one.kind,
                doc_id=one.doc_id,
                revision=one.revision,
                sha256=sha256_hex((output_root / path).read_bytes()),
                path=path,
                signatures=one.signatures,
                data=one.data,
            )
        )
    return archive.tag_signed_all(records)


def output_of_source(source_rel: str) -> str | None:
    """`clients/<client>/<folder>/<id>.yaml` -> `<client>/<kind>/<id>`; None for others."""
    parts = PurePosixPath(source_rel).parts
    if len(parts) != 4 or parts[0] != "clients" or not parts[3].endswith(".yaml"):
        return None
    folder = OUTPUT_FOLDER.get(parts[2])
    return f"{parts[1]}/{folder}/{parts[3].removesuffix('.yaml')}" if folder else None


def frozen_files(ws: Workspace, archive: Archive) -> dict[str, str]:
    """Path in output/ -> the tag its .docx must still equal.

    That is the last signed revision of each document whose source is still there,
    unless the source says a later revision (which replaced the file and is not signed
    yet). The revision is read from every source that loaded, typed or not, so an error
    elsewhere in a new revision does not make its file look tampered with. A document
    whose source is gone may have had its output removed; the tags still hold it.
    """
    revisions: dict[str, int] = {}
    for client in ws.clients.values():
        for source in client.sources:
            rel = output_of_source(source.rel)
            revision = source.data.get("revision", 1)
            if rel:
                revisions[rel] = revision if isinstance(revision, int) else 0
    frozen = {}
    for rel, signed in signed_versions(archive).items():
        last = max(signed)
        if revisions.get(rel, last + 1) <= last:
            frozen[f"{rel}.docx"] = signed[last].tag.name
    return frozen
