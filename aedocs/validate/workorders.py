"""Rules of work orders: finance numbers, origin, dates, costs, the status lifecycle."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from aedocs.diagnostics import Diagnostic, did_you_mean
from aedocs.ids import name_problem
from aedocs.model import Meeting, WorkOrder
from aedocs.model.workorder import STATUSES
from aedocs.source import Loc, about
from aedocs.workspace import ClientFiles, Doc

_CENT = 0.005


class Number(NamedTuple):
    """A finance number a work order holds (its own, or its invoice's), and where."""

    what: str  # "number" | "invoice"
    value: str
    path: str
    line: int
    col: int


def check_client(client: ClientFiles) -> Iterator[Diagnostic]:
    for doc in client.docs:
        if isinstance(doc.model, WorkOrder):
            yield from workorder(doc, doc.model, client)


def numbers(client: ClientFiles) -> list[Number]:
    """The finance numbers of the client's work orders, in file order."""
    found = []
    for doc in client.docs:
        if isinstance(doc.model, WorkOrder):
            wo = doc.model
            found.append(Number("number", wo.number, doc.source.rel, *_at(doc, ("number",))))
            if wo.invoice:
                at = _at(doc, ("invoice", "number"))
                found.append(Number("invoice", wo.invoice.number, doc.source.rel, *at))
    return found


def _at(doc: Doc, loc: Loc) -> tuple[int, int]:
    return doc.source.place(loc)


class Numbers:
    """The finance numbers claimed so far, client by client in workspace order: the first
    holder of a number keeps it, each later one is told whose it is. A client's problems
    depend only on the clients before it."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], Number] = {}

    def claim(self, found: Iterable[Number]) -> list[Diagnostic]:
        problems = []
        for n in found:
            # WO-1 and wo-1 are one number to finance, and one file where case is ignored.
            first = self._first.setdefault((n.what, n.value.casefold()), n)
            if first.path == n.path:
                continue
            holder = first.path if first.value == n.value else f"{first.path} (as '{first.value}')"
            if n.what == "number":
                message = about(("number",), f"'{n.value}' is already the number of {holder}")
            else:
                message = about(
                    ("invoice", "number"), f"'{n.value}' is already invoiced in {holder}"
                )
            problems.append(Diagnostic(n.path, n.line, n.col, message))
        return problems


def workorder(doc: Doc, wo: WorkOrder, client: ClientFiles) -> Iterator[Diagnostic]:
    err = doc.source.error
    if wo.number != doc.id:
        yield err(("number",), f"'{wo.number}' differs from the file name ({doc.id}.yaml)")
    elif problem := name_problem(wo.number):
        yield err(("number",), f"'{wo.number}' {problem}")
    if wo.origin:
        yield from _origin(doc, wo.origin, client)
    if wo.due < wo.opened:
        yield err(("due",), f"{wo.due} is before opened ({wo.opened})")
    if wo.type == "media" and not wo.placements:
        yield err(
            ("placements",) if "placements" in doc.source.data else ("type",),
            "a media order needs at least one placement",
        )
    yield from _placements(doc, wo)
    yield from _estimate(doc, wo)
    yield from _lifecycle(doc, wo)


def _origin(doc: Doc, origin: str, client: ClientFiles) -> Iterator[Diagnostic]:
    stem, _, decision = origin.partition("#")
    meetings = {d.id: d.model for d in client.docs if isinstance(d.model, Meeting)}
    found = meetings.get(stem)
    if found is None and ("meeting", stem) in client.unreadable:
        return  # the meeting's own problems are reported; its decisions are unknown
    if found is None:
        hint = did_you_mean(stem, sorted(meetings))
        yield doc.source.error(("origin",), f"no meeting '{stem}' for this client{hint}")
        return
    ids = [d.id for d in found.decisions if d.id]
    if decision not in ids:
        known = f" (its decision ids: {', '.join(ids)})" if ids else " (it has no decision ids)"
        yield doc.source.error(("origin",), f"meeting '{stem}' has no decision '{decision}'{known}")


def _placements(doc: Doc, wo: WorkOrder) -> Iterator[Diagnostic]:
    for i, p in enumerate(wo.placements):
        loc = ("placements", i)
        if p.end < p.start:
            yield doc.source.error((*loc, "end"), f"{p.end} is before the start ({p.start})")
        if (p.impressions is None) != (p.cpm is None):
            given, missing = ("impressions", "cpm") if p.cpm is None else ("cpm", "impressions")
            yield doc.source.error((*loc, given), f"impressions and cpm go together: add {missing}")
        elif p.impressions is not None and p.cpm is not None:
            expected = p.impressions * p.cpm / 1000
            if abs(expected - p.cost) > _CENT:
                yield doc.source.error(
                    (*loc, "cost"),
                    f"{_cents(p.cost)} differs from impressions x cpm / 1000 = {_cents(expected)}",
                )


def _estimate(doc: Doc, wo: WorkOrder) -> Iterator[Diagnostic]:
    for i, line in enumerate(wo.estimate):
        timed = line.hours is not None or line.rate is not None
        if line.amount is not None and timed:
            yield doc.source.error(
                ("estimate", i, "amount"),
                "give either amount (a fixed price) or hours and rate, not both",
            )
        elif line.amount is None and (line.hours is None or line.rate is None):
            yield doc.source.error(("estimate", i), "needs hours and rate, or amount")


def _lifecycle(doc: Doc, wo: WorkOrder) -> Iterator[Diagnostic]:
    err = doc.source.error
    if wo.stage >= STATUSES.index("done") and wo.delivered is None:
        yield err(("status",), f"'{wo.status}' needs delivered: the delivery date")
    if wo.delivered and wo.delivered < wo.opened:
        yield err(("delivered",), f"{wo.delivered} is before opened ({wo.opened})")
    if wo.stage >= STATUSES.index("invoiced") and wo.invoice is None:
        yield err(("status",), f"'{wo.status}' needs invoice: {{number, issued}}")
    if wo.invoice is None:
        return
    if wo.status == "paid" and wo.invoice.paid is None:
        yield err(("invoice",), "status 'paid' needs invoice.paid: the day it was paid")
    if wo.invoice.paid and wo.invoice.paid < wo.invoice.issued:
        yield err(
            ("invoice", "paid"),
            f"{wo.invoice.paid} is before the invoice was issued ({wo.invoice.issued})",
        )


def _cents(amount: float) -> str:
    """An amount to the cent, without trailing zeros: 38400, 38400.01, 12.5."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")
