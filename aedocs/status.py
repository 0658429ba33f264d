"""Status: what needs the account executive's attention on a given day (no I/O).

For each client, key accounts first: open actions past their due date (by owner),
documents still waiting for signatures, the weekly report of the last complete week (due
the following Monday at 12:00), delivered work orders not invoiced yet, unpaid invoices
with their due date, and work orders past their due date and not delivered. Everything
is read as of that day: a signature, payment, delivery or completed action dated after it
has not happened yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from aedocs.model import Meeting, WorkOrder
from aedocs.reports import WEEK, Week, weeks_with_activity
from aedocs.workspace import ClientFiles, Doc, Workspace

TIERS = ("KA", "A", "B", "C")
D = TypeVar("D", Meeting, WorkOrder)
# Source kind -> how a status line names that kind of document.
DOCUMENT_NAMES = {
    "meeting": "minutes",
    "proposal": "proposal",
    "schedule": "schedule",
    "workorder": "work order",
}


class Urgency(StrEnum):
    LATE = "late"  # past its date
    TODAY = "today"  # due today
    PENDING = "pending"  # waiting, or due later


@dataclass(frozen=True)
class Item:
    """One thing to attend to: a status line."""

    topic: str  # action | signature | weekly report | invoice | work order
    date: dt.date  # the day it is about: due, issued or delivery
    state: str  # e.g. "overdue 5 days", "due today 12:00", "waiting 3 days"
    who: str  # the people it waits for; empty when nobody in particular
    what: str  # the task, document or invoice, in the user's words
    urgency: Urgency


@dataclass
class ClientStatus:
    client: ClientFiles
    items: list[Item] = field(default_factory=list)


def attention(ws: Workspace, as_of: dt.date) -> list[ClientStatus]:
    """The clients with something to attend to, by tier (KA, A, B, C) and id."""
    terms = ws.config.payment_terms_days
    found = []
    for client in sorted(ws.clients.values(), key=lambda c: (TIERS.index(c.model.tier), c.id)):
        items = [
            *sorted(_actions(client, as_of), key=lambda i: (i.who, i.date, i.what)),
            *_signatures(client, as_of),
            *_weekly(client, terms, as_of),
            *sorted(_to_invoice(client, as_of), key=_by_date),
            *sorted(_invoices(client, terms, as_of), key=_by_date),
            *sorted(_late_orders(client, as_of), key=_by_date),
        ]
        if items:
            found.append(ClientStatus(client, items))
    return found


def _actions(client: ClientFiles, as_of: dt.date) -> list[Item]:
    """Actions still open on `as_of` whose due date is before it."""
    found = []
    for doc, meeting in _docs(client, Meeting):
        if meeting.date > as_of:
            continue
        for action in meeting.actions:
            done = action.status == "done" and (action.done_on is None or action.done_on <= as_of)
            if action.status == "dropped" or done or action.due >= as_of:
                continue
            what = f"{action.task} ({_name(doc)})"
            found.append(_late("action", action.due, as_of, action.owner, what))
    return found


def _signatures(client: ClientFiles, as_of: dt.date) -> list[Item]:
    """Documents issued by `as_of` that someone has not signed by then."""
    found = []
    for doc in sorted(client.docs, key=lambda d: (d.model.issued, d.kind, d.id)):
        issued = doc.model.issued
        waiting = doc.model.waiting(as_of)
        if issued > as_of or not waiting:
            continue
        days = (as_of - issued).days
        state = f"waiting {_days(days)}" if days else "issued today"
        title = getattr(doc.model, "title", doc.id)
        what = f"{title} ({_name(doc)})"
        found.append(Item("signature", issued, state, ", ".join(waiting), what, Urgency.PENDING))
    return found


def _weekly(client: ClientFiles, terms: int, as_of: dt.date) -> list[Item]:
    """The report of the last complete week, if the client had activity in it."""
    week = Week.of(as_of - WEEK)
    if week not in weeks_with_activity(client, terms, as_of):
        return []
    what = f"{week.id} ({week.start.isoformat()} to {week.end.isoformat()})"
    if week.delivery == as_of:
        return [Item("weekly report", week.delivery, "due today 12:00", "", what, Urgency.TODAY)]
    return [_late("weekly report", week.delivery, as_of, "", what)]


def _to_invoice(client: ClientFiles, as_of: dt.date) -> list[Item]:
    """Work orders delivered by `as_of` and not invoiced by then: raise the request."""
    found = []
    for doc, order in _docs(client, WorkOrder):
        delivered, invoice = order.delivered, order.invoice
        if delivered is None or delivered > as_of or (invoice and invoice.issued <= as_of):
            continue
        days = (as_of - delivered).days
        state = f"delivered {_days(days)} ago" if days else "delivered today"
        what = f"{order.title} ({_name(doc)})"
        found.append(Item("invoice request", delivered, state, "", what, Urgency.PENDING))
    return found


def _invoices(client: ClientFiles, terms: int, as_of: dt.date) -> list[Item]:
    """Invoices issued by `as_of` and not paid by then, with their due date."""
    found = []
    for doc, order in _docs(client, WorkOrder):
        invoice = order.invoice
        if invoice is None or invoice.issued > as_of or (invoice.paid and invoice.paid <= as_of):
            continue
        due = invoice.issued + dt.timedelta(days=terms)
        what = f"{invoice.number}: {order.title} ({_name(doc)})"
        if due < as_of:
            found.append(_late("invoice", due, as_of, "", what))
        elif due == as_of:
            found.append(Item("invoice", due, "due today", "", what, Urgency.TODAY))
        else:
            state = f"due in {_days((due - as_of).days)}"
            found.append(Item("invoice", due, state, "", what, Urgency.PENDING))
    return found


def _late_orders(client: ClientFiles, as_of: dt.date) -> list[Item]:
    """Work orders opened by `as_of`, due before it, and not delivered by then."""
    found = []
    for doc, order in _docs(client, WorkOrder):
        delivered = order.delivered is not None and order.delivered <= as_of
        if order.opened > as_of or order.due >= as_of or delivered:
            continue
        who = ", ".join(order.assigned_to)
        what = f"{order.title} ({_name(doc)})"
        found.append(_late("work order", order.due, as_of, who, what))
    return found


def _by_date(item: Item) -> tuple[dt.date, str]:
    return item.date, item.what


def _late(topic: str, due: dt.date, as_of: dt.date, who: str, what: str) -> Item:
    return Item(topic, due, f"overdue {_days((as_of - due).days)}", who, what, Urgency.LATE)


def _docs(client: ClientFiles, kind: type[D]) -> list[tuple[Doc, D]]:
    """The documents of one kind, each with its typed model."""
    return [(d, d.model) for d in client.docs if isinstance(d.model, kind)]


def _name(doc: Doc) -> str:
    """`minutes 2026-11-20-kickoff`: the document as its output is named."""
    return f"{DOCUMENT_NAMES[doc.kind]} {doc.id}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"
