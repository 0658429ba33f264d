"""Document tree to the .md text twin: what the document says, as Markdown, for diffs and search.

Every word is as in the .docx (both come from the same tree). The structure is plain
Markdown that reads well in a diff and renders on common viewers: ATX headings, `-` and
`1.` lists nested by four spaces, pipe tables with a header row, `**bold**`, `*italic*`,
`` `code` ``, `[text](url)`, `>` quotes, indented code and `---` for a page break. Text is
escaped only where aedocs' Markdown (`markdown.parse`) would otherwise read it as structure,
so parsing a twin gives back the same text; paragraph styles (`{: .Title}`) are not shown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from aedocs.render.markdown import HEADINGS, linkable, list_item, table_rows

_INLINE = re.compile(r"[\\`*\[\]]|(?<![^\W_])_|_(?![^\W_])|\{(?=[^\n]*\})")
_LINE_START = re.compile(r"^(?:[#>]|[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|-+\s*$)")
_ALIGN = {"left": ":---", "center": ":---:", "right": "---:"}
_INDENT = "    "


def to_markdown(tree: ET.Element) -> str:
    """The text twin of `tree`; ends with one newline."""
    return "\n\n".join(_blocks(tree)).strip("\n") + "\n"


def _blocks(parent: ET.Element) -> list[str]:
    return [text for child in parent for text in _block(child)]


def _block(element: ET.Element) -> list[str]:
    tag = element.tag
    if tag == "p":
        return [_lines(_inline(element))]
    if tag in HEADINGS:
        text = _lines(_inline(element).replace("\n", " "))
        return ["#" * int(tag[1]) + " " + re.sub("#$", r"\\#", text)]
    if tag in ("ul", "ol"):
        return [_list(element)]
    if tag == "table":
        return [_table(element)]
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(element))
        return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
    if tag == "pre":
        code = element.find("code")
        text = ((code if code is not None else element).text or "").rstrip("\n")
        return [_indent(text, first=True)]
    if tag == "hr":
        return ["---"]
    return _blocks(element)


def _list(element: ET.Element) -> str:
    start = element.get("start", "1")
    number = int(start) if start.isdigit() else 1
    items = []
    loose = any(child.tag == "p" for item in element for child in item)
    for item in element.iterfind("li"):
        marker = f"{number}." if element.tag == "ol" else "-"
        number += 1
        inline, blocks = list_item(item)
        parts = [_lines(_inline(item, inline))] if (item.text or "").strip() or inline else []
        parts += [text for child in blocks for text in _block(child)]
        body = ("\n\n" if loose else "\n").join(parts)
        items.append(f"{marker} {_indent(body)}".rstrip())
    return ("\n\n" if loose else "\n").join(items)


def _table(element: ET.Element) -> str:
    rows = [([_cell(cell) for cell in row], row) for row, _ in table_rows(element)]
    if not rows:
        return ""
    width = max(len(cells) for cells, _ in rows)
    aligns = [_ALIGN.get(cell.get("align", ""), "---") for cell in rows[0][1]]
    aligns += ["---"] * (width - len(aligns))
    lines = [cells + [""] * (width - len(cells)) for cells, _ in rows]
    lines.insert(1, aligns)
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _cell(cell: ET.Element) -> str:
    if not len(cell):  # text alone: most cells, many alike
        return _text_cell(cell.text or "")
    return _lines_of_cell(_inline(cell, in_cell=True))


@lru_cache(maxsize=16384)
def _text_cell(text: str) -> str:
    return _lines_of_cell(_escape(text, True))


def _lines_of_cell(text: str) -> str:
    return " <br> ".join(line.strip() for line in text.split("\n"))


def _inline(
    element: ET.Element, children: list[ET.Element] | None = None, in_cell: bool = False
) -> str:
    """The Markdown of `element`'s text and inline children; `|` is escaped in a table cell."""
    out = [_escape(element.text, in_cell)]
    for child in element if children is None else children:
        out.append(_element(child, in_cell))
        out.append(_escape(child.tail, in_cell))
    return "".join(out)


def _element(element: ET.Element, in_cell: bool) -> str:
    tag = element.tag
    inner = _inline(element, in_cell=in_cell)
    if tag in ("strong", "b"):
        return f"**{inner}**" if inner else ""
    if tag in ("em", "i"):
        return f"*{inner}*" if inner else ""
    if tag == "code":
        return _code(element.text or "")
    if tag == "br":
        return "\n"
    if tag == "a":
        href = element.get("href", "").strip()
        return f"[{inner}]({_url(href)})" if linkable(href) else inner
    if tag == "img":
        return _escape(element.get("alt", ""), in_cell)
    return inner


def _code(text: str) -> str:
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _url(href: str) -> str:
    return f"<{href}>" if re.search(r"[\s()<>]", href) else href


def _escape(text: str | None, in_cell: bool) -> str:
    return _escaped(text, in_cell) if text else ""


@lru_cache(maxsize=16384)  # names, labels, dates and statuses repeat across documents
def _escaped(text: str, in_cell: bool) -> str:
    escaped = _INLINE.sub(lambda m: "\\" + m.group(), text)
    return escaped.replace("|", "\\|") if in_cell else escaped


def _lines(text: str) -> str:
    """Lines of a block (hard breaks) with what would start a structure escaped."""
    lines = [_LINE_START.sub(_escape_start, line.strip()) for line in text.split("\n")]
    return "  \n".join(lines)


def _escape_start(match: re.Match[str]) -> str:
    mark = match.group()
    return mark + "\\" if mark[0].isdigit() else "\\" + mark


def _indent(text: str, first: bool = False) -> str:
    lines = text.split("\n")
    indented = [_INDENT + line if line else "" for line in lines[0 if first else 1 :]]
    return "\n".join(indented if first else [lines[0], *indented])
