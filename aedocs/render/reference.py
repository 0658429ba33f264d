"""The reference .docx: all visual design, made by `build_reference`, read by `load_reference`.

Like pandoc's `--reference-doc`, the reference holds the styles, theme, fonts, page set-up,
header, footer and list definitions; a rendered document takes everything from it but its
body. Ours starts from python-docx's default template (theme, settings) with only the styles
aedocs uses (the default `styles.xml` is 438 KB; ours is a few KB). The header and footer
carry `{{header_left}}`, `{{header_right}}`, `{{title}}`, `{{author}}`, `{{date}}` and
`{{page_before}}`/`{{page_middle}}`/`{{page_after}}` (the words around the page numbers),
filled in per document.

    python -m aedocs.render.reference templates/reference.docx
"""

from __future__ import annotations

import posixpath
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from aedocs.render import package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_W = f"{{{W}}}"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
NUMBERING = "word/numbering.xml"
RELATIONSHIPS = "word/_rels/document.xml.rels"
CORE = "docProps/core.xml"
HYPERLINK = f"{R}/hyperlink"

FONT, EAST_ASIA_FONT, MONO_FONT = "Calibri", "Noto Sans CJK SC", "Consolas"
DARK_BLUE, BLUE, GREY, RULE, SHADE, CODE_SHADE = (
    "1F3864", "2E5496", "595959", "8EAADB", "D9E2F3", "F2F2F2",
)  # fmt: skip
PAGE_WIDTH, PAGE_HEIGHT, MARGIN_X, MARGIN_Y = 11906, 16838, 1134, 1418  # A4, twips
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X


@dataclass(frozen=True)
class Reference:
    """What a renderer takes from a reference .docx, parsed once."""

    parts: dict[str, bytes]
    paragraph_styles: dict[str, str]  # style key (see `style_key`) -> style id
    character_styles: dict[str, str]
    table_styles: dict[str, str]
    section: str  # the w:sectPr of the body
    text_width: int  # twips between the margins
    east_asia_font: str
    numbering: str  # numbering.xml without w:num elements and closing tag
    bullet_list: int  # abstractNumId of the bullet list
    number_list: int  # abstractNumId of the numbered list
    list_indents: tuple[int, ...]  # left indent of each list level
    relationships: str  # document.xml.rels without hyperlinks and closing tag

    def styles_xml(self, language: str) -> bytes:
        """styles.xml with `language` (a tag like es-ES) as the document language."""
        root = etree.fromstring(self.parts[STYLES])
        element = root  # docDefaults/rPrDefault/rPr/lang, made where the reference has none
        for tag in ("docDefaults", "rPrDefault", "rPr", "lang"):
            found = element.find(f"{_W}{tag}")
            if found is None:
                found = etree.SubElement(element, f"{_W}{tag}")
                if tag == "docDefaults":  # the first child of w:styles, as the schema wants
                    root.insert(0, found)
            element = found
        element.set(f"{_W}val", language)
        return _serialise(root)


def style_key(name: str) -> str:
    """How `{: .StyleName}` finds a style: case and spaces do not matter (`BodyText`)."""
    return name.replace(" ", "").lower()


def load_reference(path: Path) -> Reference:
    """The reference .docx at `path`, parsed."""
    with zipfile.ZipFile(path) as archive:
        parts = _with_numbering({name: archive.read(name) for name in archive.namelist()})
    _check_relationships(parts)
    styles = etree.fromstring(parts[STYLES])
    numbering = etree.fromstring(parts[NUMBERING])
    section = etree.fromstring(parts[DOCUMENT]).find(f"{_W}body/{_W}sectPr")
    if section is None:
        raise ValueError("the reference's document.xml has no section properties")
    bullet, number, indents = _lists(numbering)
    return Reference(
        parts=parts,
        paragraph_styles=_style_ids(styles, "paragraph"),
        character_styles=_style_ids(styles, "character"),
        table_styles=_style_ids(styles, "table"),
        section=etree.tostring(section, encoding="unicode"),
        text_width=_text_width(section),
        east_asia_font=_east_asia_font(styles),
        numbering=_without(numbering, f"{_W}num"),
        bullet_list=bullet,
        number_list=number,
        list_indents=indents,
        relationships=_without(
            etree.fromstring(parts[RELATIONSHIPS]),
            f"{{{PR}}}Relationship",
            lambda e: e.get("Type") == HYPERLINK,
        ),
    )


