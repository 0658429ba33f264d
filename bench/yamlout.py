"""Write source files the way people write them: flow style for short records,
`|` blocks for Markdown, quoted times, a comment on top, keys in the order given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Quoted(str):
    """A string written in double quotes (times: YAML would read 10:00 as a number)."""

    __slots__ = ()


class _Dumper(_Base):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the same date twice is written twice, never as an anchor


# `on` is a key of every signature; written bare, as people do (YAML 1.1 would quote it).
_Dumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not (first in "oO" and tag.endswith(":bool"))]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def _str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _quoted(dumper: Any, value: Quoted) -> Any:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Quoted, _quoted)


def to_text(data: dict[str, Any], comment: str) -> str:
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        default_flow_style=None,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
    )
    return f"# {comment}\n{body}"


def dump(path: Path, data: dict[str, Any], comment: str) -> None:
    """Write `data` as YAML to `path` (creating its folder) under a `# comment` line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_text(data, comment), encoding="utf-8")
