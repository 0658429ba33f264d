"""The document tree as WordprocessingML: the body, its numbering instances and its
hyperlink relationships, written with the reference's style ids (resolved once).

What each element becomes is described in `aedocs.render.docx`.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import zip_longest
from typing import NamedTuple
from urllib.parse import quote

from aedocs.diagnostics import did_you_mean
from aedocs.render.markdown import BLOCKS, HEADINGS, clean, linkable, list_item, table_rows
from aedocs.render.reference import (
    HYPERLINK,
    XML_HEAD,
    R,
    Reference,
    W,
    style_key,
)

_HAN = (
    "\u2e80-\u2fdf\u3000-\u303f\u3100-\u312f\u31a0-\u31bf\u3200-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
)
_ALIGN = {"left": "left", "center": "center", "right": "right"}
_CHAR_TWIPS = 105  # a generous average character of table text (bold headings, wide fonts)
_CELL_PADDING = 3  # characters for the cell margins
_BREAKS = re.compile(r"[ \t\n]+")  # where a line may wrap: not at a no-break space (12 €)
_NOT_PLAIN = re.compile('[&<>"\x00-\x1f\ud800-\udfff\ufffe\uffff]')  # what xml_text() changes
_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
# Letters of scripts written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko, their
# presentation forms and the historic ones beyond the first plane.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_TAG = re.compile(r"<[^>]*>")
_BIDI = "<w:bidi/>"  # a paragraph laid out right to left


# Classes of so many characters take milliseconds to compile: the Chinese one is made the
# first time a text holds a character from U+2E80 on (no character before it is Chinese or
# wide), which most Spanish or English never does. `_WIDE` finds those characters; written
# as a negated class it compiles in a fraction of the time.
_WIDE = re.compile("[^\x00-\u2e7f]")


@cache
def _chinese() -> re.Pattern[str]:
    return re.compile(f"[{_HAN}]+(?:\\s+[{_HAN}]+)*")


def prepare() -> None:
    """Compile the Chinese pattern now: for a worker with time to spare (about 8 ms)."""
    _chinese()


def _first_strong(text: str) -> str | None:
    """The direction of the first letter of `text` with one: "L" or "R" (any right-to-left
    class), None if it has no such letter; as a reader takes a paragraph's direction."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return None


def _right_to_left(text: str) -> bool:
    """Whether a paragraph of `text` reads right to left: its first letter does."""
    return not text.isascii() and _RTL.search(text) is not None and _first_strong(text) == "R"


def _all_right_to_left(text: str) -> bool:
    """Whether `text` has right-to-left letters and no left-to-right ones: a run Word must
    lay out right to left, its spaces, digits and punctuation included."""
    if text.isascii() or _RTL.search(text) is None:
        return False
    return all(unicodedata.bidirectional(c) != "L" for c in text)


def _is_narrow(text: str) -> bool:
    """True when no character of `text` is wide (or Chinese): the common case, quickly."""
    return text.isascii() or _WIDE.search(text) is None


def _has_chinese(text: str) -> bool:
    return not _is_narrow(text) and _chinese().search(text) is not None


@dataclass(frozen=True)
class StyleIds:
    """The ids of the styles the mapping uses, looked up once by name."""

    body: str
    bullet: str
    number: str
    list_continue: str
    quote: str
    code_block: str
    table_text: str
    table_heading: str
    headings: tuple[str, ...]
    table: str
    code: str
    hyperlink: str

    @classmethod
    def resolve(cls, reference: Reference) -> StyleIds:
        def find(styles: dict[str, str], name: str) -> str:
            if style_key(name) not in styles:
                raise ValueError(f"the reference .docx has no style {name!r}")
            return styles[style_key(name)]

        paragraph = reference.paragraph_styles
        return cls(
            body=find(paragraph, "Body Text"),
            bullet=find(paragraph, "List Bullet"),
            number=find(paragraph, "List Number"),
            list_continue=find(paragraph, "List Continue"),
            quote=find(paragraph, "Quote"),
            code_block=find(paragraph, "Code Block"),
            table_text=find(paragraph, "Table Text"),
            table_heading=find(paragraph, "Table Heading"),
            headings=tuple(find(paragraph, f"heading {n}") for n in range(1, 7)),
            table=find(reference.table_styles, "Agency Table"),
            code=find(reference.character_styles, "Code"),
            hyperlink=find(reference.character_styles, "Hyperlink"),
        )


class _Format(NamedTuple):
    bold: bool = False
    italic: bool = False
    style: str = ""  # a character style id


