"""Where a workspace's templates and reference document are: its own `templates/` first,
then the built-in ones. Standard library only: a build decides what changed with these
before it imports anything that renders."""

from __future__ import annotations

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
