"""Checking the archive: git's own integrity check, every signed version intact, and the
files of output/ as the last commit has them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aedocs.archive.errors import ArchiveError
from aedocs.archive.git import Git
from aedocs.archive.history import TagInfo, list_tags
from aedocs.archive.signed import TAG_PREFIX, SignedRecord, sha256_hex

REPOSITORY = ".git"
# Files never committed count when they are documents; others (a build's own state, the
# temporary file of a write killed before its rename) are not outputs.
DOCUMENT_SUFFIXES = (".docx", ".md")
WORKTREE_STATES = {
    "M": "differs from the archive's last commit",
    "T": "differs from the archive's last commit",
    "D": "is missing, though the archive's last commit has it",
    "?": "is not in the archive",
}


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong at `path` (relative to output/; `.git` for the repository)."""

    path: str
    message: str


def verify_archive(git: Git, frozen: Mapping[str, str]) -> list[Problem]:
    """Problems of the repository, of signed tags, and of files frozen at a tag.

    `frozen` maps a path in output/ to the tag its file must still equal on disk: the
    current revision of a signed document. A tag that a later revision superseded is
    checked against its own commit only.
    """
    records, problems = signed_records(list_tags(git, TAG_PREFIX))
    problems += tagged_blob_problems(git, records)
    problems += frozen_file_problems(git.root, records, frozen)
    problems += frozen_twin_problems(git, records, frozen)
    return sorted(fsck_problems(git) + problems)


def fsck_problems(git: Git) -> list[Problem]:
    done = git.attempt("fsck", "--no-progress", "--no-dangling")
    if done.returncode == 0:
        return []
    said = (done.stdout + done.stderr).decode(errors="replace").splitlines()
    return [Problem(REPOSITORY, line.strip()) for line in said if line.strip()] or [
        Problem(REPOSITORY, f"git fsck failed with exit code {done.returncode}")
    ]


def signed_records(tags: list[TagInfo]) -> tuple[dict[TagInfo, SignedRecord], list[Problem]]:
    records: dict[TagInfo, SignedRecord] = {}
    problems: list[Problem] = []
    for tag in tags:
        try:
            record = SignedRecord.parse(tag.message)
        except ArchiveError as error:
            problems.append(Problem(REPOSITORY, f"tag {tag.name}: {error}"))
            continue
        if record.tag_name != tag.name:
            problems.append(Problem(record.path, f"tag {tag.name} records {record.tag_name}"))
        records[tag] = record
    return records, problems


def tagged_blob_problems(git: Git, records: dict[TagInfo, SignedRecord]) -> list[Problem]:
    blobs = git.contents([f"{tag.commit}:{record.path}" for tag, record in records.items()])
    problems = []
    for (tag, record), blob in zip(records.items(), blobs, strict=True):
        if blob is None:
            problems.append(Problem(record.path, f"tag {tag.name}: the tagged commit lacks it"))
        elif sha256_hex(blob) != record.sha256:
            problems.append(
                Problem(
                    record.path, f"tag {tag.name}: archived bytes differ from the signed sha256"
                )
            )
    return problems


def frozen_file_problems(
    root: Path, records: dict[TagInfo, SignedRecord], frozen: Mapping[str, str]
) -> list[Problem]:
    by_name = {tag.name: record for tag, record in records.items()}
    problems = []
    for path, name in sorted(frozen.items()):
        record = by_name.get(name)
        file = root / path
        if record is None:
            problems.append(Problem(path, f"signed, but tag {name} is missing or unreadable"))
        elif record.path != path:
            problems.append(Problem(path, f"tag {name} is for {record.path}"))
        elif not file.is_file():
            problems.append(Problem(path, f"signed as {name}, but the file is missing"))
        elif sha256_hex(file.read_bytes()) != record.sha256:
            problems.append(Problem(path, f"changed since it was signed as {name}"))
    return problems


def frozen_twin_problems(
    git: Git, records: dict[TagInfo, SignedRecord], frozen: Mapping[str, str]
) -> list[Problem]:
    """The `.md` twin of each frozen document, on disk, against the twin of the commit
    its tag signed (the tag records the sha256 of the .docx alone)."""
    commits = {tag.name: tag.commit for tag in records}
    twins = {
        path.removesuffix(".docx") + ".md": commits[name]
        for path, name in sorted(frozen.items())
        if name in commits
    }
    archived = git.contents([f"{commit}:{twin}" for twin, commit in twins.items()])
    problems = []
    for twin, blob in zip(twins, archived, strict=True):
        file = git.root / twin
        if blob is None:
            continue  # an archive made before twins were written
        name = frozen[twin.removesuffix(".md") + ".docx"]
        if not file.is_file():
            problems.append(Problem(twin, f"signed as {name}, but the file is missing"))
        elif file.read_bytes() != blob:
            problems.append(Problem(twin, f"changed since it was signed as {name}"))
    return problems


def worktree_problems(git: Git) -> list[Problem]:
    """Files of the work tree that differ from HEAD: changed, missing or never committed."""
    return [
        Problem(path, WORKTREE_STATES.get(state[:1], f"git status {state}"))
        for state, path in worktree_changes(git)
    ]


def worktree_changes(git: Git) -> list[tuple[str, str]]:
    """(git status code, path) of each file that differs from HEAD, sorted by path.

    Call while holding the lock: the private index is first reset to HEAD (keeping its
    file stat data, so unchanged files are not read again), as every commit does.
    """
    if git.objects(["HEAD^{commit}"])[0] is None:
        return []
    git.run("read-tree", "--reset", "HEAD")  # not -m: see Archive._index_from
    out = git.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
    changes = []
    for entry in out.decode().split("\0"):
        state, path = entry[:2].strip(), entry[3:]
        if entry and (state != "??" or path.endswith(DOCUMENT_SUFFIXES)):
            changes.append((state, path))
    return sorted(changes, key=lambda change: change[1])
