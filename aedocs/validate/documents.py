"""Rules of meetings, proposals and every document's signatures."""

from __future__ import annotations

from collections.abc import Iterator

from aedocs.diagnostics import Diagnostic, Level
from aedocs.ids import repeated
from aedocs.model import Meeting, Proposal
from aedocs.model.proposal import STATUSES
from aedocs.workspace import ClientFiles, Doc


def check_client(client: ClientFiles) -> Iterator[Diagnostic]:
    for doc in client.docs:
        yield from signatures(doc)
        yield from revision(doc)
        if isinstance(doc.model, Meeting):
            yield from meeting(doc, doc.model, client)
        elif isinstance(doc.model, Proposal):
            yield from proposal(doc, doc.model)


def signatures(doc: Doc) -> Iterator[Diagnostic]:
    issued = doc.model.issued
    again = repeated([sig.by for sig in doc.model.signatures])
    for i, sig in enumerate(doc.model.signatures):
        if i in again:
            yield doc.source.error(("signatures", i, "by"), f"'{sig.by}' is listed twice")
        if sig.on and sig.on < issued:
            yield doc.source.error(
                ("signatures", i, "on"), f"{sig.on} is before the document's own date ({issued})"
            )


def revision(doc: Doc) -> Iterator[Diagnostic]:
    """A new revision of a document says what changed."""
    n = doc.model.revision
    if n > 1 and not (doc.model.changes or "").strip():
        yield doc.source.error(
            ("revision",), f"{n} needs changes: say what changed since revision {n - 1}"
        )


def meeting(doc: Doc, m: Meeting, client: ClientFiles) -> Iterator[Diagnostic]:
    err = doc.source.error
    if doc.id[:10] != m.date.isoformat():
        yield err(("date",), f"{m.date} differs from the date in the file name ({doc.id[:10]})")
    for role in ("chair", "minute_taker"):
        person = getattr(m, role)
        if person and person not in m.attendees:
            yield err((role,), f"'{person}' is not among the attendees")
    for i, person in enumerate(m.apologies):
        if person in m.attendees:
            yield err(("apologies", i), f"'{person}' is also among the attendees")
    if m.kind == "client":
        contacts = {c.id for c in client.model.contacts}
        if not contacts & set(m.attendees):
            yield err(
                ("attendees",),
                "a client meeting needs at least one client contact among the attendees",
            )
        if not contacts & {s.by for s in m.signatures}:
            yield err(
                ("signatures",),
                "a client meeting needs at least one client contact among the signers",
            )
    yield from _actions(doc, m)
    if m.next_meeting and m.next_meeting < m.date:
        yield err(("next_meeting",), f"{m.next_meeting} is before this meeting ({m.date})")
    again = repeated([decision.id for decision in m.decisions])
    for i, decision in enumerate(m.decisions):
        if decision.id and i in again:  # a decision without an id is no repeat
            yield err(("decisions", i, "id"), f"decision id '{decision.id}' is used twice")


def _actions(doc: Doc, m: Meeting) -> Iterator[Diagnostic]:
    err = doc.source.error
    for i, action in enumerate(m.actions):
        if action.due < m.date:
            yield err(("actions", i, "due"), f"{action.due} is before the meeting ({m.date})")
        if action.done_on and action.status != "done":
            yield err(
                ("actions", i, "done_on"),
                f"only a done action has done_on (status is '{action.status}')",
            )
        if action.done_on and action.done_on < m.date:
            yield err(
                ("actions", i, "done_on"), f"{action.done_on} is before the meeting ({m.date})"
            )


def proposal(doc: Doc, p: Proposal) -> Iterator[Diagnostic]:
    err = doc.source.error
    sent = STATUSES.index("sent")
    presented = STATUSES.index("presented")
    if p.stage >= sent and p.outline_sent is None:
        yield err(
            ("status",), f"'{p.status}' needs outline_sent: the day the outline went to the client"
        )
    if p.outline_sent and p.outline_sent >= p.meeting.date:
        yield err(
            ("outline_sent",),
            f"{p.outline_sent} must be before the proposal meeting ({p.meeting.date})",
        )
    if p.review is not None:
        if p.stage < presented:
            yield err(
                ("review",),
                f"a review comes after the meeting, but status is "
                f"'{p.status}' (presented, approved or rejected once it took place)",
            )
        if not p.review.purpose_achieved and p.review.cause is None:
            yield err(
                ("review", "purpose_achieved"),
                "not achieved: say why in review.cause (proposal-details or professional-error)",
            )
        if p.review.purpose_achieved and p.review.cause is not None:
            yield err(
                ("review", "cause"), "a cause is given only when the purpose was not achieved"
            )
    elif p.stage >= presented:
        line, col = doc.source.place(("status",))
        yield Diagnostic(
            doc.source.rel,
            line,
            col,
            f"status: '{p.status}' but no review yet: was the purpose achieved?",
            Level.WARNING,
        )
