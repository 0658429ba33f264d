"""`aedocs sign SOURCE --by ID [--on DATE]`: record a signature's date in a source file.

Only that signature's entry changes: the date is written into the file's own text where
the entry stands (flow `{by: ana}` or block `- by: ana`), so comments, quoting and layout
stay as they were. The edited text is read back and must say what the old one said plus
that date, or nothing is written. It does not build.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import click
import yaml

from aedocs.archive import Archive
from aedocs.diagnostics import AedocsError, Diagnostic, did_you_mean
from aedocs.load import load_bytes
from aedocs.manifest import OUTPUT_DIR
from aedocs.options import Options
from aedocs.signing import earliest_signature, output_of_source, signed_versions
from aedocs.validate import check
from aedocs.workspace import (
    CLIENT_FILE,
    Doc,
    Workspace,
    find_root,
    given_path,
    load_workspace,
)
from aedocs.write import write_bytes

BOM = "\ufeff"


def run(opts: Options, source: Path, by: str, on: dt.date | None = None) -> int:
    root = find_root(opts.directory)
    path = (opts.directory / source).resolve()
    rel = given_path(root, path, source)
    if not path.is_file():
        why = "a folder: sign one document's file" if path.is_dir() else "no such file"
        raise AedocsError([Diagnostic(rel, 0, 0, why)])
    ws = load_workspace(root)
    doc = signable(ws, rel)
    day = on or dt.date.today()
    index = signature_index(doc, by, day)
    after_last_revision(root, doc, index, day)
    write_signature(doc, index, day)
    if not opts.quiet:
        click.echo(f"{rel}: signed by {by} on {day.isoformat()} (revision {doc.model.revision})")
        click.echo(still_to_sign(doc, by, day))
    return 0


def signable(ws: Workspace, rel: str) -> Doc:
    """The document at `rel`, if it validates; else AedocsError with its problems (or
    those of its client file, without which it is not read)."""
    parts = rel.split("/")
    client_file = "/".join([*parts[:2], CLIENT_FILE]) if len(parts) > 2 else None
    found = [d for d in check(ws) if d.is_error]
    errors = [d for d in found if d.path == rel]
    errors += [d for d in found if d.path == client_file and client_file != rel]
    if errors:
        raise AedocsError([*errors, Diagnostic(rel, 0, 0, "not signed: fix its errors first")])
    doc = next((d for d in ws.docs() if d.source.rel == rel), None)
    if doc is None:
        raise AedocsError(
            [
                Diagnostic(
                    rel,
                    0,
                    0,
                    "not a document: sign a meeting, proposal, schedule or work order "
                    "(clients/<client>/<meetings|proposals|schedules|workorders>/<file>.yaml)",
                )
            ]
        )
    return doc


def signature_index(doc: Doc, by: str, day: dt.date) -> int:
    """Which entry of `signatures` `by` signs; AedocsError if they cannot sign on `day`."""
    sigs = doc.model.signatures
    listed = [sig.by for sig in sigs]
    if by not in listed:
        raise AedocsError(
            [
                doc.source.error(
                    ("signatures",),
                    f"'{by}' is not among the signers of this document "
                    f"({', '.join(listed) or 'none listed'}){did_you_mean(by, listed)}",
                    key=True,
                )
            ]
        )
    index = listed.index(by)
    signed_on = sigs[index].on
    if signed_on is not None:
        raise AedocsError(
            [doc.source.error(("signatures", index, "on"), f"{by} already signed on {signed_on}")]
        )
    if day < doc.model.issued:
        raise AedocsError(
            [
                doc.source.error(
                    ("signatures", index, "by"),
                    f"{day} is before the document's own date ({doc.model.issued}); "
                    "no one signs it before then",
                )
            ]
        )
    return index


def after_last_revision(root: Path, doc: Doc, index: int, day: dt.date) -> None:
    """AedocsError if `day` comes before the previous revision was signed."""
    signed = signed_versions(Archive(root / OUTPUT_DIR)).get(output_of_source(doc.source.rel) or "")
    earliest = earliest_signature(signed or {}, doc.model.revision)
    if earliest is not None and day < earliest:
        raise AedocsError(
            [
                doc.source.error(
                    ("signatures", index, "by"),
                    f"{day} is before revision {doc.model.revision - 1} was signed "
                    f"({earliest}); revision {doc.model.revision} is signed after that",
                )
            ]
        )


def write_signature(doc: Doc, index: int, day: dt.date) -> None:
    """Write `on: <day>` into entry `index` of the file, after checking the result."""
    source = doc.source
    raw = source.path.read_bytes()
    text = raw.decode("utf-8-sig")
    edited = with_date(text, index, day)
    expected = copy.deepcopy(source.data)
    expected["signatures"][index]["on"] = day
    reread, problems = load_bytes(edited.encode(), source.path, source.rel)
    if problems or reread is None or reread.data != expected:
        line, col = source.place(("signatures", index))
        raise AedocsError(
            [
                Diagnostic(
                    source.rel,
                    line,
                    col,
                    "cannot add the date here without changing anything else; "
                    f"write on: {day.isoformat()} into this entry by hand",
                )
            ]
        )
    bom = BOM if raw.startswith(BOM.encode()) else ""
    write_bytes(source.path, (bom + edited).encode())


def with_date(text: str, index: int, day: dt.date) -> str:
    """`text` with `on: <day>` in entry `index` of its top-level `signatures`."""
    root: Any = yaml.compose(text, Loader=yaml.SafeLoader)  # the file loaded: a mapping
    signatures = next(value for key, value in root.value if key.value == "signatures")
    entry = signatures.value[index]
    stamp = day.isoformat()
    for key, value in entry.value:
        if key.value == "on":  # there, but empty: `on:`, `on: null`, `on: ~`
            colon = text.index(":", key.end_mark.index)
            end = max(value.end_mark.index, colon + 1)
            return f"{text[: colon + 1]} {stamp}{text[end:]}"
    last = entry.value[-1][1].end_mark.index
    if entry.flow_style:
        return f"{text[:last]}, on: {stamp}{text[last:]}"
    line_end = text.find("\n", last)
    line_end = len(text) if line_end < 0 else line_end
    newline = "\r\n" if text[line_end - 1 : line_end + 1] == "\r\n" else "\n"
    if newline == "\r\n":
        line_end -= 1
    indent = " " * entry.value[0][0].start_mark.column
    return f"{text[:line_end]}{newline}{indent}on: {stamp}{text[line_end:]}"


def still_to_sign(doc: Doc, by: str, day: dt.date) -> str:
    """Who has yet to sign, or what the next build does now that all have (`by` on
    `day`): a build dated before the last signature does not see it yet."""
    waiting = [sig.by for sig in doc.model.signatures if sig.on is None and sig.by != by]
    if waiting:
        return f"waiting for: {', '.join(waiting)}"
    rel = output_of_source(doc.source.rel)
    last = max([day, *(sig.on for sig in doc.model.signatures if sig.on and sig.by != by)])
    when = "the next build" if last <= dt.date.today() else f"the first build dated {last} or later"
    return f"every signature is in: {when} tags output/{rel}.docx and freezes it"
