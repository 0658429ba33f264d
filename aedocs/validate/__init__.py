"""Validate: the cross-file rules of FORMAT.md over a loaded workspace (no I/O).

Each rule module yields diagnostics. Almost every rule looks at one client's files (and the
config): `check_client` runs them for one client, so a build can validate client by
client and skip the clients whose files did not change. Two rules look across clients:
finance numbers are unique in the workspace (`workorders.Numbers`, claimed client by
client) and no client names another (`confidential`, with every client's names
from the `client.yaml` files). `check` runs everything, sorted by place.
"""

from __future__ import annotations

from aedocs.diagnostics import Diagnostic
from aedocs.validate import accounts, confidential, documents, schedules, workorders
from aedocs.validate.confidential import Names
from aedocs.validate.workorders import Number, Numbers, numbers
from aedocs.workspace import ClientFiles, Workspace

__all__ = ["Names", "Number", "Numbers", "check", "check_client", "check_config", "numbers"]


def check(ws: Workspace) -> list[Diagnostic]:
    """Every diagnostic of the workspace: loading problems and broken rules, sorted."""
    found = list(ws.diagnostics) + check_config(ws)
    names, taken = Names(ws), Numbers()
    for client in ws.clients.values():
        found += check_client(ws, client, names) + taken.claim(numbers(client))
    return sorted(set(found))


def check_config(ws: Workspace) -> list[Diagnostic]:
    """The rules of the workspace config alone."""
    return list(accounts.check_config(ws))


def check_client(ws: Workspace, client: ClientFiles, names: Names) -> list[Diagnostic]:
    """The rules within one client's files (its documents must be loaded)."""
    found = list(accounts.check_client(ws, client))
    found += documents.check_client(client)
    found += schedules.check_client(client)
    found += workorders.check_client(client)
    found += confidential.check_client(client, names)
    return found
