"""The key that seals cached files (aedocs.cachekey): made once, private, never trusted
from anyone else; cache files without its seal are never loaded."""

from __future__ import annotations

import hashlib
import hmac
import pickle
from collections.abc import Iterator
from pathlib import Path

import jinja2.bccache
import pytest

from aedocs import cachekey
from aedocs.render.jinja import environment
from aedocs.typedcache import FOLDER
from tests.test_reuse import build, edit
from tests.test_typedcache import MEETING


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user cache folder of the test's own, and no key known yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    cachekey.key.cache_clear()
    yield tmp_path / "user-cache" / "aedocs" / "key"
    cachekey.key.cache_clear()


class Planted:
    """Runs when unpickled: what a hostile cache file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (self.marker, "ran"))  # type: ignore[return-value]


def test_the_key_is_made_once_and_private(home: Path) -> None:
    key = cachekey.key()
    assert home.read_bytes() == key and len(key) == 32
    assert home.stat().st_mode & 0o777 == 0o600
    cachekey.key.cache_clear()
    assert cachekey.key() == key  # the next process reads it


def test_a_damaged_key_is_replaced(home: Path) -> None:
    home.parent.mkdir(parents=True)
    home.write_bytes(b"short")
    key = cachekey.key()
    assert len(key) == 32 and home.read_bytes() == key


def test_without_a_place_for_the_key_nothing_is_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    cachekey.key.cache_clear()
    try:
        first = cachekey.key()
        cachekey.key.cache_clear()
        assert cachekey.key() != first  # a key of the process's own, each time
    finally:
        cachekey.key.cache_clear()


def test_a_seal_opens_only_with_its_key(home: Path) -> None:
    blob = cachekey.sealed(b"data")
    assert cachekey.unsealed(blob) == b"data"
    assert cachekey.unsealed(blob[:-1] + b"x") is None
    assert cachekey.unsealed(b"short") is None
    another = hmac.digest(b"k" * 32, b"data", hashlib.sha256) + b"data"
    assert cachekey.unsealed(another) is None


def test_a_planted_typed_cache_never_runs(workspace: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    assert build(workspace)[0] == 0
    bomb = pickle.dumps(Planted(marker))
    for name in ("_workspace.pickle", "acme.pickle"):
        (workspace / FOLDER / name).write_bytes(bomb)  # no seal
    edit(workspace, MEETING, "Kick-off", "Kick-off meeting")
    assert build(workspace)[0] == 0
    assert not marker.exists()
    (workspace / FOLDER / "acme.pickle").write_bytes(b"\0" * 32 + bomb)  # a forged seal
    edit(workspace, MEETING, "Kick-off meeting", "Kick-off")
    assert build(workspace)[0] == 0
    assert not marker.exists()


def test_a_planted_compiled_template_never_runs(tmp_path: Path, home: Path) -> None:
    templates, cache, marker = tmp_path / "templates", tmp_path / "cache", tmp_path / "ran"
    templates.mkdir()
    (templates / "a.md.j2").write_text("real {{ who }}\n")
    assert environment([templates], cache).get_template("a.md.j2").render(who="x") == "real x\n"
    [entry] = cache.iterdir()
    # What Jinja itself would load: its header, then a pickle (here, a hostile one).
    entry.write_bytes(jinja2.bccache.bc_magic + pickle.dumps(Planted(marker)))
    again = environment([templates], cache).get_template("a.md.j2")
    assert again.render(who="y") == "real y\n" and not marker.exists()
    assert cachekey.unsealed(entry.read_bytes()) is not None  # compiled and sealed again


def test_without_a_home_folder_the_key_is_never_kept_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: Path("~")))
    monkeypatch.chdir(tmp_path)
    assert cachekey.key_path() is None
    cachekey.key.cache_clear()
    try:
        assert len(cachekey.key()) == 32
    finally:
        cachekey.key.cache_clear()
    assert list(tmp_path.iterdir()) == []
