"""The archive's commands on real repositories: sign, history, diff, verify, text.

Builds run through the command line in this process; the kill -9 loop starts real
build processes and kills them at random moments.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aedocs.archive import Archive
from aedocs.archive.lock import LOCK_NAME
from aedocs.render.files import builtin_templates
from tests.conftest import run
from tests.test_archive import wait_until_free
from tests.test_signing import AS_OF, MEETING, MINUTES, TAG_V1, build, edit, signed

__all__ = ["signed"]  # the fixture, shared with test_signing

DOCX = f"output/{MINUTES}.docx"
SCHEDULE = "clients/acme/schedules/christmas.yaml"


def git(root: Path, *args: str) -> str:
    """git as a user runs it in output/, with aedocs on PATH for the .docx textconv."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["git", "-C", str(root / "output"), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout


def test_two_archives_of_one_folder_share_the_lock_in_one_thread(tmp_path: Path) -> None:
    root = tmp_path / "output"
    with Archive(root).locked(wait=False):
        Archive(root).ensure()  # would wait for itself if the lock were per object
        with Archive(root).locked(wait=False):
            pass
    assert (root / ".git" / "HEAD").is_file()


def test_uncommitted_lists_documents_that_differ_from_the_last_commit(tmp_path: Path) -> None:
    root = tmp_path / "output"
    archive = Archive(root)
    (root / "acme").mkdir(parents=True)
    for name in ("a.docx", "a.md", "b.docx"):
        (root / "acme" / name).write_bytes(b"v1")
    archive.commit(["acme/a.docx", "acme/a.md", "acme/b.docx"], "Build 1")
    (root / "acme/a.docx").write_bytes(b"v2")  # what a build killed before its commit leaves
    (root / "acme/b.docx").unlink()
    (root / "acme/c.md").write_bytes(b"new")
    (root / "acme/.c.md.x1y2.tmp").write_bytes(b"half")
    (root / "notes.txt").write_bytes(b"not a document")

    assert archive.uncommitted() == ["acme/a.docx", "acme/b.docx", "acme/c.md"]
    archive.commit(archive.uncommitted(), "Build 2")
    assert archive.uncommitted() == []


# --- sign -------------------------------------------------------------------------------

COMMENTED_MEETING = """\
kind: client
title: Kick-off
date: 2026-11-20
chair: ana
attendees: [ana, marc, lwei]
signatures:   # both parties sign
  # the agency first
  - {by: ana, on: 2026-11-21}  # at the office
  - {by: lwei}   # the client, by mail
# nothing after this
"""

BLOCK_SCHEDULE = """\
title: Christmas schedule
tasks:
  - {id: brief, name: Brief, owner: ana, start: 2026-11-23, end: 2026-11-25}
signatures:
    - by: ana     # agency
    - by: 'lwei'
      # the client signs last
extra: {note: kept}
"""


def test_sign_writes_the_date_into_a_flow_entry_and_nothing_else(workspace: Path) -> None:
    (workspace / MEETING).write_text(COMMENTED_MEETING)

    result = run("-C", workspace, "sign", MEETING, "--by", "lwei", "--on", "2026-11-22")

    assert (result.code, result.err) == (0, "")
    assert (workspace / MEETING).read_text() == COMMENTED_MEETING.replace(
        "  - {by: lwei}   #", "  - {by: lwei, on: 2026-11-22}   #"
    )
    assert result.out == (
        f"{MEETING}: signed by lwei on 2026-11-22 (revision 1)\n"
        f"every signature is in: the next build tags {DOCX} and freezes it\n"
    )


def test_sign_on_a_later_day_says_from_which_build_on_it_counts(workspace: Path) -> None:
    (workspace / MEETING).write_text(COMMENTED_MEETING)
    result = run("-C", workspace, "sign", MEETING, "--by", "lwei", "--on", "2999-01-04")
    assert result.out.splitlines()[-1] == (
        f"every signature is in: the first build dated 2999-01-04 or later tags {DOCX} and "
        "freezes it"
    )


