"""Commented YAML skeletons of each source kind, derived from the models.

Every field of the model appears once, with its description, whether it is required and
the values it takes; `values` pre-fills what the caller already knows (today's date, the
account's people), and optional fields without a value are left commented out.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from aedocs.model.common import Document
from aedocs.model.parse import _inner_model


def skeleton(model: type[BaseModel], values: dict[str, Any], header: str) -> str:
    """A YAML text for `model`, pre-filled with `values`."""
    lines = [*(f"# {line}" if line else "#" for line in header.splitlines()), ""]
    own = [n for n in model.model_fields if n not in Document.model_fields]
    for name in own + [n for n in model.model_fields if n not in own]:
        lines += _field_lines(name, model.model_fields[name], values.get(name), indent="")
    return "\n".join(lines) + "\n"


def _field_lines(name: str, field: FieldInfo, value: Any, indent: str) -> list[str]:
    comment = _comment(field)
    inner = _inner_model(field.annotation)
    if value is None and inner is not None and field.is_required():
        if _is_list(field.annotation):
            out = [f"{indent}{name}:{comment}"]
            sub = [
                _field_lines(n, f, None, indent + "    ")
                for n, f in inner.model_fields.items()
                if f.is_required()
            ]
            flat = [line for group in sub for line in group]
            return [*out, f"{indent}  - {flat[0].lstrip()}", *flat[1:]]
        body = [
            line
            for n, f in inner.model_fields.items()
            for line in _field_lines(n, f, None, indent + "  ")
        ]
        return [f"{indent}{name}:{comment}", *body]
    if value is None and not field.is_required():
        example = _example(inner) if inner is not None else _placeholder(field)
        if isinstance(field.default, int | str) and not isinstance(field.default, bool):
            example = _yaml(field.default)
        if inner is not None and _is_list(field.annotation):
            example = f"[{example}]"
        return [f"{indent}# {name}: {example}{comment}"]
    shown = _yaml(value) if value is not None else _placeholder(field)
    return [f"{indent}{name}: {shown}{comment}"]


def _example(model: type[BaseModel]) -> str:
    """`{task: "", owner: "", due: ""}`: the required keys of a nested model, in flow style."""
    keys = [n for n, f in model.model_fields.items() if f.is_required()]
    return "{" + ", ".join(f"{k}: {_placeholder(model.model_fields[k])}" for k in keys) + "}"


def _comment(field: FieldInfo) -> str:
    parts = ["required" if field.is_required() else "optional"]
    if _date_field(field):
        parts.append("YYYY-MM-DD")
    choices = _choices(field.annotation)
    if choices:
        parts.append("one of: " + ", ".join(choices))
    if field.description:
        parts.append(field.description)
    return "  # " + "; ".join(parts)


def _choices(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is Literal:
        return [str(a) for a in typing.get_args(annotation)]
    for arg in typing.get_args(annotation):
        found = _choices(arg)
        if found:
            return found
    return []


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(_is_list(a) for a in typing.get_args(annotation))


def _placeholder(field: FieldInfo) -> str:
    if _is_list(field.annotation):
        return "[]"
    if typing.get_origin(field.annotation) is dict:
        return "{}"
    choices = _choices(field.annotation)
    if choices:
        return choices[0]
    return '""'


def _date_field(field: FieldInfo) -> bool:
    """A date, or an optional one (`Date | None`, whose date part keeps its validator)."""
    if field.annotation is dt.date:
        return True
    return any(
        arg is dt.date or typing.get_args(arg)[:1] == (dt.date,)
        for arg in typing.get_args(field.annotation)
    )


def _yaml(value: Any) -> str:
    """A value as flow-style YAML (JSON is valid YAML; dates stay plain)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    if (
        isinstance(value, str)
        and value.replace("-", "").isalnum()
        and value.isascii()
        and value not in ("yes", "no", "on", "off", "true", "false", "null")
    ):
        return value
    return json.dumps(value, ensure_ascii=False)
