"""Confidentiality: no file of a client's folder may name another client of the workspace.

A client is named by its `name` or any of its `aliases`. Matching ignores case and
accents; it takes whole words in scripts that separate words and substrings in Chinese,
Japanese and Korean text. A client's own names are matched first, so "Sol" inside its
own "Hipermercados Sol" is not another client's "Sol".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from aedocs.diagnostics import Diagnostic
from aedocs.source import Source, about
from aedocs.workspace import ClientFiles, Workspace

# Letters of scripts written without spaces between words: a name may stand inside them.
_CJK = "\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = rf"[^\W{_CJK}]"  # a word character that is not CJK


_BLANKS = re.compile(r"[ \t]+")


@lru_cache(maxsize=65536)  # keys and many values repeat across files
def normalize(text: str) -> str:
    """Case- and accent-insensitive form, without invisible characters (a zero-width
    space, a soft hyphen), one space for each run of spaces and tabs; line breaks stay
    where they were. So a name typed with any of those still reads as that name."""
    text = text.lower() if text.isascii() else "".join(map(_character, text))
    return _BLANKS.sub(" ", text) if "  " in text or "\t" in text else text


@lru_cache(maxsize=8192)
def _character(c: str) -> str:
    """`normalize` of one character that is not ASCII: '' for an invisible one."""
    decomposed = unicodedata.normalize("NFKD", c)
    kept = (d for d in decomposed if not unicodedata.combining(d))
    return "".join(d for d in kept if unicodedata.category(d) != "Cf").casefold()


def _columns(text: str) -> tuple[str, list[int]]:
    """`normalize(text)`, and for each of its characters the index in `text` it comes
    from: where a name found in the normalized text was typed."""
    out: list[str] = []
    columns: list[int] = []
    for i, c in enumerate(text):
        n = c.lower() if c.isascii() else _character(c)
        if n in (" ", "\t"):
            if out and out[-1] == " ":
                continue
            n = " "
        out += n
        columns += [i] * len(n)
    return "".join(out), columns


def check_client(client: ClientFiles, names: Names) -> Iterator[Diagnostic]:
    if len(names.client_name) < 2 or not names.owners:
        return
    for source in client.sources:
        yield from _scan(source, client.id, names)


class Names:
    """Every client's names, normalized, and one pattern that finds any of them."""

    def __init__(self, ws: Workspace) -> None:
        self.owners: dict[str, set[str]] = {}  # normalized name -> the clients it names
        self.shown: dict[str, str] = {}  # normalized name -> as its client file writes it
        self.client_name: dict[str, str] = {c.id: c.model.name for c in ws.clients.values()}
        self._found: dict[str, list[str]] = {}
        for client in ws.clients.values():
            for name in (client.model.name, *client.model.aliases):
                key = normalize(name).strip()
                if key:
                    self.owners.setdefault(key, set()).add(client.id)
                    self.shown.setdefault(key, name)
        # Longest first: a client's own "Hipermercados Sol" hides another client's "Sol".
        ordered = sorted(self.owners, key=lambda n: (-len(n), n))
        self.pattern = re.compile(
            rf"(?<!{_WORD})(?:{'|'.join(map(re.escape, ordered))})(?!{_WORD})"
        )

    def find(self, text: str) -> list[str]:
        """Every name in `text`, in order."""
        found = self._found.get(text)
        if found is None:  # statuses, ids and names repeat across a workspace's files
            found = [m.group() for m in self.pattern.finditer(normalize(text))]
            self._found[text] = found
        return found

    def describe(self, name: str, client: str) -> str:
        other = self.client_name[sorted(self.owners[name] - {client})[0]]
        what = repr(self.shown[name])
        return what if self.shown[name] == other else f"{what} (a name of {other!r})"


def _scan(source: Source, client: str, names: Names) -> Iterator[Diagnostic]:
    for loc, place in source.places.items():
        texts = []
        if place.tag == "str" and place.text:
            texts.append((place.text, (place.line, place.col), (place.end_line, place.end_col)))
        if loc and isinstance(loc[-1], str):
            texts.append((loc[-1], (place.key_line, place.key_col), (place.key_line, 0)))
        for text, start, end in texts:
            found = names.find(text)
            spots = _spots(source.lines, start, end, names) if found else []
            for name in found:
                # A name broken over two lines is not in any one line: say where the text starts.
                line, col = _take(spots, name) or start
                if client not in names.owners[name]:
                    message = (
                        f"names another client, {names.describe(name, client)}; "
                        "a document of this client must never mention it"
                    )
                    yield Diagnostic(source.rel, line, col, about(loc, message))


def _spots(
    lines: list[str], start: tuple[int, int], end: tuple[int, int], names: Names
) -> list[tuple[str, int, int]]:
    """The names in the text as typed between `start` and `end` (line, col; an end col of
    0 means the end of the line), with their line and col: a value written over several
    lines (a block, folded or quoted text) is placed exactly."""
    spots = []
    for n in range(start[0], min(end[0], len(lines)) + 1):
        first = start[1] - 1 if n == start[0] else 0
        stop = end[1] - 1 if n == end[0] and end[1] else None
        normal, columns = _columns(lines[n - 1][first:stop])
        found = names.pattern.finditer(normal)
        spots += [(m.group(), n, first + columns[m.start()] + 1) for m in found]
    return spots


def _take(spots: list[tuple[str, int, int]], name: str) -> tuple[int, int] | None:
    """The place of the first spot of `name`, removed with every spot before it."""
    for i, (found, line, col) in enumerate(spots):
        if found == name:
            del spots[: i + 1]
            return line, col
    return None
