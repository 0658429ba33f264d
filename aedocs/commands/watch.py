"""`aedocs watch`: build, then build again after every saved change, until Ctrl-C.

Each build is `aedocs build` itself (its no-op fast path, the archive lock, its summary
line and diagnostics). A build that fails (bad YAML, a broken template) reports its
problems and the watch goes on; documents with errors keep their last good output. The
builds run in this thread; the observer and the preview server only run beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from aedocs import manifest
from aedocs.commands import build
from aedocs.diagnostics import EXIT_OK, AedocsError, Diagnostic, report
from aedocs.options import Options
from aedocs.workspace import find_root

if TYPE_CHECKING:
    from aedocs.preview import Preview

DEFAULT_PORT = 8000


def run(
    opts: Options, as_of: dt.date | None = None, serve: bool = False, port: int = DEFAULT_PORT
) -> int:
    from aedocs.watch import Watcher, stop_within

    root = find_root(opts.directory)
    preview = _serve(root / manifest.OUTPUT_DIR, port, opts.verbose) if serve else None
    try:
        with Watcher(root) as watcher:
            _rebuild(opts, as_of, preview)
            if preview is not None:
                preview.start()
                click.echo(f"preview on {preview.url}", err=True)
            click.echo("watching aedocs.yaml, clients/ and templates/ (Ctrl-C stops)", err=True)
            while True:
                changed = watcher.wait()
                if not opts.quiet:
                    click.echo(f"{time.strftime('%H:%M:%S')} {', '.join(changed)}", err=True)
                _rebuild(opts, as_of, preview)
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)
    finally:
        if preview is not None:
            stop_within(preview.stop)
    return EXIT_OK


def _serve(output: Path, port: int, verbose: bool) -> Preview:
    from aedocs.preview import HOST, Preview

    try:
        return Preview(output, port, verbose)
    except OSError as exc:
        raise AedocsError(
            f"cannot serve the preview on {HOST}:{port}: {exc.strerror} (choose another --port)"
        ) from None


def _rebuild(opts: Options, as_of: dt.date | None, preview: Preview | None) -> None:
    """One build as `aedocs build` does it; its problems are reported, never raised."""
    lock: contextlib.AbstractContextManager[Any] = (
        preview.lock if preview is not None else contextlib.nullcontext()
    )
    with lock:
        try:
            failed = build.run(opts, as_of=as_of) != EXIT_OK
            problems = _last_problems(opts)
        except AedocsError as exc:  # e.g. aedocs.yaml does not load
            report(exc.diagnostics, opts.color)
            failed, problems = True, exc.diagnostics
    if preview is not None:
        preview.built(failed, problems)


def _last_problems(opts: Options) -> list[Diagnostic]:
    """The diagnostics of the build that just ran, as it recorded them."""
    state = manifest.State.read(find_root(opts.directory) / manifest.OUTPUT_DIR)
    if state is None:
        return []
    return state.problems()
