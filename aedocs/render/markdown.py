"""Markdown to document tree: the one parser of what templates produce, raw HTML shown as text.

`escape` turns a plain value into Markdown that displays exactly as typed; `parse` turns
Markdown into an `xml.etree.ElementTree` tree (`div` root; blocks p, h1-h6, ul, ol, li,
table, blockquote, pre/code, hr; inline strong, em, code, a, br) for `docx` and `twin`.

The parser differs from stock Python-Markdown on purpose:
- raw HTML, entities and `<...>` autolinks are plain text, so `<b>x</b>` and `&amp;`
  print literally and no character of a plain value needs an HTML escape;
- headings are ATX (`# Title`) only: setext underlines are off, so a value of `===`
  placed under a line of text cannot turn that line into a heading;
- a soft line break inside a paragraph becomes one space (as a browser shows it);
- the text of inline and block code is as typed (no `&lt;`, no trailing newline), and
  escape placeholders are resolved.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache, lru_cache
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# Characters XML 1.0 cannot hold: C0 controls but tab/newline/return, lone surrogates, and
# the two non-characters. Markdown's own placeholders (STX, ETX) are among them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|>])")
_LIST_MARK = re.compile(r"^(?=[-+])")
_LIST_NUMBER = re.compile(r"^(\d+)\.")
_MARKUP = re.compile(r"[`\\\[*_]|  \n")  # what starts any inline pattern parse() keeps
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_CODE_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCKS = frozenset(("p", "ul", "ol", "li", "table", "blockquote", "pre", "hr", "div", *HEADINGS))


LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def linkable(href: str) -> bool:
    """Whether a link may stay live: web, mail and phone addresses only, never
    `javascript:`, `file:` or a relative path (which a sent document cannot resolve)."""
    return urlsplit(href.strip()).scheme.lower() in LINK_SCHEMES


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (NUL and other control codes)."""
    return _NOT_XML.sub("", text)


@lru_cache(maxsize=8192)  # documents repeat names, labels and dates many times over
def escape(text: str, *, breaks: bool = False) -> str:
    """Markdown that displays `text` exactly as typed, wherever a template places it.

    Every character Python-Markdown treats as markup is backslash-escaped (always for
    backslash, backtick, `*`, `_`, braces, brackets, parentheses, `#`, `|` and `>`; at the
    start of a line for `-`, `+` and the dot of `1.`). Leading and trailing spaces
    are dropped, as Markdown would drop them. A newline becomes a space, so a value stays
    inside its table cell, list item or heading; with `breaks=True` each non-blank line
    becomes a hard line break instead (for values placed in a paragraph of their own).
    """
    lines = [_escape_line(line) for line in clean(text).splitlines() if line.strip()]
    return "  \n".join(lines) if breaks else " ".join(lines)


def _escape_line(line: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", line.strip())
    return _LIST_NUMBER.sub(r"\1\\.", _LIST_MARK.sub("\\\\", escaped))


def parse(source: str) -> ET.Element:
    """The document tree of `source` (a `div` holding the blocks)."""
    md = _markdown()
    md.reset()
    capture = md.treeprocessors["capture"]
    assert isinstance(capture, _Capture)
    capture.tree = ET.Element("div")
    md.convert(clean(source))
    return capture.tree


class _PlainText(Treeprocessor):
    """Before the inline step: text without a markup character skips every inline pattern.

    Most text of a document is plain; trying ten patterns on each piece of it was most of
    the time spent parsing.
    """

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.text and not _MARKUP.search(element.text):
                element.text = AtomicString(element.text)
            if element.tail and not _MARKUP.search(element.tail):
                element.tail = AtomicString(element.tail)


class _Capture(Treeprocessor):
    """Last tree step: finish the tree, keep it, and hand Markdown nothing to serialise."""

    tree: ET.Element

    def run(self, root: ET.Element) -> ET.Element:
        _finish(root)
        self.tree = root
        return ET.Element("div")


def _finish(root: ET.Element) -> None:
    for element in root.iter():
        if element.tag == "code":
            element.text = _code_text(element.text or "")
        elif element.tag == "pre":
            for code in element:
                code.text = (code.text or "").rstrip("\n")
        elif element.text and element.tag != "pre":
            element.text = _SOFT_BREAK.sub(" ", element.text)
        if element.tail:
            tail = element.tail.lstrip() if element.tag == "br" else element.tail
            element.tail = _SOFT_BREAK.sub(" ", tail)


def list_item(item: ET.Element) -> tuple[list[ET.Element], list[ET.Element]]:
    """The inline children of a list item (after `item.text`) and the blocks that follow."""
    children = list(item)
    first_block = next((i for i, c in enumerate(children) if c.tag in BLOCKS), len(children))
    return children[:first_block], children[first_block:]


def table_rows(table: ET.Element) -> list[tuple[ET.Element, bool]]:
    """The rows of a table, each with whether it is a header row."""
    rows = [
        (row, section.tag == "thead") for section in table if section.tag != "tr" for row in section
    ]
    return rows + [(row, False) for row in table.iterfind("tr")]


def _code_text(text: str) -> str:
    for entity, char in _CODE_ENTITIES:
        text = text.replace(entity, char)
    return text


@cache
def _markdown() -> Markdown:
    # Extensions as objects, not names: a name is looked up among the entry points of
    # every installed package, which costs more than the rest of this function.
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    md = Markdown(
        extensions=[
            TableExtension(use_align_attribute=True),
            AttrListExtension(),
            SaneListExtension(),
        ]
    )
    md.preprocessors.deregister("html_block")
    md.parser.blockprocessors.deregister("setextheader")
    for name in ("html", "entity", "autolink", "automail"):
        md.inlinePatterns.deregister(name)
    md.treeprocessors.deregister("prettify")
    md.treeprocessors.register(_PlainText(md), "plain_text", 25)
    md.treeprocessors.register(_Capture(md), "capture", -100)
    return md
