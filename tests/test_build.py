"""The build command end to end: outputs, held-back documents, reproducible bytes, planner."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

from aedocs.render import pool
from aedocs.render.files import builtin_templates
from tests.conftest import overlay, run

AS_OF = "2026-12-08"
MEETING = "clients/acme/meetings/2026-11-20-kickoff.yaml"


def build(root: Path, *args: str) -> tuple[int, str]:
    result = run("-C", root, "build", "--as-of", AS_OF, "--no-archive", *args)
    return result.code, result.err


def outputs(root: Path) -> dict[str, str]:
    """Every output file -> sha256 of its bytes."""
    out = root / "output"
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.suffix in (".docx", ".md")
    }


def test_builds_every_kind(workspace: Path) -> None:
    code, err = build(workspace)
    assert code == 0, err
    names = {p for p in outputs(workspace) if p.endswith(".docx")}
    assert names == {
        "acme/minutes/2026-11-20-kickoff.docx",
        "acme/proposals/christmas.docx",
        "acme/schedules/christmas.docx",
        "acme/workorders/WO-1.docx",
        "acme/weekly/2026-W47.docx",
        "acme/weekly/2026-W48.docx",
        "acme/weekly/2026-W49.docx",
    }
    for name in names:
        Document(str(workspace / "output" / name))  # python-docx reopens each one


def test_second_build_is_a_no_op(workspace: Path) -> None:
    build(workspace)
    before = outputs(workspace)
    code, err = build(workspace)
    assert code == 0
    assert err.startswith("0 built, 7 unchanged, 0 removed, 0 failed")
    assert outputs(workspace) == before


def test_document_with_errors_keeps_its_last_good_output(workspace: Path) -> None:
    build(workspace)
    before = outputs(workspace)
    text = (workspace / MEETING).read_text().replace("chair: ana", "chair: nobody")
    overlay(
        workspace,
        {
            MEETING: text,
            "clients/acme/proposals/christmas.yaml": (
                workspace / "clients/acme/proposals/christmas.yaml"
            )
            .read_text()
            .replace("Christmas proposal", "Xmas proposal"),
        },
    )
    code, err = build(workspace)
    assert code == 1
    assert f"{MEETING}:5:8: error: chair: 'nobody' is not on this account" in err
    after = outputs(workspace)
    assert (
        after["acme/minutes/2026-11-20-kickoff.docx"]
        == before["acme/minutes/2026-11-20-kickoff.docx"]
    )
    assert after["acme/weekly/2026-W47.docx"] == before["acme/weekly/2026-W47.docx"]
    assert after["acme/proposals/christmas.docx"] != before["acme/proposals/christmas.docx"]


def test_client_folder_without_client_file_keeps_its_outputs(workspace: Path) -> None:
    """A missing client.yaml is an error, not the removal of the client: its documents,
    signed ones among them, keep their last good outputs until it is back."""
    build(workspace)
    before = outputs(workspace)
    overlay(workspace, {"clients/acme/client.yaml": None})
    code, err = build(workspace)
    assert code == 1
    assert "clients/acme: error: client folder without client.yaml" in err
    assert "0 removed" in err
    assert outputs(workspace) == before


def test_links_that_lead_nowhere_or_in_circles_are_diagnostics(workspace: Path) -> None:
    meetings = workspace / "clients/acme/meetings"
    (meetings / "2026-12-01-gone.yaml").symlink_to(workspace / "nowhere.yaml")
    (meetings / "2026-12-02-a.yaml").symlink_to("2026-12-02-b.yaml")
    (meetings / "2026-12-02-b.yaml").symlink_to("2026-12-02-a.yaml")
    (meetings / "loop").symlink_to("..")
    for _ in range(2):  # the second build answers from what the first remembered
        code, err = build(workspace)
        assert code == 1
        assert (
            "clients/acme/meetings/2026-12-01-gone.yaml: error: cannot read file: "
            "No such file or directory"
        ) in err
        assert (
            "clients/acme/meetings/2026-12-02-a.yaml: error: cannot read file: "
            "Too many levels of symbolic links"
        ) in err
        assert "Traceback" not in err


def test_editor_leftovers_are_not_sources(workspace: Path) -> None:
    meetings = workspace / "clients/acme/meetings"
    # Emacs' lock file: a link to user@host.pid, which does not exist.
    (meetings / ".#2026-11-20-kickoff.yaml").symlink_to("ana@laptop.4242:1700000000")
    (meetings / "._2026-11-20-kickoff.yaml").write_bytes(b"\x00\x05\x16\x07\xff")
    (meetings / "2026-11-20-kickoff.yaml~").write_text("title: [half\n")
    code, err = build(workspace)
    assert (code, err.splitlines()[1:]) == (0, []), err
    assert run("-C", workspace, "-q", "validate").lines == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_a_diagnostic_not_a_wait(workspace: Path) -> None:
    os.mkfifo(workspace / "clients/acme/meetings/2026-12-01-pipe.yaml")
    code, err = build(workspace)
    assert code == 1
    assert (
        "clients/acme/meetings/2026-12-01-pipe.yaml: error: cannot read file: not a regular file"
    ) in err


def test_a_client_folder_that_is_a_link_is_read_and_watched(workspace: Path) -> None:
    elsewhere = workspace.parent / "elsewhere"
    (workspace / "clients/acme").rename(elsewhere)
    (workspace / "clients/acme").symlink_to(elsewhere)
    code, err = build(workspace)
    assert code == 0, err
    assert err.startswith("7 built"), err
    text = (elsewhere / "meetings/2026-11-20-kickoff.yaml").read_text()
    (elsewhere / "meetings/2026-11-20-kickoff.yaml").write_text(text.replace("Kick-off", "Start"))
    code, err = build(workspace)
    assert code == 0, err
    assert err.startswith("2 built, 5 unchanged"), err  # the minutes and W47, not a no-op


def test_clients_that_is_not_a_folder_keeps_every_output(workspace: Path) -> None:
    build(workspace)
    before = outputs(workspace)
    shutil.rmtree(workspace / "clients")
    (workspace / "clients").write_text("oops\n")
    code, err = build(workspace)
    assert code == 1
    assert (
        "clients: error: not a folder: each client lives in clients/<client-id>/client.yaml"
    ) in err
    assert "0 removed" in err
    assert outputs(workspace) == before


@pytest.mark.parametrize("archive", [True, False])
def test_an_output_that_is_a_file_is_a_diagnostic(workspace: Path, archive: bool) -> None:
    (workspace / "output").write_text("notes\n")
    args = ("-C", workspace, "build", "--as-of", AS_OF) + (() if archive else ("--no-archive",))
    result = run(*args)
    assert (result.code, result.lines) == (
        1,
        ["output: error: is not a folder: the documents and their archive go there (move it away)"],
    )
    assert (workspace / "output").read_text() == "notes\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_document_that_fails_to_render_fails_until_it_is_fixed(
    workspace: Path, jobs: str
) -> None:
    """Emphasis nested a thousand deep fails its document, not the build or the other
    documents; later builds report it again, whatever else changed, until it is fixed."""
    build(workspace)
    text = (workspace / MEETING).read_text()
    deep = "*" * 1000 + "x" + "*" * 1000
    nested = text.replace("title: Kick-off", f"title: Kick-off\nnotes: '{deep}'")
    overlay(workspace, {MEETING: nested})
    failure = (
        "output/acme/minutes/2026-11-20-kickoff.docx: error: text nested too deeply to "
        f"render (made from {MEETING})"
    )
    code, err = build(workspace, "--jobs", jobs, "--force")
    assert (code, err.splitlines()[0]) == (1, failure)
    assert "6 unchanged, 0 removed, 1 failed" in err
    proposal = workspace / "clients/acme/proposals/christmas.yaml"
    overlay(workspace, {str(proposal): proposal.read_text().replace("Christmas", "Xmas")})
    for _ in range(2):  # another client's file changed, then nothing at all
        code, err = build(workspace, "--jobs", jobs)
        assert (code, err.splitlines()[0]) == (1, failure)
        assert "0 removed, 1 failed" in err
    overlay(workspace, {MEETING: nested.replace(deep, "Fixed.")})
    code, err = build(workspace, "--jobs", jobs)
    assert code == 0, err
    assert "Fixed." in (workspace / "output/acme/minutes/2026-11-20-kickoff.md").read_text()


def test_a_renamed_client_leaves_no_empty_folders(workspace: Path) -> None:
    build(workspace)
    (workspace / "clients/acme").rename(workspace / "clients/acme-foods")
    code, err = build(workspace)
    assert code == 0, err
    assert "7 removed" in err
    assert not (workspace / "output/acme").exists()
    assert (workspace / "output/acme-foods/minutes/2026-11-20-kickoff.docx").is_file()


def test_removed_source_removes_its_outputs(workspace: Path) -> None:
    build(workspace)
    overlay(workspace, {"clients/acme/proposals/christmas.yaml": None})
    code, err = build(workspace)
    assert code == 0, err
    assert "1 removed" in err
    assert not (workspace / "output/acme/proposals/christmas.docx").exists()
    assert not (workspace / "output/acme/proposals/christmas.md").exists()


def test_edit_rebuilds_exactly_what_depends_on_it(workspace: Path) -> None:
    build(workspace)
    before = outputs(workspace)
    text = (workspace / MEETING).read_text().replace("Send media plan", "Send the media plan")
    overlay(workspace, {MEETING: text})
    code, err = build(workspace)
    assert code == 0, err
    changed = {k for k, v in outputs(workspace).items() if before.get(k) != v}
    # The minutes, and the weekly reports that list that action (open in W47 and W48,
    # overdue in W49); nothing else.
    assert {c.removesuffix(".md").removesuffix(".docx") for c in changed} == {
        "acme/minutes/2026-11-20-kickoff",
        "acme/weekly/2026-W47",
        "acme/weekly/2026-W48",
        "acme/weekly/2026-W49",
    }


def test_notes_edit_rebuilds_the_minutes_but_no_weekly_report(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A weekly report shows a meeting's date, title and actions, never its notes: its
    key is what it shows, so editing the notes renders the minutes alone."""
    build(workspace)
    rendered: list[str] = []
    render_one = pool.render_one

    def spy(renderer: pool.Renderer, out: pool.Output, out_dir: Path) -> pool.Outcome:
        rendered.append(out.rel)
        return render_one(renderer, out, out_dir)

    monkeypatch.setattr(pool, "render_one", spy)
    text = (workspace / MEETING).read_text()
    overlay(workspace, {MEETING: text + "notes: |\n  Said during the meeting.\n"})
    code, err = build(workspace, "--jobs", "1")  # rendered here, where the spy sees it
    assert code == 0, err
    assert rendered == ["acme/minutes/2026-11-20-kickoff"]
    rendered.clear()
    overlay(workspace, {MEETING: text.replace("Send media plan", "Send the media plan")})
    assert build(workspace, "--jobs", "1")[0] == 0  # an action: the reports listing it too
    assert rendered == [
        "acme/minutes/2026-11-20-kickoff",
        "acme/weekly/2026-W47",
        "acme/weekly/2026-W48",
        "acme/weekly/2026-W49",
    ]


