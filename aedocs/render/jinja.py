"""The Jinja2 environment: strict, escaping plain text for Markdown, localised filters.

Every `{{ value }}` passes through `finalize`: plain strings are escaped so they print as
typed, `Markdown` values (the *markdown* fields of FORMAT.md) pass through, dates are
written the way the document's language writes them, booleans become yes / no. A template
in the workspace's `templates/` overrides the built-in one of the same name.

Compiling a template costs more than rendering it once, so the compiled code is kept in a
cache folder (`.aedocs/cache/templates` of the workspace) and reused while the template,
this module (the environment's settings and filters) and Jinja itself stay the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context

from aedocs.cachekey import sealed, unsealed
from aedocs.diagnostics import Diagnostic
from aedocs.model import Markdown
from aedocs.render import i18n
from aedocs.render.markdown import escape, lists_after_paragraphs
from aedocs.workspace import inside
from aedocs.write import write_bytes


class TemplateProblem(Exception):
    """A template that does not parse or fails while rendering."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def environment(search: list[Path], cache_dir: Path | None = None) -> jinja2.Environment:
    """The environment every document renders with; `search` in order of precedence.

    With `cache_dir`, compiled templates are kept there for the next process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search]),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_compiled_templates(cache_dir),
    )
    env.filters.update(
        date=_date,
        money=_money,
        number=_number,
        md=_markdown,
        lines=_lines,
        label=_label,
        names=_names,
    )
    return env


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates in a folder: one file per template, replaced when stale.

    An entry is reused only for the same source compiled the same way: its checksum covers
    the template's text and `fingerprint` (see `_compiler_fingerprint`). It is loaded (and
    its code may run) only when it carries the seal of this user's key
    (`aedocs.cachekey`). A folder that cannot be made or written only means compiling
    again next time.
    """

    def __init__(self, directory: Path, fingerprint: bytes) -> None:
        super().__init__(str(directory), "%s.jinja")
        self.fingerprint = fingerprint

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha1(self.fingerprint + source.encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            blob = self._entry(bucket).read_bytes()
        except OSError:  # none yet, or unreadable
            return
        data = unsealed(blob)
        if data is None:  # not written by this user's aedocs: its code never runs
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # a damaged entry: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # only a cache: compiled again next time
            write_bytes(self._entry(bucket), sealed(bucket.bytecode_to_string()))

    def _entry(self, bucket: Bucket) -> Path:
        return Path(self.directory) / (self.pattern % (bucket.key,))


def _compiled_templates(cache_dir: Path | None) -> CompiledTemplates | None:
    if cache_dir is None:
        return None
    try:
        return CompiledTemplates(cache_dir, _compiler_fingerprint())
    except OSError:  # sources not on disk (a zipped install): no cache
        return None


def _compiler_fingerprint() -> bytes:
    """What compiled code depends on besides the template: this module (the environment's
    settings, filters and finalize) and Jinja's compiler and runtime. The Python version
    is in Jinja's own header of each entry."""
    jinja = Path(jinja2.__file__).parent
    digest = hashlib.sha1()
    for part in (Path(__file__), jinja / "compiler.py", jinja / "runtime.py"):
        digest.update(part.read_bytes())
    return digest.digest()


@pass_context
def _finalize(ctx: Context, value: Any) -> Any:
    if isinstance(value, Markdown):
        return lists_after_paragraphs(value)
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, bool):
        return i18n.labels(ctx["lang"]).yes if value else i18n.labels(ctx["lang"]).no
    if isinstance(value, dt.date):
        return escape(i18n.format_date(value, ctx["lang"]))
    if value is None:
        return ""
    return escape(str(value))  # numbers, people: their text, printed as typed


@pass_context
def _date(ctx: Context, value: dt.date | None, form: str = "long") -> Markdown:
    if value is None:
        return Markdown("")
    return Markdown(escape(i18n.format_date(value, ctx["lang"], form)))