# XML's own escapes, for an attribute value; xml.sax.saxutils would do the same, and
# import urllib, http and ssl with it in every worker.
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _style_ids(styles: etree._Element, kind: str) -> dict[str, str]:
    """Style key -> its id, escaped as the body writes it into an attribute: a reference
    may name a style `a"b<c`, which must not break the document's XML."""
    ids = {}
    for style in styles.iterfind(f"{_W}style[@{_W}type='{kind}']"):
        name = style.find(f"{_W}name")
        if name is not None:
            ids[style_key(name.get(f"{_W}val", ""))] = style.get(f"{_W}styleId", "").translate(
                _ATTRIBUTE
            )
    return ids


def _text_width(section: etree._Element) -> int:
    size, margins = section.find(f"{_W}pgSz"), section.find(f"{_W}pgMar")
    if size is None or margins is None:
        return TEXT_WIDTH
    return int(size.get(f"{_W}w", "0")) - sum(
        int(margins.get(f"{_W}{side}", "0")) for side in ("left", "right", "gutter")
    )


def _east_asia_font(styles: etree._Element) -> str:
    fonts = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
    return EAST_ASIA_FONT if fonts is None else fonts.get(f"{_W}eastAsia", EAST_ASIA_FONT)


def _with_numbering(parts: dict[str, bytes]) -> dict[str, bytes]:
    """`parts`, with the built-in numbering.xml when they have none (LibreOffice leaves
    it out of a file none of whose paragraphs is numbered), named in the relationships
    and the content types as Word wants it."""
    if NUMBERING in parts or RELATIONSHIPS not in parts or package.CONTENT_TYPES not in parts:
        return parts
    rels = etree.fromstring(parts[RELATIONSHIPS])
    if rels.find(f"{{{PR}}}Relationship[@Type='{R}/numbering']") is None:  # else: named, gone
        link = etree.SubElement(rels, f"{{{PR}}}Relationship")
        for key, value in (("Id", "rIdAedocsNumbering"), ("Type", f"{R}/numbering")):
            link.set(key, value)
        link.set("Target", "numbering.xml")
    types = etree.fromstring(parts[package.CONTENT_TYPES])
    if types.find(f"{{{_CONTENT_TYPES}}}Override[@PartName='/{NUMBERING}']") is None:
        override = etree.SubElement(types, f"{{{_CONTENT_TYPES}}}Override")
        override.set("PartName", f"/{NUMBERING}")
        override.set("ContentType", _NUMBERING_TYPE)
    return {
        **parts,
        NUMBERING: _numbering().encode("utf-8"),
        RELATIONSHIPS: _serialise(rels),
        package.CONTENT_TYPES: _serialise(types),
    }


def _check_relationships(parts: dict[str, bytes]) -> None:
    """Every part the document's relationships name is in the package: else every
    output would name a part it lacks, and no program would open it."""
    if RELATIONSHIPS not in parts:
        return
    for link in etree.fromstring(parts[RELATIONSHIPS]).iterfind(f"{{{PR}}}Relationship"):
        target = link.get("Target", "")
        if link.get("TargetMode") == "External" or link.get("Type") == HYPERLINK:
            continue
        name = posixpath.normpath(
            target.lstrip("/") if target.startswith("/") else f"word/{target}"
        )
        if name not in parts:
            raise ValueError(f"its relationships name {name}, which it lacks")


