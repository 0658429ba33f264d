"""`aedocs watch --serve`: one build per save however the editor saves, failed builds
survived, the live preview (escaped, reloading), and a clean Ctrl-C.

The watcher runs as a real process on a copy of the base workspace; the tests read its
stderr as it comes and poll with deadlines, never sleeping longer than the debounce needs
to show that no second build follows.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aedocs.preview import to_html
from aedocs.watch import QUIET, watched
from tests.conftest import BASE, require, run

AS_OF = "2026-12-08"
MEETING = "clients/acme/meetings/2026-11-20-kickoff.yaml"
TWIN = "output/acme/minutes/2026-11-20-kickoff.md"
PAGE = "/acme/minutes/2026-11-20-kickoff"
SUMMARY = re.compile(r"^\d+ built, \d+ unchanged, \d+ removed, \d+ failed in ")
ARGS = ("--as-of", AS_OF, "--serve", "--port", "0")
TIMEOUT = 15.0
SETTLE = 2 * QUIET + 0.2  # long enough for a second, unwanted build to show


class Watch:
    """`aedocs watch --serve --port 0` on a workspace, its stderr collected line by line."""

    def __init__(self, root: Path, *options: str) -> None:
        self.root = root
        # Started from a background job (`make test &`, some CI runners), the suite ignores
        # SIGINT, and Python keeps an ignored SIGINT ignored in the watch it starts: Ctrl-C
        # would never reach it. Handled here, SIGINT is the default again in a new process.
        if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "aedocs", "-C", str(root), *options, "watch", *ARGS],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        url = self.wait_for(lambda line: line.startswith("preview on "))
        self.url = url.removeprefix("preview on ").rstrip("/")
        self.wait_for(lambda line: line.startswith("watching "))

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, wanted: Callable[[str], bool], start: int = 0) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for line in self.lines[start:]:
                if wanted(line):
                    return line
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.02)
        raise AssertionError("watch never printed the line wanted:\n" + "\n".join(self.lines))

    @property
    def builds(self) -> int:
        return sum(1 for line in self.lines if SUMMARY.match(line))

    def wait_builds(self, count: int) -> None:
        """Wait for the `count`th build, then check that no other build follows it."""
        deadline = time.monotonic() + TIMEOUT
        while self.builds < count and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(SETTLE)
        assert self.builds == count, "\n".join(self.lines)

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError("watch did not stop:\n" + "\n".join(self.lines)) from None
        self._reader.join(timeout=5)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def watch(workspace: Path) -> Iterator[Watch]:
    session = Watch(workspace)
    try:
        yield session
    finally:
        session.kill()


def retitle(root: Path, title: str, extra: str = "") -> str:
    """The base meeting's text with a new title (quoted: it may hold YAML syntax)."""
    text = (BASE / MEETING).read_text(encoding="utf-8")
    return re.sub(r"(?m)^title: .*$", lambda _: f"title: '{title}'", text) + extra


def twin(root: Path) -> str:
    return (root / TWIN).read_text(encoding="utf-8")


def test_one_build_per_save_however_the_editor_saves(watch: Watch) -> None:
    root = watch.root
    watch.wait_builds(1)  # the build at start
    path = root / MEETING

    path.write_text(retitle(root, "Written in place"), encoding="utf-8")
    watch.wait_builds(2)
    assert "Written in place" in twin(root)

    temp = path.with_name(path.name + ".tmp")  # write a temporary file, rename it over
    temp.write_text(retitle(root, "Renamed over"), encoding="utf-8")
    os.replace(temp, path)
    watch.wait_builds(3)
    assert "Renamed over" in twin(root)

    text = retitle(root, "Deleted and created")  # vim's way
    path.unlink()
    path.write_text(text, encoding="utf-8")
    watch.wait_builds(4)
    assert "Deleted and created" in twin(root)

    # Editors' swap and backup files, the outputs and .git never start a build.
    (path.parent / ".2026-11-20-kickoff.yaml.swp").write_text("swap")
    (path.parent / "2026-11-20-kickoff.yaml~").write_text("backup")
    (root / "output" / "note.txt").write_text("not a source")
    (root / "README.txt").write_text("not a source")
    watch.wait_builds(4)

    assert watch.interrupt() == 0
    assert watch.lines[-1] == "stopped watching"
    assert not any("Traceback" in line for line in watch.lines)


def test_a_broken_save_is_reported_and_the_watch_goes_on(watch: Watch) -> None:
    root = watch.root
    watch.wait_builds(1)
    good = (root / MEETING).read_text(encoding="utf-8")
    (root / MEETING).write_text(good + "title: [\n", encoding="utf-8")
    start = len(watch.lines)
    watch.wait_for(lambda line: line.startswith(f"{MEETING}:") and ": error: " in line, start)
    watch.wait_builds(2)
    assert "Kick-off" in twin(root)  # the last good output stays
    status, index = watch.get("/")
    assert status == 200
    assert "The last build failed" in index
    assert f"{MEETING}:" in index

    (root / MEETING).write_text(retitle(root, "Fixed"), encoding="utf-8")
    watch.wait_builds(3)
    assert "Fixed" in twin(root)
    assert "The last build failed" not in watch.get("/")[1]