_PLAIN = _Format()


class UnknownStyle(ValueError):
    """`{: .Name}` names a style the reference document does not have."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def typed_at(text: str, name: str) -> tuple[int, int] | None:
    """Line and column (1-based) of the first `{: .name}` typed in `text`, if any: where a
    diagnostic about the style `name` points."""
    found = re.search(rf"\{{:[^}}\n]*\.{re.escape(name)}(?![\w-])", text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return line, found.start() - text.rfind("\n", 0, found.start())


class Body:
    """One document's body, numbering instances and hyperlink relationships."""

    def __init__(self, reference: Reference, ids: StyleIds) -> None:
        self._ref = reference
        self._ids = ids
        self._out: list[str] = []
        self._lists: list[str] = []
        self._links: dict[str, str] = {}
        self._page_break = False

    def document(self, tree: ET.Element) -> str:
        self._blocks(tree, self._ids.body)
        return (
            f'{XML_HEAD}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
            f"{''.join(self._out)}{self._ref.section}</w:body></w:document>"
        )

    def numbering(self) -> str:
        return f"{self._ref.numbering}{''.join(self._lists)}</w:numbering>"

    def relationships(self) -> str:
        links = "".join(
            f'<Relationship Id="{rid}" Type="{HYPERLINK}" Target="{xml_text(target)}" '
            'TargetMode="External"/>'
            for target, rid in self._links.items()
        )
        return f"{self._ref.relationships}{links}</Relationships>"

    # blocks

    def _blocks(self, parent: ET.Element, paragraph_style: str) -> None:
        for child in parent:
            self._block(child, paragraph_style)

    def _block(self, element: ET.Element, paragraph_style: str) -> None:
        tag = element.tag
        if tag == "p":
            self._paragraph(self._style(element, paragraph_style), self._inline(element))
        elif tag in HEADINGS:
            heading = self._ids.headings[int(tag[1]) - 1]
            self._paragraph(self._style(element, heading), self._inline(element))
        elif tag in ("ul", "ol"):
            self._list(element, 0)
        elif tag == "table":
            self._table(element)
        elif tag == "blockquote":
            self._blocks(element, self._style(element, self._ids.quote))
        elif tag == "pre":
            self._code_block(element)
        elif tag == "hr":
            self._page_break = True
        else:
            self._blocks(element, paragraph_style)

    def _paragraph(self, style: str, runs: str, properties: str = "") -> None:
        page_break = "<w:pageBreakBefore/>" if self._page_break else ""
        self._page_break = False
        if _RTL.search(runs) and _right_to_left(_TAG.sub("", runs)):
            # After a list's numbering, before indents and alignment: the schema's order.
            end = properties.find("</w:numPr>")
            at = end + len("</w:numPr>") if end >= 0 else 0
            properties = properties[:at] + _BIDI + properties[at:]
        self._out.append(
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{page_break}{properties}</w:pPr>{runs}</w:p>'
        )

    def _style(self, element: ET.Element, default: str) -> str:
        classes = element.get("class", "").split()
        if not classes:
            return default
        name = classes[-1]
        styles = self._ref.paragraph_styles
        if style_key(name) not in styles:
            hint = did_you_mean(name, styles.values())
            raise UnknownStyle(name, f"unknown paragraph style {name!r}{hint}")
        return styles[style_key(name)]

    def _code_block(self, element: ET.Element) -> None:
        code = element.find("code")
        text = (code if code is not None else element).text or ""
        lines = text.rstrip("\n").split("\n")
        runs = "<w:r><w:br/></w:r>".join(
            _runs(line, _PLAIN, self._ref.east_asia_font) for line in lines
        )
        self._paragraph(self._style(element, self._ids.code_block), runs)

    # lists

    def _list(self, element: ET.Element, depth: int) -> None:
        depth, ordered = min(depth, 8), element.tag == "ol"
        number_id = len(self._lists) + 1
        abstract = self._ref.number_list if ordered else self._ref.bullet_list
        start = element.get("start", "1")
        restart = (
            f'<w:lvlOverride w:ilvl="{depth}"><w:startOverride w:val="'
            f'{int(start) if start.isdigit() else 1}"/></w:lvlOverride>'
        )
        self._lists.append(
            f'<w:num w:numId="{number_id}"><w:abstractNumId w:val="{abstract}"/>'
            f"{restart if ordered else ''}</w:num>"
        )
        style = self._ids.number if ordered else self._ids.bullet
        for item in element.iterfind("li"):
            self._item(item, depth, number_id, style)

    def _item(self, item: ET.Element, depth: int, number_id: int, style: str) -> None:
        style = self._style(item, style)
        numbered = f'<w:numPr><w:ilvl w:val="{depth}"/><w:numId w:val="{number_id}"/></w:numPr>'
        inline, blocks = list_item(item)
        if (item.text or "").strip() or inline or not blocks or blocks[0].tag != "p":
            self._paragraph(style, self._inline(item, inline), numbered)
            numbered = ""
        for child in blocks:
            if child.tag in ("ul", "ol"):
                self._list(child, depth + 1)
            elif child.tag == "p" and numbered:
                self._paragraph(self._style(child, style), self._inline(child), numbered)
                numbered = ""
            elif child.tag == "p":
                indent = self._ref.list_indents[depth] if depth < len(self._ref.list_indents) else 0
                continued = self._style(child, self._ids.list_continue)
                self._paragraph(continued, self._inline(child), f'<w:ind w:left="{indent}"/>')
            else:
                self._block(child, self._ids.list_continue)

    # tables

    def _table(self, element: ET.Element) -> None:
        rows = table_rows(element)
        if not rows:
            return
        if self._page_break:
            self._out.append(_PAGE_BREAK)
            self._page_break = False
        if self._out and self._out[-1] == "</w:tbl>":
            self._out.append("<w:p/>")  # two tables that touch become one in Word
        texts = [["".join(cell.itertext()) for cell in row] for row, _ in rows]
        widths = column_widths(texts, self._ref.text_width)
        self._out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self._ids.table}"/>'
            f'<w:tblW w:w="{self._ref.text_width}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="0620" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
            + "</w:tblGrid>"
        )
        for row, header in rows:
            header_row = "<w:tblHeader/>" if header else ""
            self._out.append(f"<w:tr><w:trPr><w:cantSplit/>{header_row}</w:trPr>")
            cells = list(row)
            for i, width in enumerate(widths):
                self._cell(cells[i] if i < len(cells) else None, width, header)
            self._out.append("</w:tr>")
        self._out.append("</w:tbl>")

    def _cell(self, cell: ET.Element | None, width: int, header: bool) -> None:
        style = self._ids.table_heading if header else self._ids.table_text
        if cell is not None and not len(cell):  # text alone: most cells, many alike
            align = _ALIGN.get(cell.get("align", ""), "")
            font = self._ref.east_asia_font
            self._out.append(_text_cell(width, style, align, cell.text or "", font))
            return
        self._out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
        start = len(self._out)
        if cell is not None and any(child.tag in BLOCKS for child in cell):
            self._blocks(cell, style)
        elif cell is not None:
            align = _ALIGN.get(cell.get("align", ""), "")
            self._paragraph(style, self._inline(cell), f'<w:jc w:val="{align}"/>' if align else "")
        if len(self._out) == start or self._out[-1].endswith("</w:tbl>"):
            self._paragraph(style, "")  # a cell ends with a paragraph
        self._out.append("</w:tc>")

    # inline

    def _inline(self, element: ET.Element, children: list[ET.Element] | None = None) -> str:
        return self._content(element.text, element if children is None else children, _PLAIN)

    def _content(self, text: str | None, children: Iterable[ET.Element], fmt: _Format) -> str:
        font = self._ref.east_asia_font
        out = [_runs(text, fmt, font)] if text else []
        for child in children:
            out.append(self._element(child, fmt))
            if child.tail:
                out.append(_runs(child.tail, fmt, font))
        return "".join(out)

    def _element(self, element: ET.Element, fmt: _Format) -> str:
        tag = element.tag
        if tag in ("strong", "b"):
            return self._content(element.text, element, fmt._replace(bold=True))
        if tag in ("em", "i"):
            return self._content(element.text, element, fmt._replace(italic=True))
        if tag == "code":
            code = fmt._replace(style=self._ids.code)
            return _runs(element.text or "", code, self._ref.east_asia_font)
        if tag == "br":
            return "<w:r><w:br/></w:r>"
        if tag == "a":
            return self._link(element, fmt)
        if tag == "img":
            return _runs(element.get("alt", ""), fmt, self._ref.east_asia_font)
        return self._content(element.text, element, fmt)

    def _link(self, element: ET.Element, fmt: _Format) -> str:
        runs = self._content(element.text, element, fmt._replace(style=self._ids.hyperlink))
        href = element.get("href", "").strip()
        if not linkable(href):
            return runs
        target = quote(href, safe="/:?#[]@!$&'()*+,;=%~")
        rid = self._links.setdefault(target, f"rIdLink{len(self._links) + 1}")
        return f'<w:hyperlink r:id="{rid}" w:history="1">{runs}</w:hyperlink>'


