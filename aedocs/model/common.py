"""Types every source kind shares: ids, times, markdown text, signatures, the base model.

The models are the one place the file format lives: validation, the JSON Schema for
editors and the `aedocs new` skeletons all derive from them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from aedocs.ids import ID_PATTERN

CURRENCY_PATTERN = r"^[A-Z]{3}$"
ORIGIN_PATTERN = r"^[^#\s]+#[a-z0-9][a-z0-9-]*$"  # <meeting file stem>#<decision id>
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(-([01]\d|2[0-3]):[0-5]\d)?$")


class Markdown(str):
    """Text the user wrote as Markdown: templates pass it through instead of escaping it."""

    __slots__ = ()


def _markdown(value: str) -> Markdown:
    return Markdown(value)


def _time(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError(f'\'{value}\' is not a time: write "HH:MM" or "HH:MM-HH:MM"')
    if len(value) == 11 and value[6:] < value[:5]:
        raise ValueError(f"'{value}' ends before it starts")
    if len(value) == 11 and value[6:] == value[:5]:
        raise ValueError(f"'{value}' ends when it starts: a time range must end after it starts")
    return value


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]  # required text: "" is not a value
MarkdownText = Annotated[
    str, AfterValidator(_markdown), Field(json_schema_extra={"contentMediaType": "text/markdown"})
]
Time = Annotated[
    str,
    AfterValidator(_time),  # its own message; the schema tells editors the same form
    Field(
        description='Quoted: "HH:MM" or "HH:MM-HH:MM"',
        examples=["10:00-11:30"],
        json_schema_extra={"pattern": _TIME.pattern},
    ),
]
# Numbers and yes/no values are read as written: `true` is not 1, "45" is not a number.
# At most a thousand million million: no amount is larger, and hours x rate and the
# totals of such numbers stay finite.
NonNegative = Annotated[float, Field(ge=0, le=1e15, strict=True, allow_inf_nan=False)]
Flag = Annotated[bool, Field(strict=True)]
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _within_years(value: dt.date) -> dt.date:
    # Due dates and weeks are computed from dates: the year 9999 would overflow them.
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{value} is out of range (years {FIRST_YEAR} to {LAST_YEAR})")
    return value


Date = Annotated[
    dt.date,
    AfterValidator(_within_years),
    Field(json_schema_extra={"pattern": r"^(19|2\d)\d\d-"}),  # FIRST_YEAR to LAST_YEAR
]


class Model(BaseModel):
    """Base of every model: unknown keys are errors, values are read as written.

    Validators are built on first use (`defer_build`), not at import: a model only ever
    met nested in another, and a kind a command never reads, cost nothing.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True
    )


class Signature(Model):
    by: Id = Field(description="who signs: a staff id on the team or a client contact id")
    on: Date | None = Field(None, description="the day they signed; empty until signed")

    def signed_by(self, as_of: dt.date) -> bool:
        """Signed on or before `as_of`: a later date has not happened yet that day."""
        return self.on is not None and self.on <= as_of


class Document(Model):
    """Fields every document kind accepts."""

    revision: int = Field(
        1, ge=1, strict=True, description="raise to N+1 to change a signed document"
    )
    changes: MarkdownText | None = Field(None, description="what changed in this revision")
    extra: dict[str, Any] = Field(
        default_factory=dict, description="free map passed to templates as `extra`"
    )
    signatures: list[Signature] = Field(
        default_factory=list, description="required signers; `on` once signed"
    )

    @property
    def issued(self) -> Date:
        """The document's own date: no signature may come before it."""
        raise NotImplementedError

    def waiting(self, as_of: dt.date) -> list[str]:
        """Who has not signed by `as_of` (no date, or a later one)."""
        return [s.by for s in self.signatures if not s.signed_by(as_of)]

    def signed_by(self, as_of: dt.date) -> bool:
        """Signed as of `as_of`: every signature (at least one) dated that day or before."""
        return bool(self.signatures) and not self.waiting(as_of)

    def unsigned_after(self, as_of: dt.date) -> tuple[int, ...]:
        """Which signatures carry a date after `as_of`: not signed yet that day."""
        return tuple(
            i for i, s in enumerate(self.signatures) if s.on is not None and not s.signed_by(as_of)
        )