def test_preview_shows_documents_escaped_and_reloads(watch: Watch) -> None:
    root = watch.root
    watch.wait_builds(1)
    status, index = watch.get("/")
    assert status == 200
    assert f'href="{PAGE}"' in index
    assert 'href="/acme/weekly/2026-W48"' in index
    assert watch.get("/acme/")[1].count("<li>") == 7
    assert watch.get("/nobody/")[0] == 404
    assert watch.get("/acme/minutes/..%2F..%2Faedocs.yaml")[0] == 404
    assert watch.get("/", host="attacker.example")[0] == 403  # DNS rebinding

    _, version = watch.get("/_version")
    hostile = retitle(root, "<script>alert(1)</script> & co", "notes: '[click](javascript:x)'\n")
    (root / MEETING).write_text(hostile, encoding="utf-8")
    watch.wait_builds(2)
    _, after = watch.get("/_version")
    assert after != version

    status, page = watch.get(PAGE)
    assert status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<script>alert" not in page
    assert "<p>click</p>" in page  # a link that could run code keeps only its text
    assert "javascript:" not in page
    assert f'if (v !== "{after}")' in page  # it reloads once the version moves on
    assert "Send media plan" in page
    assert "<table>" in page


def chromium() -> str:
    return require("chromium", "chromium", "chromium-browser")


def test_a_browser_reloads_the_page_after_each_build(workspace: Path, tmp_path: Path) -> None:
    """A real browser: it loads the page, reloads it after a build, and a hostile title
    never becomes markup (an injected <img> would request /pwned from the preview)."""
    browser = chromium()
    watch = Watch(workspace, "-v")
    served = f"preview: served {PAGE}"
    options = ["--headless", "--disable-gpu", "--remote-debugging-port=0"]
    options += [f"--user-data-dir={tmp_path / 'profile'}"]
    options += ["--no-sandbox"] if os.geteuid() == 0 else []  # root (a container) needs it
    shown = subprocess.Popen(
        [browser, *options, watch.url + PAGE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        watch.wait_for(lambda line: line == served)
        start = len(watch.lines)
        hostile = retitle(workspace, "<img src=/pwned> <script>fetch('/pwned')</script>")
        (workspace / MEETING).write_text(hostile, encoding="utf-8")
        watch.wait_for(SUMMARY.match, start)
        watch.wait_for(lambda line: line == served, start)  # reloaded after the build
        time.sleep(1.0)  # a page that ran the title would have asked for /pwned by now
        assert not any("/pwned" in line for line in watch.lines), "\n".join(watch.lines)
    finally:
        shown.kill()
        shown.wait()
        watch.kill()


def test_preview_html_has_nothing_that_runs() -> None:
    twin = (
        "# Kick-off <img src=x onerror=alert(1)>\n\n"
        "| task | notes |\n| --- | --- |\n"
        "| <script>alert(1)</script> | line <br> **two** <br> three |\n\n"
        "[a](javascript:alert(1)) [b](https://example.com/?x=1&y=2) [c](mailto:a@example.com)\n\n"
        '{: onclick="alert(1)" }\n'
    )
    assert to_html(twin) == (
        "<div><h1>Kick-off &lt;img src=x onerror=alert(1)&gt;</h1>"
        "<table><thead><tr><th>task</th><th>notes</th></tr></thead><tbody><tr>"
        "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"
        "<td>line<br><strong>two</strong><br>three</td></tr></tbody></table>"
        '<p><a>a</a> <a href="https://example.com/?x=1&amp;y=2">b</a> '
        '<a href="mailto:a@example.com">c</a></p>'
        '<p>{: onclick="alert(1)" }</p></div>'
    )


@pytest.mark.parametrize(
    ("rel", "is_directory", "expected"),
    [
        ("aedocs.yaml", False, "aedocs.yaml"),
        (MEETING, False, MEETING),
        ("clients/acme", True, "clients/acme"),
        ("clients", True, "clients"),
        ("templates/minutes.md.j2", False, "templates/minutes.md.j2"),
        ("templates/reference.docx", False, "templates/reference.docx"),
        ("clients/acme/meetings/notes.txt", False, None),
        ("clients/acme/meetings/.kickoff.yaml.swp", False, None),
        ("clients/acme/meetings/kickoff.yaml~", False, None),
        ("clients/acme/meetings/#kickoff.yaml#", False, None),
        ("clients/acme/meetings/4913", False, None),
        ("clients/acme/meetings/.#2026-11-20-kickoff.yaml", False, None),
        ("clients/acme/meetings/._2026-11-20-kickoff.yaml", False, None),
        ("clients/acme/.DS_Store", False, None),
        ("clients/acme/workorders/WO-2.YAML", False, "clients/acme/workorders/WO-2.YAML"),
        ("templates/~$reference.docx", False, None),
        ("templates/.~lock.reference.docx#", False, None),
        ("output/acme/minutes/x.md", False, None),
        (".git/index", False, None),
        ("aedocs.yaml.tmp", False, None),
    ],
)
def test_which_changes_count(rel: str, is_directory: bool, expected: str | None) -> None:
    root = Path("/ws")
    assert watched(root, str(root / rel), is_directory) == expected


def test_a_port_in_use_is_a_clear_error(workspace: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("-C", workspace, "watch", "--serve", "--port", port)
    assert result.code == 1
    assert result.err.startswith(f"aedocs: error: cannot serve the preview on 127.0.0.1:{port}: ")
    assert not (workspace / "output").exists()


def test_an_observer_that_hangs_when_stopped_does_not_keep_the_watch_running(
    workspace: Path,
) -> None:
    """Stopping the observer joins its threads; one that never wakes must not make
    Ctrl-C hang: the watch gives it a deadline, then the process ends anyway."""
    from aedocs.watch import STOP_SECONDS, Watcher

    forever = threading.Event()

    def watch_and_stop() -> None:
        with Watcher(workspace) as watcher:
            stop = watcher._observer.stop
            watcher._observer.stop = lambda: (forever.wait(), stop())

    thread = threading.Thread(target=watch_and_stop, daemon=True)
    thread.start()
    thread.join(STOP_SECONDS + 2)
    stopped = not thread.is_alive()
    forever.set()
    assert stopped
