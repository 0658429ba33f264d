"""The command line: parses options and hands each verb to its module in `commands/`.

Nothing else happens here. Command modules are imported only when their verb runs, so
`aedocs --help` and a no-op build stay cheap.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from aedocs import __version__
from aedocs.console import INTERRUPTED
from aedocs.diagnostics import EXIT_PROBLEMS, AedocsError, report
from aedocs.options import Options


class _Day(click.ParamType[date]):
    """A day written YYYY-MM-DD. (`click.DateTime` would import `_strptime`, with the
    locale and calendar modules, into every command given a date.)"""

    name = "date"
    _FORM = re.compile(r"\d{4}-\d{2}-\d{2}")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        if self._FORM.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(f"{value!r} is not a day written YYYY-MM-DD.", param, ctx)


DAY = _Day()


def _as_of(text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The --as-of DATE option of a command."""
    return click.option(
        "--as-of",
        "as_of",
        type=DAY,
        default=None,
        help=text,
    )


def _run(func: Callable[..., int], ctx: click.Context, **kwargs: Any) -> None:
    """Call a command; user-caused problems print as diagnostics and exit 1."""
    opts: Options = ctx.obj
    try:
        code = func(opts, **kwargs)
    except AedocsError as exc:
        report(exc.diagnostics, opts.color)
        code = EXIT_PROBLEMS
    except KeyboardInterrupt:
        click.echo(
            "interrupted: each output is whole, old or new; the next build completes "
            "the rest and archives it",
            err=True,
        )
        code = INTERRUPTED
    ctx.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Run as if started in DIR (the workspace is found from there upwards).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Say more: the live preview logs each page it serves."
)
@click.option(
    "--color/--no-color", default=None, help="Colour diagnostics (default: only on a terminal)."
)
@click.version_option(__version__, prog_name="aedocs")
@click.pass_context
def main(
    ctx: click.Context, directory: Path | None, quiet: bool, verbose: bool, color: bool | None
) -> None:
    """aedocs: an account executive's YAML files in, Word documents out.

    Sources live in a workspace (a folder with aedocs.yaml and clients/); documents are
    written to output/, which is also a git archive of every built version.

    Exit codes: 0 success, 1 problems in the workspace (listed on stderr as
    path:line:col: error: message), 2 usage error.
    """
    if quiet and verbose:
        raise click.UsageError("-q and -v exclude each other")
    # aedocs uses no pydantic plugins: unless told, pydantic would read the entry points
    # of every installed package to find some when it builds the first validator. A value
    # the user set stays (an empty one loads every plugin again).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if color is None:
        color = sys.stderr.isatty()
    ctx.obj = Options(directory or Path.cwd(), quiet, verbose, color)


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.pass_context
def validate(ctx: click.Context, strict: bool) -> None:
    """Check every source file and rule; write nothing.

    Prints every problem at once, sorted, one per line; exits 1 if any is an error
    (or, with --strict, a warning). Signed documents are checked against their signed
    versions in the archive in output/, and each {: .Style} in a markdown field against
    the reference document's paragraph styles, as a build checks them.
    """
    from aedocs.commands import validate as command

    _run(command.run, ctx, strict=strict)


@main.command()
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that render, beside the one that reads (default: the number of "
    "cores; 1: render in the one process).",
)
@click.option("--force", is_flag=True, help="Rebuild every document, changed or not.")
@click.option(
    "--no-archive",
    "no_archive",
    is_flag=True,
    help="Write output/ but make no commit in the archive.",
)
@_as_of("Build as if today were DATE (YYYY-MM-DD): which weekly reports exist.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def build(
    ctx: click.Context,
    jobs: int | None,
    force: bool,
    no_archive: bool,
    as_of: date | None,
    paths: tuple[Path, ...],
) -> None:
    """Build the documents into output/<client>/<kind>/<id>.docx (+ .md text twin).

    Validates first. Only the clients whose files changed are read again (after an
    edit, only the files whose bytes changed: the others come from
    .aedocs/cache/sources), and only documents whose sources, templates or reference
    document changed are rendered (--force: all of them). A document whose sources have errors is
    not rebuilt and keeps its last good output; the others are built, and the exit code
    is 1. Signed documents are frozen: never rewritten. A build that changed outputs
    makes one commit in the git archive in output/, and newly signed documents are
    tagged there. With PATHS, only the documents made from (or written to) those files
    or folders are built or removed; each PATH must exist, unless it names where an
    output is written (one deleted by hand is built again).
    """
    from aedocs.commands import build as command

    _run(
        command.run,
        ctx,
        jobs=jobs,
        force=force,
        archive=not no_archive,
        as_of=as_of,
        paths=paths,
    )


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def init(ctx: click.Context, directory: Path) -> None:
    """Create a new workspace in DIRECTORY.

    Writes aedocs.yaml, one example client, a .gitignore that keeps output/ out of the
    workspace's history, and runs git init. Refuses to overwrite an existing workspace.
    """
    from aedocs.commands import init as command

    _run(command.run, ctx, directory=directory)


