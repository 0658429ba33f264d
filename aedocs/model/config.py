"""The workspace configuration: `aedocs.yaml` at the root."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aedocs.model.common import CURRENCY_PATTERN, Id, Model, Text

Language = Literal["en", "es", "zh"]
# Due dates are computed from it: a million days would run past the last date there is.
MAX_TERMS = 3653


class Agency(Model):
    name: Text = Field(description="the agency's name, printed on every document")
    address: str | None = Field(None, description="postal address for document headers")


class Staff(Model):
    id: Id = Field(description="short id used in documents, e.g. ana")
    name: Text = Field(description="full name as printed")
    role: str | None = Field(None, description="job title, e.g. Account Executive")
    email: str | None = None


class Config(Model):
    agency: Agency
    language: Language = Field("es", description="labels and date format of documents")
    currency: str = Field("EUR", pattern=CURRENCY_PATTERN, description="ISO 4217 code")
    payment_terms_days: int = Field(
        45,
        ge=0,
        le=MAX_TERMS,
        strict=True,
        description="invoice due = issued + this (at most ten years)",
    )
    staff: list[Staff] = Field(min_length=1, description="agency people")
