"""Rules of progress schedules: dates, dependencies (no cycles), both parties signing."""

from __future__ import annotations

from collections.abc import Iterator

from aedocs.diagnostics import Diagnostic, Level, did_you_mean
from aedocs.ids import repeated
from aedocs.model import Schedule
from aedocs.model.schedule import Task
from aedocs.workspace import ClientFiles, Doc


def check_client(client: ClientFiles) -> Iterator[Diagnostic]:
    for doc in client.docs:
        if isinstance(doc.model, Schedule):
            yield from schedule(doc, doc.model, client)


def schedule(doc: Doc, s: Schedule, client: ClientFiles) -> Iterator[Diagnostic]:
    tasks: dict[str, Task] = {}
    for i, task in enumerate(s.tasks):
        if task.id in tasks:
            yield doc.source.error(("tasks", i, "id"), f"task id '{task.id}' is used twice")
        tasks.setdefault(task.id, task)
        yield from _dates(doc, i, task)
    cycles = dict(_cycles(tasks))
    for i, task in enumerate(s.tasks):
        again = repeated(task.depends_on)
        for j, dep in enumerate(task.depends_on):
            before = tasks.get(dep)
            if j in again:
                yield doc.source.error(("tasks", i, "depends_on", j), f"'{dep}' is listed twice")
            elif before is None:
                hint = did_you_mean(dep, sorted(tasks))
                yield doc.source.error(
                    ("tasks", i, "depends_on", j), f"no task '{dep}' in this schedule{hint}"
                )
            elif task.start < before.end and dep not in cycles.get(task.id, ()):
                yield doc.source.error(
                    ("tasks", i, "start"), f"{task.start} is before '{dep}' ends ({before.end})"
                )
    yield from _cycle_errors(doc, s, cycles)
    yield from _signers(doc, s, client)


def _dates(doc: Doc, i: int, task: Task) -> Iterator[Diagnostic]:
    if task.end < task.start:
        yield doc.source.error(
            ("tasks", i, "end"), f"{task.end} is before the start ({task.start})"
        )
    if task.milestone and task.end != task.start:
        line, col = doc.source.place(("tasks", i, "end"))
        yield Diagnostic(
            doc.source.rel,
            line,
            col,
            f"tasks[{i}].end: a milestone is one day; end should equal start",
            Level.WARNING,
        )


def _signers(doc: Doc, s: Schedule, client: ClientFiles) -> Iterator[Diagnostic]:
    """Both parties sign: someone of the agency's team and a client contact."""
    signers = {sig.by for sig in s.signatures}
    contacts = {c.id for c in client.model.contacts}
    missing = [
        who
        for who, side in (
            ("an agency signer (a team member)", set(client.model.team)),
            ("a client contact", contacts),
        )
        if not signers & side
    ]
    if missing:
        yield doc.source.error(
            ("signatures",),
            f"a schedule is signed by both parties: add {' and '.join(missing)}",
        )


def _cycles(tasks: dict[str, Task]) -> Iterator[tuple[str, list[str]]]:
    """Each task that lies on a dependency cycle, with that cycle (from the task round).

    `tasks` holds the first task of each id: a second one is reported as such, and its
    dependencies are not the first one's (a copied task depending on the task it was
    copied from is no cycle)."""
    deps = {task_id: list(t.depends_on) for task_id, t in tasks.items()}
    for start in deps:
        path = _find_cycle(start, deps)
        if path:
            yield start, path


def _cycle_errors(doc: Doc, s: Schedule, cycles: dict[str, list[str]]) -> Iterator[Diagnostic]:
    """Each cycle once, reported at its first task in file order."""
    index = {t.id: i for i, t in reversed(list(enumerate(s.tasks)))}
    reported: set[frozenset[str]] = set()
    for start, path in cycles.items():
        if frozenset(path) not in reported:
            reported.add(frozenset(path))
            chain = " -> ".join([*path, path[0]])
            yield doc.source.error(
                ("tasks", index[start], "depends_on"), f"dependency cycle: {chain}"
            )


def _find_cycle(start: str, deps: dict[str, list[str]]) -> list[str] | None:
    """A path start -> ... -> start, if one exists (depth-first, deterministic)."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in reversed(deps.get(node, [])):
            if nxt == start:
                return path
            if nxt not in seen and nxt in deps:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None
