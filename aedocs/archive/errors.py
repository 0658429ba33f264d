"""Errors of the archive: one family, each with a one-line message the CLI can print."""

from __future__ import annotations


class ArchiveError(Exception):
    """Something went wrong in the git archive in output/ (git's own words included)."""


class ArchiveBusy(ArchiveError):
    """Another aedocs process holds the archive's lock."""
