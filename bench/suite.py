"""The measurements, in one run: aedocs builds as a user runs them, and the peers.

Everything happens under `bench/work/` (git-ignored): generated workspaces, their
output, the peers' documents and one log per aedocs run. Builds use a fixed `--as-of`
so the weekly reports, and so the document counts, never change.
"""

from __future__ import annotations

import compileall
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aedocs
from aedocs import typedcache
from bench import measure, peers, texts
from bench.generate import AS_OF, Counts, generate, size_for
from bench.measure import Run

WORK = Path(__file__).resolve().parent / "work"
OUTPUT = "output"


@dataclass(frozen=True)
class Settings:
    """What to measure: workspace sizes in documents and the peers' sample size."""

    main: int  # the workspace every comparison uses
    sizes: tuple[int, ...]  # full builds at these sizes, memory at the largest
    sample: int  # documents converted by pandoc, rendered by docxtpl
    meetings: int = 18  # per client: sizes change the number of clients
    work: Path = WORK


FULL = Settings(main=900, sizes=(100, 1000, 5000), sample=100)
QUICK = Settings(main=25, sizes=(25,), sample=3, meetings=6)


@dataclass(frozen=True)
class Workspace:
    root: Path
    counts: Counts

    @property
    def output(self) -> Path:
        return self.root / OUTPUT

    @property
    def work(self) -> Path:
        """The benchmark's scratch folder, which holds the workspace."""
        return self.root.parent

    def documents(self) -> list[Path]:
        return sorted(self.output.glob("*/*/*.docx"))


@dataclass(frozen=True)
class Built:
    """A build and the .docx files it left in output/."""

    run: Run
    documents: int

    @property
    def ms_per_doc(self) -> float | None:
        if not self.run.ok or not self.documents:
            return None
        return 1000 * self.run.seconds / self.documents


REPEATS = 5  # no-op and one-edit builds, each measured this many times: the median counts
FULL_REPEATS = 3  # full builds of the main workspace, 1 and 2 jobs in turn: the medians count


@dataclass
class Incremental:
    """Builds after the first one: nothing changed, then one meeting's notes edited; each
    `REPEATS` times (`noop` and `edit` are the median runs)."""

    archive: bool
    first: Run
    noop: Run | None = None
    noop_rewrote: list[str] = field(default_factory=list)
    edit: Run | None = None
    edit_rewrote: list[str] = field(default_factory=list)
    noops: list[Run] = field(default_factory=list)
    edits: list[Run] = field(default_factory=list)


TRASH = "trash"


def discard(path: Path, work: Path) -> None:
    """Move `path` out of the way; `empty_trash` deletes it when the benchmark ends.

    Deleting thousands of files just before a timed run slows that run down: on ext4 a
    new file's inode is searched for past every inode freed in the last minute or so. A
    full build of 900 documents started right after removing the previous build's 1,800
    files spent about 2 s of its 13 s of CPU in the kernel doing that; moved aside, 0.5 s.
    """
    if path.exists():
        trash = work / TRASH
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(Path(tempfile.mkdtemp(dir=trash)) / path.name)


def empty_trash(work: Path) -> None:
    shutil.rmtree(work / TRASH, ignore_errors=True)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def workspace(settings: Settings, documents: int) -> Workspace:
    """A fresh generated workspace of about `documents` documents."""
    clients, meetings = size_for(documents, settings.meetings)
    root = settings.work / f"ws-{documents}"
    discard(root, settings.work)
    return Workspace(root, generate(root, clients, meetings))


class Aedocs:
    """The real command line, one subprocess per command, one log file per run."""

    def __init__(self, work: Path) -> None:
        # Compiled to bytecode as an installed package is (pip compiles what it installs):
        # the builds measure aedocs, not Python compiling its modules from source again
        # where PYTHONDONTWRITEBYTECODE keeps it from keeping them.
        compileall.compile_dir(Path(aedocs.__file__).parent, quiet=1)
        script = Path(sys.executable).with_name("aedocs")
        self.command = [str(script)] if script.is_file() else [sys.executable, "-m", "aedocs"]
        self.logs = work / "logs"
        shutil.rmtree(self.logs, ignore_errors=True)
        self.runs = 0

    def __call__(self, ws: Workspace, *args: str) -> Run:
        self.runs += 1
        log = self.logs / f"{self.runs:02d}-{ws.root.name}-{args[0]}.log"
        limit = 60 + 0.1 * ws.counts.documents
        return measure.run([*self.command, "-C", str(ws.root), *args], ws.root, log, limit)

    def build(self, ws: Workspace, jobs: int, *flags: str) -> Run:
        return self(ws, "build", "--as-of", AS_OF.isoformat(), "--jobs", str(jobs), *flags)


def full_build(aedocs: Aedocs, ws: Workspace, jobs: int) -> Built:
    """Every document written from scratch (output/ moved aside first), every file read
    and typed (the cache of typed files, which edits leave, removed)."""
    discard(ws.output, ws.work)
    shutil.rmtree(ws.root / typedcache.FOLDER, ignore_errors=True)
    say(f"  full build of {ws.counts.documents} documents, {jobs} job(s)")
    run = aedocs.build(ws, jobs, "--force", "--no-archive")
    return Built(run, len(ws.documents()))