def _lists(numbering: etree._Element) -> tuple[int, int, tuple[int, ...]]:
    """The first bullet and first decimal abstract list, and the decimal one's indents."""
    found: dict[str, etree._Element] = {}
    for abstract in numbering.iterfind(f"{_W}abstractNum"):
        fmt = abstract.find(f"{_W}lvl/{_W}numFmt")
        if fmt is not None:
            found.setdefault(fmt.get(f"{_W}val", ""), abstract)
    if "bullet" not in found or "decimal" not in found:
        raise ValueError("the reference's numbering.xml needs a bullet and a decimal list")
    indents = tuple(
        int(ind.get(f"{_W}left", ind.get(f"{_W}start", "0")))
        for ind in found["decimal"].iterfind(f"{_W}lvl/{_W}pPr/{_W}ind")
    )
    bullet, decimal = (int(found[k].get(f"{_W}abstractNumId", "0")) for k in ("bullet", "decimal"))
    return bullet, decimal, indents


def _without(root: etree._Element, tag: str, drop: object = None) -> str:
    """`root` serialised without its `tag` children (those `drop` selects) nor closing tag."""
    for child in root.findall(tag):
        if drop is None or (callable(drop) and drop(child)):
            root.remove(child)
    text = _serialise(root).decode("utf-8")
    if text.endswith("/>"):  # no children left: open the element again
        return text[:-2] + ">"
    return text[: text.rindex("</")]


def _serialise(root: etree._Element) -> bytes:
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml


def build_reference(path: Path | str) -> None:
    """Write aedocs' reference .docx to `path`: the same bytes every time."""
    ours = {name: (XML_HEAD + text).encode("utf-8") for name, text in _our_parts().items()}
    parts = {**_default_parts(), **ours}
    Path(path).write_bytes(package.write(package.compress(n, d) for n, d in parts.items()))


def _default_parts() -> dict[str, bytes]:
    """Theme and settings of python-docx's default template, made ours and deterministic."""
    template = resources.files("docx") / "templates" / "default.docx"
    with template.open("rb") as stream, zipfile.ZipFile(stream) as archive:
        theme = etree.fromstring(archive.read("word/theme/theme1.xml"))
        settings = etree.fromstring(archive.read("word/settings.xml"))
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for font in theme.iter(f"{a}latin"):
        font.set("typeface", FONT)
    for font in theme.iterfind(f".//{a}font[@script='Hans']"):
        font.set("typeface", EAST_ASIA_FONT)
    w14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
    for tag in ("rsids", "proofState", "savePreviewPicture", "zoom", "attachedTemplate"):
        for element in settings.findall(f"{_W}{tag}"):
            settings.remove(element)
    for element in settings.findall(f"{w14}docId"):
        settings.remove(element)
    for setting in settings.iterfind(
        f"{_W}compat/{_W}compatSetting[@{_W}name='compatibilityMode']"
    ):
        setting.set(f"{_W}val", "15")  # Word 2013+ layout, not compatibility mode
    for lang in settings.iterfind(f"{_W}themeFontLang"):
        lang.attrib.update({f"{_W}val": "en-GB", f"{_W}eastAsia": "zh-CN"})
    return {"word/theme/theme1.xml": _serialise(theme), "word/settings.xml": _serialise(settings)}


