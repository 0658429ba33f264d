"""A build, start to finish: validate, plan what changed, render, write, archive.

The steps run in the pipeline's order, client by client: each client's documents are read,
validated and planned, its outdated outputs handed to the renderer's workers
(`render.pool`), and its data forgotten before the next; a client whose files did not
change is not read at all (`reuse`). Only outputs whose key (`keys`: the hash of
everything they depend on) changed are rendered; signed outputs are never rewritten; an
output whose inputs have errors keeps its last good version; outputs whose source is gone
are removed. Then one commit in the archive, and the tags of newly signed documents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from aedocs import manifest, reuse
from aedocs.archive.signed import signed_tag_name
from aedocs.diagnostics import Diagnostic
from aedocs.keys import Keys
from aedocs.manifest import OUTPUT_DIR, OUTPUT_SUFFIXES
from aedocs.typedcache import WORKSPACE
from aedocs.workspace import (
    CONFIG_FILE,
    load_documents,
    open_workspace,
    unload_documents,
)
from aedocs.write import remove, remove_temporaries, write_bytes

if TYPE_CHECKING:
    from aedocs.plan import Output, Plan
    from aedocs.render.pool import RenderQueue

T = TypeVar("T")
Selection = Callable[[str, Sequence[str]], bool]  # an output (rel, inputs) PATHs ask for
Progress = Callable[[int, int], None]


@dataclass
class BuildRequest:
    root: Path
    as_of: dt.date
    jobs: int = 1
    force: bool = False
    archive: bool = True
    only: Selection | None = None  # PATH arguments: build (and remove) just these
    workers: RenderQueue | None = None  # started by the caller already: use these


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)  # validation
    problems: list[Diagnostic] = field(default_factory=list)  # rendering
    built: list[str] = field(default_factory=list)  # rewritten (bytes changed)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # signed files put back from the archive
    held: int = 0
    commit: str | None = None
    tags: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(d.is_error for d in self.diagnostics)


def build(req: BuildRequest, progress: Progress | None = None) -> BuildResult:
    """Build the workspace client by client: read, validate, plan, hand the outdated
    outputs to the renderer, forget the client's data, go on; then commit and tag."""
    started = time.perf_counter()
    run = _Run(req, progress)
    result = run.result
    # Found at the start, the journal tells that the last build was stopped before its
    # end, maybe between writing outputs and committing them.
    last = run.state
    in_sync = last is not None and last.archived and not run.new_archive
    in_sync = in_sync and not run.journal.found
    if run.journal.found:  # what its killed processes were writing: never complete
        remove_temporaries(run.out_dir)
    run.journal.begin()
    revision: _Background[tuple[str, bool]] | None = None
    try:
        for client in run.ws.clients:
            run.client(client)
        if run.archive is not None and req.archive:
            # Asked of git while the workers finish (after the last fork: a thread
            # running while a process forks may leave the child a lock it holds).
            revision = _Background(lambda: _before_commit(run.archive, req.root))
        groups = [WORKSPACE, *run.ws.clients]
        saving = _Background(lambda: run.ws.cache.flush(groups))
        written, result.problems = run.queue.finish() if run.queue else ({}, [])
        saving.result()
    finally:
        run.close()
    run.conclude(written)
    run.restore()
    manifests = run.manifest.write(run.entries)
    if run.archive is not None and req.archive:
        from aedocs.signing import tag_all

        assert revision is not None
        workspace, moved = revision.result()  # first: no two git commands on the index
        # What differs from the archive: when the last build ended in sync with it (and
        # git did not move it since), just what this one wrote and removed; else
        # whatever git finds.
        changes = run.changes() if in_sync and not moved else run.archive.changes()
        result.commit = _commit(run.archive, workspace, changes, manifests)
        # Every build, not only one that committed: a build killed between its commit
        # and its tags leaves a signed document that this one must still tag.
        result.tags = tag_all(run.archive, run.to_tag, run.out_dir, run.tag_names)
    run.remember()
    run.journal.end()
    result.seconds = time.perf_counter() - started
    return result


