"""`aedocs history DOC`: every archived version of one document, newest first.

DOC is the document's source (`clients/<client>/<folder>/<id>.yaml`) or its output
(`output/<client>/<kind>/<id>.docx` or `.md`). Each line gives the date of the build,
its commit, the revision, and who signed it for the versions a signed tag marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import click

from aedocs.archive import Archive, SignedRecord, Version, parse_signed_tag_name, reported_at
from aedocs.diagnostics import AedocsError, counted
from aedocs.manifest import OUTPUT_DIR, OUTPUT_SUFFIXES
from aedocs.options import Options
from aedocs.signing import output_of_source, signed_versions, signers
from aedocs.workspace import find_root, given_path

SHORT = 7


@dataclass(frozen=True)
class Entry:
    """One archived version of a document: its commit, revision and signed record."""

    version: Version
    revision: int
    tagged: bool  # a signed tag marks it
    record: SignedRecord | None  # what that tag says (None when unreadable)

    @property
    def short(self) -> str:
        return self.version.commit[:SHORT]

    @property
    def when(self) -> str:
        """`2026-11-20 10:30`, in the time zone the build ran in."""
        return self.version.date[:16].replace("T", " ")

    def label(self) -> str:
        if not self.tagged:
            return f"revision {self.revision}"
        by = f" by {signers(self.record)}" if self.record else " (its tag is unreadable)"
        return f"revision {self.revision}  signed v{self.revision}{by}"


def run(opts: Options, doc: Path) -> int:
    root, rel = document_of(opts, doc)
    with reported_at(OUTPUT_DIR):
        entries = history(Archive(root / OUTPUT_DIR), rel)
    click.echo(f"{OUTPUT_DIR}/{rel}.docx: {counted(len(entries), 'version')}, newest first")
    for entry in entries:
        click.echo(f"{entry.when}  {entry.short}  {entry.label()}")
    return 0


def document_of(opts: Options, doc: Path) -> tuple[Path, str]:
    """(workspace root, `<client>/<kind>/<id>`) of DOC, a source file or an output file."""
    root = find_root(opts.directory)
    rel = given_path(root, opts.directory / doc, doc)
    path = PurePosixPath(rel)
    if path.parts[:1] == (OUTPUT_DIR,) and path.suffix in OUTPUT_SUFFIXES and len(path.parts) == 4:
        return root, str(path.relative_to(OUTPUT_DIR).with_suffix(""))
    found = output_of_source(rel)
    if found is None:
        raise AedocsError(
            f"{doc}: not a document; give its source (clients/<client>/<folder>/<id>.yaml) "
            f"or its output ({OUTPUT_DIR}/<client>/<kind>/<id>.docx or .md)"
        )
    return root, found


def history(archive: Archive, rel: str) -> list[Entry]:
    """Every archived version of the .docx of `<client>/<kind>/<id>`, newest first.

    A version marked by a signed tag has that tag's revision; the versions built after
    revision N was signed are revision N + 1 (a signed revision is never rebuilt).
    AedocsError when there is none.
    """
    versions = [v for v in archive.history(f"{rel}.docx") if v.blob is not None]
    if not versions:
        raise AedocsError(
            f"{OUTPUT_DIR}/{rel}.docx has no archived version yet (aedocs build archives it)"
        )
    records = {n: signed.record for n, signed in signed_versions(archive).get(rel, {}).items()}
    entries: list[Entry] = []
    revision, after_signed = 1, False
    for version in reversed(versions):
        tagged = tagged_revision(version, rel)
        if tagged is not None:
            revision = tagged
        elif after_signed:
            revision += 1
        after_signed = tagged is not None
        record = records.get(revision) if after_signed else None
        entries.append(Entry(version, revision, after_signed, record))
    return entries[::-1]


def tagged_revision(version: Version, rel: str) -> int | None:
    """The revision of this document a signed tag on `version` names, if any."""
    named = [parse_signed_tag_name(tag) for tag in version.tags]
    return max((found[1] for found in named if found and found[0] == rel), default=None)
