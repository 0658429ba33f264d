"""The archive's commands on real repositories: sign, history, diff, verify, text."""

from __future__ import annotations

from pathlib import Path

from aedocs.archive import Archive


def test_two_archives_of_one_folder_share_the_lock_in_one_thread(tmp_path: Path) -> None:
    root = tmp_path / "output"
    with Archive(root).locked(wait=False):
        Archive(root).ensure()  # would wait for itself if the lock were per object
        with Archive(root).locked(wait=False):
            pass
    assert (root / ".git" / "HEAD").is_file()
