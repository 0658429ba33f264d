"""The git archive on real repositories: commits, tags, history, verify, locks, kill -9."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from aedocs.archive import (
    Archive,
    ArchiveBusy,
    ArchiveError,
    Problem,
    Signature,
    SignedRecord,
    sha256_hex,
    signed_tag_name,
)
from aedocs.archive.git import Git

HOLD_LOCK = """
import sys, time
from pathlib import Path
from aedocs.archive import Archive
with Archive(Path(sys.argv[1])).locked(wait=False):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""

BUILD_FOREVER = """
import itertools, os, sys
from pathlib import Path
from aedocs.archive import Archive
root = Path(sys.argv[1])
archive = Archive(root)
with archive.locked():
    print("ready", flush=True)
    for n in itertools.count():
        paths = [f"sol/minutes/m{i}.docx" for i in range(8)]
        (root / "sol" / "minutes").mkdir(parents=True, exist_ok=True)
        for path in paths:
            (root / path).write_bytes(os.urandom(4000))
        if n % 4 == 3:
            (root / paths[n % 8]).unlink()
        archive.commit(paths, f"Build {n}")
        if n % 5 == 0:
            archive.tag(f"mark/{os.getpid()}/{n}", "a mark")
"""


@pytest.fixture(autouse=True)
def hostile_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No global git identity, and GIT_* variables that would break an unscrubbed git."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "bogus" / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "bogus" / "index"))
    monkeypatch.setenv("GIT_WORK_TREE", str(tmp_path / "bogus"))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Intruder")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "output"


@pytest.fixture
def archive(root: Path) -> Archive:
    return Archive(root)


