"""Each kind of document read back (python-docx and the .md twin): what it says."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document

from tests.conftest import overlay, run

AS_OF = "2026-12-08"
HOSTILE = "*not bold* | # <b>tag</b> &amp; {{ x }} {% if %} _u_ [l](x) `c` \\ 1. "


def build(root: Path) -> None:
    result = run("-C", root, "build", "--as-of", AS_OF, "--no-archive")
    assert result.code == 0, result.err


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def read(root: Path, rel: str) -> tuple[str, str]:
    out = root / "output" / rel
    return docx_text(out.with_suffix(".docx")), out.with_suffix(".md").read_text()


def test_minutes(workspace: Path) -> None:
    build(workspace)
    text, twin = read(workspace, "acme/minutes/2026-11-20-kickoff")
    for expected in (
        "Client meeting minutes",
        "Kick-off",
        "20 November 2026",
        "10:00-11:30",
        "Send media plan",
        "Ana Diaz",
        "25 Nov 2026",
        "Print campaign",
        "Signed on 21 November 2026",
        "Li Wei",
    ):
        assert expected in text
        assert expected in twin
    assert "| Send media plan | Ana Diaz | 25 Nov 2026 | open |" in twin
    assert "| Book room | Marc Puig | 21 Nov 2026 | done (21 Nov 2026) |" in twin


def test_work_order_totals(workspace: Path) -> None:
    build(workspace)
    text, twin = read(workspace, "acme/workorders/WO-1")
    assert "**Finance number:** WO-1" in twin
    assert (
        "| Daily | Back page | 10 Dec 2026 | 24 Dec 2026 | 300,000 | €15.00 | €4,500.00 |" in twin
    )
    assert "| Design | 12 | €60.00 | in house | €720.00 |" in twin  # 12 h x 60
    assert "**Total:** **€5,220.00**" in twin  # 720 estimate + 4,500 placements
    assert "€5,220.00" in text


def _order_twin(root: Path, line: str, placement: str, currency: str = "EUR") -> str:
    """The work order's .md twin once built with this estimate line and placement."""
    order = root / "clients/acme/workorders/WO-1.yaml"
    text = order.read_text().replace("hours: 12, rate: 60", line)
    text = text.replace("cost: 4500, impressions: 300000, cpm: 15", placement)
    config = (root / "aedocs.yaml").read_text().replace("currency: EUR", f"currency: {currency}")
    overlay(root, {str(order): text, "aedocs.yaml": config})
    build(root)
    return read(root, "acme/workorders/WO-1")[1]


def test_amounts_of_any_size_are_written_in_full(workspace: Path) -> None:
    """Babel rounds in a decimal context of 28 digits: a line total of 28 digits and two
    decimals (the largest hours times the largest rate), or a number of impressions as
    large as allowed, must not fail the document."""
    twin = _order_twin(
        workspace, "hours: 1.0e+12, rate: 1.0e+15", "cost: 0, impressions: 1.0e+15, cpm: 0"
    )
    assert (
        "| Design | 1,000,000,000,000 | €1,000,000,000,000,000.00 | in house | "
        "€1,000,000,000,000,000,000,000,000,000.00 |"
    ) in twin
    assert "| 1,000,000,000,000,000 | €0.00 | €0.00 |" in twin


def test_a_typed_rate_or_cpm_keeps_its_decimals_and_no_amount_is_negative_zero(
    workspace: Path,
) -> None:
    """Amounts take the currency's digits (none for yen), but a rate or CPM typed with
    more keeps them: a CPM of 0.3 yen is not 0 yen. A -0 typed is 0."""
    twin = _order_twin(
        workspace, "hours: -0.0, rate: 60.25", "cost: 90, impressions: 300000, cpm: 0.3", "JPY"
    )
    assert "| 300,000 | JP¥0.3 | JP¥90 |" in twin
    assert "| Design | 0 | JP¥60.25 | in house | JP¥0 |" in twin
    assert "-" not in twin.split("| Design |")[1].split("\n")[0]


