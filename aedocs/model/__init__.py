"""The typed models of every source kind; the file format lives here once."""

from aedocs.model.client import Client, Contact
from aedocs.model.common import Document, Markdown, Signature
from aedocs.model.config import Config, Staff
from aedocs.model.meeting import Meeting
from aedocs.model.proposal import Proposal
from aedocs.model.schedule import Schedule
from aedocs.model.workorder import WorkOrder

# Source kind -> (model, folder under clients/<id>/); `client` is the client file itself.
KINDS: dict[str, type[Document]] = {
    "meeting": Meeting,
    "proposal": Proposal,
    "schedule": Schedule,
    "workorder": WorkOrder,
}
FOLDERS = {
    "meeting": "meetings",
    "proposal": "proposals",
    "schedule": "schedules",
    "workorder": "workorders",
}

__all__ = [
    "FOLDERS",
    "KINDS",
    "Client",
    "Config",
    "Contact",
    "Document",
    "Markdown",
    "Meeting",
    "Proposal",
    "Schedule",
    "Signature",
    "Staff",
    "WorkOrder",
]
