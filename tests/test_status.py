"""`aedocs status`: the exact lines for a given day, tier order, as-of reading, exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import overlay, run

MEETING = "clients/acme/meetings/2026-11-20-kickoff.yaml"

# A tier-B client with an unpaid invoice, a delivered order not invoiced and a late order.
BETA = {
    "clients/beta/client.yaml": (
        "name: Beta Stores\ntier: B\ncontacts:\n  - {id: bo, name: Bo Berg}\nteam: [ana, marc]\n"
    ),
    "clients/beta/workorders/WO-2.yaml": """\
number: WO-2
type: creative
title: Shelf talkers
requested_by: ana
assigned_to: [marc]
opened: 2026-09-21
due: 2026-10-01
status: invoiced
delivered: 2026-10-01
invoice: {number: F-77, issued: 2026-10-05}
""",
    "clients/beta/workorders/WO-3.yaml": """\
number: WO-3
type: research
title: Store survey
requested_by: ana
assigned_to: [ana, marc]
opened: 2026-11-02
due: 2026-11-27
""",
    "clients/beta/workorders/WO-4.yaml": """\
number: WO-4
type: creative
title: Window stickers
requested_by: ana
assigned_to: [marc]
opened: 2026-11-02
due: 2026-11-20
status: done
delivered: 2026-11-19
""",
}


def status(root: Path, as_of: str, *args: str) -> tuple[int, list[str], str]:
    result = run("-C", root, *args, "status", "--as-of", as_of)
    return result.code, result.out.splitlines(), result.err


def test_monday_morning(workspace: Path) -> None:
    overlay(workspace, BETA)
    code, lines, err = status(workspace, "2026-11-30")
    assert (code, err) == (0, "")
    assert lines == [
        "as of Monday 2026-11-30",
        "",
        "Acme Foods (acme, KA)",
        "  action           2026-11-25  overdue 5 days         ana        "
        "Send media plan (minutes 2026-11-20-kickoff)",
        "  signature        2026-11-20  waiting 10 days        lwei       "
        "Kick-off (minutes 2026-11-20-kickoff)",
        "  signature        2026-11-21  waiting 9 days         ana        "
        "Press campaign (work order WO-1)",
        "  signature        2026-11-23  waiting 7 days         ana, lwei  "
        "Christmas schedule (schedule christmas)",
        "  signature        2026-11-25  waiting 5 days         ana        "
        "Christmas proposal (proposal christmas)",
        "  weekly report    2026-11-30  due today 12:00                   "
        "2026-W48 (2026-11-23 to 2026-11-29)",
        "",
        "Beta Stores (beta, B)",
        "  weekly report    2026-11-30  due today 12:00                   "
        "2026-W48 (2026-11-23 to 2026-11-29)",
        "  invoice request  2026-11-19  delivered 11 days ago             "
        "Window stickers (work order WO-4)",
        "  invoice          2026-11-19  overdue 11 days                   "
        "F-77: Shelf talkers (work order WO-2)",
        "  work order       2026-11-27  overdue 3 days         ana, marc  "
        "Store survey (work order WO-3)",
    ]


def test_reads_everything_as_of_the_day(workspace: Path) -> None:
    """Signatures, completions, payments and deliveries dated later have not happened."""
    overlay(workspace, BETA)
    code, lines, _ = status(workspace, "2026-11-24")
    assert code == 0
    assert lines == [
        "as of Tuesday 2026-11-24",
        "",
        "Acme Foods (acme, KA)",
        "  signature        2026-11-20  waiting 4 days        lwei       "
        "Kick-off (minutes 2026-11-20-kickoff)",
        "  signature        2026-11-21  waiting 3 days        ana        "
        "Press campaign (work order WO-1)",
        "  signature        2026-11-23  waiting 1 day         ana, lwei  "
        "Christmas schedule (schedule christmas)",
        "  weekly report    2026-11-23  overdue 1 day                    "
        "2026-W47 (2026-11-16 to 2026-11-22)",
        "",
        "Beta Stores (beta, B)",
        "  weekly report    2026-11-23  overdue 1 day                    "
        "2026-W47 (2026-11-16 to 2026-11-22)",
        "  invoice request  2026-11-19  delivered 5 days ago             "
        "Window stickers (work order WO-4)",
        "  invoice          2026-11-19  overdue 5 days                   "
        "F-77: Shelf talkers (work order WO-2)",
    ]
    # On 2026-11-20 the action completed on the 21st is still open but not yet due.
    _, early, _ = status(workspace, "2026-11-20")
    assert not any(line.startswith("  action") for line in early)


def test_paid_signed_and_done_leave_nothing(workspace: Path) -> None:
    text = (workspace / MEETING).read_text()
    text = text.replace("status: open}", "status: done, done_on: 2026-11-24}")
    text = text.replace("- {by: lwei}", "- {by: lwei, on: 2026-11-22}")
    overlay(workspace, {MEETING: text})
    for name in ("proposals/christmas", "schedules/christmas", "workorders/WO-1"):
        (workspace / f"clients/acme/{name}.yaml").unlink()
    code, lines, _ = status(workspace, "2026-12-08")
    assert code == 0
    assert lines == ["as of Tuesday 2026-12-08", "nothing needs attention"]


def test_invoice_due_today_and_later(workspace: Path) -> None:
    overlay(workspace, BETA)
    _, today, _ = status(workspace, "2026-11-19")
    assert any("2026-11-19  due today" in line and "F-77" in line for line in today)
    _, later, _ = status(workspace, "2026-11-09")
    assert any("2026-11-19  due in 10 days" in line and "F-77" in line for line in later)


def test_errors_are_reported_and_exit_1(workspace: Path) -> None:
    overlay(workspace, BETA)
    overlay(workspace, {"clients/beta/workorders/WO-3.yaml": "number: [\n"})
    code, lines, err = status(workspace, "2026-11-30")
    assert code == 1
    assert err.splitlines()[0].startswith("clients/beta/workorders/WO-3.yaml:2:1: error: ")
    assert err.splitlines()[-1] == "not in this status: 1 file with errors"
    assert "Store survey (work order WO-3)" not in "\n".join(lines)
    assert "F-77: Shelf talkers (work order WO-2)" in lines[-1]


def test_colour_only_when_asked(workspace: Path) -> None:
    _, plain, _ = status(workspace, "2026-11-30")
    assert not any("\x1b[" in line for line in plain)
    _, coloured, _ = status(workspace, "2026-11-30", "--color")
    assert "\x1b[1mAcme Foods (acme, KA)\x1b[0m" in coloured
    assert "  action         2026-11-25  \x1b[31m\x1b[1moverdue 5 days\x1b[0m   ana  " in "\n".join(
        coloured
    )
    assert "  2026-11-30  \x1b[33mdue today 12:00\x1b[0m             2026-W48" in "\n".join(
        coloured
    )


def test_what_a_terminal_would_act_on_is_spelled_out(workspace: Path) -> None:
    """A title may hold escape sequences (set the window title, clear the screen): the
    status shows them as text, as diagnostics do."""
    text = (workspace / MEETING).read_text()
    overlay(workspace, {MEETING: text.replace("title: Kick-off", 'title: "Kick\\e]0;x\\a\\e[2J"')})
    code, lines, err = status(workspace, "2026-11-30")
    assert (code, err) == (
        0,
        f"{MEETING}:2:8: warning: characters no document can hold (\\x1b, \\x07), left out "
        "of the documents\n",
    )
    assert "Kick\\x1b]0;x\\x07\\x1b[2J (minutes 2026-11-20-kickoff)" in "\n".join(lines)
    assert not any("\x1b" in line or "\x07" in line for line in lines)
