"""People: staff and contacts, the team of each account, and every person reference.

A person reference anywhere in a client's documents must be a staff id on that client's
team or one of its contacts' ids ("on this account"), and those ids must not collide.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from aedocs.diagnostics import Diagnostic, did_you_mean
from aedocs.ids import repeated
from aedocs.source import Loc
from aedocs.workspace import ClientFiles, Doc, Workspace

ONE_PERSON = {"chair", "minute_taker", "owner", "by", "requested_by"}
PEOPLE = {"attendees", "apologies", "presenters", "client_attendees", "assigned_to"}


def check_config(ws: Workspace) -> Iterator[Diagnostic]:
    staff = [s.id for s in ws.config.staff]
    yield from _unique(ws.config_source.error, staff, ("staff",), "staff id")


def check_client(ws: Workspace, client: ClientFiles) -> Iterator[Diagnostic]:
    staff = [s.id for s in ws.config.staff]
    yield from _check_client(client, staff)
    for doc in client.docs:
        yield from _references(doc, client, set(staff))


def account(client: ClientFiles) -> set[str]:
    """Everyone a document of this client may name: its team and its contacts."""
    return set(client.model.team) | {c.id for c in client.model.contacts}


def _references(doc: Doc, client: ClientFiles, staff: set[str]) -> Iterator[Diagnostic]:
    on_account = account(client)
    contacts = {c.id for c in client.model.contacts}
    listed: set[tuple[Loc, str]] = set()  # (a list's place, a person in it)
    for loc, person in person_refs(doc.model):
        if isinstance(loc[-1], int):  # in a list of people (attendees, assigned_to...)
            if (loc[:-1], person) in listed:
                yield doc.source.error(loc, f"'{person}' is listed twice")
                continue
            listed.add((loc[:-1], person))
        if person in on_account:
            if loc[-2:-1] == ("client_attendees",) and person not in contacts:
                yield doc.source.error(loc, f"'{person}' is not a contact of this client")
        elif person in staff:
            yield doc.source.error(
                loc,
                f"'{person}' is not on this client's team (add '{person}' to team in client.yaml)",
            )
        else:
            # Suggest only real people: a misspelt team entry is reported on its own.
            hint = did_you_mean(person, sorted(on_account & staff | contacts))
            yield doc.source.error(loc, f"'{person}' is not on this account{hint}")


def person_refs(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every person id the model names, with where it stands."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = (*loc, name)
        if name in ONE_PERSON and isinstance(value, str):
            yield here, value
        elif name in PEOPLE and isinstance(value, list):
            yield from (((*here, i), v) for i, v in enumerate(value))
        else:
            yield from _nested_refs(value, here)


def _nested_refs(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, BaseModel):
        yield from person_refs(value, loc)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, BaseModel):
                yield from person_refs(item, (*loc, i))


def _check_client(client: ClientFiles, staff: list[str]) -> Iterator[Diagnostic]:
    error = client.source.error
    again = repeated(client.model.team)
    for i, member in enumerate(client.model.team):
        if i in again:
            yield error(("team", i), f"'{member}' is listed twice")
        elif member not in staff:
            hint = did_you_mean(member, staff)
            yield error(("team", i), f"'{member}' is not on the agency's staff{hint}")
    contact_ids = [c.id for c in client.model.contacts]
    yield from _unique(error, contact_ids, ("contacts",), "contact id")
    for i, contact in enumerate(contact_ids):
        if contact in staff:
            yield error(
                ("contacts", i, "id"),
                f"'{contact}' is also a staff id; a contact needs an id of its own",
            )


def _unique(error: Any, ids: list[str], loc: Loc, what: str) -> Iterator[Diagnostic]:
    for i in sorted(repeated(ids)):
        yield error((*loc, i, "id"), f"{what} '{ids[i]}' is used twice")