def test_invoice_request_due_date_and_total(workspace: Path) -> None:
    order = workspace / "clients/acme/workorders/WO-1.yaml"
    overlay(
        workspace,
        {
            "clients/acme/workorders/WO-1.yaml": order.read_text().replace(
                "status: open",
                "status: invoiced\ndelivered: 2026-12-02\n"
                "invoice: {number: F-2026-123, issued: 2026-12-03}",
            )
        },
    )
    build(workspace)
    text, twin = read(workspace, "acme/invoices/WO-1")
    assert "**Invoice number:** F-2026-123" in twin
    assert "**Payment due:** 17 January 2027" in twin  # 3 Dec + 45 days
    assert "| **Total** |" in twin and "**€5,220.00**" in twin
    assert "Payment terms: 45 days from the invoice date." in text


def test_invoice_request_before_finance_issues_it(workspace: Path) -> None:
    order = workspace / "clients/acme/workorders/WO-1.yaml"
    overlay(
        workspace,
        {
            "clients/acme/workorders/WO-1.yaml": order.read_text().replace(
                "status: open", "status: done\ndelivered: 2026-12-02"
            )
        },
    )
    build(workspace)
    _, twin = read(workspace, "acme/invoices/WO-1")
    assert "Payment due" not in twin
    assert "The invoice number and due date are set once finance issues the invoice." in twin


def test_proposal_budget_and_review(workspace: Path) -> None:
    proposal = workspace / "clients/acme/proposals/christmas.yaml"
    overlay(
        workspace,
        {
            "clients/acme/proposals/christmas.yaml": proposal.read_text().replace(
                "review: {purpose_achieved: true}",
                "budget: [{item: Creative, amount: 12000}, {item: Media, amount: 500.5}]\n"
                "review: {purpose_achieved: false, cause: professional-error,\n"
                "         insights: '**Late**'}",
            )
        },
    )
    build(workspace)
    _, twin = read(workspace, "acme/proposals/christmas")
    assert "| **Total** | **€12,500.50** |" in twin
    assert "**Purpose achieved:** no" in twin
    assert "**Cause:** a professional error" in twin
    assert "**Late**" in twin


def test_schedule_grid(workspace: Path) -> None:
    build(workspace)
    _, twin = read(workspace, "acme/schedules/christmas")
    assert "| Task | 23/11 | 30/11 |" in twin
    assert "| Brief | ■ |  |" in twin
    assert "| Design | ■ | ■ |" in twin  # 25-30 Nov spans two weeks
    client = workspace / "clients/acme/client.yaml"
    overlay(workspace, {"clients/acme/client.yaml": client.read_text() + "language: zh\n"})
    build(workspace)
    _, twin = read(workspace, "acme/schedules/christmas")
    assert "| 任务 | 11/23 | 11/30 |" in twin  # month first, as Chinese dates are written


def test_weekly_report_for_monday_noon(workspace: Path) -> None:
    build(workspace)
    _, twin = read(workspace, "acme/weekly/2026-W48")
    assert "**Delivered on:** 30 November 2026, 12:00" in twin
    assert "| Ana Diaz | Send media plan | 25 Nov 2026 | overdue |" in twin


def test_hostile_strings_print_exactly_as_typed(workspace: Path) -> None:
    hostile = HOSTILE.strip()
    meeting = workspace / "clients/acme/meetings/2026-11-20-kickoff.yaml"
    text = meeting.read_text().replace("title: Kick-off", f"title: '{hostile}'")
    text = text.replace("task: Send media plan", f"task: '{hostile}'")
    client = workspace / "clients/acme/client.yaml"
    overlay(
        workspace,
        {
            "clients/acme/meetings/2026-11-20-kickoff.yaml": text + f"place: '{hostile}'\n",
            "clients/acme/client.yaml": client.read_text().replace(
                "name: Li Wei", f"name: '{hostile}'"
            ),
        },
    )
    build(workspace)
    doc = Document(str(workspace / "output/acme/minutes/2026-11-20-kickoff.docx"))
    lines = [line for p in doc.paragraphs for line in p.text.split("\n")]
    assert hostile in lines  # the title
    assert f"Place: {hostile}" in lines  # a line of the facts under the title
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert hostile in cells  # the action's task
    assert f"{hostile}, Marketing" in cells  # the contact in the signature block


def test_chinese_text_carries_east_asian_language_and_font(workspace: Path) -> None:
    client = workspace / "clients/acme/client.yaml"
    overlay(workspace, {"clients/acme/client.yaml": client.read_text() + "language: zh\n"})
    build(workspace)
    with zipfile.ZipFile(workspace / "output/acme/minutes/2026-11-20-kickoff.docx") as z:
        xml = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-CN"' in xml + styles
    assert "会议纪要" in xml or "客户会议纪要" in xml
