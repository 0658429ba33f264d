"""Reproducible zip packages: fixed dates and attributes, stable order, reusable parts."""

from __future__ import annotations

import io
import zipfile

from aedocs.render.package import CONTENT_TYPES, compress, write


def test_entries_have_fixed_dates_attributes_and_order() -> None:
    parts = [
        compress("word/document.xml", b"<doc/>" * 100),
        compress("_rels/.rels", b"<rels/>"),
        compress(CONTENT_TYPES, b"<types/>"),
        compress("docProps/core.xml", b"<core/>"),
    ]
    archive = zipfile.ZipFile(io.BytesIO(write(parts)))
    assert archive.testzip() is None
    infos = archive.infolist()
    assert [i.filename for i in infos] == [
        CONTENT_TYPES,
        "_rels/.rels",
        "docProps/core.xml",
        "word/document.xml",
    ]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {(i.create_system, i.external_attr, i.compress_type) for i in infos} == {
        (0, 0, zipfile.ZIP_DEFLATED)
    }
    assert archive.read("word/document.xml") == b"<doc/>" * 100


def test_the_same_parts_give_the_same_bytes_and_parts_can_be_reused() -> None:
    static = compress("word/styles.xml", b"<styles>" + b"x" * 5000 + b"</styles>")
    one = write([static, compress("word/document.xml", b"<a/>")])
    two = write([compress("word/document.xml", b"<a/>"), static])
    other = write([static, compress("word/document.xml", b"<b/>")])
    assert one == two
    assert zipfile.ZipFile(io.BytesIO(other)).read("word/styles.xml") == static_data()
    assert zipfile.ZipFile(io.BytesIO(other)).read("word/document.xml") == b"<b/>"


def static_data() -> bytes:
    return b"<styles>" + b"x" * 5000 + b"</styles>"


def test_non_ascii_names_are_marked_utf8_and_empty_parts_work() -> None:
    data = write([compress("media/año.txt", "ñ".encode()), compress("empty.xml", b"")])
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read("media/año.txt") == "ñ".encode()
    assert archive.read("empty.xml") == b""
    assert archive.getinfo("media/año.txt").flag_bits & 0x800
