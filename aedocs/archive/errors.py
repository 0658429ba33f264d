"""Errors of the archive: one family, each with a one-line message the CLI can print."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from aedocs.diagnostics import AedocsError, Diagnostic


class ArchiveError(Exception):
    """Something went wrong in the git archive in output/ (git's own words included)."""


class ArchiveBusy(ArchiveError):
    """Another aedocs process holds the archive's lock."""


@contextmanager
def reported_at(where: str) -> Iterator[None]:
    """Turn an ArchiveError inside into a problem at `where` that the CLI prints."""
    try:
        yield
    except ArchiveError as error:
        raise AedocsError([Diagnostic(where, 0, 0, str(error))]) from None
