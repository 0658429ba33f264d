"""Shared test helpers: a copy of the tiny base workspace and an in-process CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
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


@pytest.fixture(autouse=True, scope="session")
def _cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The key that seals cached files lives in a folder of the test session, not in the
    user's cache folder (builds in subprocesses inherit the variable)."""
    from aedocs import cachekey

    folder = tmp_path_factory.mktemp("user-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        cachekey.key.cache_clear()
        yield
    cachekey.key.cache_clear()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh copy of the valid base workspace."""
    root = tmp_path / "ws"
    shutil.copytree(BASE, root)
    return root


def require(package: str, *commands: str) -> str:
    """The first of `commands` on PATH; else skip with the reason printed, or fail in CI,
    where .ci/run installs the Debian `package`."""
    for command in commands:
        found = shutil.which(command)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail(f"{commands[0]} is required in CI (.ci/run installs {package})")
    pytest.skip(f"{commands[0]} is not installed (apt-get install {package}); it runs in CI")


def soffice() -> str:
    return require("libreoffice-writer-nogui", "soffice", "libreoffice")


def to_pdf(files: list[Path], outdir: Path) -> None:
    """Convert .docx files to PDF with LibreOffice, in one process, in its own profile."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / ".profile").as_uri()
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )


def generated(factory: pytest.TempPathFactory, clients: int, meetings: int, seed: int) -> Path:
    """A synthetic workspace of the benchmark's generator, in a folder of its own."""
    from bench.generate import generate

    root = factory.mktemp("generated")
    generate(root, clients, meetings, seed=seed)
    return root