def test_sign_writes_the_date_into_a_block_entry_and_nothing_else(workspace: Path) -> None:
    (workspace / SCHEDULE).write_text(BLOCK_SCHEDULE)

    first = run("-C", workspace, "sign", SCHEDULE, "--by", "ana", "--on", "2026-11-23")
    second = run(
        "-C", workspace / "clients", "sign", f"../{SCHEDULE}", "--by", "lwei", "--on", "2026-11-24"
    )

    assert (first.code, second.code) == (0, 0)
    assert first.out.splitlines()[1] == "waiting for: lwei"
    assert (workspace / SCHEDULE).read_text() == BLOCK_SCHEDULE.replace(
        "    - by: ana     # agency\n", "    - by: ana     # agency\n      on: 2026-11-23\n"
    ).replace("    - by: 'lwei'\n", "    - by: 'lwei'\n      on: 2026-11-24\n")


def test_sign_defaults_to_today(workspace: Path) -> None:
    result = run("-C", workspace, "-q", "sign", MEETING, "--by", "lwei")

    assert (result.code, result.out, result.err) == (0, "", "")  # -q: only problems
    today = time.strftime("%Y-%m-%d")
    assert f"  - {{by: lwei, on: {today}}}\n" in (workspace / MEETING).read_text()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--by", "lwie"],
            f"{MEETING}:13:1: error: signatures: 'lwie' is not among the signers of this "
            "document (ana, lwei) (did you mean 'lwei'?)",
        ),
        (
            ["--by", "ana"],
            f"{MEETING}:14:19: error: signatures[0].on: ana already signed on 2026-11-21",
        ),
        (
            ["--by", "lwei", "--on", "2026-11-19"],
            f"{MEETING}:15:10: error: signatures[1].by: 2026-11-19 is before the document's "
            "own date (2026-11-20); no one signs it before then",
        ),
    ],
    ids=["not-a-signer", "already-signed", "before-the-document"],
)
def test_sign_refuses(workspace: Path, args: list[str], expected: str) -> None:
    before = (workspace / MEETING).read_bytes()

    result = run("-C", workspace, "sign", MEETING, *args)

    assert (result.code, result.lines, result.out) == (1, [expected], "")
    assert (workspace / MEETING).read_bytes() == before


def test_sign_refuses_a_file_with_errors(workspace: Path) -> None:
    edit(workspace, MEETING, "chair: ana", "chair: anna")
    before = (workspace / MEETING).read_bytes()

    result = run("-C", workspace, "sign", MEETING, "--by", "lwei", "--on", "2026-11-22")

    assert result.code == 1
    assert result.lines == [
        f"{MEETING}: error: not signed: fix its errors first",
        f"{MEETING}:5:8: error: chair: 'anna' is not among the attendees",
        f"{MEETING}:5:8: error: chair: 'anna' is not on this account (did you mean 'ana'?)",
    ]
    assert (workspace / MEETING).read_bytes() == before


def test_sign_refuses_a_document_whose_client_file_has_errors(workspace: Path) -> None:
    client = workspace / "clients/acme/client.yaml"
    client.write_text(client.read_text() + "zz: 1\n")
    lines = len(client.read_text().splitlines())
    result = run("-C", workspace, "sign", MEETING, "--by", "lwei", "--on", "2026-11-22")
    assert result.code == 1
    assert result.lines == [
        f"clients/acme/client.yaml:{lines}:1: error: unknown key 'zz'",
        f"{MEETING}: error: not signed: fix its errors first",
    ]


def test_sign_refuses_a_folder(workspace: Path) -> None:
    result = run("-C", workspace, "sign", "clients/acme", "--by", "ana")
    assert (result.code, result.lines) == (
        1,
        ["clients/acme: error: a folder: sign one document's file"],
    )


