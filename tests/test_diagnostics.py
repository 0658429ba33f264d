"""How a diagnostic prints: compiler-style, and nothing in it a terminal would act on."""

from __future__ import annotations

from aedocs.diagnostics import Diagnostic, printable


def test_a_diagnostic_prints_compiler_style() -> None:
    assert Diagnostic("a.yaml", 3, 0, "bad").format() == "a.yaml:3:1: error: bad"
    assert Diagnostic("clients/x", 0, 0, "bad").format() == "clients/x: error: bad"


def test_controls_and_bidi_overrides_are_spelled_out() -> None:
    message = "names another client, Evil\x1b]52;c;aGk=\x07 \u202eCorp"
    assert Diagnostic("a.yaml", 1, 1, message).format() == (
        "a.yaml:1:1: error: names another client, Evil\\x1b]52;c;aGk=\\x07 \\u202eCorp"
    )
    assert printable("plain, accented: café 日本 \t tab") == "plain, accented: café 日本 \t tab"