def _our_parts() -> dict[str, str]:
    ct = "application/vnd.openxmlformats-officedocument"
    return {
        package.CONTENT_TYPES: _content_types(
            {
                f"/{DOCUMENT}": f"{ct}.wordprocessingml.document.main+xml",
                f"/{STYLES}": f"{ct}.wordprocessingml.styles+xml",
                f"/{NUMBERING}": _NUMBERING_TYPE,
                "/word/settings.xml": f"{ct}.wordprocessingml.settings+xml",
                "/word/fontTable.xml": f"{ct}.wordprocessingml.fontTable+xml",
                "/word/theme/theme1.xml": f"{ct}.theme+xml",
                "/word/header1.xml": f"{ct}.wordprocessingml.header+xml",
                "/word/footer1.xml": f"{ct}.wordprocessingml.footer+xml",
                f"/{CORE}": "application/vnd.openxmlformats-package.core-properties+xml",
                "/docProps/app.xml": f"{ct}.extended-properties+xml",
            }
        ),
        "_rels/.rels": _relationships(
            [
                (f"{R}/officeDocument", DOCUMENT),
                (f"{PR}/metadata/core-properties", CORE),
                (f"{R}/extended-properties", "docProps/app.xml"),
            ]
        ),
        RELATIONSHIPS: _relationships(
            [(f"{R}/{kind}", target) for kind, target in _DOCUMENT_RELATIONSHIPS]
        ),
        DOCUMENT: _document(),
        STYLES: _styles(),
        NUMBERING: _numbering(),
        "word/fontTable.xml": _font_table(),
        "word/header1.xml": _header_footer("hdr", "Header", _HEADER),
        "word/footer1.xml": _header_footer("ftr", "Footer", _FOOTER),
        CORE: _CORE,
        "docProps/app.xml": _APP,
    }


_DOCUMENT_RELATIONSHIPS = (
    ("styles", "styles.xml"),
    ("numbering", "numbering.xml"),
    ("settings", "settings.xml"),
    ("fontTable", "fontTable.xml"),
    ("theme", "theme/theme1.xml"),
    ("header", "header1.xml"),
    ("footer", "footer1.xml"),
)


_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_NUMBERING_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"


def _content_types(overrides: dict[str, str]) -> str:
    ns = _CONTENT_TYPES
    rels = "application/vnd.openxmlformats-package.relationships+xml"
    return (
        f'<Types xmlns="{ns}"><Default Extension="rels" ContentType="{rels}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides.items())
        + "</Types>"
    )


def _relationships(targets: list[tuple[str, str]]) -> str:
    return (
        f'<Relationships xmlns="{PR}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
            for i, (kind, target) in enumerate(targets, 1)
        )
        + "</Relationships>"
    )


