"""`aedocs validate`: check every file and rule, write nothing."""

from __future__ import annotations

import datetime as dt

import click

from aedocs.commands.build import OUTPUT_DIR
from aedocs.diagnostics import (
    EXIT_OK,
    EXIT_PROBLEMS,
    Diagnostic,
    Level,
    failed,
    report,
    summary,
)
from aedocs.options import Options
from aedocs.validate import check
from aedocs.workspace import Workspace, find_root, load_workspace


def run(opts: Options, strict: bool = False) -> int:
    ws = load_workspace(find_root(opts.directory))
    found = check(ws)
    found += _signed_problems(ws, found)
    report(found, opts.color)
    if not opts.quiet:
        read = {s.rel for c in ws.clients.values() for s in c.sources}
        files = 1 + len(read | ws.failed_sources)
        click.echo(f"{files} files, {len(ws.clients)} clients: {summary(found)}", err=True)
    return EXIT_PROBLEMS if failed(found, strict) else EXIT_OK


def _signed_problems(ws: Workspace, found: list[Diagnostic]) -> list[Diagnostic]:
    """Changes to signed documents that do not raise their revision, as a build finds
    them: against the signed versions in the archive in output/, when there is one."""
    out_dir = ws.root / OUTPUT_DIR
    if not (out_dir / ".git").is_dir():
        return []
    from aedocs.archive import Archive, ArchiveError
    from aedocs.plan import plan
    from aedocs.signing import check_signed

    broken = {d.path for d in found if d.is_error}
    outputs = plan(ws, dt.date.today(), broken).outputs
    try:
        problems, _ = check_signed(ws, Archive(out_dir), outputs)
    except ArchiveError as exc:
        why = f"archive: {exc}; signed documents not checked"
        return [Diagnostic(f"{OUTPUT_DIR}/.git", 0, 0, why, Level.WARNING)]
    return problems
