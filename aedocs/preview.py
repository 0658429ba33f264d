"""Preview: a live HTML view of output/ on 127.0.0.1 while `aedocs watch --serve` runs.

`/` lists every document by client and kind (and the problems of the last build when it
failed); `/<client>/` lists one client's documents only, so it can go on a projector in
front of that client; `/<client>/<kind>/<id>` shows a document's .md twin as HTML. Pages
poll `/_version` once a second and reload when a build has finished since they loaded.

The twin's text is the client's data: it is parsed by aedocs' own Markdown parser (raw
HTML stays text), links keep only web and mail addresses, and ElementTree writes the HTML,
escaping every character that could be markup. Requests must name 127.0.0.1 or localhost:
a web page elsewhere cannot read the preview through a name of its own that points here.
"""

from __future__ import annotations

import html
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from aedocs.diagnostics import Diagnostic
from aedocs.plan import FOLDERS
from aedocs.render.markdown import BLOCKS, linkable, parse

HOST = "127.0.0.1"
VERSION_PATH = "/_version"
_HOSTS = (HOST, "localhost")
_BREAK = " <br> "  # how the twin writes a line break inside a table cell
_KEPT_ATTRIBUTES = ("align", "start", "title")
_TAGS = BLOCKS | {"thead", "tbody", "tr", "th", "td", "strong", "em", "code", "a", "br", "span"}
_RELOAD = """<script>
setInterval(function () {
  fetch("%s", {cache: "no-store"}).then(function (r) { return r.text(); })
    .then(function (v) { if (v !== "%s") { location.reload(); } }, function () {});
}, 1000);
</script>"""
_STYLE = """<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.45; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .6rem; vertical-align: top; }
th { background: #f0f0f0; }
nav { font-size: .9rem; margin-bottom: 1rem; }
pre.problems { background: #fff0f0; border: 1px solid #d88; padding: .8rem; overflow-x: auto; }
</style>"""


class Preview:
    """The preview server; `built` tells it a build finished (pages then reload)."""

    def __init__(self, output: Path, port: int, verbose: bool = False) -> None:
        self.output = output
        self.verbose = verbose  # print each page served (not the version polls)
        self.version = 0
        self.problems: list[Diagnostic] = []  # of the last build, when it failed
        # aedocs' Markdown parser is one shared instance, also used by in-process rendering:
        # a build holds this lock while it runs, and so does each page while it parses.
        self.lock = threading.Lock()

        class Handler(_Handler):
            preview = self

        self._server = ThreadingHTTPServer((HOST, port), Handler)  # binds now: port in use?
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}/"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def built(self, failed: bool, diagnostics: Iterable[Diagnostic]) -> None:
        self.problems = sorted(diagnostics) if failed else []
        self.version += 1

    def documents(self, client: str | None = None) -> dict[str, dict[str, list[str]]]:
        """client -> kind -> ids of the documents in output/, in the order of FOLDERS."""
        found: dict[str, dict[str, list[str]]] = {}
        folders = sorted(p for p in self.output.glob("*") if p.is_dir())
        for folder in folders:
            if folder.name.startswith(".") or client not in (None, folder.name):
                continue
            kinds = {
                kind: sorted(p.stem for p in (folder / kind).glob("*.md"))
                for kind in FOLDERS
                if (folder / kind).is_dir()
            }
            found[folder.name] = {kind: ids for kind, ids in kinds.items() if ids}
        return found

    def twin(self, client: str, kind: str, doc_id: str) -> Path | None:
        """The .md twin of a listed document; None for anything else (no path tricks)."""
        if doc_id in self.documents(client).get(client, {}).get(kind, []):
            return self.output / client / kind / f"{doc_id}.md"
        return None


