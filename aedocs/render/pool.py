"""Render outputs while the build goes on planning: batch by batch, in forked children.

The build hands over each client's outdated outputs as soon as it has planned them. The
renderer (templates, reference styles) is made once, in the parent, before the first
child forks; a child inherits it and the data loaded so far, renders and writes one batch,
and reports each output on a pipe, so the parent plans the next client meanwhile and keeps
only one client's data in memory. Up to `jobs` children run at once; what is left at the
end is split between them. With one job, or without fork, the parent renders each batch
itself. The bytes of an output never depend on which process made it.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aedocs.diagnostics import Diagnostic
from aedocs.plan import Output
from aedocs.render.document import Renderer
from aedocs.render.jinja import TemplateProblem
from aedocs.workspace import Workspace
from aedocs.write import write_bytes, write_text

BATCH = 24  # outputs per child: enough to pay for a fork, few enough to end evenly
MIN_PER_CHILD = 3  # fewer outputs are rendered in the parent: a fork would cost more
Outcome = tuple[str, bool, Diagnostic | None]  # rel, bytes changed, problem
_HEADER = struct.Struct(">I")


@dataclass
class _Child:
    pid: int
    fd: int
    batch: list[str]  # the rels it was given
    buffer: bytearray = field(default_factory=bytearray)
    reported: set[str] = field(default_factory=set)


class RenderQueue:
    """Outputs handed over with `submit`, rendered and written by `finish`'s return."""

    def __init__(
        self,
        ws: Workspace,
        jobs: int,
        out_dir: Path,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.ws = ws
        self.jobs = max(1, jobs)
        self.out_dir = out_dir
        self.progress = progress
        self.written: dict[str, bool] = {}  # rel -> whether its bytes changed
        self.problems: list[Diagnostic] = []
        self.handed = 0
        self.done = 0
        self._renderer: Renderer | None = None
        self._pending: list[Output] = []
        self._children: dict[int, _Child] = {}
        self._warmed: set[tuple[str, str]] = set()  # (template, language) rendered here
        self._fork = self.jobs > 1 and hasattr(os, "fork") and sys.platform != "win32"

    def __enter__(self) -> RenderQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, outputs: list[Output]) -> None:
        """Render these (now or later); the parent may forget their data afterwards."""
        self.handed += len(outputs)
        self._pending += outputs
        while len(self._pending) >= BATCH:
            batch, self._pending = self._pending[:BATCH], self._pending[BATCH:]
            self._start(batch)
        self._collect(block=False)

    def finish(self) -> tuple[dict[str, bool], list[Diagnostic]]:
        """Render what is left, wait for every child; what was written, and problems."""
        rest, self._pending = self._pending, []
        free = max(1, self.jobs - len(self._children)) if self._fork else 1
        parts = max(1, min(free, len(rest) // MIN_PER_CHILD))
        size = -(-len(rest) // parts) if rest else 0
        for i in range(0, len(rest), size or 1):
            self._start(rest[i : i + size])
        while self._children:
            self._collect(block=True)
        return self.written, self.problems

    def close(self) -> None:
        """Stop children still running (an interrupted build): their outputs stay as they
        were, or are complete new files; never half-written ones."""
        for child in self._children.values():
            try:
                os.kill(child.pid, 9)
                os.waitpid(child.pid, 0)
            except OSError:
                pass
            os.close(child.fd)
        self._children.clear()

    # -- rendering ------------------------------------------------------------------

    def _start(self, batch: list[Output]) -> None:
        renderer = self._made()
        if self._fork and len(batch) >= MIN_PER_CHILD:
            batch = self._warm(batch)
        if not self._fork or len(batch) < MIN_PER_CHILD:
            for out in batch:
                self._record(render_one(renderer, out, self.out_dir))
            return
        while len(self._children) >= self.jobs:
            self._collect(block=True)
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child(renderer, batch, self.out_dir, write_end)
        os.close(write_end)
        self._children[pid] = _Child(pid, read_end, [out.rel for out in batch])

    def _warm(self, batch: list[Output]) -> list[Output]:
        """Render here the first output of each template and language not rendered yet,
        so that children inherit compiled templates and loaded locale data instead of
        each making them again; the rest of `batch`."""
        rest = []
        for out in batch:
            client = self.ws.clients[out.client].model
            kind = (out.template, client.language or self.ws.config.language)
            if kind in self._warmed:
                rest.append(out)
            else:
                self._warmed.add(kind)
                self._record(render_one(self._made(), out, self.out_dir))
        return rest

    def _made(self) -> Renderer:
        if self._renderer is None:
            self._renderer = Renderer(self.ws)
        return self._renderer

    def _collect(self, block: bool) -> None:
        """Read what the children reported; reap those that finished."""
        if not self._children:
            return
        fds = {child.fd: child for child in self._children.values()}
        ready, _, _ = select.select(list(fds), [], [], None if block else 0)
        for fd in ready:
            child = fds[fd]
            data = os.read(fd, 1 << 16)
            if data:
                child.buffer += data
                self._unpack(child)
            else:
                self._reap(child)

    def _unpack(self, child: _Child) -> None:
        buffer = child.buffer
        while len(buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(buffer)
            if len(buffer) < _HEADER.size + size:
                break
            outcome: Outcome = pickle.loads(bytes(buffer[_HEADER.size : _HEADER.size + size]))
            del buffer[: _HEADER.size + size]
            child.reported.add(outcome[0])
            self._record(outcome)

    def _reap(self, child: _Child) -> None:
        os.close(child.fd)
        del self._children[child.pid]
        _, status = os.waitpid(child.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        for rel in child.batch:
            if rel not in child.reported:
                why = f"rendering stopped (worker process exit status {code})"
                self._record((rel, False, Diagnostic(f"output/{rel}.docx", 0, 0, why)))

    def _record(self, outcome: Outcome) -> None:
        rel, changed, problem = outcome
        if problem is None:
            self.written[rel] = changed
        else:
            self.problems.append(problem)
        self.done += 1
        if self.progress:
            self.progress(self.done, self.handed)


def _child(renderer: Renderer, batch: list[Output], out_dir: Path, fd: int) -> None:
    """Render `batch` in a forked child, report each output on `fd`, and exit."""
    code = 0
    # Short-lived: without the collector it never touches, so never copies, the pages
    # it shares with the parent.
    gc.disable()
    try:
        with os.fdopen(fd, "wb") as pipe:
            for out in batch:
                data = pickle.dumps(render_one(renderer, out, out_dir))
                pipe.write(_HEADER.pack(len(data)) + data)
                pipe.flush()
    except BaseException:
        code = 1
    finally:
        os._exit(code)


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
