"""The example agency at the repository root builds every kind, and LibreOffice opens all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import run, to_pdf

ROOT = Path(__file__).parent.parent
KINDS = {"minutes", "proposals", "schedules", "workorders", "weekly", "invoices"}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example")
    shutil.copy(ROOT / "aedocs.yaml", root)
    shutil.copytree(ROOT / "clients", root / "clients")
    result = run("-C", root, "build", "--as-of", "2026-11-30", "--no-archive")
    assert result.code == 0, result.err
    return root / "output"


def test_validates_quickly_and_cleanly() -> None:
    result = run("-C", ROOT, "validate", "--strict")
    assert result.code == 0, result.err


def test_every_kind_is_built_and_reads_back(example: Path) -> None:
    docs = sorted(example.rglob("*.docx"))
    assert {p.parent.name for p in docs} == KINDS
    clients = {p.relative_to(example).parts[0] for p in docs}
    assert len(clients) >= 3
    for path in docs:
        body = "\n".join(p.text for p in Document(str(path)).paragraphs)
        twin = path.with_suffix(".md").read_text(encoding="utf-8")
        title = body.splitlines()[1]  # the kind of document, then the title
        assert title and title in twin


def test_libreoffice_converts_every_document(example: Path, tmp_path: Path) -> None:
    docs = sorted(example.rglob("*.docx"))
    flat = tmp_path / "in"
    flat.mkdir()
    copies = []
    for path in docs:  # one folder, unique names: LibreOffice writes <stem>.pdf
        copy = flat / "_".join(path.relative_to(example).parts)
        shutil.copy(path, copy)
        copies.append(copy)
    to_pdf(copies, tmp_path / "pdf")
    pdfs = [tmp_path / "pdf" / c.with_suffix(".pdf").name for c in copies]
    missing = [p.name for p in pdfs if not (p.exists() and p.stat().st_size > 0)]
    assert not missing
