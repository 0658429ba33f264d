"""Where a workspace's templates and reference document are: its own `templates/` first,
then the built-in ones. Standard library only: a build decides what changed with these
before it imports anything that renders."""

from __future__ import annotations

import os
from pathlib import Path

REFERENCE = "reference.docx"
TEMPLATE_SUFFIX = ".md.j2"


def builtin_templates() -> Path:
    """The default templates: `templates/` of the project (also installed with aedocs)."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package.parent / "templates", package / "_templates"):
        if (folder / REFERENCE).exists():
            return folder
    return package.parent / "templates"


def template_folders(root: Path) -> list[Path]:
    """Where templates are looked up: the workspace's own first, then the built-in ones."""
    own, builtin = root / "templates", builtin_templates()
    if own.resolve() == builtin.resolve() or not own.is_dir():
        return [builtin]
    return [own, builtin]


def reference_document(root: Path) -> Path:
    for folder in template_folders(root):
        if (folder / REFERENCE).is_file():
            return folder / REFERENCE
    return builtin_templates() / REFERENCE


def template_files(folder: Path) -> list[Path]:
    """Every file of a templates folder, in its subfolders too (an include may name
    `parts/x.md.j2`), sorted; none whose name, or a folder's, starts with '.' (an
    editor's swap file): no build or watch takes them for templates."""
    found = []
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [Path(parent, name) for name in files if not name.startswith(".")]
    return sorted(p for p in found if p.is_file())