def test_sign_refuses_what_is_not_a_document(workspace: Path) -> None:
    result = run("-C", workspace, "sign", "clients/acme/client.yaml", "--by", "ana")

    assert result.code == 1
    assert result.lines[0].startswith("clients/acme/client.yaml: error: not a document: sign a")


def test_sign_refuses_a_new_revision_dated_before_the_last_was_signed(signed: Path) -> None:
    edit(signed, MEETING, "title: Kick-off", "revision: 2\nchanges: New title.\ntitle: New")
    edit(signed, MEETING, "{by: ana, on: 2026-11-21}", "{by: ana}")
    edit(signed, MEETING, "{by: lwei, on: 2026-11-22}", "{by: lwei}")

    result = run("-C", signed, "sign", MEETING, "--by", "ana", "--on", "2026-11-21")

    assert result.lines == [
        f"{MEETING}:16:10: error: signatures[0].by: 2026-11-21 is before revision 1 was "
        "signed (2026-11-22); revision 2 is signed after that"
    ]
    assert run("-C", signed, "sign", MEETING, "--by", "ana", "--on", "2026-11-22").code == 0


# --- frozen, revised ----------------------------------------------------------------------


def test_signing_tags_the_document_and_verify_passes(signed: Path) -> None:
    tags = git(signed, "tag", "-l", "signed/*").split()

    assert tags == [TAG_V1]
    assert git(signed, "rev-parse", f"{TAG_V1}^{{commit}}") == git(signed, "rev-parse", "HEAD")
    result = run("-C", signed, "verify")
    assert result.code == 0
    assert re.fullmatch(
        r"output/ intact: 7 documents as committed in [0-9a-f]{7}, 1 signed version "
        r"\(1 frozen\), git fsck clean\n",
        result.out,
    )


def test_editing_a_signed_document_is_refused_and_its_output_kept(signed: Path) -> None:
    before = {p: (signed / p).read_bytes() for p in (DOCX, DOCX.replace(".docx", ".md"))}
    head = git(signed, "rev-parse", "HEAD")
    edit(signed, MEETING, "title: Kick-off", "title: Kick-off meeting")

    result = run("-C", signed, "-q", "build", "--as-of", AS_OF)

    assert result.code == 1
    assert result.lines == [
        f"{MEETING}:1:1: error: signed by ana on 2026-11-21 and lwei on 2026-11-22 "
        "(revision 1); to change it, set revision: 2 and say what changed in changes:"
    ]
    assert {p: (signed / p).read_bytes() for p in before} == before
    assert git(signed, "rev-parse", f"{head.strip()}:{MINUTES}.docx") == git(
        signed, "rev-parse", f"HEAD:{MINUTES}.docx"
    )
    checked = run("-C", signed, "-q", "validate")  # says it too, writing nothing
    assert (checked.code, checked.lines) == (1, result.lines)
    status = run("-C", signed, "status", "--as-of", AS_OF)
    assert status.code == 1 and status.lines[0] == result.lines[0]


def test_a_template_change_leaves_signed_outputs_untouched(signed: Path) -> None:
    before = (signed / DOCX).read_bytes()
    partial = (builtin_templates() / "_signatures.md.j2").read_text()
    (signed / "templates").mkdir()
    (signed / "templates" / "_signatures.md.j2").write_text(
        partial + "\nSigned copies are kept in the archive.\n"
    )

    assert build(signed) == []
    assert (signed / DOCX).read_bytes() == before
    proposal = (signed / "output/acme/proposals/christmas.md").read_text()
    assert "Signed copies are kept in the archive." in proposal
    assert run("-C", signed, "verify").code == 0


