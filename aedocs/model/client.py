"""A client: `clients/<client-id>/client.yaml`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aedocs.model.common import Id, Model, Text
from aedocs.model.config import Language


class Contact(Model):
    id: Id = Field(description="short id used in documents; must not equal a staff id")
    name: Text
    role: str | None = None
    email: str | None = None


class Client(Model):
    name: Text = Field(description="the client's name")
    aliases: list[str] = Field(
        default_factory=list, description="other names and brands (confidentiality)"
    )
    tier: Literal["KA", "A", "B", "C"] = Field(description="KA key account, or A / B / C")
    language: Language | None = Field(None, description="overrides the workspace language")
    contacts: list[Contact] = Field(min_length=1, description="client-side people")
    team: list[Id] = Field(min_length=1, description="agency staff ids on this account")
