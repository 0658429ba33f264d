"""`aedocs build`: validate, plan, render and write every document, then archive.

When nothing the last build read has changed (same files, sizes and mtimes, outputs in
place, signed outputs with the sizes and mtimes they had, the archive there), the build
answers from `output/.aedocs/state.json` without loading anything.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from aedocs import manifest
from aedocs.diagnostics import EXIT_OK, EXIT_PROBLEMS, AedocsError, Diagnostic, report
from aedocs.manifest import OUTPUT_DIR
from aedocs.options import Options
from aedocs.workspace import find_root, given_path

if TYPE_CHECKING:
    from aedocs.builder import BuildResult, Selection
    from aedocs.render.pool import RenderQueue


def run(
    opts: Options,
    jobs: int | None = None,
    force: bool = False,
    archive: bool = True,
    as_of: dt.date | None = None,
    paths: tuple[Path, ...] = (),
) -> int:
    started = time.perf_counter()
    root = find_root(opts.directory)
    as_of = as_of or dt.date.today()
    out_dir = root / OUTPUT_DIR
    if out_dir.exists() and not out_dir.is_dir():
        why = "is not a folder: the documents and their archive go there (move it away)"
        raise AedocsError([Diagnostic(OUTPUT_DIR, 0, 0, why)])
    if not force and not paths:
        state = manifest.State.read(out_dir)
        files = manifest.workspace_files(root)
        # With the archive wanted, it must be there too (output/.git not deleted).
        if manifest.unchanged(root, out_dir, state, files, as_of) and (
            state is not None and (not archive or (state.archived and (out_dir / ".git").exists()))
        ):
            return _nothing_to_do(opts, state, time.perf_counter() - started)
    return _build(opts, root, jobs or os.cpu_count() or 1, force, archive, as_of, paths)


def _nothing_to_do(opts: Options, state: manifest.State, seconds: float) -> int:
    report(state.problems(), opts.color)
    if not opts.quiet:
        click.echo(
            f"0 built, {len(state.outputs)} unchanged, 0 removed, 0 failed in {seconds:.2f} s",
            err=True,
        )
    return EXIT_PROBLEMS if state.failed else EXIT_OK


def _build(
    opts: Options,
    root: Path,
    jobs: int,
    force: bool,
    archive: bool,
    as_of: dt.date,
    paths: tuple[Path, ...],
) -> int:
    only = select(root, paths, opts.directory) if paths else None
    bar = Progress(opts)
    # First: the worker imports what renders while this process imports the rest.
    workers = _first_worker(root, jobs, bar) if not paths else None
    try:
        result = _locked_build(root, as_of, jobs, force, archive, only, workers, bar)
    finally:
        if workers is not None:
            workers.close()  # the build's end, or an error before the build could use it
        bar.close()
    report(result.diagnostics + result.problems, opts.color)
    if not opts.quiet:
        _summary(result)
    return EXIT_PROBLEMS if result.failed else EXIT_OK


def _locked_build(
    root: Path,
    as_of: dt.date,
    jobs: int,
    force: bool,
    archive: bool,
    only: Selection | None,
    workers: RenderQueue | None,
    bar: Progress,
) -> BuildResult:
    """The build, once no other build of this workspace runs."""
    from aedocs.archive import Archive, ArchiveError
    from aedocs.builder import BuildRequest, build

    def waiting(holder: str) -> None:
        click.echo(f"waiting for another build to finish ({holder})", err=True)

    request = BuildRequest(root, as_of, jobs, force, archive, only, workers)
    try:
        with Archive(root / OUTPUT_DIR).locked(wait=True, on_wait=waiting):
            return build(request, bar)
    except ArchiveError as exc:
        raise AedocsError([Diagnostic(f"{OUTPUT_DIR}/.git", 0, 0, f"archive: {exc}")]) from None


def _first_worker(root: Path, jobs: int, bar: Progress) -> RenderQueue | None:
    """A worker that renders, forked now: something changed, so the build will most
    likely render, and the worker imports what renders while the build reads. The build
    forks more if there is much to render, and stops it if there is nothing."""
    if jobs < 2:
        return None
    # The models first: the worker inherits them (it unpickles what it renders into
    # them) instead of importing them a second time beside this process.
    import aedocs.model  # noqa: F401
    from aedocs.render.pool import RenderQueue

    queue = RenderQueue(root, jobs, root / OUTPUT_DIR, bar)
    queue.start(1)
    return queue


def _summary(result: BuildResult) -> None:
    """The build's one-line count, then what was held back and what was tagged."""
    click.echo(
        f"{len(result.built)} built, {result.unchanged} unchanged, "
        f"{len(result.removed)} removed, {len(result.problems)} failed in "
        f"{result.seconds:.2f} s",
        err=True,
    )
    if result.held:
        click.echo(
            f"{result.held} not rebuilt (their sources have errors): each keeps its last "
            "good version",
            err=True,
        )
    for file in result.restored:
        click.echo(f"restored signed version of {OUTPUT_DIR}/{file} from the archive", err=True)
    shown = result.tags if len(result.tags) <= 10 else result.tags[:5]
    for tag in shown:
        click.echo(f"archived signed version {tag}", err=True)
    if len(shown) < len(result.tags):
        click.echo(
            f"... and {len(result.tags) - len(shown)} more signed versions "
            "(git -C output tag -l 'signed/*')",
            err=True,
        )


