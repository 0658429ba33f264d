"""Loaded values -> a typed model, with pydantic's errors said in the user's words.

Each error keeps the place of the value it is about (an unknown key points at the key,
a missing key at its mapping) and gets a hint where one helps: the closest known key, the
allowed values, quotes around an unquoted time.
"""

from __future__ import annotations

import re
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from aedocs.diagnostics import Diagnostic, did_you_mean
from aedocs.load import Loc, Source

M = TypeVar("M", bound=BaseModel)
_SEXAGESIMAL = re.compile(r"^\d+(:[0-5]?\d)+$")
_TAG_NAMES = {
    "int": "a number",
    "float": "a number",
    "bool": "a yes/no value",
    "null": "an empty value",
    "date": "a date",
    "map": "a mapping",
    "seq": "a list",
}


def parse(source: Source, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Validate `source.data` against `model`; on errors, None and one diagnostic each."""
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        found = []
        for err in exc.errors():
            loc = _clean_loc(err["loc"])
            if any(loc[:n] in source.reported for n in range(len(loc) + 1)):
                continue  # the loader already said what is wrong here
            found.append(_diagnostic(source, model, loc, err))
        return None, sorted(set(found))


def _clean_loc(loc: tuple[int | str, ...]) -> Loc:
    # Validators of a constrained type add their own step ('function-after[...]').
    return tuple(p for p in loc if isinstance(p, int) or "[" not in p)


def _diagnostic(source: Source, model: type[BaseModel], loc: Loc, err: ErrorDetails) -> Diagnostic:
    kind = err["type"]
    place = source.places.get(loc)
    typed = place.text if place and place.text is not None else None
    shown = repr(typed) if typed is not None else _show(err.get("input"))
    if kind == "missing":
        return source.error(loc[:-1], f"missing required key '{loc[-1]}'", key=True)
    if kind == "extra_forbidden":
        hint = did_you_mean(str(loc[-1]), _fields_at(model, loc[:-1]))
        return source.error(loc, f"unknown key '{loc[-1]}'{hint}", key=True)
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        hint = did_you_mean(str(err.get("input")), expected)
        return source.error(loc, f"{shown} is not one of: {', '.join(expected)}{hint}")
    return source.error(loc, _message(kind, err, shown, typed, place.tag if place else None))


def _message(kind: str, err: ErrorDetails, shown: str, typed: str | None, tag: str | None) -> str:
    ctx = err.get("ctx", {})
    if kind == "string_type":
        if typed is not None and _SEXAGESIMAL.match(typed):
            return f'unquoted time {typed}: YAML reads it as a number; write "{typed}"'
        return f"expected text, found {_TAG_NAMES.get(tag or '', 'another type')} {shown}" + (
            f'; put it in quotes: "{typed}"' if typed is not None else ""
        )
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == r"^[a-z0-9][a-z0-9-]*$":
            return (
                f"{shown} is not a valid id (lowercase letters, digits and '-', "
                "starting with a letter or digit)"
            )
        return f"{shown} does not have the expected form"
    if kind.startswith("date") or kind == "datetime_from_date_parsing":
        return f"{shown} is not a date (expected YYYY-MM-DD)"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, found {shown}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, found {shown}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, found {shown}"
    if kind in ("greater_than_equal", "greater_than"):
        return (
            f"must be {'>=' if kind.endswith('equal') else '>'} {ctx.get('ge', ctx.get('gt'))}"
            f", found {shown}"
        )
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} entry"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        what = "a list" if kind == "list_type" else "a mapping of keys"
        return f"expected {what}, found {_TAG_NAMES.get(tag or '', 'text')} {shown}".rstrip()
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def _show(value: Any) -> str:
    if isinstance(value, dict | list):
        return ""
    return repr(value if not hasattr(value, "isoformat") else value.isoformat())


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names of the model that sits at `loc` inside `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(current.model_fields) if _is_model(current) else []


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _inner_model(annotation: Any) -> Any:
    """`list[Action]`, `Review | None` -> the model class inside, if any."""
    if _is_model(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None
