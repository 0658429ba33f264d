"""Reading the archive's past: tags, and every version of one file with its tags."""

from __future__ import annotations

from dataclasses import dataclass

from aedocs.archive.git import Git

NO_BLOB = "0" * 40
TAG_FORMAT = "%(refname:strip=2)%00%(objecttype)%00%(*objectname)%00%(objectname)%00%(contents)%00"
LOG_FORMAT = "%x01%H%x00%cI%x00%s"


@dataclass(frozen=True)
class TagInfo:
    """A tag: its name (without `refs/tags/`), the commit it marks, its message."""

    name: str
    commit: str
    message: str
    annotated: bool


@dataclass(frozen=True)
class Version:
    """One commit that touched a file; `blob` is None where the commit deleted it."""

    commit: str
    date: str
    subject: str
    blob: str | None
    tags: tuple[str, ...]


def list_tags(git: Git, prefix: str) -> list[TagInfo]:
    """The tags whose names start with `prefix`, sorted by name."""
    # A whole folder of tags is asked of git by name; a part of a name is filtered here.
    folder = "refs/tags/" + prefix.rpartition("/")[0] if "/" in prefix else "refs/tags"
    out = git.run("for-each-ref", f"--format={TAG_FORMAT}", folder).decode()
    tags = [parse_tag(record) for record in out.split("\0\n") if record]
    return sorted((tag for tag in tags if tag.name.startswith(prefix)), key=lambda t: t.name)


def parse_tag(record: str) -> TagInfo:
    name, kind, peeled, oid, contents = record.split("\0")
    annotated = kind == "tag"
    return TagInfo(name, peeled if annotated else oid, contents if annotated else "", annotated)


def file_history(git: Git, relpath: str) -> list[Version]:
    """Every commit that touched `relpath`, newest first, tags marking signed blobs."""
    out = git.run(
        "log", f"--format={LOG_FORMAT}", "--raw", "--no-abbrev", "--no-renames", "--", relpath
    ).decode()
    versions = [parse_entry(entry, relpath) for entry in out.split("\x01") if entry]
    tags = tags_by_blob(git, relpath)
    return [
        Version(v.commit, v.date, v.subject, v.blob, tags.get(v.blob, ()) if v.blob else ())
        for v in versions
    ]


def parse_entry(entry: str, relpath: str) -> Version:
    header, *lines = entry.split("\n")
    commit, when, subject = header.split("\0")
    raw = [raw_change(line) for line in lines if line.startswith(":")]
    blob = next((new for new, path in raw if path == relpath), NO_BLOB)
    return Version(commit, when, subject, None if blob == NO_BLOB else blob, ())


def raw_change(line: str) -> tuple[str, str]:
    """(new blob id, path) from a `--raw` line `:old new oldblob newblob status\\tpath`."""
    fields, _, path = line.partition("\t")
    return fields.split()[3], path


def tags_by_blob(git: Git, relpath: str) -> dict[str, tuple[str, ...]]:
    """Blob id of `relpath` in each tagged commit -> the names of those tags."""
    tags = list_tags(git, "")
    if not tags:
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for tag, obj in zip(tags, git.objects([f"{t.commit}:{relpath}" for t in tags]), strict=True):
        if obj is not None and obj[1] == "blob":
            found[obj[0]] = (*found.get(obj[0], ()), tag.name)
    return found
