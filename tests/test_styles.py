"""`{: .StyleName}` in the sources: `validate` and `status` report an unknown style as a
build does, against the workspace's reference document, and only in markdown fields."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import overlay, run
from tests.test_build import MEETING, _reference_without, build


def _add(root: Path, rel: str, after: str, lines: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert after in text
    overlay(root, {rel: text.replace(after, after + lines, 1)})


def test_validate_and_status_report_an_unknown_style_as_the_build_does(workspace: Path) -> None:
    _add(workspace, MEETING, "title: Kick-off\n", 'notes: "Agreed.\\n{: .Signatur}"\n')
    validate = run("-C", workspace, "-q", "validate")
    status = run("-C", workspace, "-q", "status", "--as-of", "2026-12-01")
    code, err = build(workspace)
    assert code == 1
    line = f"{MEETING}:3:18: error: unknown paragraph style 'Signatur' (did you mean 'Signature'?)"
    assert err.splitlines()[0] == line
    assert (validate.code, validate.lines) == (1, [line])
    assert (status.code, status.lines) == (1, [line])


def test_text_in_plain_fields_picks_no_style_and_is_not_reported(workspace: Path) -> None:
    _add(
        workspace,
        MEETING,
        "title: Kick-off\n",
        'place: "Room 4\\n{: .Nowhere}"\n'
        "agenda:\n  - |\n    Budget\n    {: .Nowhere}\n"
        "notes: |\n  Agreed.\n  {: .Nowhere}\n",
    )
    _add(workspace, MEETING, "{id: d1, text: Print campaign}", "\n  - |\n    Go\n    {: .Nowhere}")
    result = run("-C", workspace, "-q", "validate")
    assert (result.code, result.lines) == (
        1,
        [f"{MEETING}:10:3: error: unknown paragraph style 'Nowhere'"],
    )


def test_a_style_the_workspace_reference_lacks_is_reported(workspace: Path) -> None:
    _add(workspace, MEETING, "title: Kick-off\n", "notes: |\n  Agreed.\n  {: .Small}\n")
    assert run("-C", workspace, "-q", "validate").code == 0  # the built-in reference has it
    small = b'w:styleId="Small"><w:name w:val="Small"/>'
    _reference_without(
        workspace, set(), {"word/styles.xml": (small, b'w:styleId="Tiny"><w:name w:val="Tiny"/>')}
    )
    result = run("-C", workspace, "-q", "validate")
    line = f"{MEETING}:5:3: error: unknown paragraph style 'Small'"
    assert (result.code, result.lines) == (1, [line])
    assert build(workspace)[1].splitlines()[0] == line


def test_a_damaged_reference_is_reported_as_the_build_reports_it(workspace: Path) -> None:
    overlay(workspace, {"templates/reference.docx": "not a zip"})
    # Read only when a markdown field may name a style: none of the base workspace does.
    assert run("-C", workspace, "-q", "validate").code == 0
    _add(workspace, MEETING, "title: Kick-off\n", "notes: |\n  Agreed.\n  {: .Small}\n")
    result = run("-C", workspace, "-q", "validate")
    line = (
        "templates/reference.docx: error: not a usable reference document "
        "(BadZipFile: File is not a zip file); restore it or remove it to use the built-in one"
    )
    assert (result.code, result.lines) == (1, [line])
    assert build(workspace)[1].splitlines()[0] == line


def test_a_signed_document_no_build_renders_again_is_not_checked(workspace: Path) -> None:
    """Frozen at its signed revision, a document keeps the style it was signed with even
    when the reference loses it: no build renders it again, so validate does not fail."""
    _add(workspace, MEETING, "title: Kick-off\n", "notes: |\n  Agreed.\n  {: .Small}\n")
    text = (workspace / MEETING).read_text(encoding="utf-8")
    overlay(workspace, {MEETING: text.replace("{by: lwei}", "{by: lwei, on: 2026-11-22}")})
    assert run("-C", workspace, "build", "--as-of", "2026-12-08").code == 0  # signed, tagged
    small = b'w:styleId="Small"><w:name w:val="Small"/>'
    _reference_without(
        workspace, set(), {"word/styles.xml": (small, b'w:styleId="Tiny"><w:name w:val="Tiny"/>')}
    )
    assert run("-C", workspace, "build", "--as-of", "2026-12-08").code == 0
    result = run("-C", workspace, "-q", "validate")
    assert (result.code, result.lines) == (0, [])