class _Background(threading.Thread, Generic[T]):
    """`function()` in a thread of its own; `result` waits for it."""

    def __init__(self, function: Callable[[], T]) -> None:
        super().__init__(daemon=True)
        self.function = function
        self.value: T | None = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.value = self.function()
        except BaseException as exc:  # handed to the caller by result()
            self.error = exc

    def result(self) -> T:
        self.join()
        if self.error is not None:
            raise self.error
        return cast(T, self.value)


class _Run:
    """One build's state: the workspace opened, what the last build left, and what each
    client gives as it is read."""

    def __init__(self, req: BuildRequest, progress: Progress | None = None) -> None:
        self.req = req
        self.progress = progress
        self.out_dir = req.root / OUTPUT_DIR
        self.state = manifest.State.read(self.out_dir)
        # The signed outputs the last build found as signed, with their stat() stamps.
        self.last_frozen = self.state.frozen if self.state is not None else {}
        self.hasher = manifest.Hasher(req.root, self.state)
        # What this build reads; new files found at its end are for the next build.
        self.listing = manifest.workspace_files(req.root)
        self.files = reuse.by_client(self.listing)
        self.new_archive = not (self.out_dir / ".git").exists()
        self.manifest = manifest.Manifest(self.out_dir)
        self.journal = manifest.Journal(self.out_dir)
        self.previous = self.manifest.entries
        dirty = self.journal.dirty
        if dirty != set():  # outputs a stopped build may have written: no entry to trust
            self.previous = {
                rel: entry
                for rel, entry in self.previous.items()
                if dirty is not None and rel not in dirty
            }
        self.keys = Keys(req.root, self.hasher)
        # An archive to make (again: output/.git deleted) needs every document read, so
        # that each signed one is tagged in it.
        fresh = req.force or req.only is not None
        fresh = fresh or (req.archive and (self.new_archive or not self._archived()))
        self.shared_key = self.keys.workspace_key(self.files)
        self.kept = reuse.reusable(
            self.state, fresh, self.shared_key, self.files, self.hasher, req.as_of, self.out_dir
        )
        # Read again: a client with an output that failed to render, or that a stopped
        # build may have written (either has no entry to trust).
        # So is one with a signed output that is missing or changed on disk (not the size
        # and mtime it had when the last build found it equal to its signed version).
        self.kept = {
            client: last
            for client, last in self.kept.items()
            if all(rel in self.previous for rel in last.outputs)
            and all(self._frozen_stands(rel) for rel in last.outputs)
        }
        # Whether each output read again may be up to date: else all of them will render.
        self.may_stand = (
            not fresh and self.state is not None and self.state.workspace == self.shared_key
        )
        self.results: dict[str, reuse.ClientResult] = {}
        self.unique: dict[str, list[Diagnostic]] = {}  # client -> numbers used before it
        self.entries: dict[str, Any] = {}  # the manifest to write
        self.todo: set[str] = set()
        self.failed: set[str] = set()  # of `todo`: not rendered, their last good version kept
        self.skipped: set[str] = set()  # outdated, but not among the PATHs asked for
        self.to_tag: list[Any] = []
        # Signed outputs that must hold their signed version: rel -> its tag (TagInfo).
        self.frozen: dict[str, Any] = {}
        self.restored: list[str] = []  # files of `frozen` put back from the archive
        self.unrestorable: set[str] = set()  # of `frozen`: the archive lacks its files
        self.result = BuildResult()
        self._versions: Any = None
        self.tag_names: set[str] = set()  # of the documents read: all their signed tags
        self._names: Any = None
        self._taken: Any = None  # finance numbers claimed by the clients done so far
        self.queue: RenderQueue | None = self._start_workers()
        try:
            self.ws = open_workspace(req.root)
            self._close_group(WORKSPACE)
            if self.queue is not None:
                self.queue.use(self.ws, [c for c in self.ws.clients if c not in self.kept])
        except BaseException:  # a broken config, or a worker without its renderer
            self.close()
            raise
        self.archive = _archive(self.out_dir, req.archive)  # once the config is known good
        from aedocs.validate import check_config

        # What every client shares: the config and client.yaml files, read above.
        self.shared = list(self.ws.diagnostics) + check_config(self.ws)
        self.shared_broken = {d.path for d in self.shared if d.is_error}
        self.shared_broken |= self.ws.failed_sources

    def close(self) -> None:
        if self.queue is not None:
            self.queue.close()

    def _frozen_stands(self, rel: str) -> bool:
        """Whether output `rel`, if signed, is on disk as the last build left it."""
        if rel in self.last_frozen:
            return manifest.frozen_stands(self.out_dir, rel, self.last_frozen[rel])
        return not isinstance(self.previous.get(rel, {}).get("signed"), int)

    def _archived(self) -> bool:
        return self.state is None or self.state.archived

    def _read(self, client: str) -> list[Diagnostic]:
        """Read the documents of `client`; the diagnostics that reading gave."""
        before = len(self.ws.diagnostics)
        load_documents(self.ws, self.ws.clients[client])
        return self.ws.diagnostics[before:]

    def _start_workers(self) -> RenderQueue | None:
        """Fork the renderer's workers now, before this process reads the workspace, so
        that they import and make ready what renders meanwhile: one when few outputs are
        expected to render, all of them (`--jobs`) when many are."""
        expected = self._expected()
        queue = self.req.workers
        if queue is None and (expected == 0 or self.req.jobs < 2):
            return None
        from aedocs.render.pool import PARCEL, RenderQueue

        if queue is None:
            queue = RenderQueue(self.req.root, self.req.jobs, self.out_dir, self.progress)
        queue.start(self.req.jobs if expected >= 2 * PARCEL else 1)
        return queue

    def _expected(self) -> int:
        """About how many outputs this build will render: those of the last build whose
        inputs changed (all of its clients' when more than their files changed), and one
        for each new file."""
        if self.req.only is not None:
            return 0  # a few PATHs, usually: workers start if planning finds many
        state = self.state
        last = state.clients if state is not None else {}
        found = 0
        for client, files in self.files.items():
            if client in self.kept:
                continue
            before = reuse.ClientResult.parse(last.get(client)) if client in last else None
            if before is None or state is None or not self.may_stand:
                found += len(before.outputs) if before else len(files)
                continue
            changed = set(before.files) ^ set(files)
            changed |= {f for f in files if not state.same(f, self.hasher)}
            found += len(changed - set(before.files))
            found += sum(
                1
                for rel in before.outputs
                if changed.intersection(self.previous.get(rel, {}).get("inputs", [rel]))
            )
        return found

    def renderer(self) -> RenderQueue:
        if self.queue is None:
            from aedocs.render.pool import RenderQueue

            self.queue = RenderQueue(self.req.root, self.req.jobs, self.out_dir, self.progress)
            self.queue.use(self.ws)
        return self.queue

    def _claim(self, numbers: list[Any]) -> list[Diagnostic]:
        """Finance numbers of the next client that earlier clients hold already."""
        if self._taken is None:
            from aedocs.validate import Numbers

            self._taken = Numbers()
        found: list[Diagnostic] = self._taken.claim(numbers)
        return found

    def client(self, client: str) -> None:
        """Validate and plan one client (or take its last results), and hand its
        outdated outputs to the renderer."""
        last = self.kept.get(client)
        if last is not None:
            from aedocs.validate import Number

            unique = self._claim([Number(*n) for n in last.numbers])
            if manifest.rows(unique) != last.unique:  # numbers of the clients before changed
                del self.kept[client]
                self._read_and_plan(client, unique)
                return
            self.unique[client] = unique
            self.results[client] = last
            self.entries.update(
                (rel, self.previous[rel])
                for rel in last.outputs + last.held
                if rel in self.previous
            )
            return
        self._read_and_plan(client)

    def _read_and_plan(self, client: str, unique: list[Diagnostic] | None = None) -> None:
        """Read, validate and plan `client`, and hand its outdated outputs to the
        renderer. `unique`: its finance-number problems, when already claimed."""
        from aedocs.plan import plan_client
        from aedocs.reports import weeks_with_activity
        from aedocs.signing import check_signed, to_tag
        from aedocs.validate import Names, check_client, numbers

        files = self.ws.clients[client]
        found = self._read(client)
        its_numbers = numbers(files)
        if unique is None:
            unique = self._claim(its_numbers)
        self.unique[client] = unique
        if self._names is None:
            self._names = Names(self.ws)
        found += check_client(self.ws, files, self._names)
        prefix = f"clients/{client}/"
        broken = self.shared_broken | {d.path for d in found + unique if d.is_error}
        broken |= {rel for rel in self.ws.failed_sources if rel.startswith(prefix)}
        planned = plan_client(self.ws, files, self.req.as_of, broken)
        versions = self._signed(client)
        signed, frozen = check_signed(self.ws, self.archive, planned.outputs, versions)
        lost = self._lost(planned.outputs, versions)
        signed += lost.values()
        frozen |= lost.keys()
        if any(d.is_error for d in signed):
            # A refused edit of a signed document must not reach the reports that read it.
            broken |= {d.path for d in signed if d.is_error}
            planned = plan_client(self.ws, files, self.req.as_of, broken)
        todo = self._outdated(planned, frozen)
        tagged = to_tag(
            (o for o in planned.outputs if o.rel not in frozen | self.skipped), self.req.as_of
        )
        self.to_tag += tagged
        # Each signed output's entry says its signed revision: verify then knows which
        # tags must exist, and misses none deleted by hand.
        revisions = {rel: max(versions[rel]) for rel in frozen if versions.get(rel)}
        for out in planned.outputs:
            # Frozen at its last signed revision (as `aedocs verify` expects it): its files
            # must be that version's, put back from the archive if need be.
            last = revisions.get(out.rel)
            if out.doc is None or last is None or out.doc.model.revision > last:
                continue
            if self.req.only is None or self.req.only(out.rel, out.inputs):
                self.frozen[out.rel] = versions[out.rel][last].tag
        revisions |= {t.out: t.revision for t in tagged}
        for rel, revision in revisions.items():
            if rel in self.entries:
                self.entries[rel] = {**self.entries[rel], "signed": revision}
        self.results[client] = reuse.ClientResult(
            files=self.files.get(client, []),
            diagnostics=manifest.rows(found + signed),
            unique=manifest.rows(unique),
            broken=sorted(b for b in broken if b.startswith(prefix)),
            outputs=[o.rel for o in planned.outputs],
            held=[o.rel for o in planned.held],
            weeks=[
                [w.id, w.end.isoformat()]
                for w in weeks_with_activity(files, self.ws.config.payment_terms_days, dt.date.max)
            ],
            numbers=[list(n) for n in its_numbers],
            signing=manifest.signing_window(
                (s.on for doc in files.docs for s in doc.model.signatures if s.on),
                self.req.as_of,
            ),
        )
        if todo:
            self.journal.handing(out.rel for out in todo)
            self.renderer().submit(todo)
        unload_documents(files)
        self._close_group(client)

    def _lost(self, outputs: list[Output], versions: Any) -> dict[str, Diagnostic]:
        """Signed outputs whose tag is gone from the archive (deleted by hand) and whose
        files are missing or differ from the archive's last commit: nothing can put back
        the signed version, and rendering it again would not give it. Each with its
        error. (Files as committed are tagged again: a build killed before its tags.)"""
        from aedocs.signing import own_output

        if self.new_archive or self.archive is None:  # a new archive tags all anew
            return {}
        last = self.last_frozen
        unsure: dict[str, str] = {}  # rel -> the missing tag's name
        for out in outputs:
            revision = self.previous.get(out.rel, {}).get("signed")
            if not isinstance(revision, int) or out.doc is None or not own_output(out):
                continue
            if out.doc.model.revision > revision or revision in versions.get(out.rel, {}):
                continue
            name = signed_tag_name(out.client, out.folder, out.id, revision)
            stamp = last.get(out.rel)
            if stamp is None or not manifest.frozen_stands(self.out_dir, out.rel, stamp, name):
                unsure[out.rel] = name
        if not unsure:
            return {}
        wanted = [("HEAD", f"{rel}{suffix}") for rel in unsure for suffix in OUTPUT_SUFFIXES]
        committed = iter(self.archive.read_blobs(wanted))
        found = {}
        for rel, name in unsure.items():
            files = [self.out_dir / f"{rel}{suffix}" for suffix in OUTPUT_SUFFIXES]
            blobs = [next(committed) for _ in OUTPUT_SUFFIXES]
            if all(f.is_file() and f.read_bytes() == b for f, b in zip(files, blobs, strict=True)):
                continue
            found[rel] = Diagnostic(
                f"{OUTPUT_DIR}/{rel}.docx",
                0,
                0,
                f"signed, but its tag {name} is missing from the archive and the file is "
                "missing or changed: it cannot be restored; put the tag back from a copy "
                "of the archive that has it",
            )
        return found

    def _close_group(self, group: str) -> None:
        """Done typing files of `group`. A build that reads few clients (one edit, in
        watch mode or not) keeps what it typed for the next; one that reads them all
        (the first, --force, a changed config) does not pay for writing it."""
        self.ws.cache.close(group, save=self._few_read)

    @property
    def _few_read(self) -> bool:
        """Whether this build reads only one or two clients again (an edit, usually)."""
        return len(self.ws.clients) - len(self.kept) <= 2

    def _signed(self, client: str) -> Any:
        """The archive's signed versions: of `client` alone while few clients are read,
        else all of them, once; one git call either way."""
        if self._versions is not None:
            return self._versions
        from aedocs.signing import signed_versions

        few = self._few_read
        versions = signed_versions(self.archive, f"signed/{client}/" if few else "signed/")
        self.tag_names |= {
            v.tag.name for revisions in versions.values() for v in revisions.values()
        }
        if not few:
            self._versions = versions
        return versions

    def _outdated(self, planned: Plan, frozen: set[str]) -> list[Output]:
        """Which outputs to render: key changed, file missing, or --force; never a frozen
        one. Records their manifest entries."""
        req, previous = self.req, self.previous
        self.entries.update((o.rel, previous[o.rel]) for o in planned.held if o.rel in previous)
        todo = []
        on_disk = manifest.OnDisk(self.out_dir)  # this client's folders: not written yet
        for out in planned.outputs:
            k = self.keys.of(out)
            entry = {"key": k, "inputs": list(out.inputs)}
            if out.rel in frozen:
                self.entries[out.rel] = previous.get(out.rel, entry)
                continue
            stale = previous.get(out.rel, {}).get("key") != k
            stale = stale or not on_disk(out.rel)
            if (req.force or stale) and req.only is not None and not req.only(out.rel, out.inputs):
                self.skipped.add(out.rel)
                if out.rel in previous:  # not asked for this time: still outdated next time
                    self.entries[out.rel] = previous[out.rel]
                continue
            if req.force or stale:
                todo.append(out)
                self.todo.add(out.rel)
            self.entries[out.rel] = entry
        return todo

    def restore(self) -> None:
        """Put back, from the commit its tag marks, every signed output whose .docx or
        .md twin is missing or differs from its signed version; counted as built. Files
        whose size and mtime are those the last build found signed are not read."""
        last = self.last_frozen
        check = {
            rel: tag
            for rel, tag in self.frozen.items()
            if self.req.force
            or rel not in last
            or not manifest.frozen_stands(self.out_dir, rel, last[rel], tag.name)
        }
        if not check or self.archive is None:
            return
        wanted = [
            (tag.commit, f"{rel}{suffix}")
            for rel, tag in check.items()
            for suffix in OUTPUT_SUFFIXES
        ]
        blobs = iter(self.archive.read_blobs(wanted))
        for rel, tag in check.items():
            docx, md = next(blobs), next(blobs)
            if docx is None:
                self.unrestorable.add(rel)
                why = f"signed as {tag.name}, but the archive lacks its file at that tag"
                self.result.problems.append(Diagnostic(f"{OUTPUT_DIR}/{rel}.docx", 0, 0, why))
                continue
            # An archive made before twins were written has no .md: that one stays.
            for suffix, data in zip(OUTPUT_SUFFIXES, (docx, md), strict=True):
                if data is not None and write_bytes(self.out_dir / f"{rel}{suffix}", data):
                    self.restored.append(f"{rel}{suffix}")
        documents = {file.rsplit(".", 1)[0] for file in self.restored}
        self.result.restored = sorted(self.restored)
        self.result.built = sorted({*self.result.built, *documents})
        self.result.unchanged -= len(documents)

    def changes(self) -> list[tuple[str, str]]:
        """What this build changed in output/, as `Archive.changes` says it."""
        found = []
        for rel in self.result.built:
            state = "M" if rel in self.previous else "??"
            found += [(state, f"{rel}.docx"), (state, f"{rel}.md")]
        for rel in self.result.removed:
            found += [("D", f"{rel}.docx"), ("D", f"{rel}.md")]
        return found

    def conclude(self, written: dict[str, bool]) -> None:
        """Counts, removals and diagnostics, once every client is done."""
        result = self.result
        self.failed = failed = self.todo - set(written)
        for rel in failed:
            self.entries.pop(rel, None)  # the next build tries again
        self.to_tag = [t for t in self.to_tag if t.out not in failed]
        result.built = sorted(rel for rel, changed in written.items() if changed)
        outputs = [rel for r in self.results.values() for rel in r.outputs]
        result.unchanged = len(outputs) - len(result.built) - len(result.problems)
        result.held = sum(len(r.held) for r in self.results.values())
        result.removed = self._remove_gone()
        for rel in set(self.previous) - set(self.entries) - set(result.removed) - failed:
            self.entries[rel] = self.previous[rel]  # kept while its client has errors
        found = self.shared + [d for ds in self.unique.values() for d in ds]
        for r in self.results.values():
            found += manifest.from_rows(r.diagnostics)
        result.diagnostics = sorted(set(found))

    def _remove_gone(self) -> list[str]:
        """Remove the outputs of sources that no longer exist. While a client has a file
        with errors, none of its outputs is removed: that file may be the source of one.
        So is a client folder with an error of its own (its client.yaml missing)."""
        keep = {rel for r in self.results.values() for rel in r.outputs + r.held}
        broken = self.shared_broken | {b for r in self.results.values() for b in r.broken}
        if "clients" in broken:  # no client could be read: none is known to be gone
            return []
        unsure = {b.split("/")[1] for b in broken if b.startswith("clients/")}
        gone = sorted(rel for rel in set(self.previous) - keep if rel.split("/")[0] not in unsure)
        if self.req.only is not None:  # PATH arguments: not the outputs of other files
            only = self.req.only
            gone = [rel for rel in gone if only(rel, self.previous[rel].get("inputs", []))]
        for rel in gone:
            for suffix in OUTPUT_SUFFIXES:
                remove(self.out_dir / f"{rel}{suffix}")
        # Folders left empty (a client renamed, its last work order removed) go too.
        for folder in sorted({str(Path(rel).parent) for rel in gone}, reverse=True):
            for empty in (self.out_dir / folder, (self.out_dir / folder).parent):
                with contextlib.suppress(OSError):  # not empty, or gone already
                    empty.rmdir()
        return gone

    def remember(self) -> None:
        """Save what a later build needs to answer without reading what did not change."""
        for rel in self.listing:
            self.hasher(rel)
        result, req = self.result, self.req
        last = self.last_frozen
        frozen = {  # clients not read again: their signed files were found as they were
            rel: last[rel]
            for client in self.kept
            for rel in self.results[client].outputs
            if rel in last
        }
        stamps = {rel: tag.name for rel, tag in self.frozen.items() if rel not in self.unrestorable}
        if self.archive is not None and req.archive:  # tagged by now
            stamps |= {
                t.out: signed_tag_name(t.client, t.kind, t.doc_id, t.revision) for t in self.to_tag
            }
        for rel, name in stamps.items():
            stamp = manifest.frozen_stamp(self.out_dir, rel, name)
            if stamp is not None:
                frozen[rel] = stamp
        held = {rel for r in self.results.values() for rel in r.held}
        state = manifest.State(
            files=self.hasher.stamps,
            weeks={client: r.weeks for client, r in self.results.items()},
            diagnostics=manifest.rows(result.diagnostics + result.problems),
            failed=result.failed,
            outputs=sorted(rel for rel in self.entries if rel not in held),
            held=sorted(held),
            unbuilt=sorted(self.failed),
            complete=req.only is None,
            archived=req.archive,
            workspace=self.shared_key,
            clients={client: r.raw() for client, r in self.results.items()},
            frozen=frozen,
        )
        state.write(self.out_dir)