def git(root: Path, *args: str) -> str:
    """git as a user would run it in output/ (clean environment), stdout as text."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def write(root: Path, relpath: str, data: bytes) -> str:
    (root / relpath).parent.mkdir(parents=True, exist_ok=True)
    (root / relpath).write_bytes(data)
    return relpath


def subjects(root: Path) -> list[str]:
    return git(root, "log", "--format=%s").splitlines()


MEETING_DAY = datetime(2026, 11, 20, 10, 30, tzinfo=timezone(timedelta(hours=1)))
SIGNERS = (Signature("ana", date(2026, 11, 21)), Signature("lwei", date(2026, 11, 22)))


def record(relpath: str, data: bytes, doc_id: str = "m1") -> SignedRecord:
    return SignedRecord("sol", "minutes", doc_id, 1, sha256_hex(data), relpath, SIGNERS)


def test_first_commit_creates_the_repository(archive: Archive, root: Path) -> None:
    root.mkdir()
    commit = archive.commit([write(root, "sol/minutes/m1.docx", b"v1")], "Build 1")

    assert commit == git(root, "rev-parse", "HEAD").strip()
    assert git(root, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert subjects(root) == ["Build 1", "Create the archive"]
    assert git(root, "show", "HEAD:.gitattributes") == "*.docx diff=docx\n"
    assert git(root, "config", "diff.docx.textconv").strip().endswith(" -m aedocs text")
    assert git(root, "config", "diff.docx.cachetextconv").strip() == "true"
    assert git(root, "log", "-1", "--format=%an <%ae> %cn").strip() == (
        "aedocs <aedocs@localhost> aedocs"
    )
    assert git(root, "status", "--porcelain") == ""
    assert not (root.parent / "bogus").exists()


def test_one_commit_per_changing_call_and_none_without_change(archive: Archive, root: Path) -> None:
    root.mkdir()
    paths = [write(root, f"sol/minutes/m{i}.docx", b"v1") for i in range(3)]
    first = archive.commit(paths, "Build 1")
    write(root, paths[0], b"v2")
    write(root, paths[1], b"v2")
    second = archive.commit(paths, "Build 2")

    assert archive.commit(paths, "Build 3") is None
    assert archive.commit([], "Build 4") is None
    assert subjects(root) == ["Build 2", "Build 1", "Create the archive"]
    assert git(root, "rev-parse", "HEAD^").strip() == first
    assert git(root, "rev-parse", "HEAD").strip() == second


def test_commit_holds_only_the_given_paths(archive: Archive, root: Path) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a1"), write(root, "b.docx", b"b1")], "Build 1")
    write(root, "a.docx", b"a2")
    write(root, "b.docx", b"b2")
    write(root, "c.docx", b"c1")
    archive.commit(["a.docx"], "Build 2")

    assert git(root, "show", "--name-status", "--format=", "HEAD").split() == ["M", "a.docx"]
    assert archive.show("HEAD", "b.docx") == b"b1"
    assert archive.read_blob_at_head("c.docx") is None


def test_a_commit_after_a_commit_does_not_read_head_again(
    archive: Archive, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a1"), write(root, "b.docx", b"b1")], "Build 1")
    calls: list[str] = []
    run = Git.run
    monkeypatch.setattr(Git, "run", lambda self, *a, **k: calls.append(a[0]) or run(self, *a, **k))
    archive.commit([write(root, "a.docx", b"a2")], "Build 2")

    assert "read-tree" not in calls
    assert git(root, "show", "--name-status", "--format=", "HEAD").split() == ["M", "a.docx"]
    assert git(root, "status", "--porcelain") == ""


def test_head_moved_by_plain_git_is_read_again(archive: Archive, root: Path) -> None:
    """The private index holds the last commit; once HEAD is elsewhere it must not be used."""
    root.mkdir()
    first = archive.commit([write(root, "a.docx", b"a1")], "Build 1")
    assert first is not None
    archive.commit([write(root, "b.docx", b"b1")], "Build 2")
    git(root, "update-ref", "HEAD", first)  # as `git reset --soft` would

    archive.commit([write(root, "a.docx", b"a2")], "Build 3")

    assert git(root, "ls-tree", "--name-only", "HEAD").split() == [".gitattributes", "a.docx"]
    assert git(root, "rev-parse", "HEAD^").strip() == first


def test_deletion_is_recorded(archive: Archive, root: Path) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a"), write(root, "b.docx", b"b")], "Build 1")
    (root / "a.docx").unlink()
    archive.commit(["a.docx", "b.docx"], "Remove a")

    assert git(root, "show", "--name-status", "--format=", "HEAD").split() == ["D", "a.docx"]
    assert git(root, "ls-tree", "--name-only", "HEAD").split() == [".gitattributes", "b.docx"]


def test_user_hooks_never_run(archive: Archive, root: Path) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a1")], "Build 1")
    hooks = root / ".git" / "hooks"
    hooks.mkdir()
    marker = root.parent / "hook-ran"
    for name in ("pre-commit", "post-commit", "reference-transaction", "post-index-change"):
        (hooks / name).write_text(f"#!/bin/sh\necho {name} >> '{marker}'\nexit 1\n")
        (hooks / name).chmod(0o755)
    git(root, "config", "core.hooksPath", str(hooks))

    commit = archive.commit([write(root, "a.docx", b"a2")], "Build 2")
    archive.tag("signed/x", "a tag")

    assert commit is not None
    assert not marker.exists()


def test_tag_is_created_and_never_moved(archive: Archive, root: Path) -> None:
    root.mkdir()
    first = archive.commit([write(root, "a.docx", b"a1")], "Build 1")
    archive.tag("signed/sol/minutes/m1/v1", "first line\nsecond line", when=MEETING_DAY)
    archive.commit([write(root, "a.docx", b"a2")], "Build 2")

    with pytest.raises(ArchiveError, match="already exists"):
        archive.tag("signed/sol/minutes/m1/v1", "again")
    [tag] = archive.tags()
    assert (tag.name, tag.commit, tag.message) == (
        "signed/sol/minutes/m1/v1",
        first,
        "first line\nsecond line\n",
    )
    assert git(root, "cat-file", "-t", "signed/sol/minutes/m1/v1").strip() == "tag"
    tagger = git(root, "for-each-ref", "--format=%(taggername) %(taggerdate:iso)", "refs/tags")
    assert tagger.strip() == "aedocs 2026-11-20 10:30:00 +0100"


def test_tags_filter_by_prefix(archive: Archive, root: Path) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a1")], "Build 1")
    archive.tag("signed/a", "one")
    archive.tag("other", "two")

    assert [tag.name for tag in archive.tags()] == ["signed/a"]
    assert [tag.name for tag in archive.tags("")] == ["other", "signed/a"]


def test_tag_signed_refuses_bytes_that_were_not_signed(archive: Archive, root: Path) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"committed")], "Build 1")

    with pytest.raises(ArchiveError, match=r"a.docx at HEAD is not the signed version"):
        archive.tag_signed(record("a.docx", b"something else"))
    assert archive.tag_signed(record("a.docx", b"committed")) == "signed/sol/minutes/m1/v1"


def test_history_lists_versions_newest_first_with_signed_ones_marked(
    archive: Archive, root: Path
) -> None:
    root.mkdir()
    path = "sol/minutes/m1.docx"
    commits = [archive.commit([write(root, path, b"v1")], "Build 1", when=MEETING_DAY)]
    commits.append(archive.commit([write(root, path, b"v2")], "Build 2"))
    archive.tag_signed(record(path, b"v2"))
    archive.commit([write(root, "other.docx", b"x")], "Other")
    commits.append(archive.commit([write(root, path, b"v3")], "Build 3"))
    (root / path).unlink()
    commits.append(archive.commit([path], "Remove"))

    versions = archive.history(path)

    assert [v.commit for v in versions] == commits[::-1]
    assert [v.subject for v in versions] == ["Remove", "Build 3", "Build 2", "Build 1"]
    assert [v.tags for v in versions] == [(), (), ("signed/sol/minutes/m1/v1",), ()]
    assert versions[0].blob is None
    assert versions[1].blob == git(root, "rev-parse", f"HEAD~1:{path}").strip()
    assert versions[-1].date == "2026-11-20T10:30:00+01:00"


def test_show_returns_old_bytes(archive: Archive, root: Path) -> None:
    root.mkdir()
    old = archive.commit([write(root, "a.docx", b"old bytes")], "Build 1")
    archive.commit([write(root, "a.docx", b"new bytes")], "Build 2")

    assert old is not None
    assert archive.show(old, "a.docx") == b"old bytes"
    assert archive.show("HEAD", "a.docx") == b"new bytes"
    with pytest.raises(ArchiveError, match=r"missing\.docx is not in the archive at HEAD"):
        archive.show("HEAD", "missing.docx")


def test_read_blob_at_head_reads_the_manifest(archive: Archive, root: Path) -> None:
    manifest = ".aedocs/manifest/sol.json"
    assert archive.read_blob_at_head(manifest) is None
    root.mkdir()
    archive.commit([write(root, manifest, b'{"keys": {}}')], "Build 1")

    assert archive.read_blob_at_head(manifest) == b'{"keys": {}}'


def test_signed_message_is_written_and_read_back() -> None:
    signed = record("sol/minutes/m1.docx", b"bytes")

    assert signed.message() == (
        "signed sol/minutes/m1 v1\n"
        f"sha256: {sha256_hex(b'bytes')}\n"
        "path: sol/minutes/m1.docx\n"
        "signed-by: ana on 2026-11-21\n"
        "signed-by: lwei on 2026-11-22\n"
    )
    assert SignedRecord.parse(signed.message()) == signed
    assert signed.tag_name == signed_tag_name("sol", "minutes", "m1", 1)
    assert signed.tag_name == "signed/sol/minutes/m1/v1"


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("hello", "not a signed-version message: 'hello'"),
        ("signed sol/minutes/m1 v1\npath: a\nsigned-by: ana on 2026-01-01", "one 'sha256:'"),
        (f"signed a/b/c v2\nsha256: {'0' * 64}\npath: a", "at least one 'signed-by:'"),
        (f"signed a/b/c v2\nsha256: {'0' * 64}\npath: a\nnote: x", "unexpected line"),
        (f"signed a/b/c v2\nsha256: {'0' * 64}\npath: a\nsigned-by: x on 2026-13-01", "bad date"),
    ],
)
def test_malformed_signed_message_is_an_error(message: str, error: str) -> None:
    with pytest.raises(ArchiveError, match=error):
        SignedRecord.parse(message)


@pytest.fixture
def signed_archive(archive: Archive, root: Path) -> Archive:
    """`a.docx` signed as v1 and still at v1 on disk; `b.docx` signed, then revised."""
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a1"), write(root, "b.docx", b"b1")], "Build 1")
    archive.tag_signed(record("a.docx", b"a1"))
    archive.tag_signed(record("b.docx", b"b1", doc_id="b"))
    archive.commit([write(root, "b.docx", b"b2")], "Build 2: b revision 2")
    return archive


FROZEN = {"a.docx": "signed/sol/minutes/m1/v1"}


def test_verify_passes_an_intact_archive(signed_archive: Archive) -> None:
    assert signed_archive.verify(FROZEN) == []


def test_verify_catches_a_tampered_file_on_disk(signed_archive: Archive, root: Path) -> None:
    write(root, "a.docx", b"tampered")
    (root / "b.docx").unlink()

    assert signed_archive.verify({**FROZEN, "b.docx": "signed/sol/minutes/b/v1"}) == [
        Problem("a.docx", "changed since it was signed as signed/sol/minutes/m1/v1"),
        Problem("b.docx", "signed as signed/sol/minutes/b/v1, but the file is missing"),
    ]


def test_verify_catches_a_wrong_sha256_in_a_tag(archive: Archive, root: Path) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a1")], "Build 1")
    forged = record("a.docx", b"other")
    archive.tag(forged.tag_name, forged.message())

    assert archive.verify() == [
        Problem("a.docx", f"tag {forged.tag_name}: archived bytes differ from the signed sha256")
    ]


def test_verify_reports_tags_it_cannot_read(archive: Archive, root: Path) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a1")], "Build 1")
    archive.tag("signed/sol/minutes/m1/v1", "just a note")

    assert archive.verify(FROZEN) == [
        Problem(
            ".git", "tag signed/sol/minutes/m1/v1: not a signed-version message: 'just a note'"
        ),
        Problem("a.docx", "signed, but tag signed/sol/minutes/m1/v1 is missing or unreadable"),
    ]


def test_verify_reports_a_corrupt_repository(signed_archive: Archive, root: Path) -> None:
    blob = git(root, "rev-parse", "HEAD:b.docx").strip()
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()

    problems = signed_archive.verify(FROZEN)

    assert problems
    assert {p.path for p in problems} == {".git"}
    assert any(blob in p.message for p in problems)


def test_stale_git_locks_are_cleared_under_our_lock(archive: Archive, root: Path) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a1")], "Build 1")
    git_dir = root / ".git"
    stale = [
        "index.lock",
        "aedocs-index.lock",
        "HEAD.lock",
        "refs/heads/main.lock",
        "refs/tags/signed/sol/minutes/m1/v1.lock",
    ]
    for name in stale:
        (git_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (git_dir / name).write_text("")

    assert Archive(root).commit([write(root, "a.docx", b"a2")], "Build 2") is not None
    assert [name for name in stale if (git_dir / name).exists()] == []


@pytest.fixture
def other_holder(root: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the archive's lock for 1.5 s."""
    root.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(root), "1.5"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    yield holder
    holder.kill()
    holder.wait()


