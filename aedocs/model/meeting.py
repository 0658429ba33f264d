"""Meeting minutes: `clients/<client-id>/meetings/<YYYY-MM-DD>-<slug>.yaml`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from aedocs.model.common import Date, Document, Id, MarkdownText, Model, Text, Time


class Decision(Model):
    id: Id | None = Field(None, description="set it when a work order cites this decision")
    text: Text


class Action(Model):
    task: Text
    owner: Id
    due: Date
    status: Literal["open", "done", "dropped"] = "open"
    done_on: Date | None = Field(None, description="only with status done")


class Meeting(Document):
    kind: Literal["client", "internal"]
    title: Text
    date: Date = Field(description="must equal the date in the file name")
    time: Time | None = None
    place: str | None = None
    chair: Id
    minute_taker: Id | None = Field(None, description="must be an attendee")
    attendees: list[Id] = Field(min_length=1)
    apologies: list[Id] = Field(default_factory=list)
    agenda: list[str] = Field(default_factory=list)
    notes: MarkdownText | None = None
    decisions: list[Decision] = Field(
        default_factory=list,
        description="a string, or {id, text} when a work order cites it",
        json_schema_extra=lambda schema: schema.update(
            items={"anyOf": [{"type": "string"}, schema["items"]]}
        ),
    )
    actions: list[Action] = Field(default_factory=list)
    conclusion: MarkdownText | None = None
    next_meeting: Date | None = None

    @property
    def issued(self) -> Date:
        return self.date

    @field_validator("decisions", mode="before")
    @classmethod
    def _plain_decisions(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value
