"""Tree to .docx, read back with python-docx: styles, runs, links, lists, tables, CJK, bytes."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from aedocs.render import body as body_module
from aedocs.render.body import column_widths
from aedocs.render.docx import DocumentInfo, DocxRenderer
from aedocs.render.markdown import escape, parse
from aedocs.render.reference import TEXT_WIDTH, build_reference

ROOT = Path(__file__).parents[2]
REFERENCE = ROOT / "templates" / "reference.docx"
INFO = DocumentInfo(
    title="Acta: Arranque",
    author="Estudio Norte",
    language="es",
    date=datetime.date(2026, 11, 20),
    header_left="Estudio Norte",
    header_right="Arranque de campaña",
    subject="Sol Foods",
)


@pytest.fixture(scope="module")
def renderer() -> DocxRenderer:
    return DocxRenderer(REFERENCE)


def render(renderer: DocxRenderer, source: str, info: DocumentInfo = INFO) -> bytes:
    return renderer.render(parse(source), info)


def read(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def test_headings_and_paragraphs_take_their_styles(renderer: DocxRenderer) -> None:
    source = (
        "Acta\n{: .Title}\n\n# One\n\n## Two\n\n###### Six\n\nBody.\n\nSmall print\n{: .Small}\n"
    )
    paragraphs = read(render(renderer, source)).paragraphs
    assert [(p.style.name, p.text) for p in paragraphs] == [
        ("Title", "Acta"),
        ("Heading 1", "One"),
        ("Heading 2", "Two"),
        ("Heading 6", "Six"),
        ("Body Text", "Body."),
        ("Small", "Small print"),
    ]


def test_a_style_is_found_by_its_name_without_spaces_in_any_case(renderer: DocxRenderer) -> None:
    source = "A\n{: .bodytext}\n\nB\n{: .Signature}\n\nC\n{: .Meta}\n\nD\n{: .Caption}\n"
    styles = [p.style.name for p in read(render(renderer, source)).paragraphs]
    assert styles == ["Body Text", "Signature", "Meta", "Caption"]


def test_an_unknown_style_name_is_an_error_naming_it(renderer: DocxRenderer) -> None:
    with pytest.raises(ValueError, match=r"unknown paragraph style 'Signatur' \(did you mean"):
        render(renderer, "Ana\n{: .Signatur}\n")


def test_bold_italic_code_and_breaks_are_runs(renderer: DocxRenderer) -> None:
    source = "Plain **bold** *italic* ***both*** `code()`  \nnext\n"
    paragraph = read(render(renderer, source)).paragraphs[0]
    runs = [(r.text, r.bold, r.italic, r.style.name) for r in paragraph.runs if r.text.strip()]
    assert runs == [
        ("Plain ", None, None, "Default Paragraph Font"),
        ("bold", True, None, "Default Paragraph Font"),
        ("italic", None, True, "Default Paragraph Font"),
        ("both", True, True, "Default Paragraph Font"),
        ("code()", None, None, "Code"),
        ("next", None, None, "Default Paragraph Font"),
    ]
    assert paragraph.text == "Plain bold italic both code()\nnext"


def test_links_are_hyperlinks_with_their_own_relationships(renderer: DocxRenderer) -> None:
    url = "https://example.com/a b?x=1&y=ñ"
    data = render(renderer, f"See [our site]({url}) and [again]({url}).\n")
    paragraph = read(data).paragraphs[0]
    assert [(h.text, h.address) for h in paragraph.hyperlinks] == [
        ("our site", "https://example.com/a%20b?x=1&y=%C3%B1"),
        ("again", "https://example.com/a%20b?x=1&y=%C3%B1"),
    ]
    assert paragraph.hyperlinks[0].runs[0].style.name == "Hyperlink"
    assert part(data, "word/_rels/document.xml.rels").count('TargetMode="External"') == 1
    later = read(render(renderer, "No links here.\n"))
    assert not [r for r in later.part.rels.values() if r.is_external]


def test_each_numbered_list_restarts_and_nesting_gives_levels(renderer: DocxRenderer) -> None:
    source = (
        "1. one\n2. two\n    1. two.a\n        - deep\n\n"
        "Text\n\n1. again\n\nMore\n\n3. three\n4. four\n"
    )
    data = render(renderer, source)
    paragraphs = [p for p in read(data).paragraphs if p._p.pPr.numPr is not None]
    numbering = [
        (p.text, p.style.name, p._p.pPr.numPr.ilvl.val, p._p.pPr.numPr.numId.val)
        for p in paragraphs
    ]
    assert numbering == [
        ("one", "List Number", 0, 1),
        ("two", "List Number", 0, 1),
        ("two.a", "List Number", 1, 2),
        ("deep", "List Bullet", 2, 3),
        ("again", "List Number", 0, 4),
        ("three", "List Number", 0, 5),
        ("four", "List Number", 0, 5),
    ]
    xml = part(data, "word/numbering.xml")
    for number_id, level, start in [(1, 0, 1), (2, 1, 1), (4, 0, 1), (5, 0, 3)]:
        assert (
            f'<w:num w:numId="{number_id}"><w:abstractNumId w:val="1"/>'
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/>'
        ) in xml
    assert '<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>' in xml
    assert '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/>' in xml


def test_a_list_item_with_paragraphs_continues_without_a_number(renderer: DocxRenderer) -> None:
    source = "- first\n\n    more about first\n\n- second\n"
    paragraphs = read(render(renderer, source)).paragraphs
    assert [(p.text, p.style.name, p._p.pPr.numPr is not None) for p in paragraphs] == [
        ("first", "List Bullet", True),
        ("more about first", "List Continue", False),
        ("second", "List Bullet", True),
    ]
    assert paragraphs[1].paragraph_format.left_indent is not None


def test_tables_have_a_repeated_bold_header_row_and_widths_that_fit(
    renderer: DocxRenderer,
) -> None:
    source = (
        "| Task | Owner | Due |\n|---|:---:|--:|\n"
        "| Write the creative brief for the spring campaign | Ana | 2026-12-01 |\n"
        "| Review | Luis | 2026-12-02 |\n"
    )
    document = read(render(renderer, source))
    table = document.tables[0]
    assert table.style.name == "Agency Table"
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Task", "Owner", "Due"],
        ["Write the creative brief for the spring campaign", "Ana", "2026-12-01"],
        ["Review", "Luis", "2026-12-02"],
    ]
    header = table.rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[0].cells[0].paragraphs[0].style.name == "Table Heading"
    assert table.rows[1].cells[0].paragraphs[0].style.name == "Table Text"
    assert table.rows[1].cells[2].paragraphs[0].alignment is not None
    widths = [column.width.twips for column in table.columns]
    assert sum(widths) == TEXT_WIDTH
    assert widths[0] > widths[1] and widths[0] > widths[2]
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"


def test_table_cells_keep_their_column_alignment_markup_and_chinese(
    renderer: DocxRenderer,
) -> None:
    """Plain cells take a shortcut (many are alike); it must write what any cell gets."""
    row = "| 王芳 | **Ana** | done | ■ |\n"
    source = "| Who | Bold | Status | Mark |\n|:--|:-:|--:|---|\n" + row * 3
    table = read(render(renderer, source)).tables[0]
    for cells in [r.cells for r in table.rows[1:]]:
        alignments = [c.paragraphs[0].paragraph_format.alignment for c in cells]
        assert [a if a is None else int(a) for a in alignments] == [0, 1, 2, None]
        assert [c.text for c in cells] == ["王芳", "Ana", "done", "■"]
        chinese = cells[0].paragraphs[0].runs[0]._r.rPr
        assert chinese.rFonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
        assert cells[1].paragraphs[0].runs[0].bold is True
        assert cells[2].paragraphs[0].runs[0]._r.rPr is None
    assert len({str(r._tr.xml) for r in table.rows[1:]}) == 1  # alike rows, alike XML


def test_column_widths_keep_words_whole_and_add_up() -> None:
    rows = [["#", "Acción", "Responsable"], ["10", "texto " * 40, "Ana García"]]
    widths = column_widths(rows, 9638)
    assert sum(widths) == 9638
    char = body_module._CHAR_TWIPS
    assert widths[2] >= (len("Responsable") + 3) * char
    assert widths[0] >= 4 * char


def test_a_rule_is_a_page_break_before_the_next_block(renderer: DocxRenderer) -> None:
    data = render(renderer, "Page one\n\n---\n\n# Page two\n\n***\n\n| A |\n|---|\n| b |\n")
    paragraphs = read(data).paragraphs
    assert paragraphs[1].text == "Page two"
    assert paragraphs[1].paragraph_format.page_break_before
    assert '<w:br w:type="page"/>' in part(data, "word/document.xml")  # before the table


def test_hostile_values_print_exactly_as_typed(renderer: DocxRenderer) -> None:
    value = "* | # < & {{ {% <script> \x00 emoji 🎉 中文 &amp; [x](y) `z` \\ ]]>"
    source = (
        f"# {escape(value)}\n\n{escape(value)}\n\n| {escape(value)} |\n|---|\n| {escape(value)} |\n"
    )
    document = read(render(renderer, source))
    expected = value.replace("\x00", "")
    assert [p.text for p in document.paragraphs] == [expected, expected]
    assert [row.cells[0].text for row in document.tables[0].rows] == [expected, expected]


def test_chinese_runs_carry_the_east_asian_font_and_language(renderer: DocxRenderer) -> None:
    data = render(renderer, "Reunión con 王芳，客户代表 about the plan.\n")
    runs = read(data).paragraphs[0].runs
    assert [r.text for r in runs] == ["Reunión con ", "王芳，客户代表", " about the plan."]
    chinese = runs[1]._r.rPr
    assert chinese.rFonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert chinese.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert runs[0]._r.rPr is None
    styles = part(data, "word/styles.xml")
    assert 'w:eastAsia="Noto Sans CJK SC"' in styles


def test_right_to_left_paragraphs_and_runs_are_laid_out_so(renderer: DocxRenderer) -> None:
    """A paragraph whose first letter is Arabic or Hebrew reads right to left (its full
    stop at the left end); a run with no left-to-right letter is marked right to left.
    Other paragraphs are as they were."""
    source = (
        "تم الاتفاق على الخطوات التالية.\n\n"
        "Client: شركة الواحة\n\n"
        "- (שלום) 12\n- Second\n\n"
        "| الاسم |\n| --- |\n| خطة |\n"
    )
    doc = read(render(renderer, source))
    arabic, mixed, hebrew, latin = doc.paragraphs[:4]
    assert [p._p.pPr.find(qn("w:bidi")) is not None for p in doc.paragraphs[:4]] == [
        True, False, True, False
    ]  # fmt: skip
    assert arabic.runs[0]._r.rPr.find(qn("w:rtl")) is not None
    assert mixed.runs[0]._r.rPr is None  # "Client: شركة الواحة": a left-to-right run
    numbering = hebrew._p.pPr.find(qn("w:numPr"))
    assert numbering.getnext().tag == qn("w:bidi")  # the schema's order
    assert latin.text == "Second"
    cell = doc.tables[0].rows[0].cells[0].paragraphs[0]
    assert cell._p.pPr.find(qn("w:bidi")) is not None


@pytest.mark.parametrize(
    ("language", "tag", "latin"),
    [("es", "es-ES", "es-ES"), ("en", "en-GB", "en-GB"), ("es_MX", "es-MX", "es-MX"),
     ("zh", "zh-CN", "en-GB")],  # Latin words in Chinese text are English, not Chinese
)  # fmt: skip
def test_the_document_language_comes_from_the_info(
    renderer: DocxRenderer, language: str, tag: str, latin: str
) -> None:
    info = DocumentInfo(**{**INFO.__dict__, "language": language})
    data = render(renderer, "Text\n", info)
    styles = part(data, "word/styles.xml")
    assert f'<w:lang w:val="{latin}" w:eastAsia="zh-CN"' in styles
    assert read(data).core_properties.language == tag


def test_core_properties_header_and_footer_come_from_the_info(renderer: DocxRenderer) -> None:
    data = render(renderer, "Text\n")
    document = read(data)
    core = document.core_properties
    assert (core.title, core.author, core.last_modified_by, core.subject, core.revision) == (
        "Acta: Arranque",
        "Estudio Norte",
        "Estudio Norte",
        "Sol Foods",
        1,
    )
    midnight = datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)
    assert core.created == core.modified == midnight
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Estudio Norte\tArranque de campaña"
    footer = part(data, "word/footer1.xml")
    assert re.search(r'>Página </w:t>.*w:instr=" PAGE ".*> de </w:t>.*w:instr=" NUMPAGES "', footer)
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_header_values_are_text_even_when_they_look_like_fields(renderer: DocxRenderer) -> None:
    info = DocumentInfo(**{**INFO.__dict__, "header_left": "A & B {{header_right}} <x>"})
    header = read(render(renderer, "Text\n", info)).sections[0].header
    assert header.paragraphs[0].text == "A & B {{header_right}} <x>\tArranque de campaña"


def test_the_same_input_gives_the_same_bytes_in_any_process(renderer: DocxRenderer) -> None:
    source = "# Hola\n\n[link](https://example.com) 中文\n\n1. a\n"
    first = render(renderer, source)
    render(renderer, "Something else with [another](https://other.example).\n")
    assert render(renderer, source) == first
    script = (
        "import datetime, sys; from pathlib import Path\n"
        "from aedocs.render.docx import DocumentInfo, DocxRenderer\n"
        "from aedocs.render.markdown import parse\n"
        f"info = {INFO!r}\n"
        f"data = DocxRenderer(Path({str(REFERENCE)!r})).render(parse({source!r}), info)\n"
        "sys.stdout.buffer.write(data)\n"
    )
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "123"}
    other = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, env=env, cwd="/"
    )
    assert other.stdout == first


def test_entries_are_dated_1980_and_content_types_come_first(renderer: DocxRenderer) -> None:
    archive = zipfile.ZipFile(io.BytesIO(render(renderer, "Text\n")))
    assert archive.namelist()[0] == "[Content_Types].xml"
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "word/document.xml" in archive.namelist()


def test_the_reference_is_reproducible_and_up_to_date(tmp_path: Path) -> None:
    build_reference(tmp_path / "one.docx")
    build_reference(tmp_path / "two.docx")
    assert (tmp_path / "one.docx").read_bytes() == (tmp_path / "two.docx").read_bytes()
    built, committed = (zipfile.ZipFile(path) for path in (tmp_path / "one.docx", REFERENCE))
    for name in built.namelist():  # compared unpacked: another zlib may deflate differently
        assert built.read(name) == committed.read(name), "run: python -m aedocs.render.reference"
    assert built.namelist() == committed.namelist()
    assert len(committed.read("word/styles.xml")) < 20_000


def test_libreoffice_opens_a_rendered_document(renderer: DocxRenderer, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice is not on PATH: cannot check that LibreOffice opens the document")
        pytest.skip("LibreOffice (soffice) is not installed")
    source = "# Título\n\n1. uno\n\n| A | B |\n|---|---|\n| 中文 | [x](https://example.com) |\n"
    (tmp_path / "doc.docx").write_bytes(render(renderer, source))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "doc.docx")],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    pdf = (tmp_path / "doc.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_two_tables_in_a_row_stay_two_tables(renderer: DocxRenderer) -> None:
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    doc = read(render(renderer, table + "\n" + table))
    assert len(doc.tables) == 2
    body = doc.element.body
    kinds = [child.tag.rsplit("}", 1)[1] for child in body]
    assert kinds[:3] == ["tbl", "p", "tbl"]


def test_only_web_mail_and_phone_links_become_hyperlinks(renderer: DocxRenderer) -> None:
    source = (
        "[web](https://example.com) [mail](mailto:a@example.com) "
        "[js](javascript:alert(1)) [file](file:///etc/passwd) [rel](notes.md)\n"
    )
    data = render(renderer, source)
    rels = part(data, "word/_rels/document.xml.rels")
    assert "https://example.com" in rels and "mailto:a@example.com" in rels
    assert "javascript" not in rels and "file:" not in rels and "notes.md" not in rels
    assert read(data).paragraphs[0].text == "web mail js file rel"