def _document() -> str:
    samples = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr><w:r><w:t>{name}</w:t></w:r></w:p>'
        for style_id, name, *_ in _PARAGRAPH_STYLES
    )
    header, footer = (
        1 + [kind for kind, _ in _DOCUMENT_RELATIONSHIPS].index(k) for k in ("header", "footer")
    )
    section = (
        f'<w:sectPr><w:headerReference w:type="default" r:id="rId{header}"/>'
        f'<w:footerReference w:type="default" r:id="rId{footer}"/>'
        f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{MARGIN_Y}" w:right="{MARGIN_X}" w:bottom="{MARGIN_Y}" '
        f'w:left="{MARGIN_X}" w:header="709" w:footer="709" w:gutter="0"/>'
        '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )
    return (
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{samples}{section}</w:body></w:document>'
    )


def _run(size: int = 0, color: str = "", bold: bool = False, italic: bool = False) -> str:
    return (
        ("<w:b/><w:bCs/>" if bold else "")
        + ("<w:i/><w:iCs/>" if italic else "")
        + (f'<w:color w:val="{color}"/>' if color else "")
        + (f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else "")
    )


def _spacing(before: int, after: int, line: int = 0) -> str:
    rule = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{rule}/>'


def _cell_margins(vertical: int) -> str:
    return (
        "<w:tblCellMar>"
        + "".join(
            f'<w:{side} w:w="{vertical if side in ("top", "bottom") else 108}" w:type="dxa"/>'
            for side in ("top", "left", "bottom", "right")
        )
        + "</w:tblCellMar>"
    )


def _border(side: str, size: int, color: str, space: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


_MONO = f'<w:rFonts w:ascii="{MONO_FONT}" w:hAnsi="{MONO_FONT}" w:cs="{MONO_FONT}"/>'
_KEEP = "<w:keepNext/><w:keepLines/>"
# "between" too: Word and LibreOffice join the borders of adjacent paragraphs with equal
# borders, so without it only the first of several signatures would get its line.
_SIGNATURE_LINE = _border("top", 4, "7F7F7F", 4) + _border("between", 4, "7F7F7F", 4)
_HEADINGS = (  # size, colour, before, after
    (32, DARK_BLUE, 360, 120),
    (26, BLUE, 280, 100),
    (23, BLUE, 220, 80),
    (22, BLUE, 180, 60),
    (21, GREY, 160, 60),
    (21, GREY, 160, 60),
)
# fmt: off
# style id, name, based on, next, pPr, rPr
_PARAGRAPH_STYLES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Normal", "Normal", "", "", "", ""),
    ("Title", "Title", "Normal", "Subtitle", _KEEP + _spacing(0, 60, 240), _run(52, DARK_BLUE)),
    ("Subtitle", "Subtitle", "Normal", "BodyText", _KEEP + _spacing(0, 240), _run(28, GREY)),
    *(
        (f"Heading{n}", f"heading {n}", "Normal", "BodyText",
         f'{_KEEP}{_spacing(before, after)}<w:outlineLvl w:val="{n - 1}"/>',
         _run(size, colour, bold=True, italic=n > 4))
        for n, (size, colour, before, after) in enumerate(_HEADINGS, 1)
    ),
    ("BodyText", "Body Text", "Normal", "", "", ""),
    ("ListBullet", "List Bullet", "Normal", "", _spacing(0, 60), ""),
    ("ListNumber", "List Number", "Normal", "", _spacing(0, 60), ""),
    ("ListContinue", "List Continue", "Normal", "", _spacing(0, 60), ""),
    ("Quote", "Quote", "Normal", "",
     f"<w:pBdr>{_border('left', 18, RULE, 8)}</w:pBdr>"
     '<w:ind w:left="284" w:right="567"/>', _run(color="404040", italic=True)),
    ("CodeBlock", "Code Block", "Normal", "",
     f'<w:shd w:val="clear" w:color="auto" w:fill="{CODE_SHADE}"/>{_spacing(0, 120, 240)}',
     _MONO + _run(18)),
    ("TableText", "Table Text", "Normal", "", _spacing(0, 0, 240), _run(20)),
    ("TableHeading", "Table Heading", "TableText", "", "<w:keepNext/>",
     _run(color=DARK_BLUE, bold=True)),
    ("Meta", "Meta", "Normal", "", _spacing(0, 0), _run(19, "404040")),
    ("Small", "Small", "Normal", "", "", _run(17, GREY)),
    ("Caption", "caption", "Normal", "", _spacing(60, 200), _run(17, GREY, italic=True)),
    ("Signature", "Signature", "Normal", "",
     f"<w:keepLines/><w:pBdr>{_SIGNATURE_LINE}</w:pBdr>"
     f'{_spacing(960, 0)}<w:ind w:right="{TEXT_WIDTH // 2}"/>', ""),
    ("Header", "header", "Normal", "",
     f"<w:pBdr>{_border('bottom', 4, RULE, 4)}</w:pBdr>"
     f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>{_spacing(0, 0)}',
     _run(17, GREY)),
    ("Footer", "footer", "Normal", "", f'{_spacing(0, 0)}<w:jc w:val="center"/>', _run(16, GREY)),
)
_TABLE_BORDERS = "".join(
    _border(side, 4, RULE, 0) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
_OTHER_STYLES = (
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    '<w:style w:type="character" w:styleId="Code"><w:name w:val="Code"/>'
    f'<w:rPr>{_MONO}{_run(19)}<w:shd w:val="clear" w:color="auto" w:fill="{CODE_SHADE}"/>'
    "</w:rPr></w:style>"
    '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
    '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    f'<w:semiHidden/><w:tblPr>{_cell_margins(0)}</w:tblPr></w:style>'
    '<w:style w:type="table" w:styleId="AgencyTable"><w:name w:val="Agency Table"/>'
    f'<w:basedOn w:val="TableNormal"/><w:pPr>{_spacing(0, 0, 240)}</w:pPr><w:tblPr>'
    f"<w:tblBorders>{_TABLE_BORDERS}</w:tblBorders>{_cell_margins(57)}</w:tblPr>"
    f'<w:tblStylePr w:type="firstRow"><w:rPr>{_run(color=DARK_BLUE, bold=True)}</w:rPr>'
    f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{SHADE}"/></w:tcPr></w:tblStylePr>'
    "</w:style>"
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    "<w:semiHidden/></w:style>"
)
# fmt: on


_DEFAULT = ' w:default="1"'


def _styles() -> str:
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" '
        f'w:eastAsia="{EAST_ASIA_FONT}" w:cs="{FONT}"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
        '<w:lang w:val="en-GB" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f"<w:pPrDefault><w:pPr>{_spacing(0, 120, 264)}</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    paragraphs = "".join(
        f'<w:style w:type="paragraph"{"" if base else _DEFAULT} '
        f'w:styleId="{style_id}"><w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{base}"/>' if base else "")
        + (f'<w:next w:val="{after}"/>' if after else "")
        + "<w:qFormat/>"
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
        for style_id, name, base, after, ppr, rpr in _PARAGRAPH_STYLES
    )
    return f'<w:styles xmlns:w="{W}">{defaults}{paragraphs}{_OTHER_STYLES}</w:styles>'


