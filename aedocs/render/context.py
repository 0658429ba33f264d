"""Model -> template context: who is who, computed totals and dates, the week grid.

Templates receive data, not logic: every total, due date and grid cell is computed here
once, so a template maintainer only arranges it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from aedocs.model import Meeting, Proposal, Schedule, WorkOrder
from aedocs.model.common import Document
from aedocs.model.workorder import STATUSES as ORDER_STATUSES
from aedocs.render import i18n
from aedocs.reports import Week, WeeklyReport
from aedocs.workspace import ClientFiles, Doc, Workspace

GRID_WEEKS = 8  # week columns per grid table; longer schedules continue in a second table


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    side: str  # agency | client

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Line:
    """A cost line with its computed total."""

    item: str
    detail: str
    hours: float | None
    rate: float | None
    total: float
    subcontractor: str | None


def language(ws: Workspace, client: ClientFiles) -> str:
    return client.model.language or ws.config.language


def base(ws: Workspace, client: ClientFiles, kind: str) -> dict[str, Any]:
    """What every template sees: agency, client, people, language, labels."""
    lang = language(ws, client)
    people = {s.id: Person(s.id, s.name, s.role or "", "agency") for s in ws.config.staff}
    people.update(
        {c.id: Person(c.id, c.name, c.role or "", "client") for c in client.model.contacts}
    )
    return {
        "agency": ws.config.agency,
        "client": client.model,
        "client_id": client.id,
        "kind": kind,
        "lang": lang,
        "currency": ws.config.currency,
        "payment_terms_days": ws.config.payment_terms_days,
        "t": i18n.labels(lang),
        "people": people,
        "who": lambda pid: people[pid].name if pid in people else pid,
    }


def document(
    ws: Workspace, client: ClientFiles, doc: Doc, unsigned: tuple[int, ...] = ()
) -> dict[str, Any]:
    """The context of a document that has a source file; the signatures at `unsigned`
    (dated after the build's date) shown as not signed yet."""
    ctx = base(ws, client, doc.kind)
    model = doc.model
    if unsigned:
        shown = [
            s.model_copy(update={"on": None}) if i in unsigned else s
            for i, s in enumerate(model.signatures)
        ]
        model = model.model_copy(update={"signatures": shown})
    ctx.update(doc=model, id=doc.id, extra=model.extra, signatures=signatures(ctx, model))
    if isinstance(model, Meeting):
        ctx["title"] = model.title
    elif isinstance(model, Proposal):
        ctx.update(title=model.title, budget_total=sum(b.amount for b in model.budget))
    elif isinstance(model, Schedule):
        ctx.update(title=model.title, grids=grids(model))
    elif isinstance(model, WorkOrder):
        ctx.update(title=model.title, **order_totals(model))
    return ctx


def signatures(ctx: dict[str, Any], model: Document) -> list[dict[str, Any]]:
    people = ctx["people"]
    return [
        {"person": people.get(s.by, Person(s.by, s.by, "", "agency")), "on": s.on}
        for s in model.signatures
    ]


def order_totals(wo: WorkOrder) -> dict[str, Any]:
    lines = [Line(e.item, "", e.hours, e.rate, e.total, e.subcontractor) for e in wo.estimate]
    media = [Line(p.outlet, p.placement, None, None, p.cost, None) for p in wo.placements]
    estimate_total = sum(line.total for line in lines)
    return {
        "lines": lines,
        "estimate_total": estimate_total,
        "placements_total": sum(line.total for line in media),
        "subcontracted": sum(line.total for line in lines if line.subcontractor),
        "total": estimate_total + sum(line.total for line in media),
        "invoice_lines": lines + media,
    }


def invoice(ws: Workspace, client: ClientFiles, doc: Doc) -> dict[str, Any]:
    """An invoice request for a work order from status done on."""
    assert isinstance(doc.model, WorkOrder)
    wo = doc.model
    ctx = base(ws, client, "invoice")
    terms = ws.config.payment_terms_days
    due = wo.invoice.issued + dt.timedelta(days=terms) if wo.invoice else None
    ctx.update(
        doc=wo,
        order=wo,
        id=wo.number,
        title=wo.title,
        extra=wo.extra,
        signatures=[],
        due=due,
        issued=wo.invoice.issued if wo.invoice else None,
        invoiced=wo.stage >= ORDER_STATUSES.index("invoiced"),
        **order_totals(wo),
    )
    return ctx


def weekly(ws: Workspace, client: ClientFiles, report: WeeklyReport) -> dict[str, Any]:
    ctx = base(ws, client, "weekly")
    week = report.week
    ctx.update(
        report=report,
        week=week,
        id=week.id,
        title=f"{client.model.name} · {week.id}",
        extra={},
        signatures=[],
        next_week=week.next(),
    )
    return ctx


def grids(s: Schedule) -> list[dict[str, Any]]:
    """The week-by-week grid: for each block of weeks, a row of cells per task."""
    first = Week.of(min(t.start for t in s.tasks)).start
    last = max(t.end for t in s.tasks)
    weeks = []
    day = first
    while day <= last:
        weeks.append(Week.of(day))
        day += dt.timedelta(days=7)
    out = []
    for i in range(0, len(weeks), GRID_WEEKS):
        block = weeks[i : i + GRID_WEEKS]
        rows = []
        for task in s.tasks:
            cells = [_cell(task.start, task.end, task.milestone, w) for w in block]
            if any(cells):  # a task that does not run in these weeks has no row here
                rows.append({"task": task, "cells": cells})
        out.append({"weeks": block, "rows": rows})
    return out


def _cell(start: dt.date, end: dt.date, milestone: bool, week: Week) -> str:
    if start > week.end or end < week.start:
        return ""
    return "◆" if milestone else "■"
