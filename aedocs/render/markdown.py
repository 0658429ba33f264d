"""Markdown to document tree: the one parser of what templates produce, raw HTML shown as text.

`escape` turns a plain value into Markdown that displays exactly as typed; `parse` turns
Markdown into an `xml.etree.ElementTree` tree (`div` root; blocks p, h1-h6, ul, ol, li,
table, blockquote, pre/code, hr; inline strong, em, code, a, br) for `docx` and `twin`.

The parser differs from stock Python-Markdown on purpose:
- raw HTML, entities and `<...>` autolinks are plain text, so `<b>x</b>` and `&amp;`
  print literally and no character of a plain value needs an HTML escape;
- headings are ATX (`# Title`) only: setext underlines are off, so a value of `===`
  placed under a line of text cannot turn that line into a heading;
- a soft line break inside a paragraph becomes one space (as a browser shows it), or
  nothing between two Chinese or Japanese characters (as pandoc's east_asian_line_breaks);
- the text of inline and block code is as typed (no `&lt;`, no trailing newline), and
  escape placeholders are resolved.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import cast
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.tables import TableProcessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from aedocs.render import NOT_XML

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|>])")
_LIST_MARK = re.compile(r"^(?=[-+])")
_LIST_NUMBER = re.compile(r"^(\d+)\.")
_INLINE = re.compile(r"[`\[*_]|  \n")  # what starts an inline pattern but the escape
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)  # Python-Markdown's own escape pattern
_PLACEHOLDER = re.compile("\x02(\\d+)\x03")  # an escaped character, until the tree is done
_PIPES = re.compile(r"\\[\\|]|\|")  # in a table row: escaped backslash or pipe, or a pipe
_LIST_START = re.compile(r"^ {0,3}([-*+]|\d+[.)])[ \t]+\S")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
# Chinese and Japanese characters and punctuation (not Korean, which spaces its words):
# a line broken between two of them joins with no space, as their readers write it.
_IDEOGRAPHIC = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\U00020000-\U0003ffff"
)
_IDEOGRAPHIC_BREAK = re.compile(rf"(?<=[{_IDEOGRAPHIC}])[ \t]*\n[ \t]*(?=[{_IDEOGRAPHIC}])")
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
    return NOT_XML.sub("", text)  # Markdown's placeholders (STX, ETX) among them


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


def lists_after_paragraphs(text: str) -> str:
    """Let a list start right under a line of text, as users expect (and CommonMark does).

    Python-Markdown needs a blank line before a list, so a user's "Next steps:" followed
    by "- call Li" would print the dash; a blank line is inserted there.
    """
    if "\n" not in text:  # one line (a date, a sum, a name): nothing to insert
        return text
    out: list[str] = []
    in_list = False
    for line in text.split("\n"):
        starts = bool(_LIST_START.match(line))
        if starts and not in_list and out and out[-1].strip():
            out.append("")
        if not line.strip():
            in_list = False
        elif starts:
            in_list = True
        elif not line.startswith((" ", "\t")):
            in_list = in_list and bool(out) and bool(out[-1].strip())
        out.append(line)
    return "\n".join(out)


def parse(source: str) -> ET.Element:
    """The document tree of `source` (a `div` holding the blocks)."""
    md = _markdown()
    md.reset()
    capture = md.treeprocessors["capture"]
    assert isinstance(capture, _Capture)
    capture.tree = ET.Element("div")
    md.convert(clean(source))
    return capture.tree


class _Inline(Treeprocessor):
    """Python-Markdown's inline step, one text at a time, each distinct text worked once.

    Most text of a document is plain, or plain but for backslash escapes (every escaped
    value has some): it skips the inline patterns, its escapes replaced by the
    placeholder Python-Markdown's escape pattern leaves, so later steps (attribute lists)
    see what they saw before. Text with markup goes through the stock step, alone in a
    paragraph, and the nodes it makes are kept: labels such as `**Client:**` and lines
    a weekly report repeats from the minutes are worked out once per process. The result
    of a text does not depend on where it stands (no stock pattern looks at the
    enclosing tags), except for reference links, so text with a `[` is never reused.
    """

    LIMIT = 8192  # distinct texts kept; a large build forgets them all and starts over

    def __init__(self, md: Markdown, stock: InlineProcessor) -> None:
        super().__init__(md)
        self.stock = stock
        self.done: dict[str, tuple[str | None, list[ET.Element]]] = {}
        self.escaped = frozenset(md.ESCAPED_CHARS)

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):  # what the step adds is finished already
            children = list(parent)
            kept: list[ET.Element] = []  # the children, each followed by what its tail made
            text = parent.text
            if parent is not root and text and not isinstance(text, AtomicString):
                parent.text, nodes = self._inline(text)
                kept += nodes
            for child in children:
                kept.append(child)
                tail = child.tail
                if tail and not isinstance(tail, AtomicString):
                    child.tail, nodes = self._inline(tail)
                    kept += nodes
            if len(kept) != len(children):
                parent[:] = kept

    @property
    def stashed_nodes(self) -> dict[str, ET.Element | str]:
        """What inline patterns look up under the step's name while the stock step runs."""
        return self.stock.stashed_nodes

    def _inline(self, text: str) -> tuple[str | None, list[ET.Element]]:
        """The text before the first node, and the nodes (each with its tail)."""
        if not _INLINE.search(text):
            return AtomicString(_ESCAPE.sub(self._placeholder, text) if "\\" in text else text), []
        done = self.done.get(text)
        if done is None:
            holder = ET.Element("div")
            paragraph = ET.SubElement(holder, "p")
            paragraph.text = text
            self.stock.run(holder)
            done = paragraph.text, list(paragraph)
            if "[" not in text:
                if len(self.done) >= self.LIMIT:
                    self.done.clear()
                self.done[text] = done
            else:
                return done
        lead, nodes = done
        return lead, [copy.deepcopy(node) for node in nodes]

    def _placeholder(self, match: re.Match[str]) -> str:
        char = match[1]
        return f"\x02{ord(char)}\x03" if char in self.escaped else match[0]