def test_template_edit_rebuilds_only_documents_using_it(workspace: Path) -> None:
    build(workspace)
    before = outputs(workspace)
    builtin = Path(__file__).parent.parent / "templates" / "proposal.md.j2"
    overlay(workspace, {"templates/proposal.md.j2": builtin.read_text() + "\nOverride.\n"})
    code, err = build(workspace)
    assert code == 0, err
    changed = {k for k, v in outputs(workspace).items() if before.get(k) != v}
    assert changed == {"acme/proposals/christmas.docx", "acme/proposals/christmas.md"}
    assert (
        (workspace / "output/acme/proposals/christmas.md")
        .read_text()
        .rstrip()
        .endswith("Override.")
    )


@pytest.mark.parametrize(
    ("include", "part"),
    [
        ('{% include "parts/note.md.j2" %}', "parts/note.md.j2"),  # in a subfolder
        ('{% set p = "_note" ~ ".md.j2" %}{% include p %}', "_note.md.j2"),  # a computed name
    ],
    ids=["subfolder", "computed-name"],
)
def test_an_included_template_edit_rebuilds_what_includes_it(
    workspace: Path, include: str, part: str
) -> None:
    builtin = (builtin_templates() / "proposal.md.j2").read_text()
    overlay(
        workspace,
        {"templates/proposal.md.j2": builtin + include + "\n", f"templates/{part}": "One.\n"},
    )
    build(workspace)
    overlay(workspace, {f"templates/{part}": "Two.\n"})
    code, err = build(workspace)
    assert code == 0, err
    assert err.startswith("1 built, 6 unchanged"), err  # the proposal alone
    assert "Two." in (workspace / "output/acme/proposals/christmas.md").read_text()


