"""Confidentiality: no file of a client's folder may name another client of the workspace.

A client is named by its `name` or any of its `aliases`. Matching ignores case and
accents (Turkish ı and İ are i, œ is oe, æ is ae, ß is ss; ø, ł, đ are o, l, d); it
takes whole words in scripts that separate words and substrings in Chinese, Japanese
and Korean text. Every run of whitespace, a line break included, reads as one
space, so a name broken over two lines of a text is found, and reported where it starts.
Markdown's emphasis and code markers do not hide a name: "Harrow & *Finch*",
"Arr**ie**ta" and "`Harrow` & Finch" name Harrow & Finch and Arrieta (see `_readings`).
A client's own names are matched first, so "Sol" inside its own "Hipermercados Sol" is
not another client's "Sol". A name two clients both claim is another client's to each:
both `client.yaml` files are told so where they list it, and every use of it is reported.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache

from aedocs.diagnostics import Diagnostic
from aedocs.source import Source, about, typed_text
from aedocs.workspace import ClientFiles, Workspace

# Letters of scripts written without spaces between words: a name may stand inside them.
_CJK = "\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = rf"[^\W{_CJK}]"  # a word character that is not CJK
# Letters that neither decomposing nor casefold() bring to the letters a reader takes
# them for: Turkish dotless ı (dotted İ decomposes to I), ligatures, letters with a
# stroke. (ß and ẞ casefold to ss.)
_LETTERS = str.maketrans({"ı": "i", "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})


@lru_cache(maxsize=65536)  # keys and many values repeat across files
def normalize(text: str) -> str:
    """Case- and accent-insensitive form, without invisible characters (a zero-width
    space, a soft hyphen), one space for each run of whitespace, line breaks included
    (and none at either end). So a name typed with any of those still reads as that name."""
    if text.isascii():  # most values: no character needs more than lower()
        text = text.lower()
        # (A YAML file can hold no other ASCII control character, only its escape.)
        spaced = "  " in text or "\n" in text or "\t" in text or "\r" in text
        return " ".join(text.split()) if spaced else text
    return " ".join("".join(map(_character, text)).split())


@lru_cache(maxsize=8192)
def _character(c: str) -> str:
    """`normalize` of one character that is not ASCII: '' for an invisible one."""
    decomposed = unicodedata.normalize("NFKD", c)
    kept = (d for d in decomposed if not unicodedata.combining(d))
    visible = "".join(d for d in kept if unicodedata.category(d) != "Cf")
    return visible.casefold().translate(_LETTERS)


# Markup that Markdown does not print: emphasis and code markers (`*` and `` ` ``, cut
# first and everywhere), strike-through, the backslash of an escape. A run of `_` is
# emphasis only at the edge of a word: inside one (`stock_report`, `A__b`) Markdown prints
# it, and cutting it would make two words one.
_MARKERS = "*`"
_MARKUP = re.compile(r"~~+|\\(?=[!-/:-@\[-`{-~])|(?<!\w)_+|_+(?!\w)")


def _marked(text: str) -> bool:
    return "*" in text or "`" in text or "_" in text or "~" in text or "\\" in text


def _unmarked(normal: str) -> str:
    """`normal`, a normalized text, without its Markdown markup."""
    text = normal.replace("*", "").replace("`", "")
    if "_" in text or "~" in text or "\\" in text:
        text = _MARKUP.sub("", text)
    return " ".join(text.split())


def _readings(text: str) -> Iterator[tuple[str, list[int]]]:
    """The forms of `text` names are looked for in, and for each of their characters
    the index in `text` it comes from: where a name found in them was typed.

    The first is `normalize(text)` (but for a space it may keep at either end). A text
    with Markdown markup in it is read a second time without it, so "Harrow & *Finch*"
    or "Arr**ie**ta" is the name it prints. Every text, not only the fields the models
    take as Markdown: this rule reads each file as typed, keys and files that do not
    type included, and "Harrow & *Finch*" in plain text still names Harrow & Finch to
    whoever reads it. The first reading stays, so a name with such a character in it
    ("E*Trade") or a name the character sets apart ("5*Sol") is found as typed."""
    chars: list[str] = []
    columns: list[int] = []
    for i, c in enumerate(text):
        for n in c.lower() if c.isascii() else _character(c):
            chars.append(n)
            columns.append(i)
    yield _spaced(chars, columns)
    if _marked("".join(chars)):  # as `_unmarked` does, with the columns
        kept = [k for k, n in enumerate(chars) if n not in _MARKERS]
        rest = "".join(chars[k] for k in kept)
        cut = {kept[k] for m in _MARKUP.finditer(rest) for k in range(*m.span())}
        kept = [k for k in kept if k not in cut]
        yield _spaced([chars[k] for k in kept], [columns[k] for k in kept])


def _spaced(chars: list[str], columns: list[int]) -> tuple[str, list[int]]:
    """`chars` with one space for each run of whitespace, and the columns kept."""
    out: list[str] = []
    kept: list[int] = []
    for n, column in zip(chars, columns, strict=True):
        if n.isspace():
            if out and out[-1] == " ":
                continue
            n = " "
        out.append(n)
        kept.append(column)
    return "".join(out), kept


def check_client(client: ClientFiles, names: Names) -> Iterator[Diagnostic]:
    if len(names.client_name) < 2 or not names.owners:
        return
    for source in client.sources:
        yield from _scan(source, client.id, names, own=source is client.source)


class Names:
    """Every client's names, normalized, and one pattern that finds any of them."""

    def __init__(self, ws: Workspace) -> None:
        self.owners: dict[str, set[str]] = {}  # normalized name -> the clients it names
        # (normalized name, client) -> as that client's file writes it
        self.shown: dict[tuple[str, str], str] = {}
        self.client_name: dict[str, str] = {c.id: c.model.name for c in ws.clients.values()}
        self._found: dict[str, list[str]] = {}
        for client in ws.clients.values():
            for name in (client.model.name, *client.model.aliases):
                key = normalize(name).strip()
                if key:
                    self.owners.setdefault(key, set()).add(client.id)
                    self.shown.setdefault((key, client.id), name)
        # Longest first: a client's own "Hipermercados Sol" hides another client's "Sol".
        ordered = sorted(self.owners, key=lambda n: (-len(n), n))
        self.pattern = re.compile(
            rf"(?<!{_WORD})(?:{'|'.join(map(re.escape, ordered))})(?!{_WORD})"
        )

    def find(self, text: str) -> list[str]:
        """Every name in `text`, in order."""
        found = self._found.get(text)
        if found is None:  # statuses, ids and names repeat across a workspace's files
            normal = normalize(text)
            found = self._names(normal)
            unmarked = _unmarked(normal) if _marked(normal) else normal
            # Read without its markup, a text may name what it did not (or hide in a
            # longer name what it named): then both readings are placed and merged.
            # Most marked texts (Markdown notes, snake_case keys) name the same either
            # way, and are not read a third time.
            if unmarked != normal and self._names(unmarked) != found:
                found = [name for name, _ in self.place(text)]
            self._found[text] = found
        return found

    def _names(self, normal: str) -> list[str]:
        return [m.group() for m in self.pattern.finditer(normal)]

    def place(self, text: str) -> list[tuple[str, int]]:
        """Every name in `text`, in order, with the index in `text` where it starts."""
        found = []  # (start, -last, name): at each start, the longest first
        for normal, columns in _readings(text):
            for m in self.pattern.finditer(normal):
                found.append((columns[m.start()], -columns[m.end() - 1], m.group()))
        placed: list[tuple[str, int]] = []
        end = -1
        for start, last, name in sorted(found):
            # What one reading found inside a longer name another reading found is part
            # of that name: a client's own "Hipermercados *Sol*" is not another's "Sol".
            if start > end:
                placed.append((name, start))
                end = -last
        return placed

    def describe(self, name: str, client: str) -> str:
        """`name` as the other client it names writes it (the first of them, when two or
        more share it), and that client's name."""
        other = sorted(self.owners[name] - {client})[0]
        shown, its_name = self.shown[name, other], self.client_name[other]
        return repr(shown) if shown == its_name else f"{shown!r} (a name of {its_name!r})"