class _AttrList(AttrListTreeprocessor):
    """Python-Markdown's attribute lists, looked for only where a `{` is.

    The stock step tries its patterns on every element; each of them needs a `{` in the
    element's text, its own tail or the tail of one of its children. The elements kept
    are handed over in the stock order (a parent before its children).
    """

    def run(self, doc: ET.Element) -> None:
        found: dict[ET.Element, None] = {}
        for element in doc.iter():
            if element.text and "{" in element.text:
                found[element] = None
            for child in element:
                if child.tail and "{" in child.tail:
                    found[element] = None
                    found[child] = None
        if found:
            super().run(cast(ET.Element, _Elements(list(found))))


class _Elements:
    """What `AttrListTreeprocessor.run` uses of a tree: its elements, in order."""

    def __init__(self, elements: list[ET.Element]) -> None:
        self.elements = elements

    def iter(self) -> Iterator[ET.Element]:
        return iter(self.elements)


class _Table(TableProcessor):
    """Python-Markdown's tables, with a row without code split without looking for code.

    `_split` is the stock processor's own step (not in its type stubs); were it renamed,
    this one would go unused and tables would still be split the stock way.
    """

    def _split(self, row: str) -> list[str]:
        if "`" in row:  # code may hold pipes: the stock way
            return super()._split(row)  # type: ignore[misc,no-any-return]
        cells, start = [], 0
        for match in _PIPES.finditer(row):
            if match[0] == "|":
                cells.append(row[start : match.start()])
                start = match.end()
        cells.append(row[start:])
        return cells


class _Capture(Treeprocessor):
    """Last tree step: finish the tree, keep it, and hand Markdown nothing to serialise."""

    tree: ET.Element

    def run(self, root: ET.Element) -> ET.Element:
        _finish(root)
        self.tree = root
        return ET.Element("div")


def _unescape(text: str) -> str:
    return _PLACEHOLDER.sub(lambda match: chr(int(match[1])), text) if "\x02" in text else text


def _spaced(text: str) -> str:
    """Soft line breaks (with the spaces around them) as one space, or as nothing
    between two Chinese or Japanese characters."""
    if "\n" not in text:
        return text
    return _SOFT_BREAK.sub(" ", _IDEOGRAPHIC_BREAK.sub("", text))


def _finish(root: ET.Element) -> None:
    """Resolve escape placeholders (as Python-Markdown's last step would), then make code
    text as typed and soft line breaks spaces."""
    for element in root.iter():
        if element.attrib:
            for key, value in cast("list[tuple[str, str | None]]", element.items()):
                if value is None:  # `{: word}`: a valueless attribute, which nothing uses
                    del element.attrib[key]
                elif "\x02" in value:
                    element.set(key, _unescape(value))
        tag, text, tail = element.tag, element.text, element.tail
        if tag == "code":
            element.text = _code_text(text or "")
        elif tag == "pre":
            for code in element:
                code.text = (code.text or "").rstrip("\n")
        elif text:
            element.text = _spaced(_unescape(text))
        if tail:
            tail = _unescape(tail)
            element.tail = _spaced(tail.lstrip() if tag == "br" else tail)


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
    """Python-Markdown with sane lists, tables and attribute lists, the last two in the
    faster forms above, and without raw HTML, entities, autolinks and setext headings."""
    # Extensions as objects, not names: a name is looked up among the entry points of
    # every installed package, which costs more than the rest of this function.
    from markdown.extensions.sane_lists import SaneListExtension

    md = Markdown(extensions=[SaneListExtension()])
    md.ESCAPED_CHARS.append("|")  # what the tables extension registers, by hand
    table = _Table(md.parser, {"use_align_attribute": True})
    md.parser.blockprocessors.register(table, "table", 75)
    md.parser.blockprocessors.deregister("setextheader")
    md.preprocessors.deregister("html_block")
    for name in ("html", "entity", "autolink", "automail"):
        md.inlinePatterns.deregister(name)
    stock = md.treeprocessors["inline"]
    assert isinstance(stock, InlineProcessor)
    md.treeprocessors.register(_Inline(md, stock), "inline", 20)
    md.treeprocessors.register(_AttrList(md), "attr_list", 8)
    md.treeprocessors.deregister("prettify")
    md.treeprocessors.deregister("unescape")  # done by _finish, which visits every element
    md.treeprocessors.register(_Capture(md), "capture", -100)
    return md
