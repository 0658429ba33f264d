"""The archive in output/: one git commit per build that changed files, tags for signed ones.

Commits are made with plumbing on a private index: read HEAD's tree (keeping the file
stat data of earlier runs), update only the given paths, write the tree, write the
commit, then move HEAD with `update-ref` checked against its old value. Objects are
written before HEAD moves and `update-ref` is atomic, so a process killed at any moment
leaves the repository as it was or one commit further, never corrupt.

The private index is left holding the commit just made, and a file next to it says
which commit that is: while HEAD is still that commit, the next commit skips reading
HEAD's tree again. The file is removed before the index is changed, and written only
once the index again holds exactly one commit's tree.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime
from functools import partial
from pathlib import Path

from aedocs.archive.errors import ArchiveError
from aedocs.archive.git import EMAIL, INDEX_NAME, NAME, Git, check_relpath
from aedocs.archive.history import TagInfo, Version, file_history, list_tags
from aedocs.archive.lock import LOCK_NAME, clear_stale_git_locks, hold
from aedocs.archive.signed import SignedRecord, sha256_hex
from aedocs.archive.verify import (
    Problem,
    verify_archive,
    worktree_changes,
    worktree_problems,
)
from aedocs.manifest import JOURNAL, STATE

ATTRIBUTES = ".gitattributes"
READY_MARKER = "aedocs-ready"  # in .git/: the set-up below is complete
ATTRIBUTES_TEXT = "*.docx diff=docx\n"
# Never archived, so `git status` in output/ leaves them out: the lock, and what a build
# keeps for itself (state.json, the journal of a build under way).
EXCLUDED = "".join(f"/{path}\n" for path in (LOCK_NAME, STATE, JOURNAL))
# The Python running this build, so `git log -p` in output/ shows text even when aedocs
# is not on PATH (a virtual environment not activated); each build sets it again.
DEFAULT_TEXTCONV = f"{shlex.quote(sys.executable)} -m aedocs text"


INDEX_HOLDS = f"{INDEX_NAME}.holds"  # in .git/: the commit the private index holds
LOOSE_OBJECTS = 6700  # git's gc.auto: more loose objects than this get packed
MANY_PACKS = 50  # git's gc.autoPackLimit: this many packs are packed into one


class Archive:
    """The git repository whose work tree is the output folder `root`."""

    def __init__(self, root: Path, textconv: str = DEFAULT_TEXTCONV) -> None:
        self.root = root
        self.textconv = textconv
        self.git = Git(root)
        self._lock_depth = 0
        self._ready = False
        self._prepared: tuple[str | None, str | None] | None = None  # see prepare_commit

    @contextmanager
    def locked(
        self, wait: bool = True, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[Archive]:
        """Hold the application lock (re-entrant); ArchiveBusy if taken and not `wait`."""
        first = self._lock_depth == 0
        if first:
            self.root.mkdir(parents=True, exist_ok=True)
        clear = partial(clear_stale_git_locks, self.git.git_dir)
        with hold(self.root / LOCK_NAME, wait, on_wait, clear) if first else nullcontext() as fd:
            if first:
                self.git.lock_fd = fd
            self._lock_depth += 1
            try:
                yield self
            finally:
                self._lock_depth -= 1
                if first:
                    self.git.lock_fd = None

    def ensure(self) -> None:
        """Create the repository, its settings and its first commit, or complete them."""
        if self._ready:
            return
        with self.locked():
            # What the last complete set-up wrote: when it still stands, every build
            # saves the git calls that would check it again.
            marker = self.git.git_dir / READY_MARKER
            expected = f"{self.textconv}\n{ATTRIBUTES_TEXT}{EXCLUDED}"
            if self._set_up(marker, expected):
                self._ready = True
                return
            if not self.git.exists():
                self.git.init()
            self._configure()
            write_if_changed(self.git.git_dir / "info" / "exclude", EXCLUDED)
            write_if_changed(self.root / ATTRIBUTES, ATTRIBUTES_TEXT)
            self._commit([ATTRIBUTES], "Create the archive", None)
            marker.write_text(expected, encoding="utf-8")
            self._ready = True

    def _set_up(self, marker: Path, expected: str) -> bool:
        try:
            return (
                self.git.exists()
                and marker.read_text(encoding="utf-8") == expected
                and (self.root / ATTRIBUTES).read_text(encoding="utf-8") == ATTRIBUTES_TEXT
            )
        except (OSError, UnicodeDecodeError):
            return False

    def _configure(self) -> None:
        wanted = {
            "diff.docx.textconv": self.textconv,
            "diff.docx.cachetextconv": "true",
            "user.name": NAME,
            "user.email": EMAIL,
        }
        listed = self.git.run("config", "--local", "-z", "--list").decode().split("\0")
        current = dict(entry.partition("\n")[::2] for entry in listed if entry)
        for key, value in wanted.items():
            if current.get(key) != value:
                self.git.run("config", "--local", key, value)

    def commit(
        self, changed: Sequence[str], message: str, when: datetime | None = None
    ) -> str | None:
        """Commit the files at `changed` as they are on disk (added, modified or deleted).

        Returns the new commit id, or None when that would not change HEAD's tree.
        """
        paths = [check_relpath(path) for path in changed]
        with self.locked():
            self.ensure()
            commit = self._commit(paths, message, when)
            if commit is not None and self._many_loose_objects():
                self._pack()
            return commit

    def _many_loose_objects(self) -> bool:
        """Whether git would find enough loose objects to pack them (`gc --auto`).

        A commit is written with plumbing, which never runs git's automatic upkeep: in
        watch mode an archive would gather thousands of loose objects a day, one small
        file each. git estimates their number from one of the 256 object folders; so
        does this, without starting git, so a commit pays a folder listing.
        """
        try:
            sampled = len(os.listdir(self.git.git_dir / "objects" / "17"))
        except OSError:
            return False
        return sampled * 256 > LOOSE_OBJECTS

    def _pack(self) -> None:
        """Pack the loose objects now, under the archive's lock: into one new pack, or,
        once there are many packs, every object into a single one."""
        packs = self.git.git_dir / "objects" / "pack"
        many = packs.is_dir() and len(list(packs.glob("*.pack"))) >= MANY_PACKS
        self.git.run("repack", "-d", "-l", "-q", *(["-a"] if many else []))

    def prepare_commit(self) -> bool:
        """Read HEAD into the private index now, so that the next `commit` only adds what
        changed: a build calls it, under the lock it holds, while its workers render.
        Whether HEAD had moved since aedocs last read or wrote it (a `git pull` or a
        commit made with git in output/): then files may differ from it that no build
        wrote."""
        self._prepared = self._head()
        return self._index_from(self._prepared[0])

    def _index_from(self, commit: str | None) -> bool:
        """Make the private index hold `commit`'s tree (none: empty), unless it does;
        whether it held another one (or an unknown one)."""
        if commit is not None and self._index_holds() == commit:
            return False
        # --reset, not -m: after git itself moved HEAD, entries that differ from files
        # on disk must not stop it (-m refuses: "not uptodate. Cannot merge.").
        self.git.run("read-tree", *(["--reset", commit] if commit else ["--empty"]))
        self._index_is(commit)
        return True

    def _index_holds(self) -> str | None:
        """The commit whose tree the private index holds, if known."""
        try:
            return (self.git.git_dir / INDEX_HOLDS).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None

    def _index_is(self, commit: str | None) -> None:
        """Record which commit the private index holds; None: not known (about to change)."""
        marker = self.git.git_dir / INDEX_HOLDS
        if commit is None:
            marker.unlink(missing_ok=True)
        else:
            marker.write_text(commit + "\n", encoding="ascii")  # torn: no match, read again

    def _commit(self, paths: Sequence[str], message: str, when: datetime | None) -> str | None:
        text = message.strip()
        if not text:
            raise ArchiveError("a commit needs a message")
        prepared, self._prepared = self._prepared, None
        if not paths:
            return None
        if prepared is not None:
            parent, parent_tree = prepared
        else:
            parent, parent_tree = self._head()
            self._index_from(parent)
        self._index_is(None)
        self.git.run("update-index", "--add", "--remove", "-z", "--stdin", input=nul_list(paths))
        tree = self.git.text("write-tree")
        if tree == parent_tree:
            self.git.publish_index()
            self._index_is(parent)
            return None
        commit = self._write_commit(tree, parent, text, when)
        subject = text.splitlines()[0]
        self.git.run("update-ref", "-m", f"aedocs: {subject}", "HEAD", commit, parent or "")
        self.git.publish_index()
        self._index_is(commit)
        return commit

    def _write_commit(self, tree: str, parent: str | None, text: str, when: datetime | None) -> str:
        parents = ["-p", parent] if parent else []
        out = self.git.run(
            "commit-tree",
            "--no-gpg-sign",
            tree,
            *parents,
            input=f"{text}\n".encode(),
            env=dates(when),
        )
        return out.decode().strip()

    def _head(self) -> tuple[str | None, str | None]:
        """HEAD's commit and tree ids; (None, None) before the first commit."""
        commit, tree = self.git.objects(["HEAD^{commit}", "HEAD^{tree}"])
        return (commit[0] if commit else None), (tree[0] if tree else None)

    def tag(
        self, name: str, message: str, target: str = "HEAD", when: datetime | None = None
    ) -> None:
        """An annotated tag `name` on commit `target`; an existing tag is never moved."""
        with self.locked():
            self.ensure()
            commit = self.resolve(target)
            if self.git.objects([f"refs/tags/{name}"])[0] is not None:
                raise ArchiveError(f"tag {name} already exists; a tag is never moved")
            stamp = tagger_date(when or datetime.now())
            body = (
                f"object {commit}\ntype commit\ntag {name}\n"
                f"tagger {NAME} <{EMAIL}> {stamp}\n\n{message.strip()}\n"
            )
            oid = self.git.text("mktag", input=body.encode())
            self.git.run("update-ref", f"refs/tags/{name}", oid, "")

    def tag_signed(
        self, record: SignedRecord, target: str = "HEAD", when: datetime | None = None
    ) -> str:
        """Tag the signed version `record` describes, after checking its bytes; its name."""
        return self.tag_signed_all([record], target, when)[0]

    def tag_signed_all(
        self,
        records: Sequence[SignedRecord],
        target: str = "HEAD",
        when: datetime | None = None,
    ) -> list[str]:
        """Tag every signed version `records` describe, after checking their bytes, in a
        few git calls however many there are (a first build may sign hundreds)."""
        if not records:
            return []
        with self.locked():
            self.ensure()
            commit = self.resolve(target)
            blobs = self.git.contents([f"{commit}:{r.path}" for r in records])
            for record, blob in zip(records, blobs, strict=True):
                if blob is None or sha256_hex(blob) != record.sha256:
                    raise ArchiveError(
                        f"{record.path} at {target} is not the signed version {record.tag_name}"
                    )
            names = [r.tag_name for r in records]
            for name, found in zip(
                names, self.git.objects([f"refs/tags/{n}" for n in names]), strict=True
            ):
                if found is not None:
                    raise ArchiveError(f"tag {name} already exists; a tag is never moved")
            stamp = tagger_date(when or datetime.now())
            oids = self._write_tags(
                f"object {commit}\ntype commit\ntag {r.tag_name}\n"
                f"tagger {NAME} <{EMAIL}> {stamp}\n\n{r.message().strip()}\n"
                for r in records
            )
            # One transaction: every tag is created, or none is.
            lines = "".join(
                f"create refs/tags/{n} {oid}\n" for n, oid in zip(names, oids, strict=True)
            )
            self.git.run("update-ref", "--stdin", input=lines.encode())
        return names

    def _write_tags(self, bodies: Iterable[str]) -> list[str]:
        """Write tag objects with one `git hash-object` call; their ids."""
        import tempfile  # only here: a build that tags nothing does not import it

        with tempfile.TemporaryDirectory(dir=self.git.git_dir) as folder:
            paths = []
            for i, body in enumerate(bodies):
                path = Path(folder, f"tag-{i}")
                path.write_bytes(body.encode())
                paths.append(str(path))
            out = self.git.text(
                "hash-object",
                "-t",
                "tag",
                "-w",
                "--stdin-paths",
                input="".join(f"{p}\n" for p in paths).encode(),
            )
        return out.split()

    def exists(self) -> bool:
        """Whether output/ holds the archive's repository yet."""
        return self.git.exists()

    def files(self, rev: str = "HEAD") -> list[str]:
        """The paths committed at `rev` (none before the first commit)."""
        if not self.exists() or self.git.objects([f"{rev}^{{tree}}"])[0] is None:
            return []
        out = self.git.run("ls-tree", "-r", "-z", "--name-only", f"{rev}^{{tree}}").decode()
        return [path for path in out.split("\0") if path]

    def resolve(self, rev: str) -> str:
        """The commit id `rev` names; ArchiveError if none."""
        found = self.git.objects([f"{rev}^{{commit}}"])[0] if self.git.exists() else None
        if found is None:
            raise ArchiveError(f"no commit {rev!r} in the archive {self.root}")
        return found[0]

    def tags(self, prefix: str = "signed/") -> list[TagInfo]:
        """Tags whose names start with `prefix`, sorted by name."""
        return list_tags(self.git, prefix) if self.git.exists() else []

    def history(self, relpath: str) -> list[Version]:
        """Every commit that touched `relpath`, newest first, with the tags of its bytes."""
        check_relpath(relpath)
        return file_history(self.git, relpath) if self.git.exists() else []

    def show(self, rev: str, relpath: str) -> bytes:
        """The bytes of `relpath` at `rev`; ArchiveError if it did not exist there."""
        blob = self.read_blob(rev, relpath)
        if blob is None:
            raise ArchiveError(f"{relpath} is not in the archive at {rev}")
        return blob

    def read_blob(self, rev: str, relpath: str) -> bytes | None:
        """The bytes of `relpath` at `rev`, or None."""
        check_relpath(relpath)
        return self.git.contents([f"{rev}:{relpath}"])[0] if self.git.exists() else None

    def read_blobs(self, wanted: Sequence[tuple[str, str]]) -> list[bytes | None]:
        """The bytes of each (rev, relpath), or None; one git call however many."""
        specs = [f"{rev}:{check_relpath(relpath)}" for rev, relpath in wanted]
        return self.git.contents(specs) if self.git.exists() else [None] * len(specs)

    def read_blob_at_head(self, relpath: str) -> bytes | None:
        """The committed bytes of `relpath` (e.g. the manifest), or None."""
        return self.read_blob("HEAD", relpath)

    def verify(self, frozen: Mapping[str, str] | None = None) -> list[Problem]:
        """Problems of the repository and of signed versions; see `verify_archive`."""
        return verify_archive(self.git, frozen or {}) if self.git.exists() else []

    def worktree_problems(self) -> list[Problem]:
        """Files in output/ that differ from the last commit, or that it lacks."""
        if not self.git.exists():
            return []
        with self.locked():
            return worktree_problems(self.git)

    def uncommitted(self) -> list[str]:
        """Paths in output/ that differ from the last commit: documents written, changed
        or removed since (say by a build killed before its commit). Pass them to `commit`."""
        return [path for _state, path in self.changes()]

    def changes(self) -> list[tuple[str, str]]:
        """(git status code, path) of each file in output/ that differs from the last
        commit: `??` not in it yet, `D` removed, `M` changed."""
        if not self.git.exists():
            return []
        with self.locked():
            return worktree_changes(self.git)


def nul_list(paths: Sequence[str]) -> bytes:
    return b"".join(os.fsencode(path) + b"\0" for path in paths)


def dates(when: datetime | None) -> dict[str, str]:
    """Author and committer date for `when` (git's own clock when None)."""
    if when is None:
        return {}
    stamp = aware(when).isoformat()
    return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}


def tagger_date(when: datetime) -> str:
    """`<epoch seconds> <+hhmm>`, as a tag's `tagger` line wants it."""
    return f"{int(when.timestamp())} {aware(when).strftime('%z')}"


def aware(when: datetime) -> datetime:
    """`when` with its own offset, or the local one when it has none."""
    return when if when.tzinfo is not None else when.astimezone()


def write_if_changed(path: Path, text: str) -> None:
    """Write `text` to `path` atomically unless it already holds exactly that."""
    if path.is_file() and path.read_text() == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text)
    os.replace(temp, path)
