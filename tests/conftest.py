"""Shared test helpers: a copy of the tiny base workspace and an in-process CLI runner."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from aedocs.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
BASE = FIXTURES / "base"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def run(*args: str | Path) -> Result:
    """Run `aedocs ARGS` in this process; never raises for what the command does."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def overlay(target: Path, files: dict[str, str | None]) -> None:
    """Write (or, for None, delete) workspace files."""
    for rel, text in files.items():
        path = target / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh copy of the valid base workspace."""
    root = tmp_path / "ws"
    shutil.copytree(BASE, root)
    return root
