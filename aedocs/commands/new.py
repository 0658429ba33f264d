"""`aedocs new KIND CLIENT [SLUG]`: a source file from a commented skeleton."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import click

from aedocs.commands.schema import schema_of
from aedocs.diagnostics import AedocsError, Diagnostic
from aedocs.ids import ID_PATTERN, NUMBER_FORM, NUMBER_PATTERN, name_problem
from aedocs.model import FOLDERS, KINDS, Client
from aedocs.options import Options
from aedocs.skeleton import skeleton
from aedocs.workspace import CLIENT_FILE, ClientFiles, find_root, load_workspace
from aedocs.write import write_text

SCHEMA_DIR = ".aedocs/schemas"


def run(opts: Options, kind: str, client: str, slug: str | None) -> int:
    root = find_root(opts.directory)
    _check_name("client id", client, ID_PATTERN, "lowercase letters, digits and '-'")
    today = dt.date.today()
    if kind == "client":
        path = root / "clients" / client / CLIENT_FILE
        values: dict[str, Any] = {"tier": "B", "team": [], "contacts": None}
        text = _text(root, path, "client", Client, values, f"Client {client}")
    else:
        path, values = _plan(root, kind, client, slug, today)
        text = _text(root, path, kind, KINDS[kind], values, f"{kind} for {client}")
    if path.exists():
        raise AedocsError(
            [Diagnostic(path.relative_to(root).as_posix(), 0, 0, "already exists; not overwritten")]
        )
    write_text(path, text)
    click.echo(path.relative_to(root).as_posix())
    return 0


def _plan(
    root: Path, kind: str, client_id: str, slug: str | None, today: dt.date
) -> tuple[Path, dict[str, Any]]:
    ws = load_workspace(root)
    client = ws.clients.get(client_id)
    if client is None:
        client_file = f"clients/{client_id}/{CLIENT_FILE}"
        if (root / client_file).exists():  # e.g. the skeleton 'new client' wrote, not filled in
            problems = [d for d in ws.diagnostics if d.path == client_file and d.is_error]
            raise AedocsError(
                [
                    *problems,
                    Diagnostic(
                        client_file,
                        0,
                        0,
                        "fix its errors first: documents take their people from it",
                    ),
                ]
            )
        raise AedocsError(
            f"no client '{client_id}' (create it with 'aedocs new client {client_id}')"
        )
    if kind == "workorder":
        if not slug:
            raise click.UsageError(
                "a work order needs its finance number: aedocs new workorder "
                f"{client_id} WO-{today.year}-001"
            )
        _check_name("finance number", slug, NUMBER_PATTERN, NUMBER_FORM)
        return _folder(root, client_id, kind) / f"{slug}.yaml", _defaults(kind, client, today, slug)
    slug = "new" if slug is None else slug
    _check_name("slug", slug, ID_PATTERN, "lowercase letters, digits and '-'")
    stem = f"{today.isoformat()}-{slug}" if kind == "meeting" else slug
    problem = name_problem(stem)  # the date makes a meeting's name longer than its slug
    if problem:
        raise click.UsageError(f"file name '{stem}.yaml' {problem}")
    return _folder(root, client_id, kind) / f"{stem}.yaml", _defaults(kind, client, today, slug)


def _check_name(what: str, name: str, pattern: str, form: str) -> None:
    """A usage error unless `name` is of its form and can name a file (no '/', no '..')."""
    if not re.fullmatch(pattern, name):
        raise click.UsageError(f"{what} '{name}' is not valid: {form}")
    problem = name_problem(name)
    if problem:
        raise click.UsageError(f"{what} '{name}' {problem}")


def _folder(root: Path, client: str, kind: str) -> Path:
    return root / "clients" / client / FOLDERS[kind]


def _defaults(kind: str, client: ClientFiles, today: dt.date, slug: str) -> dict[str, Any]:
    """What the skeleton can already say: dates, the account's people."""
    lead = client.model.team[0]
    contact = client.model.contacts[0].id
    signatures = [{"by": lead}, {"by": contact}]
    if kind == "meeting":
        return {
            "kind": "client",
            "date": today,
            "chair": lead,
            "attendees": [lead, contact],
            "signatures": signatures,
        }
    if kind == "proposal":
        return {"status": "draft", "signatures": signatures}
    if kind == "schedule":
        return {"signatures": signatures}
    return {
        "number": slug,
        "requested_by": lead,
        "assigned_to": [lead],
        "opened": today,
        "status": "open",
        "signatures": [{"by": lead}],
    }


def _text(root: Path, path: Path, kind: str, model: Any, values: dict[str, Any], title: str) -> str:
    schema = root / SCHEMA_DIR / f"{kind}.json"
    write_text(
        schema, json.dumps(schema_of(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    )
    relative = Path(
        *[".."] * (len(path.relative_to(root).parts) - 1), SCHEMA_DIR, f"{kind}.json"
    ).as_posix()
    header = (
        f"yaml-language-server: $schema={relative}\n{title}: fill in the values, then "
        "run 'aedocs validate'.\nLines starting with '# key:' are optional fields."
    )
    return skeleton(model, values, header)