@lru_cache(maxsize=16384)  # a schedule's grid and a report's columns repeat their cells
def _text_cell(width: int, style: str, align: str, text: str, east_asia_font: str) -> str:
    """A table cell holding one paragraph of plain text, as `Body._cell` writes it."""
    justified = f'<w:jc w:val="{align}"/>' if align else ""
    bidi = _BIDI if _right_to_left(text) else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{bidi}{justified}</w:pPr>'
        f"{_runs(text, _PLAIN, east_asia_font)}</w:p></w:tc>"
    )


@lru_cache(maxsize=16384)  # names, labels, dates and statuses repeat across documents
def _runs(text: str, fmt: _Format, east_asia_font: str) -> str:
    """Runs of `text`: Chinese stretches get runs of their own, marked as Chinese."""
    if not text:
        return ""
    if not _has_chinese(text):
        return _run(text, _properties(fmt, "", _all_right_to_left(text)))
    out, position = [], 0
    for match in _chinese().finditer(text):
        if match.start() > position:
            out.append(_run(text[position : match.start()], _properties(fmt, "")))
        out.append(_run(match.group(), _properties(fmt, east_asia_font)))
        position = match.end()
    if position < len(text):
        out.append(_run(text[position:], _properties(fmt, "")))
    return "".join(out)


