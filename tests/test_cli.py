"""The command line as a user meets it: init, new, validate, schema, exit codes, -C, colour."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aedocs.ids import NUMBER_FORM
from tests.conftest import Result, run

TODAY = dt.date.today()
NEXT_WEEK = (TODAY + dt.timedelta(days=7)).isoformat()


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A workspace made by `aedocs init`."""
    result = run("-C", tmp_path, "init", "ws")
    assert result.code == 0, result.err
    return tmp_path / "ws"


def test_init_creates_a_workspace_that_validates(fresh: Path) -> None:
    assert (fresh / "aedocs.yaml").is_file()
    assert "/output/" in (fresh / ".gitignore").read_text()
    assert list((fresh / "clients").glob("*/client.yaml"))
    result = run("-C", fresh, "validate", "--strict")
    assert result.code == 0
    assert result.err.splitlines()[-1].endswith(": no problems")


def test_init_refuses_an_existing_workspace(fresh: Path) -> None:
    before = (fresh / "aedocs.yaml").read_text()
    result = run("-C", fresh.parent, "init", "ws")
    assert result.code == 1
    assert result.err.startswith("aedocs: error: ")
    assert "aedocs.yaml already exists; not overwritten" in result.err
    assert (fresh / "aedocs.yaml").read_text() == before


# Kind -> (arguments after the client, what to write in place of the skeleton's blanks).
FILL = {
    "meeting": ("kick", {'title: ""': "title: Kick-off"}),
    "proposal": ("spring", {'title: ""': "title: Spring", 'date: ""': f"date: {NEXT_WEEK}"}),
    "schedule": (
        "spring",
        {
            'title: ""': "title: Spring",
            'id: ""': "id: brief",
            'name: ""': "name: Brief",
            'owner: ""': "owner: alex",
            'start: ""': f"start: {TODAY}",
            'end: ""': f"end: {NEXT_WEEK}",
        },
    ),
    "workorder": ("WO-2026-001", {'title: ""': "title: Poster", 'due: ""': f"due: {NEXT_WEEK}"}),
    "client": (
        None,
        {
            'name: ""  # required; the': "name: Beta Drinks  # the",
            'id: ""': "id: jdoe",
            'name: ""': "name: Jane Doe",
            "team: []": "team: [alex]",
        },
    ),
}


def _new(root: Path, kind: str, client: str) -> Result:
    slug = FILL[kind][0]
    args = [kind, "beta" if kind == "client" else client, *([slug] if slug else [])]
    return run("-C", root, "new", *args)


@pytest.mark.parametrize("kind", sorted(FILL))
def test_new_writes_a_skeleton_that_validates_once_filled(fresh: Path, kind: str) -> None:
    result = _new(fresh, kind, "example-client")
    assert result.code == 0, result.err
    path = fresh / result.out.strip()
    text = path.read_text(encoding="utf-8")
    up = "../../" if kind == "client" else "../../../"
    assert text.startswith(f"# yaml-language-server: $schema={up}.aedocs/schemas/{kind}.json\n")
    schema = fresh / ".aedocs" / "schemas" / f"{kind}.json"
    assert json.loads(schema.read_text())["title"].startswith(f"aedocs {kind}")

    unfilled = run("-C", fresh, "-q", "validate")
    assert unfilled.code == 1
    assert all(line.startswith(result.out.strip()) for line in unfilled.lines)

    for blank, value in FILL[kind][1].items():
        assert blank in text, blank
        text = text.replace(blank, value, 1)
    path.write_text(text, encoding="utf-8")
    filled = run("-C", fresh, "-q", "validate", "--strict")
    assert (filled.code, filled.err) == (0, "")


def test_new_meeting_is_named_after_today(fresh: Path) -> None:
    result = _new(fresh, "meeting", "example-client")
    assert result.out.strip() == f"clients/example-client/meetings/{TODAY}-kick.yaml"


@pytest.mark.parametrize("kind", sorted(FILL))
def test_new_refuses_to_overwrite(fresh: Path, kind: str) -> None:
    first = _new(fresh, kind, "example-client")
    path = fresh / first.out.strip()
    path.write_text(path.read_text() + "# my notes\n")
    again = _new(fresh, kind, "example-client")
    assert again.code == 1
    assert again.err == f"{first.out.strip()}: error: already exists; not overwritten\n"
    assert path.read_text().endswith("# my notes\n")


def test_new_for_an_unknown_client(fresh: Path) -> None:
    result = run("-C", fresh, "new", "meeting", "nobody", "kick")
    assert result.code == 1
    assert "no client 'nobody' (create it with 'aedocs new client nobody')" in result.err


