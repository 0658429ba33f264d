"""The form of every id a user writes: clients, people, decisions, tasks, slugs; and of
the names that become file names and archive tags: client ids, slugs, finance numbers."""

from collections.abc import Sequence

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
# A finance number, e.g. WO-2026-014: a '.' never doubled nor last (git refuses such a
# tag name, Windows such a file name).
NUMBER_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.[A-Za-z0-9_-])*$"
NUMBER_FORM = (
    "letters, digits, '.', '_' and '-', starting with a letter or digit, no '..' or final '.'"
)
# A name becomes output/<client>/<kind>/<name>.docx, a temporary file beside it and a tag
# signed/<client>/<kind>/<name>/vN: at most this long, every file system takes them.
MAX_NAME = 100
# Names Windows keeps for devices, whatever follows a '.': `nul.docx` cannot be made there.
_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)]
)


def name_problem(name: str) -> str | None:
    """Why `name`, well formed, still cannot name a file on every machine and a tag in
    the archive: too long, a Windows device name, or ending in '.lock' as git's own lock
    files do. None when it can."""
    if len(name) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters"
    if name.split(".", 1)[0].lower() in _DEVICES:
        return "is a device name on Windows: no file can have it there"
    if name.lower().endswith(".lock"):
        return "ends in '.lock', which git keeps for its lock files"
    return None


def repeated(ids: Sequence[object]) -> set[int]:
    """The indexes of the ids in `ids` that an earlier one already has: each is listed,
    or used, a second time (where the rules say so)."""
    seen: set[object] = set()
    again = set()
    for i, value in enumerate(ids):
        if value in seen:
            again.add(i)
        seen.add(value)
    return again
