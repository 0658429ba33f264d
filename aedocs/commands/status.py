"""`aedocs status`: what needs attention today, client by client, one aligned line each.

The list goes to stdout; diagnostics go to stderr, and any error makes the exit code 1
(the list still shows what the files that loaded say).
"""

from __future__ import annotations

import datetime as dt

import click

from aedocs.commands.validate import problems
from aedocs.diagnostics import EXIT_OK, EXIT_PROBLEMS, counted, failed, printable, report
from aedocs.options import Options
from aedocs.status import ClientStatus, Item, Urgency, attention
from aedocs.workspace import find_root, load_workspace

_TINT = {Urgency.LATE: "red", Urgency.TODAY: "yellow"}


def run(opts: Options, as_of: dt.date | None = None) -> int:
    as_of = as_of or dt.date.today()
    ws = load_workspace(find_root(opts.directory))
    found = problems(ws)
    report(found, opts.color)
    if ws.failed_sources and not opts.quiet:
        files = counted(len(ws.failed_sources), "file")
        click.echo(f"not in this status: {files} with errors", err=True)
    for line in lines(attention(ws, as_of), as_of, opts.color):
        click.echo(line, color=opts.color)
    return EXIT_PROBLEMS if failed(found) else EXIT_OK


def lines(clients: list[ClientStatus], as_of: dt.date, color: bool = False) -> list[str]:
    """The status as printed: a heading, then each client and its items, aligned."""
    out = [f"as of {as_of:%A} {as_of.isoformat()}"]
    if not clients:
        return [*out, "nothing needs attention"]
    items = [item for c in clients for item in c.items]
    widths = [max(len(cell) for cell in column) for column in zip(*map(_cells, items), strict=True)]
    for status in clients:
        client = status.client
        head = printable(f"{client.model.name} ({client.id}, {client.model.tier})")
        out += ["", click.style(head, bold=True) if color else head]
        out += [_line(item, widths, color) for item in status.items]
    return out


def _cells(item: Item) -> tuple[str, str, str, str]:
    return item.topic, item.date.isoformat(), item.state, printable(item.who)


def _line(item: Item, widths: list[int], color: bool) -> str:
    cells = [cell.ljust(width) for cell, width in zip(_cells(item), widths, strict=True)]
    tint = _TINT.get(item.urgency)
    if color and tint:
        bold = True if item.urgency is Urgency.LATE else None
        padding = cells[2][len(item.state) :]
        cells[2] = click.style(item.state, fg=tint, bold=bold) + padding
    return "  " + "  ".join([*cells, printable(item.what)])
