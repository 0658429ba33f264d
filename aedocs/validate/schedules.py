"""Rules of progress schedules: dates, dependencies (no cycles), both parties signing."""

from __future__ import annotations

from collections.abc import Iterator

from aedocs.diagnostics import Diagnostic, Level, did_you_mean
from aedocs.model import Schedule
from aedocs.workspace import Doc, Workspace


def check(ws: Workspace) -> Iterator[Diagnostic]:
    for client in ws.clients.values():
        contacts = {c.id for c in client.model.contacts}
        for doc in client.docs:
            if isinstance(doc.model, Schedule):
                yield from schedule(doc, doc.model, contacts)


def schedule(doc: Doc, s: Schedule, contacts: set[str]) -> Iterator[Diagnostic]:
    err = doc.source.error
    tasks = {}
    for i, task in enumerate(s.tasks):
        if task.id in tasks:
            yield err(("tasks", i, "id"), f"task id '{task.id}' is used twice")
        else:
            tasks[task.id] = task
        if task.end < task.start:
            yield err(("tasks", i, "end"), f"{task.end} is before the start ({task.start})")
        if task.milestone and task.end != task.start:
            line, col = doc.source.place(("tasks", i, "end"))
            yield Diagnostic(
                doc.source.rel,
                line,
                col,
                f"tasks[{i}].end: a milestone is one day; end should equal start",
                Level.WARNING,
            )
    for i, task in enumerate(s.tasks):
        for j, dep in enumerate(task.depends_on):
            before = tasks.get(dep)
            if before is None:
                hint = did_you_mean(dep, sorted(tasks))
                yield err(("tasks", i, "depends_on", j), f"no task '{dep}' in this schedule{hint}")
            elif task.start < before.end:
                yield err(
                    ("tasks", i, "start"), f"{task.start} is before '{dep}' ends ({before.end})"
                )
    yield from _cycles(doc, s)
    signers = {sig.by for sig in s.signatures}
    if not signers - contacts or not signers & contacts:
        yield err(
            ("signatures",),
            "a schedule is signed by both parties: list at least one "
            "agency signer and one client contact",
        )


def _cycles(doc: Doc, s: Schedule) -> Iterator[Diagnostic]:
    """Each dependency cycle once, reported at its first task in file order."""
    deps = {t.id: [d for d in t.depends_on] for t in s.tasks}
    index = {t.id: i for i, t in reversed(list(enumerate(s.tasks)))}
    reported: set[frozenset[str]] = set()
    for start in deps:
        path = _find_cycle(start, deps)
        if path and frozenset(path) not in reported and path[0] == start:
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
