"""`aedocs diff DOC [REV [REV]]`: what changed in a document's text between two versions.

The text is the `.md` twin the archive keeps beside each `.docx`. Without REV the diff
is from the previous version to the latest; with one, from REV to the latest. A REV is
a commit (as `aedocs history` prints it), `vN` for signed revision N, or any git revision.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from aedocs.archive import Archive, ArchiveError, reported_at, signed_tag_name
from aedocs.commands.history import SHORT, Entry, document_of, history
from aedocs.diagnostics import AedocsError
from aedocs.manifest import OUTPUT_DIR
from aedocs.options import Options


def run(opts: Options, doc: Path, revs: tuple[str, ...] = ()) -> int:
    root, rel = document_of(opts, doc)
    archive = Archive(root / OUTPUT_DIR)
    twin = f"{rel}.md"
    with reported_at(OUTPUT_DIR):
        entries = history(archive, rel)
        if not revs and len(entries) < 2:
            raise AedocsError(
                f"{OUTPUT_DIR}/{rel}.docx has one archived version: nothing to compare"
            )
        old, new = pick(archive, rel, revs, entries)
        before, after = (text_at(archive, commit, twin) for commit in (old, new))
    if before == after:
        click.echo(f"{OUTPUT_DIR}/{twin}: the same text in {old[:SHORT]} and {new[:SHORT]}")
        return 0
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=header(twin, old, entries),
        tofile=header(twin, new, entries),
    )
    click.echo("".join(line if line.endswith("\n") else line + "\n" for line in lines), nl=False)
    return 0


def pick(
    archive: Archive, rel: str, revs: tuple[str, ...], entries: list[Entry]
) -> tuple[str, str]:
    """The commits to compare: (older, newer)."""
    latest = entries[0].version.commit
    if not revs:
        return entries[1].version.commit, latest
    commits = [resolve(archive, rel, rev) for rev in revs]
    return (commits[0], commits[1]) if len(commits) > 1 else (commits[0], latest)


def resolve(archive: Archive, rel: str, rev: str) -> str:
    """The commit of `rev`: `vN` names the signed revision N of this document."""
    client, kind, doc_id = rel.split("/")
    number = rev[1:] if rev[:1] == "v" else ""
    if number.isdigit():
        tag = signed_tag_name(client, kind, doc_id, int(number))
        if any(found.name == tag for found in archive.tags(tag)):
            return archive.resolve(tag)
    try:
        return archive.resolve(rev)
    except ArchiveError:
        raise AedocsError(
            f"no version {rev!r} of {OUTPUT_DIR}/{rel}.docx: give a commit that "
            "'aedocs history' lists, or vN for signed revision N"
        ) from None


def text_at(archive: Archive, commit: str, twin: str) -> str:
    blob = archive.read_blob(commit, twin)
    if blob is None:
        raise AedocsError(f"{OUTPUT_DIR}/{twin} is not in the archive at {commit[:SHORT]}")
    return blob.decode("utf-8", errors="replace")


def header(twin: str, commit: str, entries: list[Entry]) -> str:
    """`output/<rel>.md @ 1a2b3c4 (revision 1, signed)`."""
    entry = next((e for e in entries if e.version.commit == commit), None)
    about = ""
    if entry is not None:
        about = f" ({entry.when}, revision {entry.revision}{', signed' if entry.tagged else ''})"
    return f"{OUTPUT_DIR}/{twin} @ {commit[:SHORT]}{about}"