def test_partial_edit_rebuilds_every_template_including_it(workspace: Path) -> None:
    build(workspace)
    builtin = Path(__file__).parent.parent / "templates" / "_signatures.md.j2"
    overlay(workspace, {"templates/_signatures.md.j2": builtin.read_text() + "\nSigned.\n"})
    code, err = build(workspace)
    assert code == 0, err
    # minutes, proposal, schedule and work order carry signatures; weekly reports do not.
    assert err.startswith("4 built, 3 unchanged"), err


def test_same_bytes_with_one_or_two_jobs(workspace: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(workspace, other)
    build(workspace, "--jobs", "1")
    build(other, "--jobs", "2", "--force")
    assert outputs(workspace) == outputs(other)


def test_same_bytes_in_another_folder_time_zone_and_moment(workspace: Path, tmp_path: Path) -> None:
    build(workspace)
    other = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(workspace, other, ignore=shutil.ignore_patterns("output"))
    env = {**os.environ, "TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aedocs",
            "-C",
            str(other),
            "build",
            "--as-of",
            AS_OF,
            "--no-archive",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert outputs(workspace) == outputs(other)


def test_template_errors_name_the_template_and_line(workspace: Path) -> None:
    overlay(
        workspace,
        {
            "templates/minutes.md.j2": "# {{ title }}\n\n{{ nothing_here }}\n",
            "templates/proposal.md.j2": "# {{ title }\n",
        },
    )
    code, err = build(workspace)
    assert code == 1
    assert "templates/minutes.md.j2:3:1: error: template: 'nothing_here' is undefined" in err
    assert "templates/proposal.md.j2:1:1: error: template: unexpected '}'" in err
    assert (workspace / "output/acme/schedules/christmas.docx").exists()  # others built
    assert not (workspace / "output/acme/minutes/2026-11-20-kickoff.docx").exists()


def test_unknown_word_style_is_a_diagnostic_where_it_is_typed(workspace: Path) -> None:
    overlay(workspace, {"templates/minutes.md.j2": "# {{ title }}\n\nHello\n{: .Nonexistent}\n"})
    code, err = build(workspace)
    assert code == 1
    assert "templates/minutes.md.j2:4:1: error: unknown paragraph style 'Nonexistent'" in err
    overlay(workspace, {"templates/minutes.md.j2": None})
    text = (workspace / MEETING).read_text()
    notes = "notes: |\n  Agreed.\n  {: .Signatur}\n"
    overlay(workspace, {MEETING: text.replace("title: Kick-off\n", f"title: Kick-off\n{notes}")})
    code, err = build(workspace)
    assert code == 1
    assert err.splitlines()[0] == (
        f"{MEETING}:5:3: error: unknown paragraph style 'Signatur' (did you mean 'Signature'?)"
    )


def test_force_rebuilds_everything_and_paths_only_what_they_name(workspace: Path) -> None:
    build(workspace)
    code, err = build(workspace, "--force")
    assert code == 0 and "0 built, 7 unchanged" in err  # same bytes: nothing rewritten
    overlay(
        workspace,
        {
            MEETING: (workspace / MEETING).read_text().replace("Kick-off", "Start"),
            "clients/acme/schedules/christmas.yaml": (
                workspace / "clients/acme/schedules/christmas.yaml"
            )
            .read_text()
            .replace("Christmas schedule", "Xmas schedule"),
        },
    )
    code, err = build(workspace, str(workspace / MEETING))
    assert code == 0, err
    # Rendered: the minutes and the three weekly reports made from it; rewritten: the
    # minutes and W47, the only report that shows the meeting's title.
    assert err.startswith("2 built, 5 unchanged"), err
    assert "Christmas schedule" in (workspace / "output/acme/schedules/christmas.md").read_text()
    code, err = build(workspace)
    assert err.startswith("1 built"), err  # the schedule, still outdated, is built now


def test_paths_remove_only_what_they_name(workspace: Path) -> None:
    build(workspace)
    before = outputs(workspace)
    # An earlier --as-of calls for fewer weekly reports: only a full build removes them.
    proposal = workspace / "clients/acme/proposals/christmas.yaml"
    code, err = build(workspace, "--as-of", "2026-11-24", str(proposal))
    assert code == 0, err
    assert "0 removed" in err  # weekly reports W48 and W49 are not made from the proposal
    assert outputs(workspace).keys() == before.keys()
    code, err = build(workspace, "--as-of", "2026-11-24", str(workspace / MEETING))
    assert code == 0, err
    assert "2 removed" in err  # they are made from the meeting


def test_paths_that_name_nothing_are_usage_errors(workspace: Path) -> None:
    code, err = build(workspace, str(workspace / "clients/acme/meetings/typo.yaml"))
    assert code == 2
    assert err.splitlines()[-1] == (
        f"Error: Invalid value for PATH: {workspace}/clients/acme/meetings/typo.yaml: "
        "no such file or folder"
    )
    for nowhere in (
        "output/nosuch/minutes/x.docx",
        "output/acme/drafts",
        "output/acme/minutes/typo.docx",
        "output/acme/invoices/WO-9.md",
        "output/acme/weekly/last-week.docx",
    ):
        code, err = build(workspace, str(workspace / nowhere))
        assert code == 2
        assert err.splitlines()[-1] == (
            f"Error: Invalid value for PATH: {workspace}/{nowhere}: no document of the "
            "workspace is written there"
        )
    assert not (workspace / "output").exists()
    build(workspace)
    (workspace / "output/acme/minutes/2026-11-20-kickoff.docx").unlink()
    code, err = build(workspace, str(workspace / "output/acme/minutes/2026-11-20-kickoff.docx"))
    assert code == 0, err
    assert err.startswith("1 built"), err  # an output removed by hand is rebuilt
    shutil.rmtree(workspace / "output/acme/weekly")
    code, err = build(workspace, str(workspace / "output/acme/weekly/2026-W48.docx"))
    assert (code, err.splitlines()[-1][:8]) == (0, "1 built,")
    code, err = build(workspace, str(workspace / "output/acme/invoices"))
    assert code == 0, err  # no invoice request yet: nothing to do


def _sign_meeting(root: Path) -> None:
    text = (root / MEETING).read_text().replace("{by: lwei}", "{by: lwei, on: 2026-11-22}")
    overlay(root, {MEETING: text})


def test_a_signed_document_left_untagged_is_tagged_by_the_next_build(workspace: Path) -> None:
    _sign_meeting(workspace)
    assert run("-C", workspace, "build", "--as-of", AS_OF).code == 0
    tag = "signed/acme/minutes/2026-11-20-kickoff/v1"
    git = ["git", "-C", str(workspace / "output")]
    # As if killed after its commit: no tag yet, and no record of a finished build.
    subprocess.run([*git, "tag", "-d", tag], check=True, capture_output=True)
    (workspace / "output/.aedocs/state.json").unlink()
    result = run("-C", workspace, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert f"archived signed version {tag}" in result.err
    tags = subprocess.run([*git, "tag", "-l"], check=True, capture_output=True, text=True)
    assert tag in tags.stdout.split()


def _stopped_build(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build (archive on) stopped after writing its outputs, before its manifest."""

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr("aedocs.manifest.Manifest.write", interrupted)
        assert run("-C", root, "build", "--as-of", AS_OF, "--jobs", "1").code == 130


@pytest.mark.parametrize("same_mtime", [True, False], ids=["mtime-kept", "mtime-new"])
def test_an_edit_undone_after_a_stopped_build_leaves_no_output_of_it(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, same_mtime: bool
) -> None:
    """The stopped build wrote outputs of an edit; the edit is undone (with its old mtime,
    as `cp -p` or a checkout may leave it): the next build writes them back as they were,
    and archives nothing of the edit."""
    assert run("-C", workspace, "build", "--as-of", AS_OF).code == 0
    before = outputs(workspace)
    meeting = workspace / MEETING
    text, stat = meeting.read_text(), meeting.stat()
    overlay(workspace, {MEETING: text.replace("Kick-off", "Start")})
    _stopped_build(workspace, monkeypatch)
    assert outputs(workspace) != before  # the minutes, and W47 that shows their title
    assert (workspace / "output/.aedocs/building").read_text().splitlines()[1:] == [
        "acme/minutes/2026-11-20-kickoff",
        "acme/weekly/2026-W47",
        "acme/weekly/2026-W48",
        "acme/weekly/2026-W49",
    ]
    overlay(workspace, {MEETING: text})
    if same_mtime:
        os.utime(meeting, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = run("-C", workspace, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert result.err.startswith("2 built, 5 unchanged"), result.err
    assert outputs(workspace) == before
    assert not (workspace / "output/.aedocs/building").exists()
    git = ["git", "-C", str(workspace / "output"), "log", "--format=%s"]
    log = subprocess.run(git, check=True, capture_output=True, text=True).stdout
    assert log.count("Build:") == 1  # the first build's: the stopped one committed nothing


def test_an_unreadable_journal_renders_every_output_again(workspace: Path) -> None:
    assert run("-C", workspace, "build", "--as-of", AS_OF).code == 0
    before = outputs(workspace)
    (workspace / "output/acme/proposals/christmas.md").write_text("written by a stopped build")
    (workspace / "output/.aedocs/building").write_bytes(b"\xff\xfe")
    result = run("-C", workspace, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert result.err.startswith("1 built, 6 unchanged"), result.err
    assert outputs(workspace) == before


def test_temporary_files_of_a_killed_build_are_removed(workspace: Path) -> None:
    assert run("-C", workspace, "build", "--as-of", AS_OF).code == 0
    left = workspace / "output/acme/minutes/.2026-11-20-kickoff.docx.4242.7.tmp"
    other = workspace / "output/acme/.notes.tmp"  # not a name aedocs gives
    for path in (left, other):
        path.write_bytes(b"half")
    (workspace / "output/.aedocs/building").write_text("4242\n")  # killed: no end
    assert run("-C", workspace, "build", "--as-of", AS_OF).code == 0
    assert not left.exists()
    assert other.exists()


def test_a_journal_names_what_the_stopped_build_named_until_written(tmp_path: Path) -> None:
    from aedocs.manifest import Journal

    (tmp_path / ".aedocs").mkdir()
    (tmp_path / ".aedocs/building").write_text("123\nacme/minutes/a\n")
    journal = Journal(tmp_path)
    assert journal.found and journal.dirty == {"acme/minutes/a"}
    journal.begin()  # a build stopped again before writing it: still named
    journal.handing(["acme/weekly/2026-W01"])
    assert Journal(tmp_path).dirty == {"acme/minutes/a", "acme/weekly/2026-W01"}
    journal.end()
    assert not Journal(tmp_path).found and Journal(tmp_path).dirty == set()


def test_a_refused_edit_of_a_signed_document_reaches_no_output(workspace: Path) -> None:
    _sign_meeting(workspace)
    assert run("-C", workspace, "build", "--as-of", AS_OF).code == 0
    before = outputs(workspace)
    git = ["git", "-C", str(workspace / "output"), "rev-parse", "HEAD"]
    head = subprocess.run(git, check=True, capture_output=True, text=True).stdout
    overlay(workspace, {MEETING: (workspace / MEETING).read_text().replace("Kick-off", "Start")})
    result = run("-C", workspace, "build", "--as-of", AS_OF)
    assert result.code == 1
    assert "to change it, set revision: 2" in result.err
    assert outputs(workspace) == before  # the minutes and the weekly report listing them
    assert subprocess.run(git, check=True, capture_output=True, text=True).stdout == head


def test_a_commit_of_keys_alone_says_so(workspace: Path) -> None:
    assert run("-C", workspace, "build", "--as-of", AS_OF).code == 0
    text = (workspace / MEETING).read_text()
    overlay(workspace, {MEETING: text + "# a comment: no document shows it\n"})
    result = run("-C", workspace, "build", "--as-of", AS_OF)
    assert result.code == 0 and result.err.startswith("0 built, 7 unchanged"), result.err
    git = ["git", "-C", str(workspace / "output"), "log", "-1", "--format=%s%n%b"]
    log = subprocess.run(git, check=True, capture_output=True, text=True).stdout
    assert log.startswith("Build: keys updated, no document changed (workspace "), log


def test_a_build_with_the_archive_after_one_without_creates_it(workspace: Path) -> None:
    build(workspace)  # --no-archive
    assert not (workspace / "output/.git").exists()
    result = run("-C", workspace, "build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    git = ["git", "-C", str(workspace / "output"), "log", "--format=%s"]
    log = subprocess.run(git, check=True, capture_output=True, text=True).stdout
    assert "Build: 7 added, 0 changed, 0 removed (workspace not in git)" in log


def test_a_template_every_document_uses_is_reported_broken_once(workspace: Path) -> None:
    header = (builtin_templates() / "_header.md.j2").read_text()
    overlay(workspace, {"templates/_header.md.j2": header + "{% for %}\n"})
    code, err = build(workspace)
    assert code == 1
    lines = err.splitlines()
    assert [line for line in lines if "_header.md.j2" in line] == [
        f"templates/_header.md.j2:{header.count(chr(10)) + 1}:1: error: template: "
        "Expected an expression, got 'end of statement block'"
    ]
    assert "0 built, 0 unchanged, 0 removed, 7 failed" in err


def _reference_without(root: Path, drop: set[str], edits: dict[str, tuple[bytes, bytes]]) -> None:
    """The built-in reference, as the workspace's own, without the parts in `drop` and
    with each (old, new) replacement of `edits` made in its part."""
    (root / "templates").mkdir(exist_ok=True)
    with (
        zipfile.ZipFile(builtin_templates() / "reference.docx") as source,
        zipfile.ZipFile(root / "templates/reference.docx", "w") as target,
    ):
        for item in source.infolist():
            if item.filename in drop:
                continue
            data = source.read(item)
            if item.filename in edits:
                data = data.replace(*edits[item.filename])
            target.writestr(item, data)


def test_a_reference_saved_by_libreoffice_is_used(workspace: Path) -> None:
    """LibreOffice leaves numbering.xml out of a reference none of whose paragraphs is
    numbered, and may leave out the default language: the built-in ones serve."""
    rels = "word/_rels/document.xml.rels"
    link = (
        b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/numbering" Target="numbering.xml"/>'
    )
    override = (
        b'<Override PartName="/word/numbering.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    )
    lang = b'<w:lang w:val="en-GB" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    _reference_without(
        workspace,
        {"word/numbering.xml"},
        {rels: (link, b""), "[Content_Types].xml": (override, b""), "word/styles.xml": (lang, b"")},
    )
    code, err = build(workspace)
    assert code == 0, err
    for name in outputs(workspace):
        if name.endswith(".docx"):
            Document(str(workspace / "output" / name))
    _reference_without(workspace, {"word/numbering.xml"}, {})  # still named: named once
    code, err = build(workspace)
    assert code == 0, err
    with zipfile.ZipFile(workspace / "output/acme/minutes/2026-11-20-kickoff.docx") as docx:
        assert docx.read(rels).count(b"relationships/numbering") == 1
        assert docx.read("[Content_Types].xml").count(b"/word/numbering.xml") == 1


def test_a_reference_that_lacks_a_part_it_names_is_refused(workspace: Path) -> None:
    _reference_without(workspace, {"word/header1.xml"}, {})
    code, err = build(workspace)
    assert code == 1
    assert err.splitlines()[0] == (
        "templates/reference.docx: error: not a usable reference document (ValueError: its "
        "relationships name word/header1.xml, which it lacks); restore it or remove it to "
        "use the built-in one"
    )


def test_a_reference_style_id_with_markup_characters_stays_in_its_attribute(
    workspace: Path,
) -> None:
    styles = (b'w:styleId="Meta"', b'w:styleId="Me&quot;ta&lt;x"')
    _reference_without(workspace, set(), {"word/styles.xml": styles})
    code, err = build(workspace)
    assert code == 0, err
    for name in outputs(workspace):
        if name.endswith(".docx"):
            Document(str(workspace / "output" / name))  # well-formed: python-docx opens it


def test_a_problem_in_an_included_template_is_placed_in_that_file(workspace: Path) -> None:
    builtin = (builtin_templates() / "proposal.md.j2").read_text()
    overlay(
        workspace,
        {
            "templates/proposal.md.j2": builtin + '{% include "parts/a.j2" %}\n',
            "templates/parts/a.j2": "fine\n{{ 1 / 0 }}\n",
        },
    )
    code, err = build(workspace)
    assert code == 1
    assert err.splitlines()[0] == (
        "templates/parts/a.j2:2:1: error: template: ZeroDivisionError: division by zero"
    )
    overlay(workspace, {"templates/parts/a.j2": "fine\n{% include 'gone.md.j2' %}\n"})
    code, err = build(workspace)
    assert err.splitlines()[0] == "templates/parts/a.j2:2:1: error: template not found: gone.md.j2"
    overlay(workspace, {"templates/parts/a.j2": "fine\n{% if %}\n"})
    code, err = build(workspace)
    assert err.splitlines()[0] == (
        "templates/parts/a.j2:2:1: error: template: Expected an expression, got 'end of "
        "statement block'"
    )


def test_broken_template_files_and_reference_are_diagnostics(workspace: Path) -> None:
    overlay(workspace, {"templates/minutes.md.j2": '{% include "nothere.md.j2" %}\n'})
    code, err = build(workspace)
    assert code == 1
    assert "templates/minutes.md.j2:1:1: error: template not found: nothere.md.j2" in err
    (workspace / "templates/minutes.md.j2").write_bytes(b"# Minutes\n\xff\xfe not text")
    code, err = build(workspace)
    assert code == 1
    assert "templates/minutes.md.j2:2:1: error: template: not UTF-8 text (byte 0xff)" in err
    overlay(workspace, {"templates/minutes.md.j2": None, "templates/reference.docx": "not a zip"})
    code, err = build(workspace)
    assert code == 1
    assert err.startswith(
        "templates/reference.docx: error: not a usable reference document "
        "(BadZipFile: File is not a zip file)"
    )


def test_a_character_no_document_can_hold_is_left_out_with_a_warning(workspace: Path) -> None:
    text = (workspace / MEETING).read_text().replace("title: Kick-off", 'title: "Kick\\x07off"')
    overlay(workspace, {MEETING: text})
    code, err = build(workspace)
    assert code == 0, err
    assert err.splitlines()[0] == (
        f"{MEETING}:2:8: warning: a character no document can hold (\\x07), left out of the "
        "documents"
    )
    assert "Kickoff" in (workspace / "output/acme/minutes/2026-11-20-kickoff.md").read_text()
