"""Load: YAML bytes -> plain values that remember their `path:line:col`.

PyYAML composes nodes (the C parser when available); we construct the values ourselves so
that every value keeps its place, duplicate keys are caught (PyYAML silently keeps the
last), only the standard safe tags are accepted (no tag can ever run code), and every
problem (encoding, syntax, empty file, impossible date) is a `Diagnostic`, never an
exception.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from aedocs.diagnostics import Diagnostic, Level
from aedocs.render import NOT_XML
from aedocs.source import Loc, Place, Source, about, read_file

try:  # the C parser is ten times faster (PERF-NOTES.md); the pure one is the fallback
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader

_TAGS: dict[str, str] = {}  # a plain scalar's text -> the tag YAML 1.1 gives it
_TAGS_KEPT = 50_000  # distinct short texts remembered, at most
_TAG_TEXT = 64  # longer texts (a sentence) are rarely written twice: not remembered


class _Loader(_Parser):  # type: ignore[misc]
    """The safe loader, remembering the tag of each short plain scalar.

    Even the C parser asks Python for the tag of every scalar, and the safe resolver
    tries its patterns one by one: a third of composing a file. The answer depends on
    the text alone (the safe loader has no path resolvers), and the same words (ids,
    statuses, dates, names) come back in every file.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= _TAG_TEXT:
            tag = _TAGS.get(value)
            if tag is None:
                if len(_TAGS) >= _TAGS_KEPT:
                    _TAGS.clear()
                tag = _TAGS[value] = super().resolve(kind, value, implicit)
            return tag
        return str(super().resolve(kind, value, implicit))


_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MAX_REPEATS = 10_000  # values built again through an alias: a bomb needs billions
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what YAML counts as a new line
_MAX_DEPTH = 64  # far deeper than any source file; keeps the recursion below Python's limit
_NUMBERS = {_TAG + "int", _TAG + "float"}
# YAML 1.1 reads these plain numbers otherwise than they look: 014 is octal 12, 0x28a is
# 650, 0b101 is 5, 1:30 is 90 (base 60). `1_000` is 1000 and stays allowed: the value is
# the one written, only grouped, and no one writes `1_000` meaning the text.
_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_BASES = {"0x": "hex", "0b": "binary"}


class _Problem(Exception):
    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def load_file(path: Path, rel: str) -> tuple[Source | None, list[Diagnostic]]:
    """Read one YAML file; on any problem return None and the diagnostics."""
    try:
        raw = read_file(path)
    except OSError as exc:
        return None, [Diagnostic(rel, 0, 0, f"cannot read file: {exc.strerror}")]
    return load_bytes(raw, path, rel)