def _numbering() -> str:
    # The marks in the body font for every script: "•" is also an East Asian character,
    # which a Chinese document would otherwise draw as a wide CJK dot.
    slots = " ".join(f'w:{slot}="{FONT}"' for slot in ("ascii", "hAnsi", "eastAsia"))
    font = f'<w:rPr><w:rFonts {slots} w:hint="default"/></w:rPr>'

    def levels(fmt: str, text: Callable[[int], str], marks: str = "") -> str:
        return "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text(i)}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{360 * (i + 1)}" w:hanging="360"/></w:pPr>{marks}</w:lvl>'
            for i in range(9)
        )

    bullets = levels("bullet", lambda i: "\u2022" if i % 2 == 0 else "\u2013", font)
    numbers = levels("decimal", lambda i: f"%{i + 1}.")
    return (
        f'<w:numbering xmlns:w="{W}">'
        f'<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>{bullets}'
        f'</w:abstractNum><w:abstractNum w:abstractNumId="1">'
        f'<w:multiLevelType w:val="multilevel"/>{numbers}</w:abstractNum></w:numbering>'
    )


def _font_table() -> str:
    fonts = (  # name, alternative, charset, family, pitch
        (FONT, "Carlito", "00", "swiss", "variable"),
        (EAST_ASIA_FONT, "Microsoft YaHei", "86", "swiss", "variable"),  # 86: GB2312
        (MONO_FONT, "DejaVu Sans Mono", "00", "modern", "fixed"),
    )
    return (
        f'<w:fonts xmlns:w="{W}">'
        + "".join(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="{charset}"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
            for name, alt, charset, family, pitch in fonts
        )
        + "</w:fonts>"
    )


def _text(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _field(instruction: str) -> str:
    return f'<w:fldSimple w:instr=" {instruction} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'


_HEADER = _text("{{header_left}}") + "<w:r><w:tab/></w:r>" + _text("{{header_right}}")
_FOOTER = (
    _text("{{page_before}}") + _field("PAGE") + _text("{{page_middle}}")
    + _field("NUMPAGES") + _text("{{page_after}}")
)  # fmt: skip


def _header_footer(tag: str, style: str, content: str) -> str:
    return (
        f'<w:{tag} xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f"{content}</w:p></w:{tag}>"
    )


_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>aedocs reference</dc:title><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)
_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>aedocs</Application><DocSecurity>0</DocSecurity>'
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


if __name__ == "__main__":
    build_reference(sys.argv[1] if len(sys.argv) > 1 else "templates/reference.docx")