def _run(text: str, properties: str) -> str:
    return f'<w:r>{properties}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'


@cache
def _properties(fmt: _Format, east_asia_font: str, rtl: bool = False) -> str:
    """The w:rPr of a run; `east_asia_font` marks a run of Chinese text, `rtl` one of
    right-to-left text."""
    style = f'<w:rStyle w:val="{fmt.style}"/>' if fmt.style else ""
    fonts = f'<w:rFonts w:eastAsia="{east_asia_font}" w:hint="eastAsia"/>' if east_asia_font else ""
    bold = "<w:b/><w:bCs/>" if fmt.bold else ""
    italic = "<w:i/><w:iCs/>" if fmt.italic else ""
    right = "<w:rtl/>" if rtl else ""
    lang = '<w:lang w:eastAsia="zh-CN"/>' if east_asia_font else ""
    inner = style + fonts + bold + italic + right + lang
    return f"<w:rPr>{inner}</w:rPr>" if inner else ""


def xml_text(text: str) -> str:
    """`text` as XML character data or attribute value, unrepresentable characters dropped."""
    if not _NOT_PLAIN.search(text):
        return text
    text = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("\t", " ").replace("\n", " ").replace("\r", "")


def column_widths(rows: list[list[str]], total: int) -> list[int]:
    """Column widths in twips that add up to `total`, shared out by the text in each column.

    Each column asks for its longest text (capped, so a long cell wraps rather than
    squeezing the rest) and gets at least its longest word where the page allows.
    """
    columns = [list(map(_measure, column)) for column in zip_longest(*rows, fillvalue="")]
    wanted: list[float] = [
        min(max(width for width, _ in column), 60) + _CELL_PADDING for column in columns
    ]
    least = [min(max(word for _, word in column), 18) + _CELL_PADDING for column in columns]
    room = total / _CHAR_TWIPS
    if sum(wanted) > room:
        spare = max(room - sum(least), 0)
        extra = [w - m for w, m in zip(wanted, least, strict=True)]
        wanted = [m + spare * e / (sum(extra) or 1) for m, e in zip(least, extra, strict=True)]
    widths = [int(total * w / sum(wanted)) for w in wanted]
    widths[-1] += total - sum(widths)
    return widths


@lru_cache(maxsize=16384)  # cells repeat: marks of a schedule's grid, names, dates
def _measure(text: str) -> tuple[int, int]:
    """The width of a cell's text and of its longest word."""
    return _text_width(text), _longest_word(text)


def _text_width(text: str) -> int:
    if _is_narrow(text):
        return len(text)
    return len(text) + len(_WIDE.findall(text))  # wide characters count 2


def _longest_word(text: str) -> int:
    """The width of the longest word; Chinese may break anywhere, but not after every sign."""
    if _is_narrow(text):  # most text: a word is as wide as it is long
        return min(max(map(len, _BREAKS.split(text)), default=0), 99)
    return max(
        (min(_text_width(word), 8 if _has_chinese(word) else 99) for word in _BREAKS.split(text)),
        default=0,
    )
