"""What a loaded YAML file gives: its values, and where each of them stands.

Kept apart from `aedocs.load` so that whoever only holds loaded files (a rendering worker
unpickling the workspace, the rules) never imports YAML.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from aedocs.diagnostics import Diagnostic

Loc = tuple[str | int, ...]
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_file(path: str | Path) -> bytes:
    """The bytes of the workspace file at `path`. OSError when it cannot be read, or is no
    regular file: reading a named pipe would wait for a writer, a device might never end.
    (Opened without blocking, so that a pipe is found out before anything is read.)"""
    with open(os.open(path, _READ_FLAGS), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return handle.read()


def typed_text(
    lines: list[str], start: tuple[int, int], end: tuple[int, int]
) -> tuple[int, list[str]]:
    """The text typed between `start` and `end` (line, col, 1-based; an end col of 0 means
    the end of the line) of a file's `lines`: the number of its first line, and its lines,
    the first one's columns kept by spaces in front. A block or folded text starts on the
    line after its header (`|`, `>`), whose comment is no part of it. No lines when there
    is no such text."""
    first_line, first = start[0], start[1] - 1
    last_line = min(end[0], len(lines))
    if first_line > last_line:
        return first_line, []
    if lines[first_line - 1][first : first + 1] in ("|", ">"):
        first_line, first = first_line + 1, 0
    typed = lines[first_line - 1 : last_line]
    if not typed:
        return first_line, []
    if end[1] and end[0] <= len(lines):
        typed[-1] = typed[-1][: end[1] - 1]  # before the first line is cut: they may be one
    typed[0] = " " * first + typed[0][first:]
    return first_line, typed


class Place(NamedTuple):  # a tuple: one is made for every value of every file
    """Where a value stands: its own line/col, its key's line/col, and its source text."""

    line: int
    col: int
    key_line: int
    key_col: int
    text: str | None = None  # the scalar as typed (None for mappings and lists)
    tag: str = "str"
    end_line: int = 0  # where a scalar's text ends (a block or folded text spans lines)
    end_col: int = 0


@dataclass
class Source:
    """One loaded YAML file: its values and where each of them stands."""

    path: Path
    rel: str  # workspace-relative, with forward slashes: what diagnostics print
    data: dict[str, Any]
    places: dict[Loc, Place] = field(default_factory=dict)
    # Values the loader already reported (an impossible date, an unsafe tag): the models
    # must not report them a second time.
    reported: set[Loc] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)  # the text as typed, to place words in it
    # Plain numbers YAML reads otherwise than they look (014 is octal 12): why, by place.
    # `aedocs.model.parse` reports them, where a text field may say it better.
    numbers: dict[Loc, str] = field(default_factory=dict)

    def __getstate__(self) -> dict[str, Any]:
        # Sent to a rendering worker, which renders from the typed models: which file
        # it is, not its values (a second copy of the model's) nor where each stands.
        return {"path": self.path, "rel": self.rel}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, data={}, places={}, reported=set(), lines=[], numbers={})

    def place(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """Line and column of `loc` (or of its nearest ancestor that has a place)."""
        for n in range(len(loc), -1, -1):
            p = self.places.get(loc[:n])
            if p is not None:
                if key and n == len(loc) and n:
                    return p.key_line, p.key_col
                return p.line, p.col
        return 1, 1

    def error(self, loc: Loc, message: str, key: bool = False) -> Diagnostic:
        """An error at `loc` whose message starts with the field path."""
        line, col = self.place(loc, key)
        return Diagnostic(self.rel, line, col, about(loc, message))


def format_loc(loc: Loc) -> str:
    """`('actions', 1, 'owner')` -> `actions[1].owner`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def about(loc: Loc, message: str) -> str:
    """`message` prefixed with the field path it is about (none for the whole file)."""
    return f"{format_loc(loc)}: {message}" if loc else message
