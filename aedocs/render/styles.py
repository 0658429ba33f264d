"""`{: .StyleName}` in the *markdown* fields of the sources, checked against the workspace's
reference document without rendering a document: for `validate` and `status`.

Each markdown field is read as a build reads it (`lists_after_paragraphs`, then `parse`)
and laid out by the build's own `Body`, so a name is unknown here exactly when the build
would fail on it (`UnknownStyle`, with its message and hint). The build does not run this:
it finds the same problem when it renders. Plain fields are escaped, so no `{: .X}` in
them picks a style, and they are not looked at. Templates are left to the build.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from aedocs.diagnostics import AedocsError, Diagnostic
from aedocs.model import Markdown
from aedocs.source import Loc, Source, typed_text
from aedocs.workspace import Workspace

if TYPE_CHECKING:
    from aedocs.render.body import UnknownStyle


def check_styles(ws: Workspace, frozen: Collection[str] = ()) -> list[Diagnostic]:
    """Unknown paragraph styles in the markdown fields of the workspace's documents, at
    the line and column where each is typed; or the reference document's own problem
    when it cannot be used (as a build reports it). Only a text with a `{` can name a
    style: when none has one, the reference is not read (nor the renderer imported).
    `frozen`: outputs kept at a signed revision, which no build renders again: their
    sources are not looked at."""
    from aedocs.signing import output_of_source

    texts = [
        (doc.source, loc, text)
        for doc in ws.docs()
        if output_of_source(doc.source.rel) not in frozen
        for loc, text in markdown_fields(doc.model)
        if "{" in text
    ]
    if not texts:
        return []
    from aedocs.render.body import UnknownStyle
    from aedocs.render.docx import DocxRenderer
    from aedocs.render.markdown import lists_after_paragraphs, parse

    try:
        docx = DocxRenderer.of_workspace(ws.root)
    except AedocsError as exc:
        return list(exc.diagnostics)
    found = []
    for source, loc, text in texts:
        tree = parse(lists_after_paragraphs(text))
        while True:  # every unknown name of the text, not only its first
            try:
                docx.body().document(tree)
            except UnknownStyle as exc:
                found.append(_typed(source, loc, exc))
                if _without_class(tree, exc.name):
                    continue
            except RecursionError:  # nested too deeply: the build says so
                pass
            break
    return found


def _without_class(tree: ET.Element, name: str) -> bool:
    """Drop the class `name` wherever `tree` has it (laid out again, the text shows its
    next unknown name); whether there was any."""
    dropped = False
    for element in tree.iter():
        classes = element.get("class", "").split()
        if name in classes:
            element.set("class", " ".join(c for c in classes if c != name))
            dropped = True
    return dropped


def markdown_fields(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every markdown text in `value` (a model, or a list of them) and where it stands."""
    if isinstance(value, Markdown):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from markdown_fields(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from markdown_fields(item, (*loc, i))


def _typed(source: Source, loc: Loc, exc: UnknownStyle) -> Diagnostic:
    """`exc` where its `{: .Name}` is typed in the value at `loc`; at the value itself
    when the text as typed does not show it (written with escapes in quotes)."""
    from aedocs.render.body import typed_at

    line, col = source.place(loc)
    place = source.places.get(loc)
    if place is not None and 0 < place.line <= len(source.lines):
        end = (place.end_line or len(source.lines), place.end_col)
        first_line, typed = typed_text(source.lines, (place.line, place.col), end)
        at = typed_at("\n".join(typed), exc.name) if typed else None
        if at is not None:
            line, col = first_line + at[0] - 1, at[1]
    return Diagnostic(source.rel, line, col, str(exc))
