"""Documents generated without a source file: weekly reports and invoice requests.

A weekly report exists for every complete ISO week (ending before `as_of`) in which a
client had activity, and shows the client's data as it stood at the end of that week, so
it reads the same whenever it is built. An invoice request exists for every work order
from status `done` on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from aedocs.model import Meeting, Schedule, WorkOrder
from aedocs.model.meeting import Action
from aedocs.model.schedule import Task
from aedocs.model.workorder import Invoice
from aedocs.workspace import ClientFiles, Doc

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def id(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def delivery(self) -> dt.date:
        """The Monday after the week: the report is due at 12:00 that day."""
        return self.end + dt.timedelta(days=1)

    def next(self) -> Week:
        return Week.of(self.start + WEEK)


@dataclass(frozen=True)
class MeetingFacts:
    kind: str
    title: str
    date: dt.date
    time: str | None
    place: str | None


@dataclass(frozen=True)
class ScheduleFacts:
    title: str


@dataclass(frozen=True)
class OrderFacts:
    number: str
    type: str
    title: str
    opened: dt.date
    due: dt.date
    delivered: dt.date | None
    invoice: Invoice | None


@dataclass(frozen=True)
class Shown:
    """A source document as a weekly report shows it: its id, its file and the facts
    the report prints (`model`), not the rest of it (notes, briefs, estimates). So a
    report changes, and is rebuilt, only when something it can show changed."""

    id: str
    rel: str
    model: MeetingFacts | ScheduleFacts | OrderFacts


@dataclass
class ActionState:
    action: Action
    meeting: Shown
    overdue: bool


@dataclass
class OrderState:
    doc: Shown
    order: OrderFacts
    status: str  # the status it had at the end of the week


@dataclass
class InvoiceState:
    doc: Shown
    order: OrderFacts
    due: dt.date
    overdue: bool


@dataclass
class WeeklyReport:
    client: str  # the client's id
    week: Week
    meetings: list[Shown] = field(default_factory=list)
    done: list[ActionState] = field(default_factory=list)
    open: dict[str, list[ActionState]] = field(default_factory=dict)  # by owner
    tasks_this: list[tuple[Shown, Task]] = field(default_factory=list)
    tasks_next: list[tuple[Shown, Task]] = field(default_factory=list)
    orders: list[OrderState] = field(default_factory=list)
    invoices: list[InvoiceState] = field(default_factory=list)

    @property
    def inputs(self) -> tuple[str, ...]:
        """The source files whose data this report shows."""
        docs = [
            *self.meetings,
            *(s.meeting for s in self.done),
            *(s.meeting for states in self.open.values() for s in states),
            *(d for d, _ in self.tasks_this),
            *(d for d, _ in self.tasks_next),
            *(o.doc for o in self.orders),
            *(i.doc for i in self.invoices),
        ]
        return tuple(sorted({d.rel for d in docs}))

    def fingerprint(self) -> str:
        """The hash of everything the report shows: what its key depends on, instead of
        the whole files it reads (a meeting's notes are not in any weekly report)."""
        text = json.dumps(self, default=_plain, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    """What JSON makes of a value it cannot write itself (json.dumps asks only for
    those): dataclasses and models as mappings of their fields, dates as text."""
    # A model is asked first: asking one for a missing attribute is slow. Either way the
    # instance's __dict__ holds its fields, and only them (models allow no extra keys).
    if isinstance(value, BaseModel) or hasattr(value, "__dataclass_fields__"):
        return vars(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"a weekly report holds no {type(value).__name__}")


def _shown(doc: Doc) -> Shown:
    m = doc.model
    facts: MeetingFacts | ScheduleFacts | OrderFacts
    if isinstance(m, Meeting):
        facts = MeetingFacts(m.kind, m.title, m.date, m.time, m.place)
    elif isinstance(m, WorkOrder):
        facts = OrderFacts(m.number, m.type, m.title, m.opened, m.due, m.delivered, m.invoice)
    else:
        facts = ScheduleFacts(getattr(m, "title", doc.id))
    return Shown(doc.id, doc.source.rel, facts)


def weeks_with_activity(client: ClientFiles, terms: int, as_of: dt.date) -> list[Week]:
    """Complete weeks (ending before `as_of`) in which this client had activity."""
    weeks: set[Week] = set()
    for day in _activity_days(client, terms):
        weeks.add(Week.of(day))
    return sorted(w for w in weeks if w.end < as_of)


def _activity_days(client: ClientFiles, terms: int) -> Iterator[dt.date]:
    for doc in client.docs:
        m = doc.model
        if isinstance(m, Meeting):
            yield m.date
            for a in m.actions:
                yield a.due
                if a.done_on:
                    yield a.done_on
        elif isinstance(m, Schedule):
            for t in m.tasks:
                day = t.start
                while day <= t.end:  # every week the task runs
                    yield day
                    day += WEEK
                yield t.end
        elif isinstance(m, WorkOrder):
            yield from (m.opened, m.due)
            if m.delivered:
                yield m.delivered
            if m.invoice:
                yield m.invoice.issued
                yield m.invoice.issued + dt.timedelta(days=terms)


def weekly_report(client: ClientFiles, week: Week, terms: int) -> WeeklyReport:
    """What the client's data said at the end of `week`."""
    report = WeeklyReport(client.id, week)
    end = week.end
    for doc in client.docs:
        m = doc.model
        if isinstance(m, Meeting) and m.date <= end:
            _meeting(report, doc, m)
        elif isinstance(m, Schedule):
            _schedule(report, doc, m)
        elif isinstance(m, WorkOrder) and m.opened <= end:
            _order(report, doc, m, terms)
    report.meetings.sort(key=_held)
    report.open = dict(sorted(report.open.items()))
    return report


def _held(meeting: Shown) -> tuple[dt.date, str]:
    assert isinstance(meeting.model, MeetingFacts)
    return meeting.model.date, meeting.id


def _meeting(report: WeeklyReport, doc: Doc, m: Meeting) -> None:
    start, end = report.week.start, report.week.end  # once: each is a date computed
    shown = _shown(doc)
    if start <= m.date:
        report.meetings.append(shown)
    for action in m.actions:
        if action.status == "dropped":
            continue
        done_by_end = action.status == "done" and (action.done_on is None or action.done_on <= end)
        if action.done_on and start <= action.done_on <= end:
            report.done.append(ActionState(action, shown, False))
        elif not done_by_end:
            state = ActionState(action, shown, action.due <= end)
            report.open.setdefault(action.owner, []).append(state)


def _schedule(report: WeeklyReport, doc: Doc, s: Schedule) -> None:
    this, after = report.week, report.week.next()
    this_start, this_end, after_start, after_end = this.start, this.end, after.start, after.end
    shown = _shown(doc)
    for task in s.tasks:
        if task.start <= this_end and task.end >= this_start:
            report.tasks_this.append((shown, task))
        if task.start <= after_end and task.end >= after_start:
            report.tasks_next.append((shown, task))


def _order(report: WeeklyReport, doc: Doc, wo: WorkOrder, terms: int) -> None:
    end = report.week.end
    invoice = wo.invoice
    shown = _shown(doc)
    assert isinstance(shown.model, OrderFacts)
    status = "open"
    if wo.delivered and wo.delivered <= end:
        status = "done"
    if invoice and invoice.issued <= end:
        status = "invoiced"
        due = invoice.issued + dt.timedelta(days=terms)
        if invoice.paid and invoice.paid <= end:
            status = "paid"
        else:
            report.invoices.append(InvoiceState(shown, shown.model, due, due < end))
    if status == "open" or (wo.delivered and wo.delivered >= report.week.start):
        report.orders.append(OrderState(shown, shown.model, status))
