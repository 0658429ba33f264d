"""A build reads again only the clients whose results may have changed (aedocs.reuse)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from aedocs import builder
from aedocs.workspace import ClientFiles, Workspace
from tests.conftest import overlay, run
from tests.test_build import AS_OF, outputs

ACME_WO = "clients/acme/workorders/WO-1.yaml"
BETA_WO = "clients/beta/workorders/WO-2.yaml"


@pytest.fixture
def two(workspace: Path) -> Path:
    """The base workspace with a second client, beta, a copy of acme under its own name
    whose work order is WO-2."""
    shutil.copytree(workspace / "clients/acme", workspace / "clients/beta")
    client = workspace / "clients/beta/client.yaml"
    client.write_text(
        client.read_text().replace("Acme Foods", "Beta Drinks").replace("AcmeMart", "BetaBar")
    )
    old = workspace / "clients/beta/workorders/WO-1.yaml"
    (workspace / BETA_WO).write_text(old.read_text().replace("number: WO-1", "number: WO-2"))
    old.unlink()
    return workspace


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The clients whose documents a build reads, in order (each once)."""
    seen: list[str] = []
    original = builder.load_documents

    def spy(ws: Workspace, client: ClientFiles) -> None:
        if client.id not in seen:
            seen.append(client.id)
        original(ws, client)

    monkeypatch.setattr(builder, "load_documents", spy)
    yield seen


def build(root: Path, *args: str) -> tuple[int, str]:
    result = run("-C", root, "build", "--as-of", AS_OF, *args)
    return result.code, result.err