class _Handler(BaseHTTPRequestHandler):
    preview: Preview

    def do_GET(self) -> None:
        host = self.headers.get("Host", "").rpartition(":")[0]
        if host not in _HOSTS:  # another site's page, its name pointed at 127.0.0.1
            self._send("forbidden", "text/plain", HTTPStatus.FORBIDDEN)
            return
        path = unquote(urlsplit(self.path).path)
        if path == VERSION_PATH:
            self._send(str(self.preview.version), "text/plain")
            return
        parts = [p for p in path.split("/") if p]
        page = None
        if not parts:
            page = index_page(self.preview, None)
        elif len(parts) == 1 and path.endswith("/"):
            page = index_page(self.preview, parts[0])
        elif len(parts) == 3:
            page = document_page(self.preview, *parts)
        if page is None:
            self._send("not found", "text/plain", HTTPStatus.NOT_FOUND)
        else:
            self._send(page, "text/html")
        if self.preview.verbose:
            found = "served" if page is not None else "not found"
            sys.stderr.write(f"preview: {found} {self.path}\n")

    def _send(self, body: str, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for build results (with -v, pages are listed)."""


def index_page(preview: Preview, client: str | None) -> str | None:
    """Every document (or one client's), by client and kind, linked."""
    listing = preview.documents(client)
    if client is not None and client not in listing:
        return None
    body = []
    if client is not None:
        body.append('<nav><a href="/">all clients</a></nav>')
    elif preview.problems:
        lines = "\n".join(html.escape(d.format()) for d in preview.problems)
        body.append(f"<h2>The last build failed</h2>\n<pre class=problems>{lines}</pre>")
    for name, kinds in listing.items():
        body.append(f'<h2><a href="/{quote(name)}/">{html.escape(name)}</a></h2>')
        for kind, ids in kinds.items():
            links = "".join(
                f'<li><a href="/{quote(name)}/{kind}/{quote(i)}">{html.escape(i)}</a></li>'
                for i in ids
            )
            body.append(f"<h3>{kind}</h3>\n<ul>{links}</ul>")
    if not listing:
        body.append("<p>No documents yet.</p>")
    return _page(client or "aedocs preview", "\n".join(body), preview.version)


def document_page(preview: Preview, client: str, kind: str, doc_id: str) -> str | None:
    """One document's twin as HTML, with a link to its client's list."""
    twin = preview.twin(client, kind, doc_id)
    if twin is None:
        return None
    try:
        text = twin.read_text(encoding="utf-8")
    except OSError:
        return None  # removed by a build since it was listed
    with preview.lock:
        content = to_html(text)
    nav = f'<nav><a href="/{quote(client)}/">{html.escape(client)}</a> / {html.escape(kind)}</nav>'
    return _page(f"{doc_id} ({client})", nav + "\n" + content, preview.version)


def to_html(markdown: str) -> str:
    """The HTML of a twin (or any Markdown a user wrote), with nothing that can run."""
    tree = parse(markdown)
    for element in tree.iter():
        if element.tag not in _TAGS:
            element.tag = "span"
        for name in list(element.attrib):
            if name == "href" and linkable(element.attrib[name]):
                continue
            if name not in _KEPT_ATTRIBUTES:
                del element.attrib[name]
    for cell in [*tree.iter("td"), *tree.iter("th")]:
        _line_breaks(cell)
    return ET.tostring(tree, encoding="unicode", method="html")


def _line_breaks(element: ET.Element) -> None:
    """Make each ` <br> ` in the text a line break: the twin's way of writing one inside a
    table cell, which Markdown cannot hold otherwise."""
    for child in element:
        _line_breaks(child)
    element.text, children = _split(element.text)
    for child in list(element):
        child.tail, after = _split(child.tail)
        children += [child, *after]
    element[:] = children


def _split(text: str | None) -> tuple[str | None, list[ET.Element]]:
    """The text before the first break, and a `br` for each break with the text after it."""
    first, *rest = (text or "").split(_BREAK)
    breaks = []
    for part in rest:
        br = ET.Element("br")
        br.tail = part
        breaks.append(br)
    return first or None, breaks


def _page(title: str, body: str, version: int) -> str:
    return (
        "<!doctype html>\n<html><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title>\n{_STYLE}\n"
        f"{_RELOAD % (VERSION_PATH, version)}\n</head>\n<body>\n{body}\n</body></html>\n"
    )
