"""Render outputs while the build goes on reading: in worker processes, parcel by parcel.

Workers are forked once per build, early: the first as soon as the build command sees
that something changed, the others (up to `--jobs`) when many outputs are expected or
turn up. A worker imports what renders while the parent reads the workspace, receives
the workspace (config and clients) and makes its renderer (templates, reference styles,
the locale data of the clients to render), then renders the parcels of outputs it is
sent through a pipe, pickled with the typed client data they are made from (not the
YAML values and their line numbers), and reports every output it wrote on another pipe.
Each parcel goes to the least busy worker. The parent hands over each client's outdated
outputs as soon as it has planned them and then forgets that client's data, so no
process holds more than a few clients' data. With one job (or without fork) the parent
renders everything itself. The bytes of an output never depend on which process made it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import struct
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aedocs.diagnostics import AedocsError, Diagnostic
from aedocs.write import write_bytes, write_text

if TYPE_CHECKING:  # workers import what renders themselves, while the parent reads
    from aedocs.plan import Output
    from aedocs.render.document import Renderer
    from aedocs.workspace import Workspace

PARCEL = 24  # outputs sent to a worker at a time: enough to pay for the trip, few to end evenly
START = 24  # fewer outputs than this in a build are rendered in the parent
Outcome = tuple[str, bool, Diagnostic | None]  # rel, bytes changed, problem
_HEADER = struct.Struct(">I")


@dataclass
class _Worker:
    pid: int
    tasks: int  # write end: parcels to render
    results: int  # read end: an outcome per output
    outgoing: bytearray = field(default_factory=bytearray)
    incoming: bytearray = field(default_factory=bytearray)
    given: list[str] = field(default_factory=list)  # rels sent and not reported yet
    closing: bool = False  # no more parcels: close `tasks` once `outgoing` is sent


class RenderQueue:
    """Outputs handed over with `submit`, rendered and written by `finish`'s return."""

    def __init__(
        self,
        root: Path,
        jobs: int,
        out_dir: Path,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.root = root  # the workspace's: its templates and reference document
        self.ws: Workspace | None = None  # see `use`
        self.jobs = max(1, jobs)
        self.out_dir = out_dir
        self.progress = progress
        self.written: dict[str, bool] = {}  # rel -> whether its bytes changed
        self.problems: list[Diagnostic] = []
        self.handed = 0
        self.done = 0
        self._renderer: Renderer | None = None
        self._pending: list[Output] = []
        self._workers: list[_Worker] = []
        self._parallel = self.jobs > 1 and hasattr(os, "fork")

    def use(self, ws: Workspace, clients: Iterable[str] = ()) -> None:
        """The workspace the outputs come from (its config and clients); workers make
        their renderer from it and make ready what the documents of `clients` need."""
        self.ws = ws
        for worker in self._workers:
            self._post(worker, ("workspace", ws, list(clients)))
        if self._workers:
            self._pump(block=False)  # on its way now: the workers start on it

    def submit(self, outputs: list[Output]) -> None:
        """Render these (now or later); the caller may forget their data afterwards."""
        self.handed += len(outputs)
        self._pending += outputs
        if len(self._pending) >= max(START, PARCEL):
            self.start()  # all of them: more to render than expected
        if self._workers:
            while len(self._pending) >= PARCEL:
                parcel, self._pending = self._pending[:PARCEL], self._pending[PARCEL:]
                self._send(parcel)
            self._pump(block=False)

    def finish(self) -> tuple[dict[str, bool], list[Diagnostic]]:
        """Render what is left, wait for the workers; what was written, and problems."""
        rest, self._pending = self._pending, []
        if not self.handed:  # nothing came: workers started early are not waited for
            self.close()
            return self.written, self.problems
        if not self._workers:
            self._render_here(rest)
            return self.written, self.problems
        size = -(-len(rest) // len(self._workers))
        for i in range(0, len(rest), size or 1):
            self._send(rest[i : i + size])
        for worker in self._workers:
            worker.closing = True
        while self._workers:
            self._pump(block=True)
        return self.written, self.problems

    def close(self) -> None:
        """Stop workers still running (an interrupted build): each output they wrote is
        complete, the old version, or absent; never half-written."""
        for worker in self._workers:
            for fd in (worker.tasks, worker.results):
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(OSError):
                os.kill(worker.pid, 9)
                os.waitpid(worker.pid, 0)
        self._workers.clear()

    # -- the parent's side ----------------------------------------------------------

    def start(self, count: int | None = None) -> None:
        """Have `count` workers (at most `jobs`; with one job, or without fork, none).
        Forked before the parent reads the workspace, they import what renders meanwhile;
        forked later, they inherit what the parent imported."""
        wanted = min(self.jobs, count or self.jobs)
        if not self._parallel or len(self._workers) >= wanted:
            return
        sys.stdout.flush()
        sys.stderr.flush()
        while len(self._workers) < wanted:
            worker = self._fork()
            self._workers.append(worker)
            if self.ws is not None:  # the workspace is known already
                self._post(worker, ("workspace", self.ws, []))

    def _render_here(self, outputs: list[Output]) -> None:
        for out in outputs:
            self._record(render_one(self._made(), out, self.out_dir))

    def _made(self) -> Renderer:
        if self._renderer is None:
            from aedocs.render.document import Renderer

            assert self.ws is not None, "use() comes before any output"
            self._renderer = Renderer(self.root).use(self.ws)
        return self._renderer

    def _fork(self) -> _Worker:
        task_read, task_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            for worker in self._workers:  # the pipes of the workers forked before it
                os.close(worker.tasks)
                os.close(worker.results)
            os.close(task_write)
            os.close(result_read)
            _serve(self.root, self.out_dir, task_read, result_write)
        os.close(task_read)
        os.close(result_write)
        os.set_blocking(task_write, False)
        return _Worker(pid, task_write, result_read)

    def _post(self, worker: _Worker, message: Any) -> None:
        worker.outgoing += _framed(message)

    def _send(self, parcel: list[Output]) -> None:
        if not parcel:
            return
        live = [w for w in self._workers if w.tasks >= 0]
        if not live:  # every worker died: what is left is rendered here
            self._render_here(parcel)
            return
        worker = min(live, key=lambda w: len(w.given))
        self._post(worker, ("parcel", parcel))
        worker.given += [out.rel for out in parcel]

    def _pump(self, block: bool) -> None:
        """Send what is waiting to be sent, read what the workers reported."""
        for worker in self._workers:
            if worker.closing and not worker.outgoing and worker.tasks >= 0:
                os.close(worker.tasks)
                worker.tasks = -1
        readers = {w.results: w for w in self._workers}
        writers = {w.tasks: w for w in self._workers if w.outgoing and w.tasks >= 0}
        readable, writable, _ = select.select(
            list(readers), list(writers), [], None if block else 0
        )
        for fd in writable:
            worker = writers[fd]
            try:
                sent = os.write(fd, worker.outgoing)
            except BlockingIOError:
                continue
            except BrokenPipeError:  # it died: what it was given fails when it is reaped
                worker.outgoing.clear()
                os.close(worker.tasks)
                worker.tasks = -1
                continue
            del worker.outgoing[:sent]
        for fd in readable:
            worker = readers[fd]
            data = os.read(fd, 1 << 16)
            if data:
                worker.incoming += data
                for outcome in _frames(worker.incoming):
                    if isinstance(outcome, AedocsError):  # no renderer: say why, stop
                        raise outcome
                    worker.given.remove(outcome[0])
                    self._record(outcome)
            else:
                self._reap(worker)

    def _reap(self, worker: _Worker) -> None:
        """A worker ended: what it was given and did not report failed."""
        os.close(worker.results)
        if worker.tasks >= 0:
            os.close(worker.tasks)
        self._workers.remove(worker)
        _, status = os.waitpid(worker.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        for rel in worker.given:
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


def _framed(message: Any) -> bytes:
    """`message` as it travels on a pipe: its length, then its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def _frames(buffer: bytearray) -> Iterator[Any]:
    """The complete messages at the start of `buffer`, removed from it."""
    while len(buffer) >= _HEADER.size:
        (size,) = _HEADER.unpack_from(buffer)
        if len(buffer) < _HEADER.size + size:
            return
        message = bytes(buffer[_HEADER.size : _HEADER.size + size])
        del buffer[: _HEADER.size + size]
        yield pickle.loads(message)


# -- the worker's side --------------------------------------------------------------


def _serve(root: Path, out_dir: Path, tasks: int, results: int) -> None:
    """A worker: make the renderer, take the workspace that comes first, then render
    each parcel that comes and report each output; exit when the parent closes the pipe.
    Whenever nothing waits in the pipe, it takes a step of the renderer's head start."""
    code = 0
    try:
        with os.fdopen(results, "wb") as outbox:

            def send(message: Any) -> None:
                outbox.write(_framed(message))
                outbox.flush()

            from aedocs.render.document import Renderer

            try:
                renderer = Renderer(root)
            except AedocsError as exc:  # e.g. a damaged reference document
                send(exc)
                return
            steps: Iterator[None] | None = renderer.head_start()
            while True:
                if steps is not None and not select.select([tasks], [], [], 0)[0]:
                    try:
                        next(steps)
                    except Exception:  # StopIteration, or a failed head start: done
                        steps = None
                    continue
                header = _read_exactly(tasks, _HEADER.size)
                if not header:
                    break
                (size,) = _HEADER.unpack(header)
                message = pickle.loads(_read_exactly(tasks, size))
                if message[0] == "workspace":
                    renderer.use(message[1])
                    with contextlib.suppress(Exception):  # only a head start
                        renderer.prepare(message[2])
                    continue
                for out in message[1]:
                    send(render_one(renderer, out, out_dir))
    except BaseException:  # an interrupt, or the parent gone: just stop
        code = 1
    finally:
        os._exit(code)


def _read_exactly(fd: int, size: int) -> bytes:
    """`size` bytes from the pipe `fd`, fewer only at its end."""
    chunks = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def render_one(renderer: Renderer, out: Output, out_dir: Path) -> Outcome:
    """Render one output and write its .docx and .md atomically."""
    from aedocs.render.body import UnknownStyle
    from aedocs.render.jinja import TemplateProblem

    def failed(why: str) -> Outcome:
        return out.rel, False, Diagnostic(f"output/{out.rel}.docx", 0, 0, why)

    try:
        rendered = renderer.render(out)
    except TemplateProblem as exc:
        return out.rel, False, exc.diagnostic
    except UnknownStyle as exc:  # placed where it was typed: a source or a template
        return out.rel, False, renderer.place(out, exc.name, str(exc))
    except ValueError as exc:  # any other a value can cause: said as it is
        return failed(str(exc))
    except RecursionError:  # e.g. emphasis or lists nested a thousand deep
        return failed(f"text nested too deeply to render (made from {', '.join(out.inputs)})")
    try:
        changed = write_bytes(out_dir / f"{out.rel}.docx", rendered.docx)
        changed = write_text(out_dir / f"{out.rel}.md", rendered.markdown) or changed
    except OSError as exc:  # a full disk, a read-only folder: this output fails, not all
        return failed(f"cannot write: {exc.strerror or exc}")
    return out.rel, changed, None
