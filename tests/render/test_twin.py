"""Tree to the .md twin: each construct as Markdown, words as in the document, escaped minimally."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from docx import Document

from aedocs.render.docx import DocumentInfo, DocxRenderer
from aedocs.render.markdown import escape, parse
from aedocs.render.twin import to_markdown

REFERENCE = Path(__file__).parents[2] / "templates" / "reference.docx"


def twin(source: str) -> str:
    return to_markdown(parse(source))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# One\n\n### Three {: .Title}\n", "# One\n\n### Three\n"),
        ("Title\n{: .Title}\n\nBody text.\n", "Title\n\nBody text.\n"),
        (
            "**bold** *italic* `code` [link](https://ex.com/a)\n",
            "**bold** *italic* `code` [link](https://ex.com/a)\n",
        ),
        ("`` a`b ``\n", "``a`b``\n"),
        ("`` `a ``\n", "`` `a ``\n"),
        ("[x](https://ex.com/a b)\n", "[x](<https://ex.com/a b>)\n"),
        ("line one  \nline two\nsoft\n", "line one  \nline two soft\n"),
        (
            "- a\n- b\n    - b1\n        1. deep\n- c\n",
            "- a\n- b\n    - b1\n        1. deep\n- c\n",
        ),
        ("1. one\n2. two\n", "1. one\n2. two\n"),
        ("3. three\n4. four\n", "3. three\n4. four\n"),
        ("- first\n\n    more\n\n- second\n", "- first\n\n    more\n\n- second\n"),
        ("> quoted  \n> again\n\n> > nested\n", "> quoted  \n> again\n>\n> > nested\n"),
        ("    code <x> & *y*\n      indented\n", "    code <x> & *y*\n      indented\n"),
        ("Page one\n\n---\n\nPage two\n", "Page one\n\n---\n\nPage two\n"),
        ("", "\n"),
    ],
)
def test_each_construct_becomes_markdown(source: str, expected: str) -> None:
    assert twin(source) == expected


def test_tables_are_pipe_tables_with_a_header_row_and_alignment() -> None:
    source = (
        "| Task | Owner | Due |\n|:--|:-:|--:|\n| Brief \\| draft | **Ana** | 1 dic |\n| Review |\n"
    )
    assert twin(source) == (
        "| Task | Owner | Due |\n"
        "| :--- | :---: | ---: |\n"
        "| Brief \\| draft | **Ana** | 1 dic |\n"
        "| Review |  |  |\n"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("# not a heading", "\\# not a heading"),
        ("> not a quote", "\\> not a quote"),
        ("- not a list", "\\- not a list"),
        ("+ not a list", "\\+ not a list"),
        ("12. not a list", "12\\. not a list"),
        ("---", "\\---"),
        ("*stars* and _under_ and [brackets]", "\\*stars\\* and \\_under\\_ and \\[brackets\\]"),
        ("snake_case and __init__", "snake_case and \\_\\_init\\_\\_"),
        ("back\\slash and `tick`", "back\\\\slash and \\`tick\\`"),
        ("{: .Title}", "\\{: .Title}"),
        (
            "plain: | # < & {{ {% <script> 1.5 a-b (x) !",
            "plain: | # < & {{ {% <script> 1.5 a-b (x) !",
        ),
    ],
)
def test_text_is_escaped_only_where_markdown_would_read_structure(
    value: str, expected: str
) -> None:
    assert twin(escape(value)) == expected + "\n"


def test_headings_keep_a_trailing_hash() -> None:
    assert twin(f"## {escape('Learn C#')}\n") == "## Learn C\\#\n"


def test_a_twin_parses_back_to_the_same_text() -> None:
    source = (
        "Acta\n{: .Title}\n\n# Orden del día\n\n1. Uno *primero*\n2. Dos\n    - a_b\n\n"
        f"{escape('# * _ ` [x](y) {: .Meta} 1. - + > | <b> &amp; 中文')}\n\n"
        "| A | B |\n|---|---|\n| `c|d` | [l](https://ex.com) |\n\n> cita\n\n    code\n\n"
        "---\n\nFin  \nya\n"
    )
    first = twin(source)
    assert twin(first) == first
    assert first.endswith("ya\n") and not first.endswith("\n\n")


def test_every_word_of_the_document_is_in_the_twin() -> None:
    source = (
        "# Acta 活动\n\nLa **reunión** con *王芳* y `código`.\n\n- uno\n- dos\n\n"
        "| Tarea | Quién |\n|---|---|\n| Brief | Ana |\n"
    )
    tree = parse(source)
    info = DocumentInfo("T", "A", "es", datetime.date(2026, 1, 1), "Agencia", "T")
    document = Document(io.BytesIO(DocxRenderer(REFERENCE).render(tree, info)))
    words = [p.text for p in document.paragraphs]
    words += [cell.text for row in document.tables[0].rows for cell in row.cells]
    text = re.sub(r"[*`]", "", to_markdown(tree))
    for phrase in words:
        for word in phrase.split():
            assert word in text


def test_a_link_that_is_not_live_in_the_document_is_text_in_the_twin() -> None:
    tree = parse("[web](https://example.com) and [js](javascript:alert(1))\n")
    assert to_markdown(tree) == "[web](https://example.com) and js\n"
