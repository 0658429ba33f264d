"""The loader: places of values, keys as typed, and hostile input that must never run code,
hang or raise."""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

import pytest
import yaml

from aedocs import load as loading
from aedocs.load import load_bytes
from aedocs.model import Meeting
from aedocs.model.parse import parse
from aedocs.source import Place, Source

REFUSED = "is not allowed: write plain values, lists and mappings"


def load(text: str | bytes) -> tuple[Source | None, list[str]]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    source, problems = load_bytes(raw, Path("x.yaml"), "x.yaml")
    return source, [d.format() for d in problems]


def loaded(text: str | bytes) -> Source:
    source, problems = load(text)
    assert problems == []
    assert source is not None
    return source


MEETING = """\
title: Kick-off
attendees: [ana, lwei]
actions:
  - {task: Send plan, owner: ana, due: 2026-11-25}
  - task: Book room
    owner: marc
notes: |
  first line
  second line
"""


def test_every_value_keeps_its_line_and_column() -> None:
    places = loaded(MEETING).places
    assert places[("title",)] == Place(1, 8, 1, 1, "Kick-off", "str", 1, 16)
    assert (places[("attendees", 1)].line, places[("attendees", 1)].col) == (2, 18)
    assert (places[("actions", 0, "due")].line, places[("actions", 0, "due")].col) == (4, 40)
    owner = places[("actions", 1, "owner")]
    assert (owner.line, owner.col, owner.key_line, owner.key_col) == (6, 12, 6, 5)
    assert places[("actions", 1)].tag == "map"
    assert (places[("notes",)].line, places[("notes",)].end_line) == (7, 10)


def test_place_falls_back_to_the_nearest_ancestor() -> None:
    source = loaded(MEETING)
    assert source.place(("actions", 1, "due")) == (5, 5)
    assert source.place(("actions", 1, "owner"), key=True) == (6, 5)
    assert source.error(("actions", 1, "owner"), "bad").format() == (
        "x.yaml:6:12: error: actions[1].owner: bad"
    )


def test_values_are_plain_python_and_dates_are_dates() -> None:
    data = loaded(MEETING).data
    assert data["actions"][0] == {"task": "Send plan", "owner": "ana", "due": dt.date(2026, 11, 25)}
    assert data["notes"] == "first line\nsecond line\n"


@pytest.mark.parametrize("key", ["on", "yes", "no", "off", "true", "null", "y", "1", "2026-11-20"])
def test_keys_keep_their_text(key: str) -> None:
    assert list(loaded(f"{key}: 1\n").data) == [key]


def test_signature_on_key_stays_on() -> None:
    data = loaded("signatures: [{by: ana, on: 2026-11-21}]\n").data
    assert data["signatures"][0] == {"by": "ana", "on": dt.date(2026, 11, 21)}


def test_byte_order_mark_is_accepted() -> None:
    source = loaded(b"\xef\xbb\xbftitle: Kick-off\n")
    assert source.data == {"title": "Kick-off"}
    assert source.place(("title",)) == (1, 8)


def test_not_utf8_points_at_the_byte() -> None:
    _, problems = load("title: ok\nplace: Sal\xf3n\n".encode("latin-1"))
    assert problems == ["x.yaml:2:11: error: not UTF-8 text (byte 0xf3); save the file as UTF-8"]


def test_control_character_is_placed_even_after_wide_characters() -> None:
    _, problems = load("title: 云舞文化\nplace: a\x07b\n")
    assert problems == [
        "x.yaml:2:9: error: control character U+0007 is not allowed in YAML; remove it"
    ]


def test_impossible_date_is_reported_once_at_its_value() -> None:
    source, problems = load("opened: 2026-02-30\n")
    assert problems == ["x.yaml:1:9: error: opened: '2026-02-30' is not a real date"]
    assert source is not None and ("opened",) in source.reported


def test_duplicate_key_names_the_first_line() -> None:
    source, problems = load("a:\n  b: 1\n  c: 2\n  b: 3\n")
    assert problems == [
        "x.yaml:4:3: error: a: duplicate key 'b' (first at line 2); a key may appear once"
    ]
    assert source is not None and source.data == {"a": {"b": 1, "c": 2}}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "x.yaml:1:1: error: empty file: expected a mapping of keys"),
        ("# only a comment\n", "x.yaml:1:1: error: empty file: expected a mapping of keys"),
        ("- a\n- b\n", "x.yaml:1:1: error: expected a mapping of keys at the top, found a list"),
        (
            "just text\n",
            "x.yaml:1:1: error: expected a mapping of keys at the top, found the value 'just text'",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "x.yaml:3:1: error: more than one YAML document ('---'); keep one document per file",
        ),
    ],
)
def test_files_that_are_not_one_mapping(text: str, problem: str) -> None:
    source, problems = load(text)
    assert (source, problems) == (None, [problem])


