"""Every rule of FORMAT.md, one tiny fixture each: the exact diagnostics and their lines.

A fixture is a folder under fixtures/rules/: the files it holds are laid over a copy of
fixtures/base (a valid workspace), the paths listed in its `delete` file are removed, and
`aedocs -q validate` must print exactly the lines of its `expected` file and exit 1
(or 0 when `expected` holds only warnings).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import BASE, FIXTURES, run

RULES = sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())


def _build(fixture: Path, root: Path) -> None:
    shutil.copytree(BASE, root)
    for path in sorted(fixture.rglob("*")):
        rel = path.relative_to(fixture)
        if path.is_file() and rel.as_posix() not in ("expected", "delete"):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, root / rel)
    delete = fixture / "delete"
    if delete.exists():
        for line in delete.read_text().split():
            (root / line).unlink()


def test_base_workspace_is_valid() -> None:
    result = run("-C", BASE, "-q", "validate", "--strict")
    assert (result.code, result.err) == (0, "")


@pytest.mark.parametrize("fixture", RULES, ids=[p.name for p in RULES])
def test_rule(fixture: Path, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _build(fixture, root)
    expected = (fixture / "expected").read_text(encoding="utf-8").splitlines()
    result = run("-C", root, "-q", "validate")
    assert result.lines == expected
    has_error = any(": error: " in line for line in expected)
    assert result.code == (1 if has_error else 0)


def test_at_least_45_rules_have_fixtures() -> None:
    assert len(RULES) >= 45
