"""Proposal outline: `clients/<client-id>/proposals/<slug>.yaml`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aedocs.model.common import (
    Date,
    Document,
    Flag,
    Id,
    MarkdownText,
    Model,
    NonNegative,
    Text,
    Time,
)

STATUSES = ("draft", "sent", "presented", "approved", "rejected")


class ProposalMeeting(Model):
    date: Date
    time: Time | None = None
    place: str | None = None
    presenters: list[Id] = Field(default_factory=list)
    client_attendees: list[Id] = Field(default_factory=list)
    equipment: list[str] = Field(default_factory=list)


class Section(Model):
    title: Text
    points: list[str] = Field(default_factory=list)


class BudgetLine(Model):
    item: Text
    amount: NonNegative


class Review(Model):
    purpose_achieved: Flag
    cause: Literal["proposal-details", "professional-error"] | None = Field(
        None, description="why the purpose was not achieved"
    )
    insights: MarkdownText | None = None


class Proposal(Document):
    title: Text
    status: Literal["draft", "sent", "presented", "approved", "rejected"] = "draft"
    meeting: ProposalMeeting
    outline_sent: Date | None = Field(None, description="required once status >= sent")
    objective: MarkdownText | None = None
    strategy: MarkdownText | None = None
    sections: list[Section] = Field(default_factory=list)
    budget: list[BudgetLine] = Field(default_factory=list)
    review: Review | None = Field(None, description="once presented")

    @property
    def issued(self) -> Date:
        """The proposal's own date: when the outline went out, else the meeting."""
        return self.outline_sent or self.meeting.date

    @property
    def stage(self) -> int:
        return STATUSES.index(self.status)