UNSAFE = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_call [[touch, '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:os.system {{a: 1}}",
]


@pytest.mark.parametrize("value", UNSAFE)
def test_unsafe_tags_never_run_code(value: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"title: {value.format(marker=marker)}\n"
    source, problems = load(text)
    assert not marker.exists()
    tag = value.split()[0].split("[")[0]
    assert problems == [f"x.yaml:1:8: error: title: tag '{tag}' {REFUSED}"]
    assert source is not None and source.data == {"title": None}
    assert ("title",) in source.reported


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "!!python/object/apply:os.system\nargs: ['touch {marker}']\n",
            "1:1: error: tag '!!python/object/apply:os.system' is not allowed",
        ),
        (
            "a: [!!python/object/apply:os.system ['touch {marker}']]\n",
            "1:5: error: a[0]: tag '!!python/object/apply:os.system' is not allowed",
        ),
        ("!!python/name:os.system : key\n", "1:1: error: tag '!!python/name:os.system' is not"),
        (
            "? !!python/object/apply:os.system ['touch {marker}']\n: key\n",
            "1:3: error: a key must be a plain word, not a list",
        ),
    ],
)
def test_unsafe_tags_anywhere_never_run_code(text: str, problem: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    _, problems = load(text.format(marker=marker))
    assert not marker.exists()
    assert len(problems) == 1
    assert problems[0].startswith(f"x.yaml:{problem}")


@pytest.mark.parametrize("tag", ["!!set {a, b}", "!!omap [{a: 1}]", "!!binary aGk=", "!local x"])
def test_other_tags_are_refused(tag: str) -> None:
    _, problems = load(f"a: {tag}\n")
    shown = tag.split()[0]
    assert problems == [f"x.yaml:1:4: error: a: tag '{shown}' {REFUSED}"]


def test_merge_key_is_refused() -> None:
    _, problems = load("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert problems == [
        "x.yaml:3:3: error: other: merge keys ('<<') are not supported; write the keys out"
    ]


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_alias_bomb_ends_quickly_with_a_diagnostic() -> None:
    start = time.monotonic()
    _, problems = load(BILLION_LAUGHS)
    assert time.monotonic() - start < 2
    assert len(problems) == 1
    assert problems[0].endswith("error: aliases expand too far (more than 10000 repeated values)")


def test_a_few_aliases_are_fine() -> None:
    data = loaded("a: &x [1, 2]\nb: *x\nc: *x\n").data
    assert data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_recursive_alias_is_a_diagnostic() -> None:
    source, problems = load("sections: &s\n  - {title: Insight, points: *s}\n")
    assert problems == [
        "x.yaml:2:22: error: sections[0].points: an alias refers to the value that contains it"
    ]
    assert source is not None and source.data == {
        "sections": [{"title": "Insight", "points": None}]
    }


def test_deep_nesting_is_a_diagnostic() -> None:
    _, flow = load("a: " + "[" * 500 + "]" * 500 + "\n")
    _, block = load("".join("  " * i + "k:\n" for i in range(300)))
    assert [p.split(": ", 1)[1] for p in flow + block] == [
        "error: values nested more than 64 levels deep"
    ] * 2


SAMPLES = [MEETING, BILLION_LAUGHS, "a: {b: [1, 2, {c: d}]}\n", "t: '10:00'\nu: 10:00\n"]
NOISE = b"[]{}:,-&*!#|>'\"?%@`~<= \t\n\r0123456789abcdefxyz\\/"


def _mutate(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        pos = rng.randrange(len(data))
        choice = rng.random()
        if choice < 0.05:
            data[pos] = rng.randrange(256)
        elif choice < 0.4:
            data[pos] = rng.choice(NOISE)
        elif choice < 0.7:
            data[pos:pos] = rng.choice(
                [*NOISE, *"!!python/object:os.system 云".encode()]
            ).to_bytes()
        else:
            del data[pos]
    return bytes(data)


def test_loader_and_models_never_raise_for_garbage() -> None:
    rng = random.Random(20261120)
    inputs = [_mutate(rng, s.encode()) for s in SAMPLES for _ in range(150)]
    inputs += [rng.randbytes(rng.randint(0, 200)) for _ in range(200)]
    for raw in inputs:
        source, problems = load_bytes(raw, Path("x.yaml"), "x.yaml")
        assert source is not None or problems, raw
        for problem in problems:
            assert problem.line >= 1 and problem.col >= 1, raw
            assert "\n" not in problem.message, raw
        if source is not None:
            parse(source, Meeting)


SCALARS = [
    *["yes", "No", "TRUE", "off", "On", "~", "null", "Null", "0", "-17", "0x1F", "0o17"],
    *["1_000", "3.5", ".5", "1e3", "-.inf", ".NaN", "12:30", "190:20:30", "2026-11-20"],
    *["2026-13-45", "2026-11-20T10:00:00", "ana", "open", "plain"],
    "",
    "two words",
    "x" * 65,  # longer than the texts whose tags are remembered
]


@pytest.mark.parametrize("kept", [50_000, 3], ids=["all-kept", "forgets-often"])
def test_remembered_tags_are_the_resolvers(kept: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader remembers the tag of short plain scalars: always the stock answer."""
    monkeypatch.setattr(loading, "_TAGS_KEPT", kept)
    monkeypatch.setattr(loading, "_TAGS", {})
    stock = yaml.resolver.Resolver()
    loader = loading._Loader("")
    for _ in range(2):  # the second time from memory
        for value in SCALARS:
            for implicit in ((True, False), (False, True)):
                expected = stock.resolve(yaml.ScalarNode, value, implicit)
                assert loader.resolve(yaml.ScalarNode, value, implicit) == expected, value
    assert len(loading._TAGS) <= kept
