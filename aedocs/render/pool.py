"""Render many outputs, in worker processes when there are enough of them.

The renderer (templates, reference styles) is made once in the parent before the workers
fork, so they inherit it ready to use; each worker renders and writes its own share of
outputs. The bytes of each output do not depend on which worker made it.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from aedocs.diagnostics import Diagnostic
from aedocs.plan import Output
from aedocs.render.document import Renderer
from aedocs.render.jinja import TemplateProblem
from aedocs.workspace import Workspace
from aedocs.write import write_bytes, write_text

MIN_PER_WORKER = 8  # below this, starting workers costs more than it saves
Outcome = tuple[str, bool, Diagnostic | None]  # rel, bytes changed, problem

_shared: tuple[Renderer, list[Output], Path] | None = None  # what forked workers inherit


def render_outputs(
    ws: Workspace,
    todo: list[Output],
    jobs: int,
    out_dir: Path,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, bool], list[Diagnostic]]:
    """Render and write `todo`; returns rel -> whether its bytes changed, and problems."""
    global _shared
    renderer = Renderer(ws)
    written: dict[str, bool] = {}
    problems: list[Diagnostic] = []
    workers = min(jobs, len(todo) // MIN_PER_WORKER)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _shared = (renderer, todo, out_dir)
        outcomes: Iterable[Outcome] = _in_workers(workers, len(todo))
    else:
        outcomes = (render_one(renderer, out, out_dir) for out in todo)
    try:
        for done, (rel, changed, problem) in enumerate(outcomes, 1):
            if problem is None:
                written[rel] = changed
            else:
                problems.append(problem)
            if progress:
                progress(done, len(todo))
    finally:
        _shared = None
    return written, problems


def _in_workers(workers: int, count: int) -> Iterator[Outcome]:
    # Few, contiguous chunks: outputs come client by client, so each worker reads (and so
    # copies out of the memory it shares with the parent) only some clients' data.
    size = -(-count // (workers * 3))
    chunks = [range(i, min(i + size, count)) for i in range(0, count, size)]
    context = multiprocessing.get_context("fork")
    # What the workers inherit stays shared only while nothing writes to it: frozen, the
    # collector leaves the workspace's objects alone instead of copying their pages.
    gc.collect()
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for outcomes in pool.map(_render_chunk, chunks):
                yield from outcomes
    finally:
        gc.unfreeze()


def _render_chunk(indices: range) -> list[Outcome]:
    assert _shared is not None, "workers are forked from render_outputs"
    renderer, todo, out_dir = _shared
    return [render_one(renderer, todo[i], out_dir) for i in indices]


def render_one(renderer: Renderer, out: Output, out_dir: Path) -> Outcome:
    """Render one output and write its .docx and .md atomically."""
    try:
        rendered = renderer.render(out)
    except TemplateProblem as exc:
        return out.rel, False, exc.diagnostic
    except ValueError as exc:  # e.g. a {: .Style} the reference document does not have
        return out.rel, False, Diagnostic(f"output/{out.rel}.docx", 0, 0, str(exc))
    changed = write_bytes(out_dir / f"{out.rel}.docx", rendered.docx)
    changed = write_text(out_dir / f"{out.rel}.md", rendered.markdown) or changed
    return out.rel, changed, None
