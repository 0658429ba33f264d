"""`aedocs init DIR`: a new workspace with one example client, ready to build."""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources
from pathlib import Path

import click

from aedocs.diagnostics import AedocsError
from aedocs.options import Options
from aedocs.workspace import CONFIG_FILE
from aedocs.write import write_text

GITIGNORE = """\
# Built documents: output/ is a git archive of its own, written by aedocs.
/output/
# aedocs' own files: schemas for editors ('aedocs new'), compiled templates.
/.aedocs/
"""


def run(opts: Options, directory: Path) -> int:
    target = directory if directory.is_absolute() else opts.directory / directory
    if (target / CONFIG_FILE).exists():
        raise AedocsError(f"{target / CONFIG_FILE} already exists; not overwritten")
    starter = resources.files("aedocs") / "starter"
    try:
        with resources.as_file(starter) as source:
            shutil.copytree(
                source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
            )
        if not (target / ".gitignore").exists():
            write_text(target / ".gitignore", GITIGNORE)
    except (OSError, shutil.Error) as exc:  # shutil.Error: some files could not be copied
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise AedocsError(f"{directory}: cannot make a workspace there: {why}") from None
    if shutil.which("git") and not (target / ".git").exists():
        subprocess.run(["git", "init", "-q", str(target)], check=False)
    if not opts.quiet:
        click.echo(
            f"new workspace in {directory}: edit {CONFIG_FILE} and clients/, "
            "then run 'aedocs build'"
        )
    return 0
