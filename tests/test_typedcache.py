"""Typed files kept between builds (aedocs.typedcache): an edit types only what changed,
and a cache that cannot be trusted is never used."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from aedocs import typedcache
from aedocs.model import Meeting
from aedocs.model import parse as parse_module
from aedocs.typedcache import FOLDER, SourceCache
from aedocs.workspace import open_workspace
from tests.test_build import outputs
from tests.test_reuse import build, edit

MEETING = "clients/acme/meetings/2026-11-20-kickoff.yaml"
PROPOSAL = "clients/acme/proposals/christmas.yaml"


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files typed (validated against their model) in this process, in order."""
    seen: list[str] = []
    original = parse_module.parse

    def spy(source, model):  # type: ignore[no-untyped-def]
        seen.append(source.rel)
        return original(source, model)

    monkeypatch.setattr(parse_module, "parse", spy)
    yield seen


def test_an_edit_types_only_the_edited_file(workspace: Path, typed: list[str]) -> None:
    assert build(workspace)[0] == 0
    assert len(typed) == 6  # the config, client.yaml and four documents
    assert sorted(p.name for p in (workspace / FOLDER).iterdir()) == [
        "_workspace.pickle",
        "acme.pickle",
    ]
    typed.clear()
    edit(workspace, MEETING, "Kick-off", "Kick-off meeting")
    code, err = build(workspace)
    assert code == 0, err
    assert typed == [MEETING]


def test_kept_files_say_what_they_said(workspace: Path) -> None:
    """Diagnostics of files taken from the cache are those of typing them again."""
    edit(workspace, PROPOSAL, "title: ", "titel: ")
    first = build(workspace)
    assert first[0] == 1
    assert f"{PROPOSAL}:" in first[1]
    edit(workspace, MEETING, "Kick-off", "Kick-off meeting")
    cached = build(workspace, "--force")
    shutil.rmtree(workspace / FOLDER)
    fresh = build(workspace, "--force")
    assert cached[0] == fresh[0] == 1
    said = [_said(cached[1]), _said(fresh[1])]
    assert said[0] == said[1] == _said(first[1])
    assert f"{PROPOSAL}:" in said[0]


def _said(err: str) -> str:
    """The diagnostics a build printed, without its count line (which has a time)."""
    return "\n".join(line for line in err.splitlines() if " built, " not in line)


def test_new_bytes_are_typed_again(workspace: Path, typed: list[str]) -> None:
    cache = SourceCache(workspace)
    path = workspace / MEETING
    first = cache.typed("acme", path, MEETING, Meeting)
    cache.close("acme", save=True)
    cache.flush()
    assert first[1] is not None and first[1].title == "Kick-off"
    again = SourceCache(workspace).typed("acme", path, MEETING, Meeting)
    assert again[1] == first[1]
    assert again[0] is not None and again[0].places == first[0].places  # type: ignore[union-attr]
    assert typed == [MEETING]
    edit(workspace, MEETING, "Kick-off", "Kick-off!")
    changed = SourceCache(workspace).typed("acme", path, MEETING, Meeting)
    assert changed[1] is not None and changed[1].title == "Kick-off!"
    assert typed == [MEETING, MEETING]


def test_an_unreadable_file_is_said_so(workspace: Path) -> None:
    cache = SourceCache(workspace)
    source, model, loaded, found = cache.typed(
        "acme", workspace / "clients/acme/missing.yaml", "clients/acme/missing.yaml", Meeting
    )
    assert (source, model, found) == (None, None, [])
    assert [d.format() for d in loaded] == [
        "clients/acme/missing.yaml: error: cannot read file: No such file or directory"
    ]


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", pickle.dumps(("another signature", {}))],
    ids=["empty", "garbage", "other-code"],
)
def test_a_cache_that_cannot_be_trusted_is_not_used(
    workspace: Path, typed: list[str], damage: bytes
) -> None:
    assert build(workspace)[0] == 0
    before = outputs(workspace)
    for name in ("acme.pickle", "_workspace.pickle"):
        (workspace / FOLDER / name).write_bytes(damage)
    typed.clear()
    edit(workspace, MEETING, "Kick-off", "Kick-off meeting")
    code, err = build(workspace)
    assert code == 0, err
    assert len(typed) == 6  # every file typed again
    after = outputs(workspace)
    assert {k for k in after if after[k] != before[k]} == {
        f"acme/{folder}/{name}.{suffix}"
        for folder, name in [("minutes", "2026-11-20-kickoff"), ("weekly", "2026-W47")]
        for suffix in ("docx", "md")
    }
    typed.clear()
    edit(workspace, MEETING, "Kick-off meeting", "Kick-off")
    assert build(workspace)[0] == 0
    assert typed == [MEETING]  # written again, and trusted