@dataclass(frozen=True)
class FullBuilds:
    """The same full build made several times: `median` counts, `runs` give the range."""

    runs: list[Built]

    @property
    def median(self) -> Built:
        return sorted(self.runs, key=lambda built: built.run.seconds)[len(self.runs) // 2]


def full_builds(aedocs: Aedocs, ws: Workspace, jobs: Sequence[int]) -> dict[int, FullBuilds]:
    """`FULL_REPEATS` full builds with each number of jobs, taking turns: this machine's
    speed changes from minute to minute, and each count should see the same minutes."""
    runs: dict[int, list[Built]] = {n: [] for n in jobs}
    for _ in range(FULL_REPEATS):
        for n in jobs:
            runs[n].append(full_build(aedocs, ws, n))
    return {n: FullBuilds(built) for n, built in runs.items()}


def incremental(aedocs: Aedocs, ws: Workspace, archive: bool = True) -> Incremental:
    """First build, then a no-op build, then one edited meeting rebuilt."""
    discard(ws.output, ws.work)
    flags = () if archive else ("--no-archive",)
    say(f"  incremental builds ({'archive on' if archive else 'no archive'})")
    result = Incremental(archive, aedocs.build(ws, 2, *flags))
    if not result.first.ok:
        return result
    for _ in range(REPEATS):
        before = _stamps(ws)
        result.noops.append(aedocs.build(ws, 2, *flags))
        result.noop_rewrote += _changed(before, _stamps(ws))
    for _ in range(REPEATS):  # a new paragraph each time: each build has a real edit
        before = _stamps(ws)
        edit_meeting(edit_target(ws))
        result.edits.append(aedocs.build(ws, 2, *flags))
        result.edit_rewrote = _changed(before, _stamps(ws))  # the same each time
    result.noop, result.edit = median(result.noops), median(result.edits)
    return result


# What the build process of a one-edit build imports and prepares besides its own work:
# Python and site, the command line, the build, YAML, the models and the validator of
# the one kind it types (pydantic builds it on first use; the other files come from the
# cache of typed files), the planner, the rules and the archive.
STARTUP = """
import aedocs.archive, aedocs.builder, aedocs.cli, aedocs.commands.build, aedocs.load
import aedocs.plan, aedocs.render.pool, aedocs.signing, aedocs.validate, aedocs.typedcache
import aedocs.model
aedocs.model.Meeting.model_rebuild()
"""


def startup(ws: Workspace) -> list[Run]:
    """`REPEATS` runs of a process doing only `STARTUP`: the part of a one-edit build
    that does not depend on aedocs' own work."""
    log = ws.work / "logs" / "startup.log"
    return [measure.run([sys.executable, "-c", STARTUP], ws.root, log) for _ in range(REPEATS)]


def median(runs: list[Run]) -> Run:
    """The run of median time (of an odd number: the middle one)."""
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def edit_target(ws: Workspace) -> Path:
    """The first client's latest meeting: never signed, so it may change."""
    first_client = sorted((ws.root / "clients").iterdir())[0]
    return sorted((first_client / "meetings").glob("*.yaml"))[-1]


def edit_meeting(path: Path) -> None:
    """Add a paragraph at the top of the meeting's notes."""
    text = path.read_text(encoding="utf-8")
    edited = text.replace("notes: |\n", f"notes: |\n  {texts.PHRASES['edit']}\n\n", 1)
    if edited == text:
        raise ValueError(f"{path.name}: no notes to edit")
    path.write_text(edited, encoding="utf-8")


def _stamps(ws: Workspace) -> dict[str, int]:
    return {p.relative_to(ws.output).as_posix(): p.stat().st_mtime_ns for p in ws.documents()}


def _changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(rel for rel, stamp in after.items() if before.get(rel) != stamp)


def rewrote(paths: Sequence[str]) -> str:
    """`['a/minutes/x.docx', 'a/weekly/w.docx']` -> 'rewrote 1 minutes + 1 weekly'."""
    kinds = Counter(p.split("/")[1] for p in paths)
    listed = " + ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"rewrote {listed or 'nothing'}"


# -- the peers ----------------------------------------------------------------------------


@dataclass
class PeerTimes:
    pandoc: peers.Timed | None = None
    pandoc2: peers.Timed | None = None
    docxtpl: peers.Timed | None = None
    floor: peers.Timed | None = None


def measure_peers(ws: Workspace, settings: Settings) -> PeerTimes:
    """pandoc and docxtpl on a sample of the workspace, the floor on its built .docx."""
    times = PeerTimes()
    work = settings.work / "peers"
    discard(work, settings.work)
    if peers.pandoc_version() is not None:
        times.pandoc, times.pandoc2 = _pandoc(ws, settings.sample, work)
    times.docxtpl = _docxtpl(ws, settings.sample, work)
    documents = peers.spread(ws.documents(), max(settings.sample, 300))
    if documents:
        say(f"  floor: zipping the parts of {len(documents)} finished documents")
        parts = peers.read_parts(documents)
        times.floor = peers.timed(lambda: peers.zip_parts(parts, work / "floor"))
    return times


def _pandoc(
    ws: Workspace, sample: int, work: Path
) -> tuple[peers.Timed | None, peers.Timed | None]:
    twins = peers.spread(list(ws.output.glob("*/*/*.md")), sample)
    if not twins:
        return None, None
    say(f"  pandoc: {len(twins)} text twins, one process each")
    peers.pandoc(twins[:1], work / "warm")
    one = peers.timed(lambda: peers.pandoc(twins, work / "pandoc"))
    two = peers.timed(lambda: peers.pandoc(twins, work / "pandoc2", processes=2))
    return one, two


def _docxtpl(ws: Workspace, sample: int, work: Path) -> peers.Timed:
    meetings = peers.spread(list(ws.root.glob("clients/*/meetings/*.yaml")), sample)
    say(f"  docxtpl: {len(meetings)} minutes")
    template = peers.make_minutes_template(work / "minutes-template.docx")
    people = peers.People(ws.root)
    peers.docxtpl(meetings[:1], template, people, work / "warm")  # imports, file cache
    return peers.timed(lambda: peers.docxtpl(meetings, template, people, work / "docxtpl"))
