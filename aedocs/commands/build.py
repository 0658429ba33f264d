"""`aedocs build`: validate, plan, render and write every document, then archive."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from aedocs.diagnostics import EXIT_OK, EXIT_PROBLEMS, AedocsError, Diagnostic, report
from aedocs.options import Options
from aedocs.plan import Output, plan
from aedocs.validate import check
from aedocs.workspace import Workspace, find_root, load_workspace
from aedocs.write import write_bytes, write_text

OUTPUT_DIR = "output"


def run(
    opts: Options,
    jobs: int | None = None,
    force: bool = False,
    archive: bool = True,
    as_of: dt.date | None = None,
    paths: tuple[Path, ...] = (),
) -> int:
    started = time.perf_counter()
    ws = load_workspace(find_root(opts.directory))
    found = check(ws)
    report(found, opts.color)
    broken = {d.path for d in found if d.is_error} | ws.failed_sources
    planned = plan(ws, as_of or dt.date.today(), broken)
    outputs = select(ws, planned.outputs, paths, opts.directory)
    problems = render_all(ws, outputs, opts)
    report(problems, opts.color)
    if not opts.quiet:
        elapsed = time.perf_counter() - started
        click.echo(
            f"{len(outputs) - len(problems)} built, {len(planned.held)} held back, "
            f"{len(problems)} failed in {elapsed:.1f} s",
            err=True,
        )
    failed = problems or any(d.is_error for d in found)
    return EXIT_PROBLEMS if failed else EXIT_OK


def select(
    ws: Workspace, outputs: list[Output], paths: tuple[Path, ...], cwd: Path
) -> list[Output]:
    """Only the outputs made from, or written to, the given paths (all without paths)."""
    if not paths:
        return outputs
    wanted = []
    for path in paths:
        full = (cwd / path).resolve()
        try:
            wanted.append(full.relative_to(ws.root).as_posix())
        except ValueError:
            raise AedocsError(f"{path}: not inside the workspace {ws.root}") from None
    return [o for o in outputs if any(_matches(o, w) for w in wanted)]


def _matches(out: Output, wanted: str) -> bool:
    written = f"{OUTPUT_DIR}/{out.rel}"
    return any(
        i == wanted or i.startswith(wanted.rstrip("/") + "/") for i in out.inputs
    ) or written.startswith(wanted.removesuffix(".docx").removesuffix(".md"))


def render_all(ws: Workspace, outputs: list[Output], opts: Options) -> list[Diagnostic]:
    """Render and write each output; a failing one is reported and its file kept."""
    from aedocs.render.document import Renderer
    from aedocs.render.jinja import TemplateProblem

    renderer = Renderer(ws)
    problems = []
    root = ws.root / OUTPUT_DIR
    for out in outputs:
        try:
            rendered = renderer.render(out)
        except TemplateProblem as exc:
            problems.append(exc.diagnostic)
            continue
        except ValueError as exc:  # e.g. a {: .Style} the reference document lacks
            problems.append(Diagnostic(f"{OUTPUT_DIR}/{out.rel}.docx", 0, 0, str(exc)))
            continue
        write_bytes(root / f"{out.rel}.docx", rendered.docx)
        write_text(root / f"{out.rel}.md", rendered.markdown)
        if opts.verbose:
            click.echo(f"built {OUTPUT_DIR}/{out.rel}.docx", err=True)
    return problems
