"""The benchmark's synthetic workspaces are valid and their size is known in advance; the
peers' code paths (docxtpl, pandoc, the floor) and a quick run work. Nothing is timed."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from aedocs.cli import main
from aedocs.plan import plan
from aedocs.workspace import load_workspace
from bench import peers, texts
from bench.generate import AS_OF, expected, generate, size_for
from tests.conftest import generated

# Five clients: the fifth writes in Chinese and has a Chinese alias.
CLIENTS, MEETINGS = 5, 7


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory, CLIENTS, MEETINGS, seed=3)


def test_generated_workspace_has_no_problems(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(workspace), "validate"])
    assert result.exit_code == 0, result.output
    assert ": error:" not in result.output
    assert ": warning:" not in result.output
    assert "no problems" in result.output


def test_document_count_is_the_planned_one(workspace: Path) -> None:
    outputs = plan(load_workspace(workspace), AS_OF, ()).outputs
    counts = expected(CLIENTS, MEETINGS)
    folders = Counter(o.folder for o in outputs)
    assert len(outputs) == counts.documents
    assert folders["weekly"] == counts.weekly
    assert folders["invoices"] == counts.invoices
    assert folders["minutes"] == counts.meetings


def test_same_seed_same_files(tmp_path: Path, workspace: Path) -> None:
    generate(tmp_path, CLIENTS, MEETINGS, seed=3)
    mine = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.yaml"))
    theirs = sorted(p.relative_to(workspace) for p in workspace.rglob("*.yaml"))
    assert mine == theirs
    assert all((tmp_path / p).read_bytes() == (workspace / p).read_bytes() for p in mine)


def test_client_names_are_single_words_found_in_no_other_client(workspace: Path) -> None:
    names = [
        line.split(": ", 1)[1]
        for path in workspace.glob("clients/*/client.yaml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("name: ")
    ]
    assert len(names) == CLIENTS
    assert all(" " not in n and texts.fold(n) not in texts.VOCABULARY for n in names)
    assert len({texts.fold(n) for n in names}) == CLIENTS


def test_chinese_text_is_there(workspace: Path) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in workspace.rglob("*.yaml"))
    assert "language: zh" in text
    assert "**" in text and "\n  - " in text


def test_sizes_are_close_to_the_wanted_counts() -> None:
    for wanted in (100, 900, 1000, 5000):
        clients, meetings = size_for(wanted)
        assert abs(expected(clients, meetings).documents - wanted) <= 0.1 * wanted


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench.generate import main as generate_main

    assert generate_main([str(tmp_path), "--clients", "1", "--meetings", "2"]) == 0
    assert "1 clients" in capsys.readouterr().out
    assert (tmp_path / "aedocs.yaml").is_file()


# -- the peers' code paths, nothing timed --------------------------------------------------


@pytest.fixture(scope="module")
def built(workspace: Path) -> Path:
    """The small workspace built by aedocs itself: .docx files and their .md twins."""
    args = ["-C", str(workspace), "build", "--no-archive", "--jobs", "1"]
    result = CliRunner().invoke(main, [*args, "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    return workspace / "output"


def test_docxtpl_renders_minutes_from_the_yaml(workspace: Path, tmp_path: Path) -> None:
    from docx import Document

    template = peers.make_minutes_template(tmp_path / "minutes.docx")
    meetings = peers.spread(list(workspace.glob("clients/*/meetings/*.yaml")), 2)
    people = peers.People(workspace)
    assert peers.docxtpl(meetings, template, people, tmp_path / "out") == 2
    made = Document(str(tmp_path / "out" / f"{meetings[0].stem}.docx"))
    text = "\n".join(p.text for p in made.paragraphs)
    assert peers.minutes_context(meetings[0], people)["title"] in text
    assert "{{" not in text and "{%" not in text
    rows = made.tables[1].rows
    assert len(rows) == 1 + len(peers.minutes_context(meetings[0], people)["actions"])


def test_markdown_becomes_runs() -> None:
    runs = peers.inline_runs("Ventas **+4 %** y *tráfico* bajo")
    assert runs == [
        ("Ventas ", False, False),
        ("+4 %", True, False),
        (" y ", False, False),
        ("tráfico", False, True),
        (" bajo", False, False),
    ]
    blocks = peers.markdown_blocks("Uno\ndos.\n\n- a\n- b **c**\n")
    assert [b["item"] for b in blocks] == [False, True, True]


@pytest.mark.skipif(peers.pandoc_version() is None, reason="pandoc is not installed")
def test_pandoc_converts_the_text_twins(built: Path, tmp_path: Path) -> None:
    twins = peers.spread(list(built.glob("*/*/*.md")), 2)
    assert peers.pandoc(twins, tmp_path, processes=2) == 2
    for made in tmp_path.glob("*.docx"):
        assert "word/document.xml" in zipfile.ZipFile(made).namelist()


def test_floor_rezips_the_built_parts(built: Path, tmp_path: Path) -> None:
    documents = peers.spread(list(built.glob("*/*/*.docx")), 3)
    parts = peers.read_parts(documents)
    assert peers.zip_parts(parts, tmp_path) == 3
    again = zipfile.ZipFile(tmp_path / "00000.docx")
    assert again.namelist() == [name for name, _ in parts[0]]
    assert again.read("word/document.xml") == dict(parts[0])["word/document.xml"]


def test_quick_run_prints_one_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench.__main__ import main as bench_main

    assert bench_main(["--quick", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) > 10
    assert "failed" not in out
    assert "| peak memory" in out