def test_schema_of_every_kind_is_json_with_the_models_fields() -> None:
    result = run("schema")
    assert result.code == 0
    every = json.loads(result.out)
    assert sorted(every) == sorted(
        ["workspace", "client", "meeting", "proposal", "schedule", "workorder"]
    )
    assert {"agency", "staff"} <= set(every["workspace"]["properties"])
    assert {"number", "placements", "estimate"} <= set(every["workorder"]["properties"])


def test_schema_of_one_kind() -> None:
    result = run("schema", "meeting")
    assert result.code == 0
    schema = json.loads(result.out)
    assert {"kind", "date", "chair", "attendees", "actions", "signatures"} <= set(
        schema["properties"]
    )
    assert {"kind", "title", "date", "chair", "attendees"} <= set(schema["required"])
    assert "additionalProperties" in json.dumps(schema)


def test_schema_says_the_form_of_times_and_the_years_of_dates() -> None:
    """What editors check against: the same times and years validate accepts."""
    schema = json.loads(run("schema", "meeting").out)
    time = schema["properties"]["time"]["anyOf"][0]["pattern"]
    day = schema["properties"]["date"]["pattern"]
    assert [bool(re.search(time, t)) for t in ("10:00", "10:00-11:30", "25:00-26:00")] == [
        True,
        True,
        False,
    ]
    assert [bool(re.search(day, d)) for d in ("1900-01-01", "2999-12-31", "1899-12-31")] == [
        True,
        True,
        False,
    ]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate"], 0),
        (["frobnicate"], 2),
        (["validate", "--frobnicate"], 2),
        (["--frobnicate", "validate"], 2),
        (["schema", "invoice"], 2),
        (["new", "brochure", "acme"], 2),
        (["-q", "-v", "validate"], 2),
    ],
)
def test_exit_codes(workspace: Path, args: list[str], code: int) -> None:
    assert run("-C", workspace, *args).code == code


def test_exit_code_1_for_problems(workspace: Path) -> None:
    (workspace / "clients/acme/proposals/christmas.yaml").write_text("title: [\n")
    result = run("-C", workspace, "validate")
    assert result.code == 1
    assert result.lines[0].startswith("clients/acme/proposals/christmas.yaml:2:1: error: YAML")
    assert result.lines[-1] == "6 files, 1 client: 1 error"


def test_warnings_fail_only_with_strict(workspace: Path) -> None:
    (workspace / "clients/acme/notes.yml").write_text("a: 1\n")
    assert run("-C", workspace, "validate").code == 0
    assert run("-C", workspace, "validate", "--strict").code == 1


def test_dash_c_finds_the_workspace_from_a_subfolder(workspace: Path) -> None:
    result = run("-C", workspace / "clients" / "acme" / "meetings", "-q", "validate")
    assert (result.code, result.err) == (0, "")


def test_missing_workspace_is_a_clear_message(tmp_path: Path) -> None:
    result = run("-C", tmp_path, "validate")
    assert result.code == 1
    assert result.err == (
        f"aedocs: error: no aedocs.yaml in {tmp_path.resolve()} or any folder above it "
        "(create a workspace with 'aedocs init DIR')\n"
    )
    assert "Traceback" not in result.err + result.out


def test_dash_c_to_a_folder_without_a_workspace(tmp_path: Path) -> None:
    result = run("-C", tmp_path, "validate")
    assert result.code == 1
    assert result.err.startswith(f"aedocs: error: no aedocs.yaml in {tmp_path.resolve()} ")


def test_colour_only_when_asked(workspace: Path) -> None:
    (workspace / "clients/acme/proposals/christmas.yaml").write_text("title: [\n")
    plain = run("-C", workspace, "-q", "validate")
    coloured = run("-C", workspace, "-q", "--color", "validate")
    assert "\x1b[" not in plain.err
    assert "\x1b[31m" in coloured.err  # the level, in red
    assert plain.err.startswith("clients/acme/proposals/christmas.yaml:2:1: error: ")
    assert run("-C", workspace, "-q", "--no-color", "validate").err == plain.err


@pytest.mark.parametrize(
    "day", ["2026-13-01", "2026-02-30", "2026-W48-5", "20261127", "27/11/2026"]
)
@pytest.mark.parametrize("command", [["build", "--as-of"], ["status", "--as-of"]])
def test_a_day_not_written_yyyy_mm_dd_is_refused(
    workspace: Path, command: list[str], day: str
) -> None:
    result = run("-C", workspace, *command, day)
    assert result.code == 2
    assert result.lines[-1] == (
        f"Error: Invalid value for '--as-of': '{day}' is not a day written YYYY-MM-DD."
    )