def _scan(source: Source, client: str, names: Names, own: bool) -> Iterator[Diagnostic]:
    """The names of other clients in `source`, a file of `client`'s folder (`own`: its
    `client.yaml`). A name two clients share names the other one: each of them hears it
    at its own `name` or alias that claims it, and wherever its files use it."""
    for loc, place in source.places.items():
        texts = []
        if place.tag == "str" and place.text:
            # The client's own `name` and `aliases`: what names it, not a mention.
            claims = own and loc[:1] in (("name",), ("aliases",))
            start, end = (place.line, place.col), (place.end_line, place.end_col)
            texts.append((place.text, start, end, claims))
        if loc and isinstance(loc[-1], str):
            texts.append((loc[-1], (place.key_line, place.key_col), (place.key_line, 0), False))
        for text, start, end, claims in texts:
            found = names.find(text)
            spots = _spots(source.lines, start, end, names) if found else []
            for name in found:
                # Escapes of a quoted text (a "\u00ad") are not what was typed: when the
                # name is not in the typed text, say where the text starts.
                line, col = _take(spots, name) or start
                if names.owners[name] - {client}:
                    why = (
                        "two clients cannot share a name"
                        if claims
                        else "a document of this client must never mention it"
                    )
                    message = f"names another client, {names.describe(name, client)}; {why}"
                    yield Diagnostic(source.rel, line, col, about(loc, message))


def _spots(
    lines: list[str], start: tuple[int, int], end: tuple[int, int], names: Names
) -> list[tuple[str, int, int]]:
    """The names in the text as typed between `start` and `end` (line, col; an end col of
    0 means the end of the line), with the line and col where each starts: a value written
    over several lines (a block, folded or quoted text) is placed exactly, a name broken
    over two of its lines where the name starts."""
    first_line, typed = typed_text(lines, start, end)
    if not typed:
        return []
    starts = [0]  # the index in the joined text of each line's first character
    for line in typed[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spots = []
    for name, index in names.place("\n".join(typed)):
        n = bisect_right(starts, index) - 1
        spots.append((name, first_line + n, index - starts[n] + 1))
    return spots


def _take(spots: list[tuple[str, int, int]], name: str) -> tuple[int, int] | None:
    """The place of the first spot of `name`, removed with every spot before it."""
    for i, (found, line, col) in enumerate(spots):
        if found == name:
            del spots[: i + 1]
            return line, col
    return None
