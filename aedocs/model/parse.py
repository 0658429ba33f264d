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
from aedocs.ids import ID_PATTERN, NUMBER_FORM, NUMBER_PATTERN
from aedocs.model.common import CURRENCY_PATTERN, ORIGIN_PATTERN
from aedocs.source import Loc, Place, Source, about

M = TypeVar("M", bound=BaseModel)
_SEXAGESIMAL = re.compile(r"^\d+(:[0-5]?\d)+$")
_NUMBER = re.compile(r"^\s*-?\d+(\.\d*)?\s*$")
# Plain numbers YAML 1.1 reads as text: a leading 0 before an 8 or 9 (not octal), 0o.
_NUMBER_AS_TEXT = re.compile(r"^-?(0\d*[89]\d*|0o[0-7]+)$")
_TAG_NAMES = {
    "int": "the number",
    "float": "the number",
    "bool": "the yes/no value",
    "date": "the date",
    "map": "a mapping",
    "seq": "a list",
}
_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}
# A bound a number broke -> (how it is said, the key of the bound in the error's context).
_BOUNDS = {
    "greater_than_equal": (">=", "ge"),
    "greater_than": (">", "gt"),
    "less_than_equal": ("<=", "le"),
    "less_than": ("<", "lt"),
}
# Models that may also be written another way (meeting.py turns a plain decision's text
# into {text}): what to write, instead of "a mapping of keys".
_WRITTEN_AS = {"Decision": "text, or a mapping {id, text}"}
# What a value of each type is, in a list of alternatives.
_KINDS = {
    "string_type": "text",
    "int_type": "a number",
    "float_type": "a number",
    "bool_type": "yes/no",
    "date_type": "a date",
}
# Pattern of a constrained text field -> what the user should have written.
_FORMS = {
    ID_PATTERN: "a valid id (lowercase letters, digits and '-', starting with a letter or digit)",
    CURRENCY_PATTERN: "a currency code (three capital letters, e.g. EUR)",
    NUMBER_PATTERN: f"a valid number ({NUMBER_FORM})",
    ORIGIN_PATTERN: "a decision reference (<meeting file name>#<decision id>)",
}


def parse(source: Source, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Validate `source.data` against `model`; on errors, None and one diagnostic each."""
    try:
        typed = model.model_validate(source.data)
    except ValidationError as exc:
        groups: dict[Loc, list[ErrorDetails]] = {}
        for err in exc.errors():  # a value that fits no member of a union fails once per member
            groups.setdefault(_data_loc(source.data, err), []).append(err)
        found = [
            _diagnostic(source, model, loc, errs)
            for loc, errs in groups.items()
            if not _said(source, model, loc, errs[0], groups)
        ]
        return None, sorted(set(found + _odd_numbers(source, groups)))
    odd = _odd_numbers(source, {})
    return (None, sorted(odd)) if odd else (typed, [])


def _odd_numbers(source: Source, groups: dict[Loc, Any]) -> list[Diagnostic]:
    """Numbers YAML reads otherwise than they look, where no other error is about them: a
    text field's own message (an unquoted time's, above all) says it better."""
    return [
        source.error(loc, why)
        for loc, why in source.numbers.items()
        if loc not in groups and not any(loc[:n] in source.reported for n in range(len(loc)))
    ]


def _data_loc(data: Any, err: ErrorDetails) -> Loc:
    """Where the error is in the user's data: steps pydantic adds (a validator, a union
    member) are dropped; so is nothing the user typed, whatever the key looks like."""
    steps = err["loc"]
    out: list[str | int] = []
    for i, step in enumerate(steps):
        inside = (isinstance(data, dict) and step in data) or (
            isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)
        )
        if inside:
            data = data[step]
        if inside or (err["type"] == "missing" and i == len(steps) - 1):
            out.append(step)
    return tuple(out)


def _said(
    source: Source, model: type[BaseModel], loc: Loc, err: ErrorDetails, groups: dict[Loc, Any]
) -> bool:
    """Whether the loader, or an unknown key's "did you mean", already says it."""
    if any(loc[:n] in source.reported for n in range(len(loc) + 1)):
        return True
    return err["type"] == "missing" and _misspelt(model, loc, groups)


def _misspelt(model: type[BaseModel], missing: Loc, groups: dict[Loc, Any]) -> bool:
    """Whether a missing key is there under a misspelt name (an unknown key beside it)."""
    fields = _fields_at(model, missing[:-1])
    name = str(missing[-1])
    return any(
        errs[0]["type"] == "extra_forbidden"
        and loc[:-1] == missing[:-1]
        and did_you_mean(str(loc[-1]), fields) == did_you_mean(name, [name])
        for loc, errs in groups.items()
        if loc
    )