def revise(root: Path) -> None:
    """Revision 2 of the signed minutes: new title, signatures cleared, then signed."""
    edit(root, MEETING, "title: Kick-off", "revision: 2\nchanges: New title.\ntitle: Launch")
    edit(root, MEETING, "{by: ana, on: 2026-11-21}", "{by: ana}")
    edit(root, MEETING, "{by: lwei, on: 2026-11-22}", "{by: lwei}")
    assert build(root) == []
    for by, day in (("ana", "2026-11-30"), ("lwei", "2026-12-01")):
        assert run("-C", root, "-q", "sign", MEETING, "--by", by, "--on", day).code == 0
    assert build(root) == []


def short(commit: str) -> str:
    return commit[:7]


def test_a_revision_keeps_both_signed_versions_with_their_tags(signed: Path) -> None:
    v1 = (signed / DOCX).read_bytes()
    revise(signed)
    archive = Archive(signed / "output")
    versions = archive.history(f"{MINUTES}.docx")

    assert [t.name for t in archive.tags()] == [TAG_V1, f"signed/{MINUTES}/v2"]
    assert archive.show(TAG_V1, f"{MINUTES}.docx") == v1
    assert archive.show(f"signed/{MINUTES}/v2", f"{MINUTES}.docx") == (signed / DOCX).read_bytes()
    result = run("-C", signed, "history", MEETING)
    assert result.code == 0
    assert result.out.splitlines() == [
        f"{DOCX}: 4 versions, newest first",
        *(
            f"{v.date[:16].replace('T', ' ')}  {short(v.commit)}  {label}"
            for v, label in zip(
                versions,
                [
                    "revision 2  signed v2 by ana on 2026-11-30 and lwei on 2026-12-01",
                    "revision 2",
                    "revision 1  signed v1 by ana on 2026-11-21 and lwei on 2026-11-22",
                    "revision 1",
                ],
                strict=True,
            )
        ),
    ]
    assert run("-C", signed / "output", "history", DOCX.replace("output/", "")).out == result.out
    assert run("-C", signed, "verify").code == 0


def test_diff_shows_the_text_between_versions(signed: Path) -> None:
    revise(signed)
    versions = Archive(signed / "output").history(f"{MINUTES}.docx")
    twin = f"output/{MINUTES}.md"

    latest = run("-C", signed, "diff", twin)
    signed_versions = run("-C", signed, "diff", DOCX, "v1", "v2")

    assert latest.code == 0
    lines = latest.out.splitlines()
    assert re.fullmatch(
        rf"--- {twin} @ {short(versions[1].commit)} \(.{{16}}, revision 2\)", lines[0]
    )
    assert re.fullmatch(
        rf"\+\+\+ {twin} @ {short(versions[0].commit)} \(.{{16}}, revision 2, signed\)",
        lines[1],
    )
    assert "+| **Li Wei**, Marketing | Acme Foods | Signed on 1 December 2026 |" in lines
    assert signed_versions.out.splitlines()[:2] == [
        f"--- {twin} @ {short(versions[2].commit)} ({versions[2].date[:16].replace('T', ' ')}"
        ", revision 1, signed)",
        f"+++ {twin} @ {short(versions[0].commit)} ({versions[0].date[:16].replace('T', ' ')}"
        ", revision 2, signed)",
    ]
    assert "-Kick-off" in signed_versions.out.splitlines()
    assert "+Launch" in signed_versions.out.splitlines()
    older = run("-C", signed, "diff", MEETING, short(versions[3].commit))
    assert older.out.splitlines()[0].startswith(f"--- {twin} @ {short(versions[3].commit)} (")


def test_diff_and_history_say_what_they_cannot_do(workspace: Path) -> None:
    assert run("-C", workspace, "history", MEETING).lines == [
        f"aedocs: error: {DOCX} has no archived version yet (aedocs build archives it)"
    ]
    build(workspace)
    assert run("-C", workspace, "diff", MEETING).lines == [
        f"aedocs: error: {DOCX} has one archived version: nothing to compare"
    ]
    assert run("-C", workspace, "diff", MEETING, "v7").lines == [
        f"aedocs: error: no version 'v7' of {DOCX}: give a commit that 'aedocs history' "
        "lists, or vN for signed revision N"
    ]
    assert (
        run("-C", workspace, "history", "aedocs.yaml")
        .lines[0]
        .startswith("aedocs: error: aedocs.yaml: not a document; give its source")
    )


