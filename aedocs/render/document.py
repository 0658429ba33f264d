"""One output, start to finish in memory: context -> template -> Markdown -> .docx and twin.

A `Renderer` is made once per process: it holds the Jinja environment and the reference
document's styles, so each document costs only its own work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aedocs.diagnostics import Diagnostic
from aedocs.model import WorkOrder
from aedocs.plan import Output
from aedocs.render import body, context, i18n
from aedocs.render.docx import DocumentInfo, DocxRenderer
from aedocs.render.files import (
    TEMPLATE_SUFFIX,
    template_files,
    template_folders,
)
from aedocs.render.jinja import TemplatePlaces, environment, render_template
from aedocs.render.markdown import parse
from aedocs.render.twin import to_markdown
from aedocs.workspace import Workspace

_PREPARE_DAY = dt.date(2000, 1, 3)  # any day: formatting it loads a language's locale data
TEMPLATE_CACHE = ".aedocs/cache/templates"  # compiled templates, for the next build


@dataclass(frozen=True)
class Rendered:
    docx: bytes
    markdown: str  # the text twin


class Renderer:
    """Templates and reference styles of the workspace at `root`; `use` gives it the
    workspace read (config and clients) before it renders."""

    ws: Workspace

    def __init__(self, root: Path) -> None:
        self.root = root
        folders = template_folders(root)
        self.env = environment(folders, root / TEMPLATE_CACHE)
        self.docx = DocxRenderer.of_workspace(root)
        self.names = sorted({p.name for f in folders for p in f.glob(f"*{TEMPLATE_SUFFIX}")})
        self.places = TemplatePlaces(root, folders)  # how diagnostics name template files

    def place(self, out: Output, style: str, message: str) -> Diagnostic:
        """`message` about `{: .style}`, at the line and column where it is typed: in a
        source of `out`, else in a template; at the output when it is in neither."""
        files = [(rel, self.root / rel) for rel in out.inputs]
        files += [(self.places(str(p)), p) for f in self.places.folders for p in template_files(f)]
        for rel, path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            found = body.typed_at(text, style)
            if found:
                return Diagnostic(rel, *found, message)
        return Diagnostic(f"output/{out.rel}.docx", 0, 0, message)

    def use(self, ws: Workspace) -> Renderer:
        self.ws = ws
        return self

    def head_start(self) -> Iterator[None]:
        """Do, a step at a time, what the first documents would otherwise do: compile
        each template and the Chinese pattern, and make the Markdown parser. Only caches
        fill; a template with an error is reported, with its line, when a document is
        rendered. A worker takes a step whenever it has nothing else to do."""
        for name in self.names:
            with contextlib.suppress(Exception):  # reported when a document is rendered
                self.env.get_template(name)
            yield
        parse("")
        yield
        body.prepare()

    def prepare(self, clients: Iterable[str]) -> None:
        """Load the locale data of each language these clients write in."""
        currency = self.ws.config.currency
        for lang in {context.language(self.ws, self.ws.clients[c]) for c in clients}:
            i18n.labels(lang)
            i18n.format_date(_PREPARE_DAY, lang)
            i18n.format_money(1.0, currency, lang)
            i18n.format_number(1, lang)

    def context(self, out: Output) -> dict[str, Any]:
        client = self.ws.clients[out.client]
        if out.report is not None:
            return context.weekly(self.ws, client, out.report)
        assert out.doc is not None
        if out.folder == "invoices":
            return context.invoice(self.ws, client, out.doc)
        return context.document(self.ws, client, out.doc, out.unsigned)

    def render(self, out: Output) -> Rendered:
        ctx = self.context(out)
        text = render_template(self.env, out.template + TEMPLATE_SUFFIX, ctx, self.places)
        tree = parse(text)
        info = DocumentInfo(
            title=f"{ctx['t'][out.template]}: {ctx['title']}",
            author=self.ws.config.agency.name,
            language=ctx["lang"],
            date=_document_date(out),
            header_left=self.ws.config.agency.name,
            header_right=str(ctx["title"]),
            subject=self.ws.clients[out.client].model.name,
        )
        return Rendered(self.docx.render(tree, info), to_markdown(tree))


def _document_date(out: Output) -> dt.date:
    """The date the document carries in its properties: its own, never the build's."""
    if out.report is not None:
        return out.report.week.delivery
    assert out.doc is not None
    model = out.doc.model
    if out.folder == "invoices" and isinstance(model, WorkOrder):
        if model.invoice:
            return model.invoice.issued
        return model.delivered or model.issued
    return model.issued