def test_other_typing_code_means_another_cache(
    workspace: Path, typed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build(workspace)[0] == 0
    monkeypatch.setattr(typedcache, "_signature", b"models changed since")
    typed.clear()
    edit(workspace, MEETING, "Kick-off", "Kick-off meeting")
    assert build(workspace)[0] == 0
    assert len(typed) == 6


def test_a_build_that_reads_every_client_writes_no_cache(workspace: Path) -> None:
    for name in ("Beta", "Gamma"):  # copies of acme under their own names and numbers
        client = workspace / f"clients/{name.lower()}"
        shutil.copytree(workspace / "clients/acme", client)
        text = (client / "client.yaml").read_text()
        (client / "client.yaml").write_text(
            text.replace("Acme Foods", f"{name} Drinks").replace("AcmeMart", f"{name}Bar")
        )
        old = client / "workorders/WO-1.yaml"
        number = f"WO-{name.lower()}"
        (client / f"workorders/{number}.yaml").write_text(
            old.read_text().replace("number: WO-1", f"number: {number}")
        )
        old.unlink()
    code, err = build(workspace)
    assert code == 0, err
    assert not (workspace / FOLDER).exists()
    edit(workspace, MEETING, "Kick-off", "Kick-off meeting")
    assert build(workspace)[0] == 0
    assert sorted(p.name for p in (workspace / FOLDER).iterdir()) == [
        "_workspace.pickle",
        "acme.pickle",
    ]


def test_a_worker_gets_no_cache_entries(workspace: Path) -> None:
    ws = open_workspace(workspace)
    assert ws.cache._used
    copy = pickle.loads(pickle.dumps(ws))
    assert copy.cache._used == {} and copy.cache._stored == {}
    assert copy.config == ws.config


def test_a_removed_client_takes_its_cache_along(workspace: Path) -> None:
    shutil.copytree(workspace / "clients/acme", workspace / "clients/beta")
    (workspace / "clients/beta/workorders/WO-1.yaml").unlink()  # its number is acme's
    build(workspace)
    assert (workspace / FOLDER / "beta.pickle").exists()
    shutil.rmtree(workspace / "clients/beta")
    edit(workspace, MEETING, "Kick-off", "Kick-off meeting")
    build(workspace)
    assert sorted(p.name for p in (workspace / FOLDER).iterdir()) == [
        "_workspace.pickle",
        "acme.pickle",
    ]


def test_a_client_called_workspace_has_a_group_of_its_own(workspace: Path) -> None:
    (workspace / "clients/acme").rename(workspace / "clients/workspace")
    assert build(workspace)[0] == 0
    assert sorted(p.name for p in (workspace / FOLDER).iterdir()) == [
        "_workspace.pickle",
        "workspace.pickle",
    ]


def test_typing_code_that_cannot_be_read_trusts_nothing_kept(
    workspace: Path, typed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build(workspace)[0] == 0
    monkeypatch.setattr(typedcache, "_signature", None)
    monkeypatch.setattr(typedcache, "_TYPING_CODE", ("no-such-module.py",))
    typed.clear()
    edit(workspace, MEETING, "Kick-off", "Kick-off meeting")
    assert build(workspace)[0] == 0
    assert len(typed) == 6
