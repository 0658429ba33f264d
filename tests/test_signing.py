"""Signed documents: the data hash, frozen outputs, revision rules and signed tags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aedocs.archive import (
    Archive,
    ArchiveError,
    Signature,
    SignedRecord,
    parse_signed_tag_name,
    sha256_hex,
)
from aedocs.load import load_bytes
from aedocs.plan import Output, plan
from aedocs.signing import check_signed, data_hash, frozen_files, tag_all, to_tag
from aedocs.workspace import Workspace, load_workspace
from tests.conftest import run

MEETING = "clients/acme/meetings/2026-11-20-kickoff.yaml"
MINUTES = "acme/minutes/2026-11-20-kickoff"
TAG_V1 = f"signed/{MINUTES}/v1"
AS_OF = "2026-12-08"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def build(root: Path) -> list[str]:
    """Build with the CLI; the diagnostics it printed."""
    result = run("-C", root, "-q", "build", "--as-of", AS_OF)
    return result.lines


def outputs(root: Path) -> tuple[Workspace, list[Output]]:
    ws = load_workspace(root)
    return ws, plan(ws, dt.date.fromisoformat(AS_OF), set()).outputs


def hashed(text: str) -> str:
    source, problems = load_bytes(text.encode(), Path("x.yaml"), "x.yaml")
    assert source is not None and not problems
    return data_hash(source)


@pytest.fixture
def signed(workspace: Path) -> Path:
    """The base workspace, its minutes signed by both signers and built: tagged v1."""
    build(workspace)
    edit(workspace, MEETING, "  - {by: lwei}", "  - {by: lwei, on: 2026-11-22}")
    assert build(workspace) == []
    return workspace


def test_data_hash_ignores_comments_layout_quoting_and_key_order() -> None:
    plain = hashed("title: Kick-off\ndate: 2026-11-20\ntags: [a, b]\n")

    relaid = "# notes\ndate: 2026-11-20   # the day\ntitle: 'Kick-off'\ntags:\n- a\n- b\n"
    assert hashed(relaid) == plain
    assert hashed("title: Kick-off\ndate: 2026-11-21\ntags: [a, b]\n") != plain
    assert hashed("title: Kick-off\ndate: '2026-11-20'\ntags: [a, b]\n") == plain
    assert hashed("title: Kick-off\ndate: 2026-11-20\ntags: [b, a]\n") != plain


def test_signed_message_records_the_data_hash_and_reads_back() -> None:
    record = SignedRecord(
        "acme",
        "minutes",
        "m1",
        2,
        sha256_hex(b"docx"),
        "acme/minutes/m1.docx",
        (Signature("ana", dt.date(2026, 11, 21)),),
        sha256_hex(b"data"),
    )

    assert record.message().splitlines()[3] == f"data: {sha256_hex(b'data')}"
    assert SignedRecord.parse(record.message()) == record
    without = record.message().replace(f"data: {sha256_hex(b'data')}\n", "")
    assert SignedRecord.parse(without).data is None
    with pytest.raises(ArchiveError, match="more than one 'data:' line"):
        SignedRecord.parse(record.message() + f"data: {'0' * 64}\n")


def test_signed_tag_names_read_back() -> None:
    assert parse_signed_tag_name(TAG_V1) == (MINUTES, 1)
    assert parse_signed_tag_name("signed/acme/workorders/WO-2026.1/v2") == (
        "acme/workorders/WO-2026.1",
        2,
    )
    assert parse_signed_tag_name("signed/acme/minutes/m1/v0") is None
    assert parse_signed_tag_name("signed/acme/m1/v1") is None
    assert parse_signed_tag_name("release/v1") is None


def test_without_an_archive_nothing_is_frozen(workspace: Path) -> None:
    edit(workspace, MEETING, "  - {by: lwei}", "  - {by: lwei, on: 2026-11-22}")
    ws, outs = outputs(workspace)

    assert check_signed(ws, None, outs) == ([], set())


def test_signing_tags_the_output_with_its_bytes_and_data(signed: Path) -> None:
    archive = Archive(signed / "output")
    [tag] = archive.tags()
    record = SignedRecord.parse(tag.message)
    docx = (signed / "output" / f"{MINUTES}.docx").read_bytes()
    ws, outs = outputs(signed)
    [doc] = [d for d in ws.docs() if d.source.rel == MEETING]

    assert tag.name == TAG_V1
    assert tag.commit == archive.resolve("HEAD")
    assert record.sha256 == sha256_hex(docx)
    assert record.path == f"{MINUTES}.docx"
    assert record.data == data_hash(doc.source)
    assert record.signatures == (
        Signature("ana", dt.date(2026, 11, 21)),
        Signature("lwei", dt.date(2026, 11, 22)),
    )
    assert check_signed(ws, archive, outs) == ([], {MINUTES})
    assert tag_all(archive, to_tag(outs, dt.date.fromisoformat(AS_OF)), signed / "output") == []
    assert frozen_files(ws, archive) == {f"{MINUTES}.docx": TAG_V1}


def test_unsigned_documents_are_not_tagged(workspace: Path) -> None:
    build(workspace)
    _, outs = outputs(workspace)
    archive = Archive(workspace / "output")

    assert tag_all(archive, to_tag(outs, dt.date.fromisoformat(AS_OF)), workspace / "output") == []
    assert archive.tags() == []


def test_a_comment_or_layout_change_in_a_signed_source_is_fine(signed: Path) -> None:
    edit(signed, MEETING, "title: Kick-off\n", "# agreed on the phone\ntitle: 'Kick-off'\n")

    ws, outs = outputs(signed)
    assert check_signed(ws, Archive(signed / "output"), outs) == ([], {MINUTES})


def problems(root: Path) -> list[str]:
    ws, outs = outputs(root)
    found, frozen = check_signed(ws, Archive(root / "output"), outs)
    assert MINUTES in frozen  # a wrong revision never overwrites the signed output
    return [d.format() for d in found]


SIGNERS = "ana on 2026-11-21 and lwei on 2026-11-22"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "title: Kick-off meeting",
            [
                f"{MEETING}:1:1: error: signed by {SIGNERS} (revision 1); to change it, "
                "set revision: 2 and say what changed in changes:"
            ],
            id="changed-data",
        ),
        pytest.param(
            "revision: 1\ntitle: Kick-off meeting",
            [
                f"{MEETING}:2:1: error: signed by {SIGNERS} (revision 1); to change it, "
                "set revision: 2 and say what changed in changes:"
            ],
            id="changed-data-at-revision",
        ),
        pytest.param(
            "revision: 3\nchanges: New title.\ntitle: New",
            [
                f"{MEETING}:2:1: error: revision 3 skips 2: the last signed revision is 1 "
                f"by {SIGNERS}; set revision: 2"
            ],
            id="skipped-revision",
        ),
        pytest.param(
            "revision: 2\ntitle: New",
            [
                # The missing `changes` is validation's to say (once), not this check's.
                f"{MEETING}:15:19: error: signatures[0].on: 2026-11-21 is before revision 1 "
                "was signed (2026-11-22); sign revision 2 again",
            ],
            id="new-revision-without-changes-and-old-signature",
        ),
    ],
)
def test_revision_rules_of_a_signed_document(signed: Path, title: str, expected: list[str]) -> None:
    edit(signed, MEETING, "title: Kick-off", title)

    assert problems(signed) == expected


def test_a_revision_lower_than_the_signed_one_is_an_error(signed: Path) -> None:
    edit(signed, MEETING, "title: Kick-off", "revision: 2\nchanges: New title.\ntitle: New")
    edit(signed, MEETING, "{by: ana, on: 2026-11-21}", "{by: ana, on: 2026-11-30}")
    edit(signed, MEETING, "{by: lwei, on: 2026-11-22}", "{by: lwei, on: 2026-11-30}")
    assert build(signed) == []
    edit(signed, MEETING, "revision: 2", "revision: 1")

    assert problems(signed) == [
        f"{MEETING}:2:1: error: revision 1 is older than revision 2, signed by ana on "
        "2026-11-30 and lwei on 2026-11-30; set revision: 2, or 3 to change it"
    ]


def test_a_valid_new_revision_is_built_and_not_frozen(signed: Path) -> None:
    edit(signed, MEETING, "title: Kick-off", "revision: 2\nchanges: New title.\ntitle: New")
    edit(signed, MEETING, "{by: ana, on: 2026-11-21}", "{by: ana}")
    ws, outs = outputs(signed)
    archive = Archive(signed / "output")

    assert check_signed(ws, archive, outs) == ([], set())
    assert frozen_files(ws, archive) == {}


def test_an_invoice_request_is_not_frozen_by_its_work_order(workspace: Path) -> None:
    order = "clients/acme/workorders/WO-1.yaml"
    edit(workspace, order, "status: open", "status: done\ndelivered: 2026-12-01")
    edit(workspace, order, "signatures: [{by: ana}]", "signatures: [{by: ana, on: 2026-12-01}]")
    assert build(workspace) == []
    ws, outs = outputs(workspace)
    archive = Archive(workspace / "output")

    assert [t.name for t in archive.tags()] == ["signed/acme/workorders/WO-1/v1"]
    assert check_signed(ws, archive, outs) == ([], {"acme/workorders/WO-1"})


def test_verify_expects_the_signed_file_while_its_source_says_that_revision(signed: Path) -> None:
    archive = Archive(signed / "output")
    edit(signed, MEETING, "title: Kick-off", "revision: two\ntitle: Kick-off")
    assert frozen_files(load_workspace(signed), archive) == {f"{MINUTES}.docx": TAG_V1}

    (signed / MEETING).unlink()  # a document may go; its signed versions stay tagged
    assert frozen_files(load_workspace(signed), archive) == {}


def git_status(root: Path) -> str:
    import subprocess

    done = subprocess.run(
        ["git", "-C", str(root / "output"), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def signed_files(root: Path) -> dict[str, bytes]:
    return {s: (root / "output" / f"{MINUTES}{s}").read_bytes() for s in (".docx", ".md")}


@pytest.mark.parametrize("args", [(), ("--force",), ("output/" + MINUTES + ".docx",)])
def test_a_deleted_signed_output_is_restored_from_the_archive(
    signed: Path, args: tuple[str, ...]
) -> None:
    before = signed_files(signed)
    (signed / "output" / f"{MINUTES}.docx").unlink()
    paths = [signed / a if a.startswith("output/") else a for a in args]
    result = run("-C", signed, "build", "--as-of", AS_OF, *paths)
    assert result.code == 0, result.err
    assert f"restored signed version of output/{MINUTES}.docx from the archive" in result.lines
    assert result.lines[0].startswith("1 built,")
    assert signed_files(signed) == before
    assert git_status(signed) == ""
    assert run("-C", signed, "verify").code == 0


@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_a_signed_output_changed_by_hand_is_restored(signed: Path, suffix: str) -> None:
    before = signed_files(signed)
    with open(signed / "output" / f"{MINUTES}{suffix}", "ab") as file:
        file.write(b"junk")
    # Noticed by the build that answers from stat() calls when nothing else changed.
    result = run("-C", signed, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    restored = [line for line in result.lines if line.startswith("restored ")]
    assert restored == [f"restored signed version of output/{MINUTES}{suffix} from the archive"]
    assert signed_files(signed) == before
    assert git_status(signed) == ""
    assert run("-C", signed, "verify").code == 0
    again = run("-C", signed, "build", "--as-of", AS_OF)
    assert again.lines[0].startswith("0 built,") and len(again.lines) == 1


def test_signed_outputs_come_back_with_their_client(signed: Path, tmp_path: Path) -> None:
    before = signed_files(signed)
    (signed / "clients/acme").rename(tmp_path / "away")
    run("-C", signed, "-q", "build", "--as-of", AS_OF)
    assert not (signed / "output" / f"{MINUTES}.docx").exists()
    (tmp_path / "away").rename(signed / "clients/acme")
    result = run("-C", signed, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert f"restored signed version of output/{MINUTES}.docx from the archive" in result.lines
    assert signed_files(signed) == before
    assert git_status(signed) == ""
    assert run("-C", signed, "verify").code == 0


def test_a_changed_signed_output_whose_tag_is_gone_is_an_error(signed: Path) -> None:
    import subprocess

    subprocess.run(["git", "-C", str(signed / "output"), "tag", "-d", TAG_V1], check=True)
    (signed / "output" / f"{MINUTES}.docx").unlink()
    result = run("-C", signed, "build", "--as-of", AS_OF)
    assert result.code == 1
    assert any(f"its tag {TAG_V1} is missing" in line for line in result.lines)
    assert not (signed / "output" / f"{MINUTES}.docx").exists()  # not rendered anew


def test_a_deleted_archive_is_made_again_by_the_next_build(signed: Path) -> None:
    import shutil

    shutil.rmtree(signed / "output" / ".git")
    result = run("-C", signed, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert f"archived signed version {TAG_V1}" in result.lines
    assert TAG_V1 in {t.name for t in Archive(signed / "output").tags()}
    assert git_status(signed) == ""
    assert run("-C", signed, "verify").code == 0


def test_a_signature_dated_after_the_build_is_not_signed_yet(workspace: Path) -> None:
    build(workspace)
    edit(workspace, MEETING, "  - {by: lwei}", "  - {by: lwei, on: 2026-12-20}")
    md = workspace / "output" / f"{MINUTES}.md"
    for _ in range(2):  # the second from state.json: nothing changed
        result = run("-C", workspace, "build", "--as-of", AS_OF)
        assert result.code == 0, result.err
        assert not any("archived signed version" in line for line in result.lines)
        assert "2026" in md.read_text() and "20 December 2026" not in md.read_text()
    assert TAG_V1 not in {t.name for t in Archive(workspace / "output").tags()}
    status = run("-C", workspace, "status", "--as-of", AS_OF)
    assert "lwei" in status.out and "waiting" in status.out
    # The first build whose date reaches the signature signs it.
    result = run("-C", workspace, "build", "--as-of", "2026-12-21")
    assert result.code == 0, result.err
    assert f"archived signed version {TAG_V1}" in result.lines
    assert "20 December 2026" in md.read_text()


@pytest.mark.parametrize("packed", [False, True])
def test_a_signed_tag_deleted_by_hand_is_made_again_by_the_next_build(
    signed: Path, packed: bool
) -> None:
    import subprocess

    from aedocs.manifest import tag_exists

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(signed / "output"), *args], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    if packed:  # a `git gc` in output/ moves the tags into packed-refs
        git("pack-refs", "--all")
        assert not (signed / "output/.git/refs/tags" / TAG_V1).exists()
        assert tag_exists(signed / "output", TAG_V1)  # read from packed-refs
        assert run("-C", signed, "build", "--as-of", AS_OF).lines[0].startswith("0 built,")
    before = signed_files(signed)
    git("tag", "-d", TAG_V1)
    assert not tag_exists(signed / "output", TAG_V1)
    assert run("-C", signed, "verify").code == 1
    result = run("-C", signed, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert f"archived signed version {TAG_V1}" in result.lines
    assert git("tag", "-l", TAG_V1).strip() == TAG_V1
    assert signed_files(signed) == before
    assert run("-C", signed, "verify").code == 0
