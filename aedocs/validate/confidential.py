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

from aedocs.diagnostics import Diagnostic
from aedocs.load import Source, format_loc
from aedocs.workspace import ClientFiles, Workspace

# Letters of scripts written without spaces between words: a name may stand inside them.
_CJK = "\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = rf"[^\W{_CJK}]"  # a word character that is not CJK


def normalize(text: str) -> str:
    """Case- and accent-insensitive form; line breaks stay where they were."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def check(ws: Workspace) -> Iterator[Diagnostic]:
    owners: dict[str, set[str]] = {}  # normalized name -> client ids it names
    shown: dict[str, str] = {}
    for client in ws.clients.values():
        for name in (client.model.name, *client.model.aliases):
            key = normalize(name).strip()
            if key:
                owners.setdefault(key, set()).add(client.id)
                shown.setdefault(key, name)
    if len(ws.clients) < 2 or not owners:
        return
    names = sorted(owners, key=lambda n: (-len(n), n))
    pattern = re.compile(rf"(?<!{_WORD})(?:{'|'.join(map(re.escape, names))})(?!{_WORD})")
    for client in ws.clients.values():
        for source in client.sources:
            yield from _scan(source, client, pattern, owners, shown, ws)


def _scan(
    source: Source,
    client: ClientFiles,
    pattern: re.Pattern[str],
    owners: dict[str, set[str]],
    shown: dict[str, str],
    ws: Workspace,
) -> Iterator[Diagnostic]:
    for loc, place in source.places.items():
        texts = [(place.text, place.line, place.block)] if place.tag == "str" else []
        if loc and isinstance(loc[-1], str):
            texts.append((loc[-1], place.key_line, False))
        for text, line, block in texts:
            if not text:
                continue
            normal = normalize(text)
            for match in pattern.finditer(normal):
                others = owners[match.group()] - {client.id}
                if client.id in owners[match.group()] or not others:
                    continue
                other = ws.clients[sorted(others)[0]]
                at = line + normal.count("\n", 0, match.start()) + (1 if block else 0)
                what = repr(shown[match.group()])
                if shown[match.group()] != other.model.name:
                    what += f" (a name of {other.model.name!r})"
                prefix = f"{format_loc(loc)}: " if loc else ""
                yield Diagnostic(
                    source.rel,
                    at,
                    place.col if at == place.line else 1,
                    f"{prefix}names another client, {what}; a document of "
                    "this client must never mention it",
                )
