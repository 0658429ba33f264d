"""`aedocs verify`: the archive in output/ is intact, and so is every signed version.

Checks that git's own integrity check passes; that every signed tag's .docx in the
archive still has the sha256 the tag records; that the .docx of every signed document
still on its signed revision is, on disk, the one signed, and its .md twin the one of
the signed commit (a later revision that its source announces may replace them); and
that every file in output/ is as the archive's last commit has it. Exits 1 naming each
file that does not match.
"""

from __future__ import annotations

import click

from aedocs.archive import Archive, reported_at
from aedocs.commands.history import SHORT
from aedocs.diagnostics import (
    EXIT_OK,
    EXIT_PROBLEMS,
    AedocsError,
    Diagnostic,
    counted,
    report,
)
from aedocs.manifest import OUTPUT_DIR, Manifest
from aedocs.options import Options
from aedocs.signing import frozen_files, missing_tags
from aedocs.workspace import find_root, load_workspace


def run(opts: Options) -> int:
    ws = load_workspace(find_root(opts.directory))
    archive = Archive(ws.root / OUTPUT_DIR)
    if not archive.exists():
        raise AedocsError(f"{OUTPUT_DIR}/ is no archive yet: 'aedocs build' makes it")
    with reported_at(OUTPUT_DIR), archive.locked(on_wait=lambda said: click.echo(said, err=True)):
        frozen = frozen_files(ws, archive)
        tags = {tag.name for tag in archive.tags()}
        problems = archive.verify(frozen) + archive.worktree_problems()
        problems += missing_tags(Manifest(archive.root).entries, tags)
        documents = [path for path in archive.files() if path.endswith(".docx")]
        head = archive.resolve("HEAD")
    if problems:
        found = [Diagnostic(f"{OUTPUT_DIR}/{p.path}", 0, 0, p.message) for p in problems]
        report(found, opts.color)
        files = len({p.path for p in problems})
        verb = "file does" if files == 1 else "files do"
        click.echo(f"{OUTPUT_DIR}/: {files} {verb} not match the archive", err=True)
        return EXIT_PROBLEMS
    click.echo(
        f"{OUTPUT_DIR}/ intact: {counted(len(documents), 'document')} as committed in "
        f"{head[:SHORT]}, {counted(len(tags), 'signed version')} ({len(frozen)} frozen), "
        "git fsck clean"
    )
    return EXIT_OK
