"""Rendering in worker processes: same bytes as in one process, and a worker that dies
fails only the outputs it had not written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from aedocs.render import pool
from bench.generate import AS_OF
from tests.conftest import generated, run
from tests.test_build import outputs

# Three clients (the third writes in Chinese): about 90 documents, well above pool.START.
CLIENTS, MEETINGS = 3, 8


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory, CLIENTS, MEETINGS, seed=5)


def build(root: Path, jobs: int) -> tuple[int, str]:
    result = run("-C", root, "build", "--as-of", AS_OF.isoformat(), "--jobs", str(jobs))
    return result.code, result.err


def test_workers_write_the_bytes_one_process_writes(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(workspace, one)
    shutil.copytree(workspace, two)
    started: list[int] = []
    start = pool.RenderQueue.start

    def spy(queue: pool.RenderQueue, count: int | None = None) -> None:
        start(queue, count)
        started.append(len(queue._workers))

    monkeypatch.setattr(pool.RenderQueue, "start", spy)
    assert build(one, 1)[0] == 0
    assert max(started) == 0  # one job: no worker
    started.clear()
    code, err = build(two, 2)
    assert code == 0, err
    assert max(started) == 2
    made = outputs(two)
    assert len(made) > 2 * pool.START
    assert made == outputs(one)


def test_a_worker_that_dies_fails_only_what_it_had_not_written(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(workspace, root)
    parent = os.getpid()
    render_one = pool.render_one

    def dying(renderer: pool.Renderer, out: pool.Output, out_dir: Path) -> pool.Outcome:
        if os.getpid() != parent and out.folder in ("schedules", "workorders"):
            os._exit(3)  # as a worker killed by the system would end: both will
        return render_one(renderer, out, out_dir)

    monkeypatch.setattr(pool, "render_one", dying)
    code, err = build(root, 2)
    assert code == 1
    assert "error: rendering stopped (worker process exit status 3)" in err
    stopped = {line.split(":")[0] for line in err.splitlines() if "rendering stopped" in line}
    written = {p.removesuffix(".docx") for p in outputs(root) if p.endswith(".docx")}
    assert not {f"output/{w}.docx" for w in written} & stopped
    monkeypatch.setattr(pool, "render_one", render_one)
    code, err = build(root, 2)  # the next build writes what the last one could not
    assert code == 0, err
    assert len([p for p in outputs(root) if p.endswith(".docx")]) == len(written) + len(stopped)


def test_a_reference_workers_cannot_use_is_a_diagnostic(workspace: Path, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(workspace, root)
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/reference.docx").write_text("not a zip")
    code, err = build(root, 2)
    assert code == 1
    assert "templates/reference.docx: error: not a usable reference document " in err
    assert "Traceback" not in err


def test_what_a_worker_receives_needs_no_yaml(workspace: Path, tmp_path: Path) -> None:
    """A worker unpickles the workspace and its parcels without importing PyYAML (the
    sources it receives say which file they are, not their values or places)."""
    import pickle
    import subprocess
    import sys

    from aedocs.plan import plan
    from aedocs.workspace import load_workspace

    ws = load_workspace(workspace)
    outputs = plan(ws, AS_OF, set()).outputs
    sent = tmp_path / "sent.pickle"
    sent.write_bytes(pickle.dumps((ws, outputs), protocol=pickle.HIGHEST_PROTOCOL))
    worker = (
        "import pickle, sys\n"
        "from aedocs.render.document import Renderer\n"
        f"ws, outputs = pickle.loads(open({str(sent)!r}, 'rb').read())\n"
        "print(sorted(m for m in sys.modules if m == 'yaml' or m.startswith('yaml.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", worker], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    sources = [o.doc.source for o in outputs if o.doc is not None]
    assert sources and all(set(s.__getstate__()) == {"path", "rel"} for s in sources)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_output_that_cannot_be_written_fails_alone(
    workspace: Path, tmp_path: Path, jobs: int
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(workspace, root)
    meeting = next((root / "clients").glob("*/meetings/*.yaml"))
    blocked = f"{meeting.parts[-3]}/minutes/{meeting.stem}.docx"
    (root / "output" / blocked).mkdir(parents=True)  # a folder where the document goes
    (root / "output" / blocked / "keep").write_text("")
    code, err = build(root, jobs)
    assert code == 1
    assert err.splitlines()[0] == f"output/{blocked}: error: cannot write: Is a directory"
    assert "Traceback" not in err
    assert " 0 removed, 1 failed in " in _summary(err)  # the others are written
    shutil.rmtree(root / "output" / blocked)
    code, err = build(root, jobs)  # the next build writes it
    assert code == 0, err
    assert _summary(err).startswith("1 built, ")
    assert (root / "output" / blocked).is_file()


def _summary(err: str) -> str:
    return next(line for line in err.splitlines() if " built, " in line)