def test_a_day_written_yyyy_mm_dd_is_taken(workspace: Path) -> None:
    result = run("-C", workspace, "-q", "build", "--as-of", "2024-02-29")
    assert (result.code, result.err) == (0, "")


@pytest.mark.parametrize(
    "command",
    [["build", "--no-archive"], ["history"], ["diff"], ["sign", "--by", "ana"]],
)
def test_a_path_outside_the_workspace_is_refused(
    workspace: Path, tmp_path: Path, command: list[str]
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("title: x\n")
    result = run("-C", workspace, *command[:1], str(outside), *command[1:])
    assert result.code == 1
    root = workspace.resolve()
    assert result.err == f"aedocs: error: {outside}: not inside the workspace {root}\n"


def test_arguments_missing_or_wrong_are_usage_errors(workspace: Path, tmp_path: Path) -> None:
    result = run("-C", workspace, "new", "workorder", "acme")
    assert result.code == 2
    assert result.lines[-1].startswith(
        "Error: a work order needs its finance number: aedocs new workorder acme WO-"
    )
    result = run("-C", tmp_path / "nowhere", "build")
    assert result.code == 2
    assert result.lines[-1] == (
        f"Error: Invalid value for '-C': Directory '{tmp_path / 'nowhere'}' does not exist."
    )


def test_init_where_no_folder_can_be_made_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    result = run("init", tmp_path / "a-file" / "ws")
    assert result.code == 1
    assert result.lines == [
        f"aedocs: error: {tmp_path}/a-file/ws: cannot make a workspace there: Not a directory"
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["workorder", "acme", "../../../escaped"],
            f"Error: finance number '../../../escaped' is not valid: {NUMBER_FORM}",
        ),
        (
            ["workorder", "acme", "WO 1"],
            f"Error: finance number 'WO 1' is not valid: {NUMBER_FORM}",
        ),
        (
            ["workorder", "acme", "WO..1"],
            f"Error: finance number 'WO..1' is not valid: {NUMBER_FORM}",
        ),
        (
            ["workorder", "acme", "WO-1."],
            f"Error: finance number 'WO-1.' is not valid: {NUMBER_FORM}",
        ),
        (
            ["workorder", "acme", "WO-2.lock"],
            "Error: finance number 'WO-2.lock' ends in '.lock', which git keeps for its lock files",
        ),
        (
            ["workorder", "acme", "NUL.txt"],
            "Error: finance number 'NUL.txt' is a device name on Windows: "
            "no file can have it there",
        ),
        (
            ["proposal", "acme", "a" * 101],
            f"Error: slug '{'a' * 101}' is longer than 100 characters",
        ),
        (
            ["meeting", "acme", "a" * 95],
            f"Error: file name '{dt.date.today()}-{'a' * 95}.yaml' is longer than 100 characters",
        ),
        (
            ["meeting", "acme", "Café"],
            "Error: slug 'Café' is not valid: lowercase letters, digits and '-'",
        ),
        (["meeting", "acme", ""], "Error: slug '' is not valid: lowercase letters, digits and '-'"),
        (
            ["meeting", "Bad_Client"],
            "Error: client id 'Bad_Client' is not valid: lowercase letters, digits and '-'",
        ),
        (
            ["client", "com1"],
            "Error: client id 'com1' is a device name on Windows: no file can have it there",
        ),
    ],
)
def test_new_refuses_names_it_cannot_use(workspace: Path, args: list[str], expected: str) -> None:
    before = sorted(p for p in workspace.parent.rglob("*") if ".git" not in p.parts)
    result = run("-C", workspace, "new", *args)
    assert (result.code, result.lines[-1]) == (2, expected)
    assert sorted(p for p in workspace.parent.rglob("*") if ".git" not in p.parts) == before


def test_an_interrupt_before_any_command_runs_shows_no_traceback(tmp_path: Path) -> None:
    """Ctrl-C while Python still imports the command line: a word, exit 130."""
    script = (
        "import aedocs.cli\n"
        "def interrupted(): raise KeyboardInterrupt\n"
        "aedocs.cli.main = interrupted\n"
        "from aedocs.console import run\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr, done.stdout) == (130, "interrupted\n", "")


def test_new_for_a_client_not_filled_in_says_what_to_fix(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run("init", root).code == 0
    assert run("-C", root, "new", "client", "acme").code == 0
    result = run("-C", root, "new", "meeting", "acme", "kickoff")
    assert result.code == 1
    assert result.lines[0] == (
        "clients/acme/client.yaml: error: fix its errors first: documents take their people from it"
    )
    assert "clients/acme/client.yaml:12:7: error: team: needs at least one entry" in result.lines
    assert not (root / "clients/acme/meetings").exists()
