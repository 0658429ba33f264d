"""Run a command as a subprocess and measure it: wall time and peak memory.

Wall time is the whole process, start to exit (what a user waits for). Memory is taken two
ways: `wait4` gives the largest resident set of any single process of the tree (the
kernel's `ru_maxrss`), and a sampler adds up the proportional set sizes (PSS: a page
shared by forked workers counts once in the sum) of the process and all its descendants
every 100 ms. A command that runs past its time limit is killed with all its processes.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1
RESCAN_SECONDS = 0.5  # how often the sampler looks for new descendants


@dataclass(frozen=True)
class Run:
    """The outcome of one measured command."""

    seconds: float
    cpu_seconds: float  # user + system, the command and the children it waited for
    returncode: int
    max_rss_mib: float  # the largest single process
    tree_mib: float  # the largest PSS sum over the process tree seen by the sampler
    output: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def problem(self) -> str:
        """Why it failed: the time limit, or the last line it printed."""
        if self.timed_out:
            return f"killed after {self.seconds:.0f} s"
        lines = [line for line in self.output.splitlines() if line.strip()]
        return f"exit {self.returncode}: {lines[-1] if lines else 'no message'}"


def run(command: Sequence[str], cwd: Path, log: Path, limit: float = 600) -> Run:
    """Run `command` in `cwd`, output to `log`; time it, watch its memory, stop it at `limit`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        sampler, killer = _Sampler(proc.pid), threading.Timer(limit, _kill, (proc.pid,))
        sampler.start()
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: take the command down with us
            _kill(proc.pid)
            raise
        seconds = time.perf_counter() - started
        killer.cancel()
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        returncode=proc.returncode,
        max_rss_mib=usage.ru_maxrss / 1024,
        tree_mib=sampler.peak_kib / 1024,
        output=log.read_text(encoding="utf-8", errors="replace"),
        timed_out=seconds >= limit,
    )


def _kill(pid: int) -> None:
    """Kill the command and every process of its session (its workers, its git)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


class _Sampler(threading.Thread):
    """Adds up the resident memory of a process and its descendants, keeping the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        pids: set[int] = {self.pid}
        rescanned = 0.0
        while not self._done.is_set():
            now = time.monotonic()
            if now - rescanned > RESCAN_SECONDS:
                pids, rescanned = _descendants(self.pid), now
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in pids))
            self._done.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(root: int) -> set[int]:
    parents = dict(_parent_links())
    found = {root}
    changed = True
    while changed:
        new = {pid for pid, parent in parents.items() if parent in found} - found
        found |= new
        changed = bool(new)
    return found


def _parent_links() -> Iterator[tuple[int, int]]:
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses.
        yield int(entry.name), int(stat[stat.rindex(")") + 2 :].split()[1])


def _pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


@dataclass(frozen=True)
class CpuClock:
    """Busy CPU seconds of the whole machine and of this process with its children."""

    wall: float
    machine: float
    ours: float

    @classmethod
    def now(cls) -> CpuClock:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        tick = os.sysconf("SC_CLK_TCK")
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        ours = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
        return cls(time.monotonic(), (sum(fields[:8]) - idle) / tick, ours)

    def others_since(self, start: CpuClock) -> float:
        """How many cores other processes kept busy, on average, since `start`."""
        busy = (self.machine - start.machine) - (self.ours - start.ours)
        return max(0.0, busy / max(self.wall - start.wall, 1e-9))