def test_busy_when_another_process_holds_the_lock(
    archive: Archive, other_holder: subprocess.Popen[str]
) -> None:
    with (
        pytest.raises(ArchiveBusy, match=rf"is in use by pid {other_holder.pid} on "),
        archive.locked(wait=False),
    ):
        pass


def test_waiting_for_the_lock_says_who_holds_it(
    archive: Archive, other_holder: subprocess.Popen[str]
) -> None:
    said: list[str] = []
    start = time.monotonic()
    with archive.locked(wait=True, on_wait=said.append):
        assert time.monotonic() - start > 1
    assert len(said) == 1
    assert said[0].startswith("waiting for ")
    assert f"in use by pid {other_holder.pid} on " in said[0]


def test_lock_is_reentrant(archive: Archive, root: Path) -> None:
    root.mkdir()
    with archive.locked(wait=False), archive.locked(wait=False):
        assert archive.commit([write(root, "a.docx", b"a")], "Build 1") is not None


def test_git_errors_are_one_line_with_what_git_said(archive: Archive, root: Path) -> None:
    root.mkdir()
    archive.commit([write(root, "a.docx", b"a")], "Build 1")
    (root / "folder").mkdir()

    with pytest.raises(ArchiveError) as raised:
        archive.commit(["folder"], "Build 2")
    assert str(raised.value).startswith("git update-index failed: ")
    assert "folder" in str(raised.value)
    assert "\n" not in str(raised.value)
    with pytest.raises(ArchiveError, match=r"invalid 'tag' name: bad\.\.name"):
        archive.tag("bad..name", "x")


