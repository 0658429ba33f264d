"""Document tree to .docx: each block and inline element mapped onto the reference's styles.

The body is written as WordprocessingML text (by `aedocs.render.body`) with style ids
resolved once per process, and the package reuses the reference's parts, compressed
once; per document only the body, numbering, relationships, core properties, header
and footer (and styles.xml once per language) are made. Choices a template author relies on:

- `p` is Body Text, `h1`-`h6` Heading 1-6, a blockquote's paragraphs Quote, code blocks
  Code Block; `{: .StyleName}` on a block picks any paragraph style of the reference by its
  name without spaces, in any case (`{: .Title}`, `{: .BodyText}`, `{: .Signature}`).
- `---` (a Markdown rule, `hr`) is a page break: the next block starts a new page.
- Every list gets its own numbering instance, so each numbered list starts at 1 (or at
  its first number); nesting gives list levels.
- Tables take the reference's table style, a header row repeated on each page, and fixed
  column widths that fill the text width, shared out by the length of each column's text.
- Chinese text gets runs of its own that carry the East Asian font of the reference
  (Noto Sans CJK SC, with Microsoft YaHei as the font table's alternative) and the
  language zh-CN, so neither Word nor LibreOffice falls back to a Japanese font; the
  document language comes from `DocumentInfo.language`.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from aedocs.diagnostics import AedocsError, Diagnostic
from aedocs.render import package
from aedocs.render.body import Body, StyleIds, xml_text
from aedocs.render.files import reference_document
from aedocs.render.reference import (
    CORE,
    DOCUMENT,
    NUMBERING,
    RELATIONSHIPS,
    STYLES,
    XML_HEAD,
    load_reference,
)
from aedocs.workspace import inside

LANGUAGE_TAGS = {"es": "es-ES", "en": "en-GB", "zh": "zh-CN", "ca": "ca-ES", "fr": "fr-FR"}
PAGE_WORDS = {  # the words around "page X of Y" in the footer
    "es": ("Página ", " de ", ""),
    "en": ("Page ", " of ", ""),
    "zh": ("第 ", " 页，共 ", " 页"),
}
_EAST_ASIAN = ("zh", "ja", "ko")
_FIELD = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class DocumentInfo:
    """What a document says about itself: properties, header text and language."""

    title: str
    author: str
    language: str  # es, en, zh, or a full tag such as es-MX
    date: datetime.date
    header_left: str  # the agency's name
    header_right: str  # the document's title
    subject: str = ""
    keywords: str = ""

    @property
    def language_tag(self) -> str:
        tag = self.language.replace("_", "-")
        return LANGUAGE_TAGS.get(tag.lower(), tag)


class DocxRenderer:
    """Renders document trees as .docx files styled by one reference .docx."""

    def __init__(self, reference: Path) -> None:
        self._reference = load_reference(reference)
        self._ids = StyleIds.resolve(self._reference)
        per_document = {DOCUMENT, NUMBERING, RELATIONSHIPS, CORE, STYLES}
        self._templates = {
            name: data.decode("utf-8")
            for name, data in self._reference.parts.items()
            if name.startswith(("word/header", "word/footer"))
        }
        self._static = [
            package.compress(name, data)
            for name, data in self._reference.parts.items()
            if name not in per_document and name not in self._templates
        ]
        self._styles: dict[str, package.Part] = {}

    @classmethod
    def of_workspace(cls, root: Path) -> DocxRenderer:
        """The renderer of the reference document of the workspace at `root`; AedocsError
        naming that file when it is damaged or foreign."""
        reference = reference_document(root)
        try:
            return cls(reference)
        except Exception as exc:  # a damaged or foreign .docx: say which file, not how
            why = (
                f"not a usable reference document ({type(exc).__name__}: {exc}); restore "
                "it or remove it to use the built-in one"
            )
            where = inside(root, reference) or str(reference)
            raise AedocsError([Diagnostic(where, 0, 0, why)]) from None

    def body(self) -> Body:
        """A document body to fill, with the reference's styles."""
        return Body(self._reference, self._ids)

    def render(self, tree: ET.Element, info: DocumentInfo) -> bytes:
        """The .docx of `tree`: the same bytes for the same tree and info."""
        body = self.body()
        document = body.document(tree)
        fields = _fields(info)
        parts = [
            *self._static,
            self._styles_part(info.language_tag),
            package.compress(DOCUMENT, document.encode("utf-8")),
            package.compress(NUMBERING, body.numbering().encode("utf-8")),
            package.compress(RELATIONSHIPS, body.relationships().encode("utf-8")),
            package.compress(CORE, _core(info).encode("utf-8")),
            *(package.compress(n, _fill(t, fields)) for n, t in self._templates.items()),
        ]
        return package.write(parts)

    def _styles_part(self, language: str) -> package.Part:
        """styles.xml for a document in `language`, made once per language."""
        if language.startswith(_EAST_ASIAN):
            # w:val is the language of Latin-script text; LibreOffice breaks English words
            # anywhere when it says Chinese. The East Asian language is zh-CN throughout.
            language = ""
        if language not in self._styles:
            xml = (
                self._reference.styles_xml(language) if language else self._reference.parts[STYLES]
            )
            self._styles[language] = package.compress(STYLES, xml)
        return self._styles[language]


def _fields(info: DocumentInfo) -> dict[str, str]:
    """The values of the `{{name}}` fields of the header and footer, as XML text."""
    before, middle, after = PAGE_WORDS.get(info.language_tag[:2].lower(), ("", " / ", ""))
    values = {
        "header_left": info.header_left,
        "header_right": info.header_right,
        "title": info.title,
        "author": info.author,
        "date": info.date.isoformat(),
        "page_before": before,
        "page_middle": middle,
        "page_after": after,
    }
    return {key: xml_text(value) for key, value in values.items()}


def _fill(template: str, fields: dict[str, str]) -> bytes:
    """`template` with its fields filled in one pass (a value is never read as a field)."""
    filled = _FIELD.sub(lambda m: fields.get(m.group(1), m.group()), template)
    return filled.encode("utf-8")


def _core(info: DocumentInfo) -> str:
    when = f"{info.date.isoformat()}T00:00:00Z"
    return (
        f"{XML_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(info.title)}</dc:title><dc:subject>{xml_text(info.subject)}</dc:subject>"
        f"<dc:creator>{xml_text(info.author)}</dc:creator>"
        f"<cp:keywords>{xml_text(info.keywords)}</cp:keywords>"
        f"<dc:language>{xml_text(info.language_tag)}</dc:language>"
        f"<cp:lastModifiedBy>{xml_text(info.author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    )
