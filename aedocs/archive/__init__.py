"""The git archive in output/: commits per build, signed tags, history and verification.

Only this package runs git. See `repo.Archive` for the entry point.
"""

from aedocs.archive.errors import ArchiveBusy, ArchiveError, reported_at
from aedocs.archive.history import TagInfo, Version
from aedocs.archive.repo import Archive
from aedocs.archive.signed import (
    Signature,
    SignedRecord,
    parse_signed_tag_name,
    sha256_hex,
    signed_tag_name,
)
from aedocs.archive.verify import Problem

__all__ = [
    "Archive",
    "ArchiveBusy",
    "ArchiveError",
    "Problem",
    "Signature",
    "SignedRecord",
    "TagInfo",
    "Version",
    "parse_signed_tag_name",
    "reported_at",
    "sha256_hex",
    "signed_tag_name",
]
