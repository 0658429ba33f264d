"""Progress schedule: `clients/<client-id>/schedules/<slug>.yaml`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aedocs.model.common import Date, Document, Flag, Id, Model, Text


class Task(Model):
    id: Id
    name: Text
    owner: Id
    start: Date
    end: Date
    status: Literal["pending", "in-progress", "done"] = "pending"
    milestone: Flag = False
    depends_on: list[Id] = Field(default_factory=list)


class Schedule(Document):
    title: Text
    tasks: list[Task] = Field(min_length=1)

    @property
    def issued(self) -> Date:
        """The schedule's own date: when its first task starts."""
        return min(t.start for t in self.tasks)