@main.command()
@click.argument(
    "kind", type=click.Choice(["meeting", "proposal", "schedule", "workorder", "client"])
)
@click.argument("client")
@click.argument("slug", required=False)
@click.pass_context
def new(ctx: click.Context, kind: str, client: str, slug: str | None) -> None:
    """Create a source file from a commented skeleton.

    \b
    aedocs new client sol                      clients/sol/client.yaml
    aedocs new meeting sol kickoff             clients/sol/meetings/<today>-kickoff.yaml
    aedocs new proposal sol christmas          clients/sol/proposals/christmas.yaml
    aedocs new schedule sol christmas          clients/sol/schedules/christmas.yaml
    aedocs new workorder sol WO-2026-015       clients/sol/workorders/WO-2026-015.yaml

    Prints the path of the new file. Fill in the values, then run aedocs validate.
    """
    from aedocs.commands import new as command

    _run(command.run, ctx, kind=kind, client=client, slug=slug)


@main.command()
@click.argument(
    "kind",
    required=False,
    type=click.Choice(["workspace", "client", "meeting", "proposal", "schedule", "workorder"]),
)
@click.pass_context
def schema(ctx: click.Context, kind: str | None) -> None:
    """Print the JSON Schema of a source kind (all kinds without KIND).

    Editors with a YAML language server use it for completion and checks; see README.
    """
    from aedocs.commands import schema as command

    _run(command.run, ctx, kind=kind)


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--by", "by", required=True, help="Who signs: a signer listed in the document.")
@click.option(
    "--on",
    "on",
    type=DAY,
    default=None,
    help="The day they signed (YYYY-MM-DD; default: today).",
)
@click.pass_context
def sign(ctx: click.Context, source: Path, by: str, on: date | None) -> None:
    """Record that ID signed the document SOURCE (its YAML file).

    Writes `on: DATE` into that signer's entry of `signatures`, leaving every other line,
    comment and layout as it was. Refuses a signer who is not listed or already signed,
    a date before the document's own date, and a file with errors. It does not build:
    once every signature is in, the next build tags the document in the archive and
    freezes it.
    """
    from aedocs.commands import sign as command

    _run(command.run, ctx, source=source, by=by, on=on)


@main.command()
@click.argument("doc", type=click.Path(path_type=Path))
@click.pass_context
def history(ctx: click.Context, doc: Path) -> None:
    """List every archived version of a document, newest first.

    DOC is its source (clients/.../<id>.yaml) or its output (output/.../<id>.docx or
    .md). Each line: the build's date, its commit, the revision, and who signed it for
    a signed version.
    """
    from aedocs.commands import history as command

    _run(command.run, ctx, doc=doc)


@main.command()
@click.argument("doc", type=click.Path(path_type=Path))
@click.argument("revs", nargs=-1, metavar="[REV [REV]]")
@click.pass_context
def diff(ctx: click.Context, doc: Path, revs: tuple[str, ...]) -> None:
    """Show what changed in a document's text between two archived versions.

    DOC is its source or its output file. Without REV: the previous version against
    the latest; with one REV: that version against the latest. A REV is a commit that
    'aedocs history' lists, or vN for signed revision N.
    """
    if len(revs) > 2:
        raise click.UsageError("give at most two versions to compare")
    from aedocs.commands import diff as command

    _run(command.run, ctx, doc=doc, revs=revs)


@main.command()
@click.pass_context
def verify(ctx: click.Context) -> None:
    """Check that output/ and every signed version in it are intact.

    The archive passes git fsck, every signed tag still matches its bytes and none is
    missing, every signed document on disk (its .docx and its .md twin) is the version
    signed, and every file in output/ is as last committed. Exits 1 naming each file that does not
    match.
    """
    from aedocs.commands import verify as command

    _run(command.run, ctx)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def text(ctx: click.Context, file: Path) -> None:
    """Print the text of a .docx: each paragraph and table row on a line.

    Table cells are separated by ' | '. The archive in output/ uses it to show .docx
    changes as text in git log -p, git diff and git show.
    """
    from aedocs.commands import text as command

    _run(command.run, ctx, file=file)


@main.command()
@_as_of("Build as if today were DATE (YYYY-MM-DD): which weekly reports exist.")
@click.option("--serve", is_flag=True, help="Serve a live HTML preview on 127.0.0.1.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port of the preview (0: any free port).",
)
@click.pass_context
def watch(ctx: click.Context, as_of: date | None, serve: bool, port: int) -> None:
    """Build, then build again after every saved change, until Ctrl-C.

    Watches aedocs.yaml, clients/ and templates/ (not output/, .git or editors' temporary
    files) and builds once a save has settled (0.25 s without changes), exactly as
    'aedocs build' does. A build with errors reports them and the watch goes on; documents
    with errors keep their last good output.

    With --serve, http://127.0.0.1:PORT/ lists every document by client and kind, and
    each document's page shows its text and reloads itself after every build.
    /CLIENT/ lists one client's documents only: the page to put on a projector.
    """
    from aedocs.commands import watch as command

    _run(command.run, ctx, as_of=as_of, serve=serve, port=port)


@main.command()
@_as_of("Say what needs attention on DATE (YYYY-MM-DD; default: today).")
@click.pass_context
def status(ctx: click.Context, as_of: date | None) -> None:
    """Show what needs attention, client by client (key accounts first).

    \b
    action           open actions past their due date, by owner
    signature        documents someone has not signed yet, and who
    weekly report    the last complete week's report, due Monday 12:00
    invoice request  work orders delivered and not invoiced yet
    invoice          invoices not paid, with their due date
    work order       work orders past their due date and not delivered

    Exits 1 when the workspace has errors (printed on stderr); the list then shows what
    the files without errors say.
    """
    from aedocs.commands import status as command

    _run(command.run, ctx, as_of=as_of)