# --- verify ---------------------------------------------------------------------------------


def test_verify_names_every_document_that_does_not_match(signed: Path) -> None:
    (signed / DOCX).write_bytes(b"tampered")
    (signed / "output/acme/proposals/christmas.md").write_text("edited by hand\n")
    (signed / "output/acme/workorders/WO-1.docx").unlink()
    (signed / "output/acme/minutes/stray.docx").write_bytes(b"never built")
    (signed / "output/.aedocs/notes.txt").write_text("not a document")

    result = run("-C", signed, "verify")

    assert (result.code, result.out) == (1, "")
    assert result.lines == [
        f"{DOCX}: error: changed since it was signed as {TAG_V1}",
        f"{DOCX}: error: differs from the archive's last commit",
        "output/acme/minutes/stray.docx: error: is not in the archive",
        "output/acme/proposals/christmas.md: error: differs from the archive's last commit",
        "output/acme/workorders/WO-1.docx: error: is missing, though the archive's last "
        "commit has it",
        "output/: 4 files do not match the archive",
    ]


def test_verify_catches_a_signed_twin_changed_and_committed(signed: Path) -> None:
    """The tag records the .docx's sha256; the twin is checked against the signed commit."""
    twin = signed / DOCX.replace(".docx", ".md")
    twin.write_text(twin.read_text().replace("Kick-off", "Kick-off (amended)"))
    git(signed, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qam", "edit twin")

    result = run("-C", signed, "verify")

    assert (result.code, result.lines) == (
        1,
        [
            f"output/{MINUTES}.md: error: changed since it was signed as {TAG_V1}",
            "output/: 1 file does not match the archive",
        ],
    )


def test_verify_catches_a_signed_tag_deleted(signed: Path) -> None:
    git(signed, "tag", "-d", TAG_V1)

    result = run("-C", signed, "verify")

    assert (result.code, result.lines) == (
        1,
        [
            f"{DOCX}: error: signed as revision 1, but its tag {TAG_V1} is missing",
            "output/: 1 file does not match the archive",
        ],
    )


def test_verify_catches_a_corrupt_repository(signed: Path) -> None:
    blob = git(signed, "rev-parse", "HEAD:acme/proposals/christmas.docx").strip()
    (signed / "output/.git/objects" / blob[:2] / blob[2:]).unlink()

    result = run("-C", signed, "verify")

    assert result.code == 1
    assert any(line.startswith("output/.git: error: ") and blob in line for line in result.lines)


def test_verify_without_an_archive(workspace: Path) -> None:
    assert run("-C", workspace, "verify").lines == [
        "aedocs: error: output/ is no archive yet: 'aedocs build' makes it"
    ]


# --- text -------------------------------------------------------------------------------------

MINUTES_TEXT = """\
Client meeting minutes
Kick-off
Client: Acme Foods
Date: 20 November 2026
Time: 10:00-11:30
Chair: Ana Diaz
Minutes by: Marc Puig
Attendees
Ana Diaz, Account Executive
Marc Puig, Designer
Li Wei, Marketing
Decisions
Print campaign
Actions
Task | Owner | Due | Status
Send media plan | Ana Diaz | 25 Nov 2026 | open
Book room | Marc Puig | 21 Nov 2026 | done (21 Nov 2026)
Signatures
Name | Party | Signature and date
Ana Diaz, Account Executive | Test Agency | Signed on 21 November 2026
Li Wei, Marketing | Acme Foods | Signed on 22 November 2026
"""


def test_text_prints_paragraphs_and_table_rows(signed: Path) -> None:
    result = run("-C", signed / "output", "text", f"{MINUTES}.docx")

    assert (result.code, result.out) == (0, MINUTES_TEXT)


def test_text_refuses_a_file_that_is_not_a_docx(signed: Path) -> None:
    result = run("-C", signed, "text", MEETING)

    assert result.code == 1
    assert result.lines[0].startswith(f"{MEETING}: error: not a readable .docx: ")


def test_git_log_in_output_shows_docx_changes_as_text(signed: Path) -> None:
    patch = git(signed, "log", "-p", "-1", "--format=%s", "--", f"{MINUTES}.docx")

    assert "-Li Wei, Marketing | Acme Foods | ____________________" in patch.splitlines()
    assert "+Li Wei, Marketing | Acme Foods | Signed on 22 November 2026" in patch.splitlines()
    shown = git(signed, "show", f"{TAG_V1}:{MINUTES}.docx", "--textconv")
    assert "Li Wei, Marketing | Acme Foods | Signed on 22 November 2026" in shown


# --- kill -9 ----------------------------------------------------------------------------------


def start_build(root: Path) -> tuple[subprocess.Popen[bytes], float]:
    """A `build --force` process, once it holds the archive's lock; when that was."""
    process = subprocess.Popen(
        [sys.executable, "-m", "aedocs", "-C", str(root), "build", "--force", "--as-of", AS_OF],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    lock = root / "output" / LOCK_NAME
    while process.poll() is None and f"pid {process.pid} " not in lock.read_text(errors="replace"):
        time.sleep(0.002)
    return process, time.monotonic()


def test_builds_killed_at_any_moment_leave_a_sound_archive(signed: Path) -> None:
    rng = random.Random(20261208)
    order = signed / "clients/acme/workorders/WO-1.yaml"
    text = order.read_text()
    process, locked = start_build(signed)
    assert process.wait() == 0
    # Kill anywhere from taking the lock to the end: render, write, commit or tag.
    span = time.monotonic() - locked
    for round in range(10):
        order.write_text(text.replace("title: Press campaign", f"title: Press campaign {round}"))
        process, locked = start_build(signed)
        time.sleep(rng.uniform(0, span))
        if round % 2:
            process.send_signal(signal.SIGKILL)
        else:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        wait_until_free(Archive(signed / "output"), seconds=10)

        assert build(signed) == []
        result = run("-C", signed, "verify")
        assert (result.code, result.lines) == (0, [])
        assert git(signed, "fsck", "--no-progress", "--no-dangling") == ""
        assert f"Press campaign {round}" in (signed / "output/acme/workorders/WO-1.md").read_text()
    assert [t.name for t in Archive(signed / "output").tags()] == [TAG_V1]


def test_status_in_output_is_clean_after_a_build(signed: Path) -> None:
    assert git(signed, "status", "--porcelain", "--untracked-files=all") == ""


def test_an_archive_moved_by_git_pull_goes_on(signed: Path, tmp_path: Path) -> None:
    """A teammate's archive pulled into output/ moves HEAD outside aedocs: the next build
    commits on top of it, and what differs from it is all committed."""
    import shutil

    theirs = tmp_path / "theirs"
    shutil.copytree(signed, theirs)
    edit(theirs, SCHEDULE, "Christmas schedule", "Xmas schedule")
    assert build(theirs) == []
    git(signed, "pull", "-q", "--ff-only", str(theirs / "output"), "HEAD")
    edit(signed, SCHEDULE, "Christmas schedule", "Navidad schedule")
    assert build(signed) == []
    assert run("-C", signed, "verify").code == 0
    assert git(signed, "status", "--porcelain", "--untracked-files=all") == ""
    subjects = git(signed, "log", "--format=%s").splitlines()
    assert subjects[0].startswith("Build: 0 added, 1 changed, 0 removed"), subjects
    assert "Navidad schedule" in (signed / "output/acme/schedules/christmas.md").read_text()