@pytest.mark.parametrize("path", ["", "../a.docx", "/a.docx", ".git/config", "a//b", "a\nb"])
def test_paths_outside_the_work_tree_are_refused(archive: Archive, path: str) -> None:
    with pytest.raises(ArchiveError, match="not a path inside the archive"):
        archive.commit([path], "Build")


def kill_a_build(root: Path, rng: random.Random, whole_group: bool) -> None:
    """Start a process that builds and commits without end; SIGKILL it at a random moment."""
    build = subprocess.Popen(
        [sys.executable, "-c", BUILD_FOREVER, str(root)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert build.stdout is not None
    assert build.stdout.readline() == "ready\n"
    time.sleep(rng.uniform(0, 0.2))
    if whole_group:
        os.killpg(build.pid, signal.SIGKILL)
    else:
        build.send_signal(signal.SIGKILL)
    build.wait()


def wait_until_free(archive: Archive, seconds: float) -> None:
    """Return once the lock is free (a git orphaned by the kill may still hold it briefly)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with archive.locked(wait=False):
                return
        except ArchiveBusy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def test_a_build_killed_at_any_moment_leaves_a_sound_archive(root: Path) -> None:
    rng = random.Random(20261120)
    for round in range(16):
        kill_a_build(root, rng, whole_group=round % 2 == 0)
        archive = Archive(root)
        wait_until_free(archive, seconds=2)
        with archive.locked(wait=False):
            path = write(root, f"after/{round}.docx", b"after a kill")
            assert archive.commit([path], f"After kill {round}") is not None
        fsck = subprocess.run(
            ["git", "-C", str(root), "fsck", "--no-progress"],
            capture_output=True,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        )
        assert (fsck.returncode, fsck.stderr) == (0, "")
        assert all(line.startswith("dangling ") for line in fsck.stdout.splitlines())
        assert archive.verify() == []
        assert f"After kill {round}" in subjects(root)[0]


def test_loose_objects_are_packed_once_there_are_many(
    archive: Archive, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root.mkdir()
    paths = [write(root, f"sol/minutes/m{i}.docx", os.urandom(200)) for i in range(20)]
    archive.commit(paths, "Build 1")
    assert not list((root / ".git/objects/pack").glob("*.pack"))
    monkeypatch.setattr(Archive, "_many_loose_objects", lambda self: True)

    archive.commit([write(root, paths[0], b"v2")], "Build 2")

    loose = [p for p in (root / ".git/objects").glob("??/*") if p.parent.name != "pack"]
    assert loose == []
    assert len(list((root / ".git/objects/pack").glob("*.pack"))) == 1
    assert archive.show("HEAD", paths[0]) == b"v2"
    assert git(root, "fsck", "--no-progress") == ""