def load_bytes(raw: bytes, path: Path, rel: str) -> tuple[Source | None, list[Diagnostic]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return None, [Diagnostic(rel, line, col, msg)]
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(rel, exc)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_diagnostic(rel, text, exc)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises only the two above
        return None, [Diagnostic(rel, 1, 1, f"YAML: {exc}")]
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        msg = "more than one YAML document ('---'); keep one document per file"
        return None, [Diagnostic(rel, mark.line + 1, mark.column + 1, msg)]
    if not nodes or _is_null(nodes[0]):
        return None, [Diagnostic(rel, 1, 1, "empty file: expected a mapping of keys")]
    root = nodes[0]
    if not isinstance(root, yaml.MappingNode):
        mark = root.start_mark
        msg = f"expected a mapping of keys at the top, found {_describe(root)}"
        return None, [Diagnostic(rel, mark.line + 1, mark.column + 1, msg)]
    builder = _Builder(rel)
    data = builder.build(root, (), root.start_mark)
    if data is None:  # the top mapping itself carries a tag
        return None, builder.problems
    lines = _LINE_BREAK.split(text)
    source = Source(path, rel, data, builder.places, builder.reported, lines, builder.numbers)
    return source, builder.problems


def _syntax_diagnostic(rel: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        problem = f"{problem} ({exc.context} at line {exc.context_mark.line + 1})"
    return Diagnostic(rel, line, col, f"YAML syntax: {problem}")


def _reader_diagnostic(rel: str, text: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    """A character YAML does not allow (a control character): where it is and which."""
    code = exc.character if isinstance(exc.character, int) else 0
    # The C reader counts bytes, not characters: find the character itself instead.
    at = max(text.find(chr(code)), 0)
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return Diagnostic(
        rel, line, col, f"control character U+{code:04X} is not allowed in YAML; remove it"
    )


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null"


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return f"the value {node.value!r}"


class _Builder:
    """Nodes -> values, recording a `Place` for every value."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.places: dict[Loc, Place] = {}
        self.reported: set[Loc] = set()
        self.problems: list[Diagnostic] = []
        self.constructor = yaml.constructor.SafeConstructor()
        self.built: set[int] = set()  # ids of the nodes built so far
        self.repeats = 0
        self.stopped = False  # a limit was reached: reported once, nothing more is read
        self.active: set[int] = set()
        self.numbers: dict[Loc, str] = {}  # numbers in a form YAML reads otherwise: why

    def report(self, mark: yaml.Mark, loc: Loc, message: str, whole: bool = False) -> None:
        """A problem with the value at `loc`, which the models must not report again;
        `whole` problems are about the file, not one field."""
        self.reported.add(loc)
        text = message if whole else about(loc, message)
        self.problems.append(Diagnostic(self.rel, mark.line + 1, mark.column + 1, text))

    def build(self, node: yaml.Node, loc: Loc, key_mark: yaml.Mark) -> Any:
        """The value of `node`; a problem is reported and the value becomes None."""
        if id(node) in self.built:
            self.repeats += 1
        self.built.add(id(node))
        limit = self._limit(loc)
        if limit:
            if not self.stopped:
                self.report(node.start_mark, loc, limit, whole=True)
            self.stopped = True
            return None
        if id(node) in self.active:
            self.report(key_mark, loc, "an alias refers to the value that contains it")
            return None
        self.active.add(id(node))
        try:
            return self._build(node, loc, key_mark)
        except _Problem as exc:
            self.report(exc.mark, loc, exc.message)
            return None
        finally:
            self.active.discard(id(node))

    def _limit(self, loc: Loc) -> str | None:
        if self.repeats > _MAX_REPEATS:
            return f"aliases expand too far (more than {_MAX_REPEATS} repeated values)"
        if len(loc) > _MAX_DEPTH:
            return f"values nested more than {_MAX_DEPTH} levels deep"
        return None

    def _build(self, node: yaml.Node, loc: Loc, key_mark: yaml.Mark) -> Any:
        m = node.start_mark
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            kind = "map" if isinstance(node, yaml.MappingNode) else "seq"
            if node.tag != _TAG + kind:
                raise _Problem(m, _unsupported(node.tag))
            self.places[loc] = Place(
                m.line + 1, m.column + 1, key_mark.line + 1, key_mark.column + 1, None, kind
            )
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, loc)
            return [
                self.build(item, (*loc, i), item.start_mark) for i, item in enumerate(node.value)
            ]
        value, tag = self._scalar(node)
        if node.tag in _NUMBERS:
            odd = _odd_number(str(node.value), value)
            if odd:
                self.numbers[loc] = odd
        self.places[loc] = Place(
            m.line + 1,
            m.column + 1,
            key_mark.line + 1,
            key_mark.column + 1,
            node.value,
            tag,
            node.end_mark.line + 1,
            node.end_mark.column + 1,
        )
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            if key_node.tag == _TAG + "merge":
                self.report(mark, loc, "merge keys ('<<') are not supported; write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.report(mark, loc, f"a key must be a plain word, not {_describe(key_node)}")
                continue
            if key_node.tag not in _SCALAR_TAGS | {_TAG + "timestamp"}:
                self.report(mark, loc, _unsupported(key_node.tag))
                continue
            # Keys keep their text: `on:` stays 'on' (YAML 1.1 would make it True).
            key = str(key_node.value)
            if key in first:
                self.reported.add((*loc, key))
                first_at = f"first at line {first[key]}"
                self.report(mark, loc, f"duplicate key '{key}' ({first_at}); a key may appear once")
                continue
            first[key] = mark.line + 1
            out[key] = self.build(value_node, (*loc, key), key_node.start_mark)
        return out

    def _unwritable(self, node: yaml.Node) -> None:
        """Warn of the characters of a text that no document can hold (they are left out)."""
        found = dict.fromkeys(NOT_XML.findall(node.value))
        shown = ", ".join(c.encode("unicode_escape", "backslashreplace").decode() for c in found)
        what = "a character" if len(found) == 1 else "characters"
        message = f"{what} no document can hold ({shown}), left out of the documents"
        mark = node.start_mark
        self.problems.append(
            Diagnostic(self.rel, mark.line + 1, mark.column + 1, message, Level.WARNING)
        )

    def _scalar(self, node: yaml.Node) -> tuple[Any, str]:
        tag = node.tag
        if tag == _TAG + "timestamp":
            return _date(node), "date"
        if tag == _STR:  # most values: no conversion at all
            if NOT_XML.search(node.value):
                self._unwritable(node)
            return node.value, "str"
        if tag not in _SCALAR_TAGS:
            raise _Problem(node.start_mark, _unsupported(tag))
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            raise _Problem(node.start_mark, f"cannot read {node.value!r}: {exc}") from None
        return value, tag.removeprefix(_TAG)


def _odd_number(text: str, value: int | float) -> str | None:
    """Why the plain number `text`, read as `value`, is not what it looks like; None when
    it is. Only the models know whether a text was meant instead (an unquoted time), so
    this is not reported here (`aedocs.model.parse` does)."""
    digits = text.lstrip("+-")
    sign = text[: len(text) - len(digits)].replace("+", "")
    if ":" in digits:
        what, meant = "base-60 number", str(value)
    elif digits[:2].lower() in _BASES:
        what, meant = f"{_BASES[digits[:2].lower()]} number", str(value)
    elif _OCTAL.match(text):
        what, meant = "octal number", sign + str(int(digits.replace("_", "")))
    else:
        return None
    return f"{text} is read as the {what} {value}: write {meant} (or quote it for text)"


def _unsupported(tag: str) -> str:
    shown = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
    return f"tag '{shown}' is not allowed: write plain values, lists and mappings"


def _date(node: yaml.Node) -> dt.date | str:
    """A `YYYY-MM-DD` scalar -> a date; an impossible one is an error right here."""
    text = str(node.value)
    match = _DATE.match(text)
    if not match:
        return text  # a date-time: the models reject it with a clear message
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise _Problem(node.start_mark, f"'{text}' is not a real date") from None
