"""Validate: the cross-file rules of FORMAT.md over a loaded workspace (no I/O).

Each rule module yields diagnostics; `check` runs them all so every problem is reported
at once, sorted by place.
"""

from __future__ import annotations

from aedocs.diagnostics import Diagnostic
from aedocs.validate import accounts, confidential, documents, schedules, workorders
from aedocs.workspace import Workspace


def check(ws: Workspace) -> list[Diagnostic]:
    """Every diagnostic of the workspace: loading problems and broken rules, sorted."""
    found = list(ws.diagnostics)
    for rules in (accounts, documents, schedules, workorders, confidential):
        found.extend(rules.check(ws))
    return sorted(set(found))