def _diagnostic(
    source: Source, model: type[BaseModel], loc: Loc, errs: list[ErrorDetails]
) -> Diagnostic:
    err = errs[0]
    kind = err["type"]
    if kind == "missing":
        return source.error(loc[:-1], f"missing required key '{loc[-1]}'", key=True)
    if kind == "extra_forbidden":
        hint = did_you_mean(str(loc[-1]), _fields_at(model, loc[:-1]))
        line, col = source.place(loc, key=True)
        return Diagnostic(source.rel, line, col, about(loc[:-1], f"unknown key '{loc[-1]}'{hint}"))
    place = source.places.get(loc)
    if len(errs) > 1:
        return source.error(loc, _union_message(errs, place))
    return source.error(loc, _message(err, place, _quoted(source, place)))


def _union_message(errs: list[ErrorDetails], place: Place | None) -> str:
    """A value that fits none of the kinds a field takes (`specs` values, for one)."""
    kinds = list(dict.fromkeys(_KINDS.get(e["type"], "another value") for e in errs))
    expected = ", ".join(kinds[:-1]) + f" or {kinds[-1]}" if len(kinds) > 1 else kinds[0]
    typed, tag = (place.text, place.tag) if place else (None, None)
    return f"expected {expected}, found {_shown(typed, tag, errs[0].get('input'))}"


def _quoted(source: Source, place: Place | None) -> bool:
    """Whether the scalar at `place` is written in quotes."""
    if place is None or place.text is None or not 0 < place.line <= len(source.lines):
        return False
    return source.lines[place.line - 1][place.col - 1 : place.col] in ("'", '"')


def _message(err: ErrorDetails, place: Place | None, quoted: bool = False) -> str:
    kind, ctx = err["type"], err.get("ctx", {})
    typed, tag = (place.text, place.tag) if place else (None, None)
    shown = _shown(typed, tag, err.get("input"))
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        hint = did_you_mean(str(err.get("input")), expected)
        return f"{shown} is not one of: {', '.join(expected)}{hint}"
    if kind == "string_type":
        return _not_text(err, typed, tag)
    if kind == "string_pattern_mismatch":
        return f"{shown} is not {_FORMS.get(str(ctx.get('pattern')), 'of the expected form')}"
    if kind.startswith("date") or kind == "datetime_from_date_parsing":
        return f"{shown} is not a date (expected YYYY-MM-DD)"
    if kind in _BOUNDS:
        sign, key = _BOUNDS[kind]
        return f"must be {sign} {ctx.get(key):g}, found {shown}"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in _EXPECTED:
        wanted = _WRITTEN_AS.get(str(ctx.get("class_name")), _EXPECTED[kind])
        return f"expected {wanted}, found {shown}" + _number_hint(wanted, typed, tag, quoted)
    if kind == "finite_number":
        return f"expected a number, found {shown}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def _number_hint(wanted: str, typed: str | None, tag: str | None, quoted: bool) -> str:
    """Why a number the user wrote is text."""
    if tag != "str" or "number" not in wanted or typed is None:
        return ""
    if quoted:
        return " (remove the quotes)" if _NUMBER.match(typed) else ""
    if _NUMBER_AS_TEXT.match(typed):
        digits = typed.replace("0o", "")
        meant = str(int(digits, 8 if "0o" in typed else 10))
        return f" (YAML reads {typed} as text: write {meant})"
    return ""


def _not_text(err: ErrorDetails, typed: str | None, tag: str | None) -> str:
    if typed is not None and _SEXAGESIMAL.match(typed):
        number = err.get("input")
        return f'unquoted time {typed} is read as the number {number} (quote it: "{typed}")'
    shown = _shown(typed, tag, err.get("input"))
    what = f"{_TAG_NAMES[tag]} {shown}" if tag in _TAG_NAMES and typed is not None else shown
    found = f"expected text, found {what}"
    return found + (f' (put it in quotes: "{typed}")' if typed and tag != "null" else "")


def _shown(typed: str | None, tag: str | None, value: Any) -> str:
    """The offending value as the user typed it, and what YAML made of it."""
    if typed is None:
        return _TAG_NAMES.get(tag or "", "") or _show(value)
    if tag == "null":
        return "an empty value"
    return repr(typed) if tag == "str" else typed


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
