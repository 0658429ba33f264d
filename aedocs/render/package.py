"""Reproducible zip packages: the same parts in give the same bytes out, in any process.

A .docx is a zip of XML parts. `zipfile` stamps entries with the local time and cannot take
data that is already compressed, so this module writes the format itself: every entry is
dated 1980-01-01 00:00 with fixed system and attributes, `[Content_Types].xml` comes first
and the rest follow by name. A `Part` is compressed once by `compress`; parts that do not
change between documents (styles, theme, settings, ...) are compressed once per process and
their bytes and CRC reused in every package.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

CONTENT_TYPES = "[Content_Types].xml"

_DEFLATED = 8
_VERSION = 20  # 2.0: deflate; made by MS-DOS (0), so no Unix permissions are recorded
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0  # 00:00:00
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


@dataclass(frozen=True)
class Part:
    """One zip entry, already deflated."""

    name: str
    data: bytes
    crc: int
    size: int


def compress(name: str, data: bytes, level: int = 6) -> Part:
    """The part `name` holding `data`, raw-deflated as zip stores it."""
    deflater = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = deflater.compress(data) + deflater.flush()
    return Part(name, packed, zlib.crc32(data), len(data))


def write(parts: Iterable[Part]) -> bytes:
    """The zip file of `parts`: content types first, then by name; names must be unique."""
    ordered = sorted(parts, key=lambda p: (p.name != CONTENT_TYPES, p.name))
    body = bytearray()
    directory = bytearray()
    for part in ordered:
        name = part.name.encode("utf-8")
        directory += _central_header(part, name, offset=len(body))
        body += _local_header(part, name) + name + part.data
    end = _END.pack(0x06054B50, 0, 0, len(ordered), len(ordered), len(directory), len(body), 0)
    return bytes(body + directory + end)


def _flags(name: bytes) -> int:
    return 0x800 if not name.isascii() else 0  # bit 11: the name is UTF-8


def _local_header(part: Part, name: bytes) -> bytes:
    return _LOCAL.pack(
        0x04034B50, _VERSION, _flags(name), _DEFLATED, _DOS_TIME, _DOS_DATE,
        part.crc, len(part.data), part.size, len(name), 0,
    )  # fmt: skip


def _central_header(part: Part, name: bytes, offset: int) -> bytes:
    return _CENTRAL.pack(
        0x02014B50, _VERSION, _VERSION, _flags(name), _DEFLATED, _DOS_TIME, _DOS_DATE,
        part.crc, len(part.data), part.size, len(name), 0, 0, 0, 0, 0, offset,
    ) + name  # fmt: skip
