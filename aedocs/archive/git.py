"""Running git for the archive: scrubbed environment, no hooks, a private index.

Every git process the archive starts goes through `Git.run`, so no user setting (a
`GIT_DIR` in the environment, global config, hooks, line-ending conversion, automatic
gc) can change what the archive records, and no other repository's index is touched.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from aedocs.archive.errors import ArchiveError

INDEX_NAME = "aedocs-index"
NAME = "aedocs"
EMAIL = "aedocs@localhost"

# Passed with -c on every call: they win over any config file.
OVERRIDES = (
    "core.hooksPath=/dev/null",
    "core.autocrlf=false",
    "core.safecrlf=false",
    "core.fsmonitor=false",
    "core.quotePath=false",
    "gc.auto=0",
)


def scrubbed_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The user's environment without any GIT_* variable, plus ours."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_LITERAL_PATHSPECS="1",
        GIT_TERMINAL_PROMPT="0",
    )
    env.update(extra)
    return env


def check_relpath(relpath: str) -> str:
    """`relpath` if it names a file inside the archive's work tree, else ArchiveError."""
    path = PurePosixPath(relpath)
    bad = (
        not relpath
        or path.is_absolute()
        or ".." in path.parts
        or path.parts[0] == ".git"
        or any(char in relpath for char in "\0\n\\")
        or str(path) != relpath
    )
    if bad:
        raise ArchiveError(f"not a path inside the archive: {relpath!r}")
    return relpath


@dataclass
class Git:
    """The git repository at `root/.git`, with `root` as its work tree.

    `lock_fd`, while set, is inherited by every git process: a git that outlives a killed
    aedocs keeps the application lock held until it exits too.
    """

    root: Path
    lock_fd: int | None = field(default=None, compare=False)

    @property
    def git_dir(self) -> Path:
        return self.root / ".git"

    def exists(self) -> bool:
        return all((self.git_dir / name).exists() for name in ("HEAD", "config", "objects", "refs"))

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return scrubbed_env(
            {
                "GIT_DIR": str(self.git_dir),
                "GIT_WORK_TREE": str(self.root),
                "GIT_INDEX_FILE": str(self.git_dir / INDEX_NAME),
                **(extra or {}),
            }
        )

    def run(self, *args: str, input: bytes = b"", env: Mapping[str, str] | None = None) -> bytes:
        """git's stdout; ArchiveError with git's stderr when it fails."""
        done = self.attempt(*args, input=input, env=env)
        if done.returncode != 0:
            raise ArchiveError(failure(args, done.stderr))
        return done.stdout

    def text(self, *args: str, input: bytes = b"") -> str:
        """git's stdout as stripped text."""
        return self.run(*args, input=input).decode().strip()

    def attempt(
        self, *args: str, input: bytes = b"", env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """Run git and return whatever happened (for calls whose failure is an answer)."""
        return self.spawn(args, input, self.env(env))

    def init(self) -> None:
        """Create (or complete a half-created) repository with branch `main`."""
        # Without GIT_DIR and GIT_WORK_TREE: given those, init records an absolute worktree.
        done = self.spawn(("init", "-q", "--template=", "-b", "main", "."), b"", scrubbed_env({}))
        if done.returncode != 0:
            raise ArchiveError(failure(("init",), done.stderr))

    def spawn(
        self, args: Sequence[str], input: bytes, env: Mapping[str, str]
    ) -> subprocess.CompletedProcess[bytes]:
        command = ["git", *(arg for setting in OVERRIDES for arg in ("-c", setting)), *args]
        try:
            return subprocess.run(
                command,
                input=input,
                capture_output=True,
                cwd=self.root,
                env=env,
                pass_fds=() if self.lock_fd is None else (self.lock_fd,),
            )
        except OSError as error:
            raise ArchiveError(f"cannot run git: {error.strerror}") from None

    def publish_index(self) -> None:
        """Copy our index over git's default one, so `git status` in output/ agrees with HEAD.

        Without it a user's `git status` would show every file as deleted, and a plain
        `git commit` there would record those deletions.
        """
        temp = self.git_dir / f"{INDEX_NAME}.published"
        temp.write_bytes((self.git_dir / INDEX_NAME).read_bytes())
        os.replace(temp, self.git_dir / "index")

    def objects(self, specs: Sequence[str]) -> list[tuple[str, str] | None]:
        """(object id, type) of each `rev` or `rev:path`; None where there is none."""
        out = self.run("cat-file", "--batch-check", input=batch_input(specs))
        headers = [parse_header(line) for line in out.decode().splitlines()]
        return [header[:2] if header else None for header in headers]

    def contents(self, specs: Sequence[str]) -> list[bytes | None]:
        """The bytes of each blob `rev:path`; None where it does not exist or is no file."""
        out = self.run("cat-file", "--batch", input=batch_input(specs))
        found: list[bytes | None] = []
        pos = 0
        for _ in specs:
            end = out.index(b"\n", pos)
            header = parse_header(out[pos:end].decode())
            pos = end + 1
            if header is not None:
                _oid, kind, size = header
                found.append(out[pos : pos + size] if kind == "blob" else None)
                pos += size + 1
            else:
                found.append(None)
        return found


def batch_input(specs: Sequence[str]) -> bytes:
    if any("\n" in spec for spec in specs):
        raise ArchiveError("a revision or path with a line break cannot be read")
    return "".join(f"{spec}\n" for spec in specs).encode()


def parse_header(line: str) -> tuple[str, str, int] | None:
    """`<oid> <type> <size>` from cat-file's batch output; None for a missing object."""
    if line.endswith((" missing", " ambiguous")):
        return None
    oid, kind, size = line.rsplit(" ", 2)
    return oid, kind, int(size)


def failure(args: Sequence[str], stderr: bytes) -> str:
    """One line: which git command failed and what git said."""
    said = "; ".join(line.strip() for line in stderr.decode(errors="replace").splitlines())
    return f"git {args[0]} failed: {said or 'no message'}"
