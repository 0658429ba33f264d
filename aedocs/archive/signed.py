"""Signed versions: the tag name and the tag message that freeze a signed document.

A message reads
```
signed <client>/<kind>/<id> v<revision>
sha256: <hex of the .docx bytes>
path: <path in the archive>
data: <hex of the source's data hash>  (optional: tags made before it was recorded lack it)
signed-by: <id> on <YYYY-MM-DD>      (one line per signer)
```
and is both written and read here, as is the tag name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from aedocs.archive.errors import ArchiveError

TAG_PREFIX = "signed/"
ID = r"[a-z0-9][a-z0-9-]*"
DOC_ID = r"[A-Za-z0-9][A-Za-z0-9._-]*"  # a file stem: a work order's is its finance number
FIRST_LINE = re.compile(rf"signed ({ID})/({ID})/({DOC_ID}) v([1-9][0-9]*)")
SHA256 = re.compile(r"sha256: ([0-9a-f]{64})")
PATH = re.compile(r"path: (\S+)")
DATA = re.compile(r"data: ([0-9a-f]{64})")
TAG_NAME = re.compile(rf"{TAG_PREFIX}({ID}/{ID}/{DOC_ID})/v([1-9][0-9]*)")
SIGNED_BY = re.compile(rf"signed-by: ({ID}) on ([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})")


def signed_tag_name(client: str, kind: str, doc_id: str, revision: int) -> str:
    """`signed/<client>/<kind>/<id>/v<revision>`."""
    return f"{TAG_PREFIX}{client}/{kind}/{doc_id}/v{revision}"


def parse_signed_tag_name(name: str) -> tuple[str, int] | None:
    """(`<client>/<kind>/<id>`, revision) of a signed tag's name; None for any other name."""
    found = TAG_NAME.fullmatch(name)
    return (found[1], int(found[2])) if found else None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Signature:
    """Who signed, and on which day."""

    by: str
    on: date


@dataclass(frozen=True)
class SignedRecord:
    """What a signed tag records about one revision of one document."""

    client: str
    kind: str
    doc_id: str
    revision: int
    sha256: str
    path: str
    signatures: tuple[Signature, ...]
    data: str | None = None  # sha256 of what the source said when it was signed

    @property
    def tag_name(self) -> str:
        return signed_tag_name(self.client, self.kind, self.doc_id, self.revision)

    def message(self) -> str:
        lines = [
            f"signed {self.client}/{self.kind}/{self.doc_id} v{self.revision}",
            f"sha256: {self.sha256}",
            f"path: {self.path}",
            *([f"data: {self.data}"] if self.data else []),
            *(f"signed-by: {s.by} on {s.on.isoformat()}" for s in self.signatures),
        ]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, message: str) -> SignedRecord:
        """The record in a tag message; ArchiveError saying what is wrong with it."""
        first, *rest = message.strip().splitlines() or [""]
        head = FIRST_LINE.fullmatch(first)
        if head is None:
            raise ArchiveError(f"not a signed-version message: {first!r}")
        client, kind, doc_id, revision = head.groups()
        return cls(
            client=client,
            kind=kind,
            doc_id=doc_id,
            revision=int(revision),
            sha256=only_one(SHA256, rest, "sha256"),
            path=only_one(PATH, rest, "path"),
            signatures=signatures(rest),
            data=at_most_one(DATA, rest, "data"),
        )


def only_one(pattern: re.Pattern[str], lines: list[str], key: str) -> str:
    found = at_most_one(pattern, lines, key)
    if found is None:
        raise ArchiveError(f"a signed-version message needs exactly one '{key}:' line")
    return found


def at_most_one(pattern: re.Pattern[str], lines: list[str], key: str) -> str | None:
    found = [m.group(1) for m in map(pattern.fullmatch, lines) if m]
    if len(found) > 1:
        raise ArchiveError(f"a signed-version message has more than one '{key}:' line")
    return found[0] if found else None


def signatures(lines: list[str]) -> tuple[Signature, ...]:
    known = (SHA256, PATH, DATA, SIGNED_BY)
    unknown = [line for line in lines if not any(p.fullmatch(line) for p in known)]
    if unknown:
        raise ArchiveError(f"unexpected line in a signed-version message: {unknown[0]!r}")
    found = [m.groups() for m in map(SIGNED_BY.fullmatch, lines) if m]
    if not found:
        raise ArchiveError("a signed-version message needs at least one 'signed-by:' line")
    try:
        return tuple(Signature(by, date.fromisoformat(on)) for by, on in found)
    except ValueError as error:
        raise ArchiveError(f"bad date in a signed-version message: {error}") from None
