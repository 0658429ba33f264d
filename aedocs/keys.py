"""Keys: the hash of everything an output is made from.

An output's key covers its path, the config, the reference document, its client's
`client.yaml`, each source it is made from (for a weekly report, what it shows of every
source it aggregates: a meeting's notes are in no weekly report), the templates it uses
(the one named for it and every template that one includes, extends or imports,
transitively) and the aedocs version. An output whose key is the manifest's is up to
date. File hashes come from `manifest.Hasher`, which trusts size and mtime when they
match the last build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from aedocs import manifest
from aedocs.render.files import (
    TEMPLATE_SUFFIX,
    reference_document,
    template_files,
    template_folders,
)
from aedocs.workspace import CLIENT_FILE, CONFIG_FILE, inside

if TYPE_CHECKING:
    from aedocs.plan import Output


class Keys:
    """The key of each output: a hash of everything it is made from."""

    def __init__(self, root: Path, hasher: manifest.Hasher) -> None:
        self.root = root
        self.hash = hasher
        self.folders = template_folders(root)
        self.reference = self._file(reference_document(root))
        self.config = hasher(CONFIG_FILE)
        self._templates: dict[str, list[str]] = {}

    def of(self, out: Output) -> str:
        client = f"clients/{out.client}/{CLIENT_FILE}"
        parts = [out.rel, self.config, self.reference, self.hash(client)]
        if out.report is not None:  # what it shows, not the whole files it reads
            parts.append(f"report={out.report.fingerprint()}")
        else:
            parts += [f"{rel}={self.hash(rel)}" for rel in out.inputs]
        if out.unsigned:  # shown unsigned until the build's date reaches them
            parts.append(f"unsigned={out.unsigned}")
        parts += self.templates(out.template + TEMPLATE_SUFFIX)
        return manifest.key(parts)

    def workspace_key(self, files: dict[str, list[str]]) -> str:
        """The hash of what every client depends on: the config, every client.yaml, every
        template and the reference document (see `aedocs.reuse`)."""
        parts = [self.config, self.reference, *self._every_template()]
        for rels in files.values():
            parts += [f"{rel}={self.hash(rel)}" for rel in rels if rel.endswith("/" + CLIENT_FILE)]
        return manifest.key(parts)

    def templates(self, name: str) -> list[str]:
        """`name=hash` of a template and of every template it includes, transitively."""
        if name not in self._templates:
            self._templates[name] = []  # guards against include cycles
            path = self._find(name)
            if not path.is_file():  # rendering reports the missing template
                self._templates[name] = [f"{name}=missing"]
                return self._templates[name]
            found = [f"{name}={self._file(path)}"]
            text = path.read_bytes().decode("utf-8", errors="replace")  # bad bytes: reported
            children, computed = _referenced(text)
            for child in children:  # when rendering
                found += self.templates(child)
            if computed:  # a name made while rendering: it may be any template
                found += self._every_template()
            self._templates[name] = sorted(set(found))
        return self._templates[name]

    def _every_template(self) -> list[str]:
        """`folder/path=hash` of every file of the template folders."""
        return [
            f"{folder.name}/{path.relative_to(folder).as_posix()}={self._file(path)}"
            for folder in self.folders
            for path in template_files(folder)
        ]

    def _find(self, name: str) -> Path:
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return self.folders[-1] / name

    def _file(self, path: Path) -> str:
        rel = inside(self.root, path)
        return self.hash(rel) if rel else self.hash.path(str(path.resolve()), path)


# The names a tag that includes, extends or imports other templates quotes: `{% include
# "a.md.j2" %}`, `{% from 'b.md.j2' import x %}`, `{% include ["c", "d"] %}`. Jinja's own
# `meta.find_referenced_templates` finds the same literal names but means importing Jinja
# and parsing; a name found in a comment only makes the key depend on one file more.
_REFERENCING_TAG = re.compile(r"\{%[-+]?\s*(?:include|extends|import|from)\b(.*?)[-+]?%\}", re.S)
_QUOTED = re.compile(r"'([^'\\]*)'|\"([^\"\\]*)\"")
# What a tag that names its templates literally holds after its keyword: quoted names (a
# list of them, for include), then `ignore missing`, `with/without context`, `as x`, or
# `import x, y as z`.
_LITERAL = re.compile(
    r"\s*\[?\s*(?:(?:'[^'\\]*'|\"[^\"\\]*\")\s*,?\s*)+\]?\s*"
    r"(?:ignore\s+missing\s*)?(?:(?:with|without)\s+context\s*)?"
    r"(?:as\s+\w+\s*|import\b.*)?\Z",
    re.S,
)


def _referenced(source: str) -> tuple[list[str], bool]:
    """Templates that `source` includes, extends or imports by literal name; and whether
    a tag names one otherwise (`{% include part %}`, `"a" ~ b`): then any may be."""
    found: set[str] = set()
    computed = False
    for tag in _REFERENCING_TAG.finditer(source):
        found.update(a or b for a, b in _QUOTED.findall(tag.group(1)))
        computed = computed or not _LITERAL.match(tag.group(1))
    return sorted(n for n in found if n), computed
