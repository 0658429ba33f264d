"""Weekly reports and invoice requests: which exist, and what each says as of its week."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aedocs.plan import plan
from aedocs.reports import Week, weekly_report, weeks_with_activity
from aedocs.workspace import load_workspace
from tests.conftest import overlay

AS_OF = dt.date(2026, 12, 8)


def test_week_dates_and_monday_noon_delivery() -> None:
    week = Week.of(dt.date(2026, 11, 25))
    assert (week.id, week.start, week.end) == (
        "2026-W48",
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 29),
    )
    assert week.delivery == dt.date(2026, 11, 30)  # the following Monday
    assert Week.of(dt.date(2027, 1, 1)).id == "2026-W53"  # ISO year, not calendar year


def test_one_report_per_complete_week_with_activity(workspace: Path) -> None:
    client = load_workspace(workspace).clients["acme"]
    weeks = [w.id for w in weeks_with_activity(client, 45, AS_OF)]
    # W47: meeting, action done, order opened; W48: action due, tasks; W49: order due.
    # W50 (7-13 Dec) has placements but is not complete on 8 Dec.
    assert weeks == ["2026-W47", "2026-W48", "2026-W49"]


def test_report_sees_the_data_as_of_the_end_of_its_week(workspace: Path) -> None:
    client = load_workspace(workspace).clients["acme"]
    w47 = weekly_report(client, Week(2026, 47), 45)
    assert [d.id for d in w47.meetings] == ["2026-11-20-kickoff"]
    assert [s.action.task for s in w47.done] == ["Book room"]
    assert {k: [(s.action.task, s.overdue) for s in v] for k, v in w47.open.items()} == {
        "ana": [("Send media plan", False)]
    }
    assert w47.tasks_this == []
    assert [t.id for _, t in w47.tasks_next] == ["brief", "design"]
    assert [(o.order.number, o.status) for o in w47.orders] == [("WO-1", "open")]

    w48 = weekly_report(client, Week(2026, 48), 45)
    assert w48.meetings == [] and w48.done == []
    assert [(s.action.task, s.overdue) for s in w48.open["ana"]] == [("Send media plan", True)]
    assert [t.id for _, t in w48.tasks_this] == ["brief", "design"]


def test_action_done_later_was_open_at_the_time(workspace: Path) -> None:
    meeting = workspace / "clients/acme/meetings/2026-11-20-kickoff.yaml"
    text = meeting.read_text().replace(
        "due: 2026-11-25, status: open}", "due: 2026-11-25, status: done, done_on: 2026-12-01}"
    )
    overlay(workspace, {"clients/acme/meetings/2026-11-20-kickoff.yaml": text})
    client = load_workspace(workspace).clients["acme"]
    w48 = weekly_report(client, Week(2026, 48), 45)
    assert [(s.action.task, s.overdue) for s in w48.open["ana"]] == [("Send media plan", True)]
    w49 = weekly_report(client, Week(2026, 49), 45)
    assert [s.action.task for s in w49.done] == ["Send media plan"] and w49.open == {}


def test_invoice_request_from_done_on_and_invoice_due_in_reports(workspace: Path) -> None:
    order = workspace / "clients/acme/workorders/WO-1.yaml"
    text = order.read_text().replace(
        "status: open",
        "status: invoiced\ndelivered: 2026-12-02\ninvoice: {number: F-9, issued: 2026-12-03}",
    )
    overlay(workspace, {"clients/acme/workorders/WO-1.yaml": text})
    ws = load_workspace(workspace)
    planned = plan(ws, dt.date(2027, 1, 30), set())
    assert "acme/invoices/WO-1" in [o.rel for o in planned.outputs]
    report = weekly_report(ws.clients["acme"], Week(2027, 3), 45)  # 18-24 Jan 2027
    assert [(i.order.number, i.due, i.overdue) for i in report.invoices] == [
        ("WO-1", dt.date(2027, 1, 17), True)
    ]  # issued 3 Dec + 45 days


def test_open_order_has_no_invoice_request(workspace: Path) -> None:
    planned = plan(load_workspace(workspace), AS_OF, set())
    assert not [o for o in planned.outputs if o.folder == "invoices"]


def test_broken_source_holds_back_its_outputs_and_the_weekly_reports(workspace: Path) -> None:
    ws = load_workspace(workspace)
    planned = plan(ws, AS_OF, {"clients/acme/meetings/2026-11-20-kickoff.yaml"})
    held = sorted(o.rel for o in planned.held)
    assert "acme/minutes/2026-11-20-kickoff" in held
    assert "acme/weekly/2026-W47" in held
    assert "acme/workorders/WO-1" in [o.rel for o in planned.outputs]


LATER = "clients/acme/meetings/2026-12-02-review.yaml"
LATER_TEXT = """\
kind: internal
title: Review
date: 2026-12-02
chair: ana
attendees: [ana, marc]
actions:
  - {task: Check proofs, owner: marc, due: 2026-12-04}
"""


def _weekly(planned_outputs: list[str]) -> list[str]:
    return sorted(rel for rel in planned_outputs if "/weekly/" in rel)


def test_a_later_meeting_with_errors_holds_back_only_the_reports_that_show_it(
    workspace: Path,
) -> None:
    """Read despite its errors (a person not on the account, say), a meeting holds back
    the reports that show it; the weeks before it are built."""
    overlay(workspace, {LATER: LATER_TEXT})
    planned = plan(load_workspace(workspace), AS_OF, {LATER})
    assert _weekly([o.rel for o in planned.outputs]) == [
        "acme/weekly/2026-W47",
        "acme/weekly/2026-W48",
    ]
    assert _weekly([o.rel for o in planned.held]) == ["acme/weekly/2026-W49"]


def test_an_unreadable_meeting_holds_back_the_reports_from_its_date_on(workspace: Path) -> None:
    overlay(workspace, {LATER: LATER_TEXT + "actions: [oops\n"})
    ws = load_workspace(workspace)
    assert LATER in ws.failed_sources
    planned = plan(ws, AS_OF, {LATER})
    assert _weekly([o.rel for o in planned.outputs]) == [
        "acme/weekly/2026-W47",
        "acme/weekly/2026-W48",
    ]
    assert _weekly([o.rel for o in planned.held]) == ["acme/weekly/2026-W49"]


def test_an_unreadable_work_order_holds_back_every_report(workspace: Path) -> None:
    """What an unreadable work order says is unknown: it may show in any week."""
    order = "clients/acme/workorders/WO-2.yaml"
    overlay(workspace, {order: "number: WO-2\ntitle: [oops\n"})
    planned = plan(load_workspace(workspace), AS_OF, {order})
    assert _weekly([o.rel for o in planned.outputs]) == []
    assert len(_weekly([o.rel for o in planned.held])) == 3
