"""Diagnostics: one problem in the workspace, where it is, and how it is printed.

Every user-caused problem becomes a `Diagnostic`; nothing a user can do ends in a
traceback. Diagnostics print compiler-style (`path:line:col: error: message`) so editors
can jump to them, sorted by place, all at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
# Characters a terminal acts on instead of showing: C0 and C1 controls (escape sequences
# set titles, clear screens, write the clipboard) and the bidi overrides that reorder
# what is shown. Text from the files is printed with each of them spelled out, as \x1b.
_ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` safe to print on a terminal: what a terminal would act on, spelled out."""
    if not _ACTING.search(text):
        return text
    return _ACTING.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at `path:line:col` (1-based; 0 when the whole file is meant)."""

    path: str
    line: int
    col: int
    message: str = field(compare=True)
    level: Level = field(default=Level.ERROR, compare=False)

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{max(self.col, 1)}"
        return printable(f"{where}: {self.level.value}: {self.message}")

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR


class AedocsError(Exception):
    """A problem the user caused; the CLI prints its diagnostics and exits 1."""

    def __init__(self, diagnostics: Iterable[Diagnostic] | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("aedocs", 0, 0, diagnostics)]
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def failed(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    """Whether these diagnostics make the command fail (warnings too with --strict)."""
    return any(d.is_error or strict for d in diagnostics)


def report(diagnostics: Iterable[Diagnostic], color: bool) -> None:
    """Print diagnostics to stderr, one a line, sorted, each once (a broken template
    fails every document that uses it the same way); colour only when asked."""
    import click

    for d in sorted(set(diagnostics)):
        line = d.format()
        if color:
            where, _, rest = line.partition(f": {d.level.value}: ")
            tint = "red" if d.is_error else "yellow"
            line = (
                click.style(where, bold=True)
                + ": "
                + click.style(d.level.value, fg=tint, bold=True)
                + ": "
                + rest
            )
        click.echo(line, err=True, color=color)


def counted(n: int, thing: str) -> str:
    """`1 error`, `2 errors`."""
    return f"{n} {thing}{'s' if n != 1 else ''}"


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """`2 errors, 1 warning`, or `no problems`."""
    items = list(diagnostics)
    errors = sum(d.is_error for d in items)
    warnings = len(items) - errors
    parts = [counted(n, word) for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return ", ".join(parts) or "no problems"
