"""`aedocs schema [KIND]`: JSON Schema of the source files, derived from the models."""

from __future__ import annotations

import json
from typing import Any

import click

from aedocs.model import FOLDERS, KINDS, Client, Config
from aedocs.options import Options

MODELS: dict[str, Any] = {"workspace": Config, "client": Client, **KINDS}


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema of one source kind."""
    model = MODELS[kind]
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"aedocs:{kind}",
    }
    out.update(model.model_json_schema())
    out["title"] = _TITLES[kind]
    return out


_TITLES = {
    "workspace": "aedocs workspace (aedocs.yaml)",
    "client": "aedocs client (clients/<id>/client.yaml)",
    **{k: f"aedocs {k} (clients/<id>/{f}/*.yaml)" for k, f in FOLDERS.items()},
}


def run(opts: Options, kind: str | None = None) -> int:
    if kind:
        click.echo(json.dumps(schema_of(kind), indent=2, ensure_ascii=False, sort_keys=True))
    else:
        every = {k: schema_of(k) for k in MODELS}
        click.echo(json.dumps(every, indent=2, ensure_ascii=False, sort_keys=True))
    return 0
