"""Watch: notice every saved change of the workspace's sources, debounced.

An observer thread (watchdog) only queues the paths that changed; the caller's thread
waits until QUIET seconds pass without a change and then builds once. Editors save in
several steps (vim deletes the file and creates it again; others write a temporary file
and rename it over the source, which gives only a "moved" event), and a file read on its
first "modified" event may be half-written: waiting for quiet gives one build per save.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from aedocs.workspace import CONFIG_FILE, leftover, yaml_name

QUIET = 0.25  # seconds without events before building (0.1 caused double builds)
FOLDERS = ("clients", "templates")  # watched recursively; the root itself only for CONFIG_FILE
# Events that mean a file's content may have changed ("opened" and "closed_no_write" are
# what a build's own reading causes).
_CHANGES = frozenset({"created", "modified", "moved", "deleted", "closed"})


STOP_SECONDS = 2.0


def stop_within(stop: Callable[[], object], seconds: float = STOP_SECONDS) -> None:
    """Run `stop` (the observer's, the preview server's) in a thread of its own, waiting
    at most `seconds`: one that hangs (a thread that does not wake to be joined) must not
    keep Ctrl-C from ending the watch; the process exits without waiting for threads."""
    thread = threading.Thread(target=stop, daemon=True)
    thread.start()
    thread.join(seconds)


def watched(root: Path, path: str, is_directory: bool = False) -> str | None:
    """The workspace-relative path of a change a build must see, or None.

    That is aedocs.yaml, a YAML file or a folder under clients/, or a file under
    templates/; never output/, .git or an editor's temporary file.
    """
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return None
    if not parts or any(map(leftover, parts)):
        return None
    name = parts[-1]
    rel = "/".join(parts)
    if parts == (CONFIG_FILE,) or (len(parts) == 1 and is_directory and name in FOLDERS):
        return rel
    if parts[0] == "clients" and (is_directory or yaml_name(name)):
        return rel
    if parts[0] == "templates" and len(parts) > 1 and not is_directory:
        return rel
    return None


class _Queue(FileSystemEventHandler):
    """Runs in the observer's thread: queues what changed, nothing else."""

    def __init__(self, root: Path, changes: queue.Queue[str]) -> None:
        self.root = root
        self.changes = changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file inside changed: its own event says which
        for path in (event.src_path, getattr(event, "dest_path", "")):
            rel = watched(self.root, os.fsdecode(path), event.is_directory) if path else None
            if rel is not None:
                self.changes.put(rel)


class Watcher:
    """Watches a workspace while used as a context manager; `wait` returns each change."""

    def __init__(self, root: Path, quiet: float = QUIET) -> None:
        self.root = root
        self.quiet = quiet
        self.changes: queue.Queue[str] = queue.Queue()
        self._handler = _Queue(root, self.changes)
        self._observer: Any = Observer()
        self._watches: dict[str, Any] = {}

    def __enter__(self) -> Watcher:
        self._observer.schedule(self._handler, str(self.root), recursive=False)
        self._follow_folders(set())
        self._observer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        stop_within(lambda: (self._observer.stop(), self._observer.join()))

    def wait(self) -> list[str]:
        """Block until something changed and then `quiet` seconds passed without another
        change; the workspace-relative paths that changed, sorted."""
        changed = {self._next(None)}
        while True:
            try:
                changed.add(self._next(self.quiet))
            except queue.Empty:
                break
        self._follow_folders(changed)
        return sorted(changed)

    def _next(self, timeout: float | None) -> str:
        # Short waits in a loop: a blocked get would delay Ctrl-C on some platforms.
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            step = 0.5 if deadline is None else deadline - time.monotonic()
            if step <= 0:
                raise queue.Empty
            try:
                return self.changes.get(timeout=min(step, 0.5))
            except queue.Empty:
                continue

    def _follow_folders(self, changed: set[str]) -> None:
        """Watch clients/ and templates/ whenever they exist (created later, or deleted and
        created again: a watch on a deleted folder sees nothing more)."""
        for name in FOLDERS:
            folder = self.root / name
            if name in self._watches and (name in changed or not folder.is_dir()):
                with contextlib.suppress(KeyError):  # its emitter may have stopped itself
                    self._observer.unschedule(self._watches.pop(name))
            if name not in self._watches and folder.is_dir():
                self._watches[name] = self._observer.schedule(
                    self._handler, str(folder), recursive=True
                )
