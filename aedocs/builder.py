"""A build, start to finish: validate, plan what changed, render, write, archive.

The steps run in the pipeline's order. Only outputs whose key (the hash of everything they
depend on) changed are rendered; signed outputs are never rewritten; an output whose
inputs have errors keeps its last good version; outputs whose source is gone are removed.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aedocs import manifest
from aedocs.diagnostics import Diagnostic
from aedocs.plan import Output, Plan, plan
from aedocs.render.jinja import TEMPLATE_SUFFIX
from aedocs.reports import weeks_with_activity
from aedocs.validate import check
from aedocs.workspace import CONFIG_FILE, Workspace, inside, load_workspace
from aedocs.write import remove, write_text

OUTPUT_DIR = "output"
Progress = Callable[[int, int], None]


@dataclass
class BuildRequest:
    root: Path
    as_of: dt.date
    jobs: int = 1
    force: bool = False
    archive: bool = True
    only: Callable[[Output], bool] | None = None  # PATH arguments: build just these


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)  # validation
    problems: list[Diagnostic] = field(default_factory=list)  # rendering
    built: list[str] = field(default_factory=list)  # rewritten (bytes changed)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    held: int = 0
    commit: str | None = None
    tags: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(d.is_error for d in self.diagnostics)


def build(req: BuildRequest, progress: Progress | None = None) -> BuildResult:
    started = time.perf_counter()
    out_dir = req.root / OUTPUT_DIR
    hasher = manifest.Hasher(req.root, manifest.State.read(out_dir))
    ws = load_workspace(req.root)
    archive = _archive(out_dir, req.archive)
    result, planned, frozen, broken = _validate_and_plan(ws, archive, req.as_of)
    previous = manifest.read_manifest(out_dir)
    work = _outdated(req, Keys(ws, hasher), planned, frozen, previous, out_dir)
    result.held = len(planned.held)
    result.removed = _remove_gone(out_dir, previous, planned, broken)
    planned_rels = {o.rel for o in planned.outputs}
    for rel in set(previous) - planned_rels - set(work.entries) - set(result.removed):
        work.entries[rel] = previous[rel]  # kept while its client has errors
    written, result.problems = _render(ws, work.todo, req.jobs, out_dir, progress)
    failed = {o.rel for o in work.todo if o.rel not in written}
    for rel in failed:
        work.entries.pop(rel, None)  # the next build tries again
    result.built = sorted(rel for rel, changed in written.items() if changed)
    result.unchanged = len(planned.outputs) - len(result.built) - len(result.problems)
    write_text(out_dir / manifest.MANIFEST, manifest.manifest_text(work.entries))
    if archive is not None:
        from aedocs.signing import tag_signed

        result.commit = _commit(archive, req.root)
        # Every build, not only one that committed: a build killed between its commit
        # and its tags leaves a signed document that this one must still tag.
        current = [o for o in planned.outputs if o.rel not in frozen | failed | work.skipped]
        result.tags = tag_signed(ws, archive, current, out_dir)
    _remember(out_dir, ws, hasher, planned, result, work.entries, req)
    result.seconds = time.perf_counter() - started
    return result


def _validate_and_plan(
    ws: Workspace, archive: Any, as_of: dt.date
) -> tuple[BuildResult, Plan, set[str], set[str]]:
    """Diagnostics, the plan, the frozen (signed) outputs and the sources with errors."""
    from aedocs.signing import check_signed

    diagnostics = check(ws)
    broken = {d.path for d in diagnostics if d.is_error} | ws.failed_sources
    planned = plan(ws, as_of, broken)
    signed_problems, frozen = check_signed(ws, archive, planned.outputs)
    if any(d.is_error for d in signed_problems):
        # A refused edit of a signed document must not reach the reports that read it.
        broken |= {d.path for d in signed_problems if d.is_error}
        planned = plan(ws, as_of, broken)
    result = BuildResult(diagnostics=sorted(set(diagnostics) | set(signed_problems)))
    return result, planned, frozen, broken


@dataclass
class _Work:
    todo: list[Output] = field(default_factory=list)  # outdated: render these
    entries: dict[str, Any] = field(default_factory=dict)  # the manifest to write
    skipped: set[str] = field(default_factory=set)  # outdated, but not among PATHs


def _outdated(
    req: BuildRequest,
    keys: Keys,
    planned: Plan,
    frozen: set[str],
    previous: dict[str, Any],
    out_dir: Path,
) -> _Work:
    """Which outputs to render: key changed, file missing, or --force; never a frozen one."""
    work = _Work(entries={o.rel: previous[o.rel] for o in planned.held if o.rel in previous})
    for out in planned.outputs:
        k = keys.of(out)
        entry = {"key": k, "inputs": list(out.inputs)}
        if out.rel in frozen:
            work.entries[out.rel] = previous.get(out.rel, entry)
            continue
        stale = previous.get(out.rel, {}).get("key") != k or not _on_disk(out_dir, out.rel)
        if (req.force or stale) and req.only is not None and not req.only(out):
            work.skipped.add(out.rel)
            if out.rel in previous:  # not asked for this time: still outdated next time
                work.entries[out.rel] = previous[out.rel]
            continue
        if req.force or stale:
            work.todo.append(out)
        work.entries[out.rel] = entry
    return work


class Keys:
    """The key of each output: a hash of everything it is made from."""

    def __init__(self, ws: Workspace, hasher: manifest.Hasher) -> None:
        from aedocs.render.document import reference_document, template_folders

        self.ws = ws
        self.hash = hasher
        self.folders = template_folders(ws.root)
        self.reference = self._file(reference_document(ws.root))
        self.config = hasher(CONFIG_FILE)
        self._templates: dict[str, list[str]] = {}

    def of(self, out: Output) -> str:
        client = self.ws.clients[out.client].source.rel
        parts = [out.rel, self.config, self.reference, self.hash(client)]
        parts += [f"{rel}={self.hash(rel)}" for rel in out.inputs]
        parts += self.templates(out.template + TEMPLATE_SUFFIX)
        return manifest.key(parts)

    def templates(self, name: str) -> list[str]:
        """`name=hash` of a template and of every template it includes, transitively."""
        if name not in self._templates:
            self._templates[name] = []  # guards against include cycles
            path = self._find(name)
            if not path.is_file():  # rendering reports the missing template
                self._templates[name] = [f"{name}=missing"]
                return self._templates[name]
            found = [f"{name}={self._file(path)}"]
            text = path.read_bytes().decode("utf-8", errors="replace")  # bad bytes: reported
            for child in _referenced(text):  # when rendering
                found += self.templates(child)
            self._templates[name] = sorted(set(found))
        return self._templates[name]

    def _find(self, name: str) -> Path:
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return self.folders[-1] / name

    def _file(self, path: Path) -> str:
        rel = inside(self.ws.root, path)
        return self.hash(rel) if rel else self.hash.path(str(path.resolve()), path)


def _referenced(source: str) -> list[str]:
    """Templates that `source` includes, extends or imports (by literal name)."""
    import jinja2
    import jinja2.meta

    try:
        ast = jinja2.Environment().parse(source)
    except jinja2.TemplateSyntaxError:
        return []  # rendering reports it with its line
    return sorted(n for n in jinja2.meta.find_referenced_templates(ast) if n)


def _archive(out_dir: Path, wanted: bool) -> Any:
    """The archive (created on first use) when archiving; with --no-archive, an existing
    archive is still read so signed outputs stay frozen."""
    from aedocs.archive import Archive

    archive = Archive(out_dir)
    if wanted:
        archive.ensure()
        return archive
    return archive if (out_dir / ".git").is_dir() else None


def _on_disk(out_dir: Path, rel: str) -> bool:
    return (out_dir / f"{rel}.docx").is_file() and (out_dir / f"{rel}.md").is_file()


def _remove_gone(
    out_dir: Path, previous: dict[str, Any], planned: Plan, broken: set[str]
) -> list[str]:
    """Remove the outputs of sources that no longer exist. While a client has a file with
    errors, none of its outputs is removed: that file may be the source of one of them."""
    keep = {o.rel for o in planned.outputs} | {o.rel for o in planned.held}
    unsure = {b.split("/")[1] for b in broken if b.startswith("clients/") and b.count("/") > 1}
    gone = sorted(rel for rel in set(previous) - keep if rel.split("/")[0] not in unsure)
    for rel in gone:
        for suffix in (".docx", ".md"):
            remove(out_dir / f"{rel}{suffix}")
    return gone


def _render(
    ws: Workspace, todo: list[Output], jobs: int, out_dir: Path, progress: Progress | None
) -> tuple[dict[str, bool], list[Diagnostic]]:
    if not todo:
        return {}, []
    from aedocs.render.pool import render_outputs

    return render_outputs(ws, todo, jobs, out_dir, progress)


def _commit(archive: Any, root: Path) -> str | None:
    """One commit of every output that differs from the archive: this build's, and any
    that a build killed before its commit, or one with --no-archive, left behind."""
    changes: list[tuple[str, str]] = archive.changes()
    paths = {manifest.MANIFEST, *(path for _, path in changes)}
    verbs = {"??": "added", "A": "added", "D": "removed"}
    found = {
        path.rsplit(".", 1)[0]: verbs.get(state, "changed")
        for state, path in changes
        if path.endswith((".docx", ".md"))
    }
    kinds: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for rel, verb in sorted(found.items()):
        kinds[verb].append(rel)
    counts = ", ".join(f"{len(rels)} {verb}" for verb, rels in kinds.items())
    subject = f"Build: {counts} (workspace {workspace_revision(root)})"
    lines = [f"{verb} {rel}" for verb, rels in kinds.items() for rel in rels]
    commit: str | None = archive.commit(sorted(paths), subject + "\n\n" + "\n".join(lines) + "\n")
    return commit


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


def _remember(
    out_dir: Path,
    ws: Workspace,
    hasher: manifest.Hasher,
    planned: Plan,
    result: BuildResult,
    entries: dict[str, Any],
    req: BuildRequest,
) -> None:
    """Save what a later no-op build needs to answer without loading anything."""
    for rel in manifest.workspace_files(ws.root):
        hasher(rel)
    terms = ws.config.payment_terms_days
    weeks = {
        c.id: [[f"{w.id}", w.end.isoformat()] for w in weeks_with_activity(c, terms, dt.date.max)]
        for c in ws.clients.values()
    }
    state = manifest.State(
        files=hasher.stamps,
        weeks=weeks,
        diagnostics=[
            [d.path, d.line, d.col, d.message, d.level.value]
            for d in sorted(result.diagnostics + result.problems)
        ],
        failed=result.failed,
        outputs=sorted(rel for rel in entries if rel not in {o.rel for o in planned.held}),
        held=sorted(o.rel for o in planned.held),
        complete=req.only is None,
        archived=req.archive,
    )
    state.write(out_dir)
