"""Compiled templates kept for the next process: reused while valid, never a failure."""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

import jinja2
import pytest

from aedocs.render.jinja import environment


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def uncompiling(
    search: list[Path], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> jinja2.Environment:
    """An environment that fails if it has to compile a template."""
    env = environment(search, cache)

    def compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(env, "compile", compile)
    return env


def test_a_compiled_template_is_reused_by_the_next_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    write(templates, "a.md.j2", "{{ who }} {{ day | date }}\n")
    first = environment([templates], cache).get_template("a.md.j2")
    assert len(list(cache.iterdir())) == 1

    again = uncompiling([templates], cache, monkeypatch).get_template("a.md.j2")
    context = {"who": "Ana_", "day": None, "lang": "es"}
    assert again.render(context) == first.render(context) == "Ana\\_ \n"


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    write(templates, "a.md.j2", "one\n")
    assert environment([templates], cache).get_template("a.md.j2").render() == "one\n"
    write(templates, "a.md.j2", "two\n")
    assert environment([templates], cache).get_template("a.md.j2").render() == "two\n"
    assert len(list(cache.iterdir())) == 1  # replaced, not added


def test_a_template_error_names_its_line_when_loaded_from_the_cache(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    write(templates, "a.md.j2", "one\n\n{{ missing.field }}\n")
    for _ in range(2):  # compiled, then from the cache
        template = environment([templates], cache).get_template("a.md.j2")
        with pytest.raises(jinja2.UndefinedError) as raised:
            template.render()
        lines = [
            tb.tb_lineno
            for tb in _frames(raised.value.__traceback__)
            if tb.tb_frame.f_code.co_filename.endswith("a.md.j2")
        ]
        assert lines[-1] == 3


def _frames(tb: TracebackType | None) -> list[TracebackType]:
    out = []
    while tb is not None:
        out.append(tb)
        tb = tb.tb_next
    return out


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anyway")
def test_an_unwritable_cache_only_means_compiling(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    write(templates, "a.md.j2", "one\n")
    tmp_path.joinpath("cache").mkdir()
    cache.chmod(0o500)
    try:
        assert environment([templates], cache).get_template("a.md.j2").render() == "one\n"
    finally:
        cache.chmod(0o700)


def test_a_damaged_entry_is_compiled_again(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    write(templates, "a.md.j2", "one\n")
    environment([templates], cache).get_template("a.md.j2")
    (entry,) = cache.iterdir()
    entry.write_bytes(entry.read_bytes()[:40])
    assert environment([templates], cache).get_template("a.md.j2").render() == "one\n"


def test_a_cache_that_is_a_file_only_means_compiling(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    write(templates, "a.md.j2", "one\n")
    cache.write_text("not a folder")
    assert environment([templates], cache).get_template("a.md.j2").render() == "one\n"