def _archive(out_dir: Path, wanted: bool) -> Any:
    """The archive (created on first use) when archiving; with --no-archive, an existing
    archive is still read so signed outputs stay frozen."""
    from aedocs.archive import Archive

    archive = Archive(out_dir)
    if wanted:
        archive.ensure()
        return archive
    return archive if (out_dir / ".git").is_dir() else None


def _commit(
    archive: Any, revision: str, changes: list[tuple[str, str]], manifests: list[str]
) -> str | None:
    """One commit of every output that differs from the archive, given as (git status
    code, path): this build's, and any that a build killed before its commit, or one
    with --no-archive, left behind; with the manifest files, changed or not (an
    unchanged one costs git a stat)."""
    paths = {*manifests, *(path for _, path in changes)}
    verbs = {"??": "added", "A": "added", "D": "removed"}
    found = {
        path.rsplit(".", 1)[0]: verbs.get(state, "changed")
        for state, path in changes
        if path.endswith(OUTPUT_SUFFIXES)
    }
    kinds: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for rel, verb in sorted(found.items()):
        kinds[verb].append(rel)
    counts = ", ".join(f"{len(rels)} {verb}" for verb, rels in kinds.items())
    if not found:  # same documents, new keys: a source changed in what no document shows
        counts = "keys updated, no document changed"
    subject = f"Build: {counts} (workspace {revision})"
    lines = [f"{verb} {rel}" for verb, rels in kinds.items() for rel in rels]
    commit: str | None = archive.commit(sorted(paths), subject + "\n\n" + "\n".join(lines) + "\n")
    return commit


def _before_commit(archive: Any, root: Path) -> tuple[str, bool]:
    """What a commit needs and the outputs do not change: HEAD read into the archive's
    index; the workspace's revision, and whether git moved HEAD since aedocs last did."""
    moved = archive.prepare_commit()
    return workspace_revision(root), moved


def workspace_revision(root: Path) -> str:
    """The workspace's git revision, `+dirty` with uncommitted source edits."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    top = git("rev-parse", "--show-toplevel")
    if not top or Path(top).resolve() != root.resolve():
        return "not in git"  # a folder inside another repository is not its own revision
    head = git("rev-parse", "--short=12", "HEAD")
    if not head:
        return "no commit yet"
    dirty = git("status", "--porcelain", "--", CONFIG_FILE, "clients", "templates")
    return head + ("+dirty" if dirty else "")