@pass_context
def _money(ctx: Context, value: float, exact: bool = False) -> Markdown:
    """An amount in the document's currency; `exact=True` for a typed rate or CPM."""
    return Markdown(escape(i18n.format_money(value, ctx["currency"], ctx["lang"], exact)))


@pass_context
def _number(ctx: Context, value: float) -> Markdown:
    return Markdown(escape(i18n.format_number(value, ctx["lang"])))


@pass_context
def _label(ctx: Context, value: str) -> Markdown:
    """A status or choice word (`open`, `creative`) in the document's language."""
    return Markdown(escape(i18n.labels(ctx["lang"])[value]))


@pass_context
def _names(ctx: Context, ids: list[str]) -> str:
    """People ids -> their names, comma-separated (plain text: escaped on output)."""
    people = ctx["people"]
    return ", ".join(people[i].name if i in people else i for i in ids)


def _markdown(value: str | None) -> Markdown:
    return Markdown(value or "")


def _lines(value: str | None) -> Markdown:
    """Plain text whose line breaks are kept (an address, a multi-line note)."""
    return Markdown(escape(value or "", breaks=True))


class TemplatePlaces:
    """How a diagnostic names a template file (by its name or its path): relative to the
    workspace when it is one of the workspace's, else `templates/<name>` (a built-in)."""

    def __init__(self, root: Path, folders: list[Path]) -> None:
        self.root = root.resolve()
        self.folders = [folder.resolve() for folder in folders]

    def __call__(self, template: str) -> str:
        path = Path(template)
        if not path.is_absolute():  # a name: where the loader finds it
            path = next((f / template for f in self.folders if (f / template).is_file()), path)
        for folder in self.folders:
            name = inside(folder, path)
            if name is not None:
                return inside(self.root, path) or f"templates/{name}"
        return template

    def owns(self, filename: str) -> bool:
        """Whether `filename` (a traceback frame's) is a template file."""
        return any(inside(folder, Path(filename)) for folder in self.folders)


def render_template(
    env: jinja2.Environment, name: str, context: dict[str, Any], places: TemplatePlaces
) -> str:
    """Render one template; problems raise `TemplateProblem` naming the template file
    and line they are in: the one rendered, or one it includes, imports or extends."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = places(exc.filename or exc.name or name)
        raise TemplateProblem(
            Diagnostic(where, exc.lineno, 0, f"template: {exc.message}")
        ) from None
    except UnicodeDecodeError as exc:  # a template file that is not UTF-8 text
        path, line, col = _undecodable(sys.exc_info()[2], exc)
        where = places(path or name)
        message = f"template: not UTF-8 text (byte 0x{exc.object[exc.start]:02x})"
        raise TemplateProblem(Diagnostic(where, line, col, message)) from None
    except Exception as exc:  # in the template (or one it uses) at that line
        line, template = _template_frame(sys.exc_info()[2], places)
        where = places(template or name)
        if isinstance(exc, jinja2.TemplateNotFound):
            message = f"template not found: {exc.name}"
        elif isinstance(exc, jinja2.UndefinedError):
            message = f"template: {exc}"
        else:
            message = f"template: {type(exc).__name__}: {exc}"
        raise TemplateProblem(Diagnostic(where, line, 0, message)) from None


def _template_frame(tb: TracebackType | None, places: TemplatePlaces) -> tuple[int, str | None]:
    """The innermost traceback frame that belongs to a template: its line and file."""
    found: tuple[int, str | None] = (0, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if places.owns(filename):
            found = (tb.tb_lineno, filename)
        tb = tb.tb_next
    return found


def _undecodable(tb: TracebackType | None, exc: UnicodeDecodeError) -> tuple[str | None, int, int]:
    """The template file whose bytes did not decode (the loader's frame knows it), and
    the line and column of the first bad byte."""
    path = None
    while tb is not None:
        if tb.tb_frame.f_code.co_name == "get_source":
            path = tb.tb_frame.f_locals.get("filename") or path
        tb = tb.tb_next
    before = bytes(exc.object[: exc.start])
    line_start = before.rfind(b"\n") + 1
    return path, before.count(b"\n") + 1, exc.start - line_start + 1
