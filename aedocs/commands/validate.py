"""`aedocs validate`: check every file and rule, write nothing."""

from __future__ import annotations

import click

from aedocs.diagnostics import (
    EXIT_OK,
    EXIT_PROBLEMS,
    Diagnostic,
    counted,
    failed,
    report,
    summary,
)
from aedocs.options import Options
from aedocs.render.styles import check_styles
from aedocs.signing import signed_changes
from aedocs.validate import check
from aedocs.workspace import Workspace, find_root, load_workspace


def run(opts: Options, strict: bool = False) -> int:
    ws = load_workspace(find_root(opts.directory))
    found = problems(ws)
    report(found, opts.color)
    if not opts.quiet:
        read = {s.rel for c in ws.clients.values() for s in c.sources}
        files = 1 + len(read | ws.failed_sources)
        clients = counted(len(ws.clients), "client")
        click.echo(f"{counted(files, 'file')}, {clients}: {summary(found)}", err=True)
    return EXIT_PROBLEMS if failed(found, strict) else EXIT_OK


def problems(ws: Workspace) -> list[Diagnostic]:
    """Every problem of the loaded workspace `ws` a build would report, found without
    building (`validate` and `status`): the rules, changes to signed documents, unknown
    paragraph styles."""
    found = check(ws)
    changes, frozen = signed_changes(ws, found)
    found += changes
    found += check_styles(ws, frozen)  # after: a build checks signed versions whatever the styles
    return found
