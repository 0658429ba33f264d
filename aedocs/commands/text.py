"""`aedocs text FILE`: the text of a .docx, one paragraph or table row a line.

The archive configures it as git's textconv for .docx (`diff.docx.textconv`), so
`git log -p`, `git diff` and `git show` in output/ print text. It reads the document's
XML directly: git runs it once per version shown, and python-docx alone would take
longer to import than this takes to run.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import click

from aedocs.diagnostics import AedocsError, Diagnostic
from aedocs.options import Options

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY = "word/document.xml"
CELL_SEPARATOR = " | "


def run(opts: Options, file: Path) -> int:
    path = file if file.is_absolute() else opts.directory / file
    try:
        data = path.read_bytes()
    except OSError as error:
        raise AedocsError([Diagnostic(str(file), 0, 0, f"cannot read: {error.strerror}")]) from None
    try:
        lines = docx_lines(data)
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as error:
        raise AedocsError([Diagnostic(str(file), 0, 0, f"not a readable .docx: {error}")]) from None
    click.echo("".join(f"{line}\n" for line in lines), nl=False)
    return 0


def docx_lines(data: bytes) -> list[str]:
    """Each non-empty paragraph and each table row of the document body, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = ET.fromstring(package.read(BODY)).find(f"{W}body")
    return [line for line in blocks(body) if line.strip()] if body is not None else []


def blocks(parent: ET.Element) -> Iterator[str]:
    for child in parent:
        if child.tag == f"{W}p":
            yield from paragraph_text(child).split("\n")
        elif child.tag == f"{W}tbl":
            for row in (row for row in child if row.tag == f"{W}tr"):
                cells = (" ".join(blocks(cell)) for cell in row if cell.tag == f"{W}tc")
                yield CELL_SEPARATOR.join(cells)
        else:  # content controls and the like wrap paragraphs and tables
            yield from blocks(child)


def paragraph_text(paragraph: ET.Element) -> str:
    parts = []
    runs = paragraph.iter(f"{W}r")  # also those inside hyperlinks; not tab stops
    for element in (part for run in runs for part in run):
        if element.tag == f"{W}t":
            parts.append(element.text or "")
        elif element.tag == f"{W}tab":
            parts.append("\t")
        elif element.tag in (f"{W}br", f"{W}cr") and element.get(f"{W}type") != "page":
            parts.append("\n")
    return "".join(parts)