class Progress:
    """A progress bar on a terminal once a build runs past a second; silent otherwise."""

    def __init__(self, opts: Options) -> None:
        self.live = sys.stderr.isatty() and not opts.quiet
        self.started = time.perf_counter()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.live or time.perf_counter() - self.started < 1.0:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _may_be_built(root: Path, rel: str) -> bool:
    """Whether `rel` (under output/, missing) names where documents are written: a
    client's folder, one of its kinds of documents, or one document with its source."""
    from aedocs.model import FOLDERS
    from aedocs.plan import OUTPUT_OF

    client, _, rest = rel.partition("/")
    if not client:
        return True
    if not (root / "clients" / client).is_dir():
        return False
    kind, _, name = rest.partition("/")
    sources = {folder: FOLDERS[source] for source, (folder, _) in OUTPUT_OF.items()}
    sources["invoices"] = FOLDERS["workorder"]  # an invoice request: of its work order
    if not kind or (kind in (*sources, "weekly") and not name):
        return True
    if kind not in (*sources, "weekly") or "/" in name:
        return False
    stem = name.removesuffix(".docx").removesuffix(".md")
    if kind == "weekly":
        return re.fullmatch(r"\d{4}-W\d\d", stem) is not None
    return (root / "clients" / client / sources[kind] / f"{stem}.yaml").is_file()


def select(root: Path, paths: tuple[Path, ...], cwd: Path) -> Selection:
    """A filter keeping outputs (by rel and inputs) made from, or written to, the given
    paths. A path must exist, unless it names an output: one removed by hand is rebuilt."""
    wanted = []
    for path in paths:
        rel = given_path(root, cwd / path, path)
        if not (cwd / path).exists():
            if not f"{rel}/".startswith(f"{OUTPUT_DIR}/"):
                raise click.BadParameter(f"{path}: no such file or folder", param_hint="PATH")
            if not _may_be_built(root, rel.removeprefix(OUTPUT_DIR).strip("/")):
                why = f"{path}: no document of the workspace is written there"
                raise click.BadParameter(why, param_hint="PATH")
        wanted.append(rel)

    def keep(rel: str, inputs: Sequence[str]) -> bool:
        written = f"{OUTPUT_DIR}/{rel}"
        for want in wanted:
            folder = want.rstrip("/") + "/"
            if any(i == want or i.startswith(folder) for i in inputs):
                return True
            if written == want.removesuffix(".docx").removesuffix(".md") or written.startswith(
                folder
            ):
                return True
        return False

    return keep
