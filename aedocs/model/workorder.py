"""Work order (job ticket): `clients/<client-id>/workorders/<number>.yaml`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from aedocs.ids import NUMBER_PATTERN
from aedocs.model.common import (
    ORIGIN_PATTERN,
    Date,
    Document,
    Id,
    MarkdownText,
    Model,
    NonNegative,
    Text,
)

STATUSES = ("open", "done", "invoiced", "paid")
Scalar = str | int | float | bool | dt.date


class Placement(Model):
    outlet: Text
    placement: Text
    start: Date
    end: Date
    cost: NonNegative
    impressions: NonNegative | None = None
    cpm: NonNegative | None = Field(None, description="cost per thousand impressions")


class EstimateLine(Model):
    item: Text
    hours: NonNegative | None = None
    rate: NonNegative | None = None
    amount: NonNegative | None = Field(None, description="fixed price, instead of hours x rate")
    subcontractor: str | None = Field(None, description="who does this work outside the agency")

    @property
    def total(self) -> float:
        if self.amount is not None:
            return self.amount
        return (self.hours or 0) * (self.rate or 0)


class Invoice(Model):
    number: Text
    issued: Date
    paid: Date | None = None


class WorkOrder(Document):
    number: str = Field(pattern=NUMBER_PATTERN, description="finance number; equals the file name")
    type: Literal["creative", "research", "media"]
    title: Text
    requested_by: Id
    assigned_to: list[Id] = Field(min_length=1)
    origin: str | None = Field(
        None,
        pattern=ORIGIN_PATTERN,
        description="<meeting file stem>#<decision id>",
    )
    opened: Date
    due: Date
    brief: MarkdownText | None = None
    specs: dict[str, Scalar] = Field(default_factory=dict)
    placements: list[Placement] = Field(default_factory=list)
    estimate: list[EstimateLine] = Field(default_factory=list)
    status: Literal["open", "done", "invoiced", "paid"] = "open"
    delivered: Date | None = Field(None, description="required from done on")
    invoice: Invoice | None = Field(None, description="required from invoiced on")

    @property
    def issued(self) -> Date:
        return self.opened

    @property
    def stage(self) -> int:
        return STATUSES.index(self.status)

    @property
    def total(self) -> float:
        return sum(line.total for line in self.estimate) + sum(p.cost for p in self.placements)
