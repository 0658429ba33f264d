"""The benchmark's one table: each measure beside its target, met or not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One line of the table. `met` is None when the figure has no target."""

    measure: str
    result: str
    target: str = ""
    met: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT MET", None: ""}[self.met]


def at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def at_least(value: float | None, limit: float) -> bool | None:
    return None if value is None else value >= limit


def ratio(slow: float | None, fast: float | None) -> float | None:
    if slow is None or fast is None or fast <= 0:
        return None
    return slow / fast


def render(rows: Sequence[Row]) -> str:
    """A Markdown table, columns padded so it also reads well as plain text."""
    header = Row("measure", "result", "target", None)
    cells = [(r.measure, r.result, r.target, r.verdict) for r in (header, *rows)]
    cells[0] = (*cells[0][:3], "met?")
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = [_line(c, widths) for c in cells]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"
