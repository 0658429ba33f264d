"""Markdown to tree: plain values print as typed, raw HTML is text, the tree is clean."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from aedocs.render.markdown import escape, list_item, parse, table_rows

HOSTILE = [
    "* | # < & {{ {% <script> \x00 emoji 🎉 中文",
    "<b>bold?</b> &amp; &lt; &#169; <https://example.com> <a@b.es>",
    "\\ ` * _ { } [ ] ( ) > # + - . ! |",
    "# not a heading",
    "> not a quote",
    "- not a list",
    "+ not a list",
    "1. not a list",
    "2026. año",
    "---",
    "***",
    "___",
    "===",
    "[link](https://example.com) ![image](x.png)",
    "*em* **strong** `code` _under_ __init__",
    "{: .Title}",
    "Title {: .Title}",
    "{#id} {.class} {key=value}",
    "C#",
    "trailing backslash \\",
    "    four spaces of indent",
    "\x02\x03 placeholders \x0257\x03",
]


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def words(text: str) -> str:
    """`text` as it should print: without control characters, spaces collapsed."""
    return " ".join(text.translate({0: None, 2: None, 3: None}).split())


@pytest.mark.parametrize("value", HOSTILE)
def test_an_escaped_value_prints_as_typed_in_a_paragraph(value: str) -> None:
    expected = words(value)
    tree = parse(f"Before {escape(value)} after\n")
    assert [child.tag for child in tree] == ["p"]
    assert list(tree[0]) == []  # no markup at all
    assert words(text_of(tree[0])) == f"Before {expected} after"


@pytest.mark.parametrize("value", HOSTILE)
def test_an_escaped_value_prints_as_typed_on_a_line_of_its_own(value: str) -> None:
    expected = words(value)
    tree = parse(f"Text above\n{escape(value)}\n")
    assert [child.tag for child in tree] == ["p"]
    assert words(text_of(tree[0])) == f"Text above {expected}"


@pytest.mark.parametrize("value", HOSTILE)
def test_an_escaped_value_stays_in_its_table_cell_heading_and_list_item(value: str) -> None:
    expected = words(value)
    plain = escape(value)
    tree = parse(f"# {plain}\n\n- {plain}\n\n| A | B |\n|---|---|\n| {plain} | x |\n")
    assert [child.tag for child in tree] == ["h1", "ul", "table"]
    assert words(text_of(tree[0])) == expected
    assert words(text_of(tree[1][0])) == expected
    row = table_rows(tree[2])[1][0]
    assert [words(text_of(cell)) for cell in row] == [expected, "x"]


def test_newlines_in_a_value_become_spaces_or_hard_breaks() -> None:
    assert escape("Calle Mayor 1\n28013 Madrid\r\n\nEspaña") == "Calle Mayor 1 28013 Madrid España"
    tree = parse(escape("Calle Mayor 1\n- 28013 Madrid", breaks=True))
    p = tree[0]
    assert [child.tag for child in p] == ["br"]
    assert (p.text, p[0].tail) == ("Calle Mayor 1", "- 28013 Madrid")


def test_raw_html_and_entities_are_text() -> None:
    tree = parse("<div>block</div>\n\nA <b>x</b> &amp; &copy; <https://example.com>\n")
    assert [text_of(p) for p in tree] == [
        "<div>block</div>",
        "A <b>x</b> &amp; &copy; <https://example.com>",
    ]
    assert all(len(p) == 0 for p in tree)


def test_code_text_is_as_typed() -> None:
    tree = parse("Run `a < b && c > d &lt;` now.\n\n    if a < b & c:\n        pass\n\n\n")
    assert tree[0][0].tag == "code"
    assert tree[0][0].text == "a < b && c > d &lt;"
    assert tree[1].tag == "pre"
    assert tree[1][0].text == "if a < b & c:\n    pass"


def test_the_tree_has_blocks_inline_markup_and_styles() -> None:
    source = (
        "# Title {: .Title}\n\nSome **bold**, *italic* and [a link](https://ex.com/a).  \n"
        "Next line\nsoft\n{: .Meta}\n\n1. one\n2. two\n    - nested\n\n---\n\n> quoted\n"
    )
    tree = parse(source)
    assert [child.tag for child in tree] == ["h1", "p", "ol", "hr", "blockquote"]
    assert tree[0].get("class") == "Title"
    paragraph = tree[1]
    assert paragraph.get("class") == "Meta"
    assert [c.tag for c in paragraph] == ["strong", "em", "a", "br"]
    assert paragraph[2].get("href") == "https://ex.com/a"
    assert paragraph[3].tail == "Next line soft"  # soft breaks are spaces
    inline, blocks = list_item(tree[2][1])
    assert (tree[2][1].text, inline, [b.tag for b in blocks]) == ("two", [], ["ul"])


def test_setext_underlines_are_not_headings() -> None:
    tree = parse("Some text\n===\n")
    assert [(c.tag, text_of(c)) for c in tree] == [("p", "Some text ===")]


def test_documents_do_not_share_link_references() -> None:
    first = parse("[x]: https://one.example\n\nSee [x].\n")
    second = parse("See [x].\n")
    assert first[0][0].get("href") == "https://one.example"
    assert len(second[0]) == 0 and second[0].text == "See [x]."


def test_empty_source_gives_an_empty_tree() -> None:
    assert (parse("").tag, len(parse("  \n"))) == ("div", 0)


def test_a_valueless_attribute_is_dropped() -> None:
    tree = parse("Para\n{: class}\n\n[a](https://ex.com/a){: href}\n")
    assert tree[0].attrib == {} and tree[0].text == "Para"
    assert tree[1][0].attrib == {} and tree[1][0].text == "a"


def test_a_text_seen_before_gives_a_tree_of_its_own() -> None:
    """Inline markup is worked out once per distinct text; each document gets its copy."""
    source = "**Client:** Sol \\(Foods\\)\n\n| **Client:** Sol \\(Foods\\) |\n|---|\n| x |\n"
    first, second = parse(source), parse(source)
    first[0][0].text = "changed"
    for tree in (second, parse(source)):
        paragraph, cell = tree[0], tree[1][0][0][0]
        for element in (paragraph, cell):
            assert [(c.tag, c.text, c.tail) for c in element] == [
                ("strong", "Client:", " Sol (Foods)")
            ]


def test_a_table_row_splits_at_pipes_outside_code_and_escapes() -> None:
    tree = parse("| a | b | c | d |\n|---|---|---|---|\n| x \\| y | `p | q` | r \\\\| s |\n")
    row = table_rows(tree[0])[1][0]
    assert [text_of(cell) for cell in row] == ["x | y", "p | q", "r \\", "s"]


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("华人老顾客，\n西班牙本地顾客不多", "华人老顾客，西班牙本地顾客不多"),
        ("前年比 112%。\n  今年は", "前年比 112%。今年は"),
        ("campaña\n中文", "campaña 中文"),  # a Latin letter beside: a space
        ("한국어\n문장", "한국어 문장"),  # Korean spaces its words
    ],
)
def test_a_line_broken_between_chinese_or_japanese_characters_joins_without_a_space(
    source: str, text: str
) -> None:
    assert parse(source)[0].text == text
