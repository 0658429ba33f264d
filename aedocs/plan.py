"""Plan: which documents a workspace produces, and which of them can be built now.

Every source document gives one output; every client gives a weekly report per complete
week with activity; every work order from `done` on gives an invoice request. An output
whose inputs have errors is held back: its last good version stays as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from aedocs.model import WorkOrder
from aedocs.model.workorder import STATUSES
from aedocs.reports import WeeklyReport, weekly_report, weeks_with_activity
from aedocs.workspace import CONFIG_FILE, ClientFiles, Doc, Workspace

# Source kind -> (output folder, template name).
OUTPUT_OF = {
    "meeting": ("minutes", "minutes"),
    "proposal": ("proposals", "proposal"),
    "schedule": ("schedules", "schedule"),
    "workorder": ("workorders", "workorder"),
}
FOLDERS = ("minutes", "proposals", "schedules", "workorders", "weekly", "invoices")


@dataclass(frozen=True)
class Output:
    """One document to write: `output/<client>/<folder>/<id>.docx` and its `.md` twin."""

    client: str
    folder: str
    id: str
    template: str
    inputs: tuple[str, ...]  # workspace-relative source files it is made from
    doc: Doc | None = None  # its source document (weekly reports have none)
    report: WeeklyReport | None = field(default=None, compare=False)  # weekly reports
    # Its signatures dated after the build's date: shown unsigned, as not signed yet.
    unsigned: tuple[int, ...] = ()

    @property
    def rel(self) -> str:
        return f"{self.client}/{self.folder}/{self.id}"


@dataclass
class Plan:
    outputs: list[Output]  # can be built
    held: list[Output]  # inputs have errors: keep the last good version


def plan(ws: Workspace, as_of: dt.date, broken: Iterable[str]) -> Plan:
    """Every output of the workspace; `broken` lists source files with errors."""
    broken = set(broken)
    result = Plan([], [])
    for client in ws.clients.values():
        one = plan_client(ws, client, as_of, broken)
        result.outputs += one.outputs
        result.held += one.held
    return result


def plan_client(ws: Workspace, client: ClientFiles, as_of: dt.date, broken: set[str]) -> Plan:
    """The outputs of one client (its documents must be loaded)."""
    result = Plan([], [])
    unknown_from = _unread_from(client, broken)
    for out in _client_outputs(ws, client, as_of):
        bad = (
            CONFIG_FILE in broken
            or client.source.rel in broken
            or bool(broken.intersection(out.inputs))
            or (out.report is not None and out.report.week.end >= unknown_from)
        )
        (result.held if bad else result.outputs).append(out)
    return result


def _unread_from(client: ClientFiles, broken: set[str]) -> dt.date:
    """From which day on the weekly reports of `client` may miss what a file with errors
    says. A file read despite its errors is no concern: each report knows whether it shows
    it (its inputs). One that could not be read at all might say anything, so every report
    is held back; a meeting's only from its date (in its name) on: a report of a week that
    ended before a meeting cannot show it. `date.max`: nothing is missing."""
    read = {doc.source.rel for doc in client.docs}
    meetings = f"clients/{client.id}/meetings/"
    first = dt.date.max
    for rel in broken:
        if not rel.startswith(f"clients/{client.id}/") or rel in read:
            continue
        day = _meeting_day(rel.removeprefix(meetings)) if rel.startswith(meetings) else None
        first = min(first, day or dt.date.min)
    return first


def _meeting_day(name: str) -> dt.date | None:
    """The date a meeting file's name starts with, if it is one."""
    try:
        return dt.date.fromisoformat(name[:10]) if name[10:11] == "-" else None
    except ValueError:
        return None


def _client_outputs(ws: Workspace, client: ClientFiles, as_of: dt.date) -> list[Output]:
    outs = []
    for doc in client.docs:
        folder, template = OUTPUT_OF[doc.kind]
        later = doc.model.unsigned_after(as_of)
        outs.append(
            Output(client.id, folder, doc.id, template, (doc.source.rel,), doc, None, later)
        )
        wo = doc.model
        if isinstance(wo, WorkOrder) and wo.stage >= STATUSES.index("done"):
            outs.append(Output(client.id, "invoices", wo.number, "invoice", (doc.source.rel,), doc))
    terms = ws.config.payment_terms_days
    for week in weeks_with_activity(client, terms, as_of):
        report = weekly_report(client, week, terms)
        outs.append(Output(client.id, "weekly", week.id, "weekly", report.inputs, None, report))
    return outs
