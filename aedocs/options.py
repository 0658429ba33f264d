"""The global options every command receives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    directory: Path  # where to start looking for the workspace
    quiet: bool = False
    verbose: bool = False
    color: bool = False