def edit(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text()
    assert old in text
    overlay(root, {rel: text.replace(old, new)})


def test_an_edit_reads_only_its_own_client(two: Path, read: list[str]) -> None:
    assert build(two)[0] == 0
    assert read == ["acme", "beta"]
    before = outputs(two)
    read.clear()
    edit(two, "clients/beta/proposals/christmas.yaml", "Christmas proposal", "Xmas proposal")
    code, err = build(two)
    assert code == 0, err
    assert read == ["beta"]
    assert err.startswith("1 built, 13 unchanged, 0 removed, 0 failed")
    changed = {k for k, v in outputs(two).items() if before[k] != v}
    assert changed == {"beta/proposals/christmas.docx", "beta/proposals/christmas.md"}


def test_what_every_client_shares_reads_them_all(two: Path, read: list[str]) -> None:
    build(two)
    for rel, old, new in [
        ("clients/beta/client.yaml", "BetaBar", "BetaPub"),  # names: confidentiality
        ("aedocs.yaml", "Marc Puig", "Marc Puig i Serra"),
    ]:
        read.clear()
        edit(two, rel, old, new)
        code, err = build(two)
        assert code == 0, err
        assert read == ["acme", "beta"], rel


def test_a_kept_client_still_reports_its_problems(two: Path, read: list[str]) -> None:
    overlay(two, {"clients/beta/notes.yaml": "a: 1\n"})
    build(two)
    read.clear()
    edit(two, "clients/acme/proposals/christmas.yaml", "Christmas proposal", "Xmas proposal")
    code, err = build(two)
    assert read == ["acme"]
    assert code == 0
    assert "clients/beta/notes.yaml: warning: not read: documents go in" in err


def test_a_number_taken_by_an_unchanged_client_reads_it_again(two: Path, read: list[str]) -> None:
    build(two)
    beta_wo = outputs(two)["beta/workorders/WO-2.docx"]
    read.clear()
    # acme comes first: its new WO-2 keeps the number, and beta's, unchanged, loses it.
    wo = (two / ACME_WO).read_text().replace("number: WO-1", "number: WO-2")
    overlay(two, {"clients/acme/workorders/WO-2.yaml": wo})
    code, err = build(two)
    assert code == 1
    assert read == ["acme", "beta"]
    assert (
        f"{BETA_WO}:1:9: error: number: 'WO-2' is already the number of "
        "clients/acme/workorders/WO-2.yaml"
    ) in err
    assert outputs(two)["beta/workorders/WO-2.docx"] == beta_wo  # held: its last good one
    read.clear()
    overlay(two, {"clients/acme/workorders/WO-2.yaml": None})
    code, err = build(two)
    assert code == 0, err
    assert read == ["acme", "beta"]
    assert "already the number" not in err


def test_a_missing_output_or_a_new_week_reads_its_client(two: Path, read: list[str]) -> None:
    assert run("-C", two, "build", "--as-of", "2026-11-30").code == 0  # up to W48
    read.clear()
    (two / "output/beta/schedules/christmas.docx").unlink()
    result = run("-C", two, "build", "--as-of", "2026-11-30")
    assert result.code == 0, result.err
    assert read == ["beta"]
    assert (two / "output/beta/schedules/christmas.docx").is_file()
    read.clear()
    code, err = build(two)  # a week later: W49 is complete
    assert code == 0, err
    assert read == ["acme", "beta"]
    assert (two / "output/beta/weekly/2026-W49.docx").is_file()


def test_an_archive_made_again_gets_every_output(two: Path) -> None:
    assert build(two)[0] == 0
    shutil.rmtree(two / "output/.git")
    edit(two, "clients/beta/proposals/christmas.yaml", "Christmas proposal", "Xmas proposal")
    code, err = build(two)
    assert code == 0, err
    result = run("-C", two, "verify")
    assert result.code == 0, result.out + result.err


def test_outputs_left_uncommitted_by_a_stopped_build_are_committed(two: Path) -> None:
    assert build(two)[0] == 0
    # As a build stopped between writing an output and committing it leaves output/.
    twin = two / "output/beta/proposals/christmas.md"
    twin.write_text(twin.read_text() + "Written, never committed.\n")
    (two / "output/.aedocs/building").write_text("1\n")
    edit(two, "clients/acme/proposals/christmas.yaml", "Christmas proposal", "Xmas proposal")
    code, err = build(two)
    assert code == 0, err
    result = run("-C", two, "verify")
    assert result.code == 0, result.out + result.err
    assert not (two / "output/.aedocs/building").exists()


def test_a_removed_client_takes_its_outputs_with_it(two: Path, read: list[str]) -> None:
    assert build(two)[0] == 0
    read.clear()
    shutil.rmtree(two / "clients/beta")
    code, err = build(two)
    assert code == 0, err
    assert read == ["acme"]  # one client fewer: what every client shares changed
    assert "7 removed" in err
    assert not (two / "output/beta/minutes").exists() or not any(
        (two / "output/beta").rglob("*.docx")
    )
    assert any((two / "output/acme").rglob("*.docx"))


def _git(root: Path, *args: str) -> list[str]:
    done = subprocess.run(
        ["git", "-C", str(root / "output"), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_each_client_has_its_manifest_and_an_edit_commits_only_its_own(two: Path) -> None:
    assert build(two)[0] == 0
    folder = two / "output/.aedocs/manifest"
    assert sorted(p.name for p in folder.iterdir()) == ["acme.json", "beta.json"]
    acme = (folder / "acme.json").read_bytes()
    edit(two, "clients/beta/proposals/christmas.yaml", "Christmas proposal", "Xmas proposal")
    assert build(two)[0] == 0

    assert (folder / "acme.json").read_bytes() == acme
    changed = _git(two, "show", "--name-only", "--format=", "HEAD")
    assert changed == [
        ".aedocs/manifest/beta.json",
        "beta/proposals/christmas.docx",
        "beta/proposals/christmas.md",
    ]


def test_a_removed_client_takes_its_manifest_along(two: Path) -> None:
    assert build(two)[0] == 0
    shutil.rmtree(two / "clients/beta")
    code, err = build(two)
    assert code == 0, err
    assert not (two / "output/.aedocs/manifest/beta.json").exists()
    assert ".aedocs/manifest/beta.json" not in _git(two, "ls-files")


def test_the_single_manifest_of_an_older_archive_is_read_then_split(two: Path) -> None:
    """Archives made before the split keep their keys: nothing is rendered again."""
    assert build(two)[0] == 0
    folder = two / "output/.aedocs/manifest"
    merged: dict[str, object] = {}
    for path in folder.iterdir():
        merged |= json.loads(path.read_text())["outputs"]
    shutil.rmtree(folder)
    (two / "output/.aedocs/manifest.json").write_text(json.dumps({"outputs": merged}))
    (two / "output/.aedocs/state.json").unlink()  # as an older version would leave it

    code, err = build(two)

    assert code == 0, err
    assert err.startswith("0 built, 14 unchanged"), err
    assert sorted(p.name for p in folder.iterdir()) == ["acme.json", "beta.json"]
    assert not (two / "output/.aedocs/manifest.json").exists()
    tracked = _git(two, "ls-files", ".aedocs")
    assert tracked == [".aedocs/manifest/acme.json", ".aedocs/manifest/beta.json"]


def test_a_damaged_manifest_is_written_again_or_removed(two: Path) -> None:
    assert build(two)[0] == 0
    folder = two / "output/.aedocs/manifest"
    good = (folder / "acme.json").read_bytes()
    for client in ("acme", "beta"):
        (folder / f"{client}.json").write_text('{"outputs": [')
    shutil.rmtree(two / "clients/beta")

    code, err = build(two)

    assert code == 0, err
    assert (folder / "acme.json").read_bytes() == good
    assert not (folder / "beta.json").exists()  # its client is gone
