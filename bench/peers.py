"""The same documents made the other ways: pandoc, docxtpl, and bare zipping (the floor).

- pandoc converts the `.md` twins aedocs wrote, one process per document, as its users
  run it (optionally several processes at a time).
- docxtpl renders the minutes from the same meeting YAML files through a template made
  here with python-docx: metadata table, agenda, notes (bold and italic kept), decisions,
  an action table with a `{%tr for %}` row and a signature block.
- the floor only writes the parts of finished .docx files into new zips (deflate): what
  any way of making .docx costs at the least.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Timed:
    """Documents made and the seconds they took."""

    documents: int
    seconds: float

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / self.documents if self.documents else float("nan")


def timed(work: Callable[[], int]) -> Timed:
    started = time.perf_counter()
    made = work()
    return Timed(made, time.perf_counter() - started)


def spread(items: Sequence[Path], count: int) -> list[Path]:
    """`count` items taken evenly from the sorted list, so every kind is in the sample."""
    ordered = sorted(items)
    if len(ordered) <= count:
        return ordered
    step = len(ordered) / count
    return [ordered[int(i * step)] for i in range(count)]


# -- pandoc -------------------------------------------------------------------------------


def pandoc_version() -> str | None:
    """pandoc's version, or None when it is not installed."""
    if shutil.which("pandoc") is None:
        return None
    out = subprocess.run(["pandoc", "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split()[1]


def pandoc(sources: Sequence[Path], out_dir: Path, processes: int = 1) -> int:
    """Convert each Markdown file to .docx with its own pandoc process; return the count."""
    out_dir.mkdir(parents=True, exist_ok=True)

    def convert(source: Path) -> None:
        target = out_dir / f"{source.parent.name}-{source.stem}.docx"
        command = ["pandoc", "-f", "markdown", "-t", "docx", "-o", str(target), str(source)]
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL)

    with ThreadPoolExecutor(processes) as pool:
        list(pool.map(convert, sources))
    return len(sources)


# -- docxtpl ------------------------------------------------------------------------------


def make_minutes_template(path: Path) -> Path:
    """Write a docxtpl minutes template (python-docx's default styles) to `path`."""
    from docx import Document

    doc = Document()
    doc.add_heading("{{ title }}", level=1)
    doc.add_paragraph("{{ agency }} · {{ client }}")
    _metadata_table(doc)
    _loop(doc, "Orden del día", "item in agenda", "{{ item }}", "List Number")
    doc.add_heading("Notas", level=2)
    _blocks(doc, "notes")
    _loop(doc, "Acuerdos", "d in decisions", "{{ d }}", "List Number")
    _action_table(doc)
    doc.add_heading("Conclusión", level=2)
    _blocks(doc, "conclusion")
    _loop(doc, "Firmas", "s in signatures", "{{ s.name }}: {{ s.on }}", None)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _metadata_table(doc: Any) -> None:
    rows = [
        ("Fecha", "{{ date }}"),
        ("Hora", "{{ time }}"),
        ("Lugar", "{{ place }}"),
        ("Preside", "{{ chair }}"),
        ("Asistentes", "{{ attendees }}"),
        ("Excusan", "{{ apologies }}"),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value


def _loop(doc: Any, heading: str, loop: str, body: str, style: str | None) -> None:
    doc.add_heading(heading, level=2)
    doc.add_paragraph("{%p for " + loop + " %}")
    doc.add_paragraph(body, style=style)
    doc.add_paragraph("{%p endfor %}")


def _blocks(doc: Any, name: str) -> None:
    """Paragraphs and bullet items of a Markdown field, as RichText."""
    doc.add_paragraph("{%p for b in " + name + " %}")
    doc.add_paragraph("{%p if b.item %}")
    doc.add_paragraph("{{r b.text }}", style="List Bullet")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{{r b.text }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")


def _action_table(doc: Any) -> None:
    doc.add_heading("Acciones", level=2)
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    header = ("Tarea", "Responsable", "Fecha límite", "Estado")
    cells = ("{{ a.task }}", "{{ a.owner }}", "{{ a.due }}", "{{ a.status }}")
    for i in range(4):
        table.rows[0].cells[i].text = header[i]
        table.rows[2].cells[i].text = cells[i]
    table.rows[1].cells[0].text = "{%tr for a in actions %}"
    table.rows[3].cells[0].text = "{%tr endfor %}"


class People:
    """Person ids to names, read once per workspace and client (as a script would)."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        config = _load(workspace / "aedocs.yaml")
        self.agency = str(config["agency"]["name"])
        self.staff = {p["id"]: p["name"] for p in config["staff"]}
        self.clients: dict[str, tuple[str, dict[str, str]]] = {}

    def of(self, client: str) -> tuple[str, dict[str, str]]:
        if client not in self.clients:
            data = _load(self.workspace / "clients" / client / "client.yaml")
            contacts = {c["id"]: c["name"] for c in data["contacts"]}
            self.clients[client] = (str(data["name"]), {**self.staff, **contacts})
        return self.clients[client]


def docxtpl(meetings: Sequence[Path], template: Path, people: People, out_dir: Path) -> int:
    """Render each meeting file through the template, from YAML to saved .docx."""
    from docxtpl import DocxTemplate

    out_dir.mkdir(parents=True, exist_ok=True)
    for source in meetings:
        doc = DocxTemplate(str(template))
        doc.render(minutes_context(source, people))
        doc.save(str(out_dir / f"{source.stem}.docx"))
    return len(meetings)


def minutes_context(source: Path, people: People) -> dict[str, Any]:
    """The template's values for one meeting file: names resolved, Markdown as RichText."""
    data = _load(source)
    client, names = people.of(source.parent.parent.name)

    def who(ids: Sequence[str]) -> str:
        return ", ".join(names.get(i, i) for i in ids)

    return {
        "agency": people.agency,
        "client": client,
        "title": data["title"],
        "date": data["date"].isoformat(),
        "time": data.get("time", ""),
        "place": data.get("place", ""),
        "chair": who([data["chair"]]),
        "attendees": who(data["attendees"]),
        "apologies": who(data.get("apologies", [])),
        "agenda": data.get("agenda", []),
        "notes": markdown_blocks(data.get("notes") or ""),
        "decisions": [d if isinstance(d, str) else d["text"] for d in data.get("decisions", [])],
        "actions": [_action(a, names) for a in data.get("actions", [])],
        "conclusion": markdown_blocks(data.get("conclusion") or ""),
        "signatures": [
            {"name": who([s["by"]]), "on": s["on"].isoformat() if s.get("on") else "________"}
            for s in data.get("signatures", [])
        ],
    }


def _action(action: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    return {
        "task": action["task"],
        "owner": names.get(action["owner"], action["owner"]),
        "due": action["due"].isoformat(),
        "status": action.get("status", "open"),
    }


def markdown_blocks(text: str) -> list[dict[str, Any]]:
    """Paragraphs and `- ` list items of simple Markdown, with bold and italic runs."""
    from docxtpl import RichText

    blocks = []
    for chunk in (c.strip() for c in text.split("\n\n")):
        for item in _items(chunk):
            rich = RichText()
            for run, bold, italic in inline_runs(item.removeprefix("- ")):
                rich.add(run, bold=bold, italic=italic)
            blocks.append({"item": item.startswith("- "), "text": rich})
    return blocks


def _items(chunk: str) -> list[str]:
    if not chunk.startswith("- "):
        return [" ".join(chunk.split())] if chunk else []
    return ["- " + " ".join(i.split()) for i in chunk[2:].split("\n- ")]


def inline_runs(text: str) -> list[tuple[str, bool, bool]]:
    """`**bold**` and `*italic*` split into (text, bold, italic) runs."""
    runs, at = [], 0
    for match in _INLINE.finditer(text):
        if match.start() > at:
            runs.append((text[at : match.start()], False, False))
        bold = match.group(1) is not None
        runs.append((match.group(1) if bold else match.group(2), bold, not bold))
        at = match.end()
    if at < len(text):
        runs.append((text[at:], False, False))
    return runs


def _load(path: Path) -> Any:
    with path.open("rb") as f:
        return yaml.load(f, Loader=_Loader)


# -- the floor ----------------------------------------------------------------------------


def read_parts(documents: Sequence[Path]) -> list[list[tuple[str, bytes]]]:
    """The parts of each .docx, uncompressed, in their order."""
    parts = []
    for path in documents:
        with zipfile.ZipFile(path) as z:
            parts.append([(name, z.read(name)) for name in z.namelist()])
    return parts


def zip_parts(documents: Sequence[list[tuple[str, bytes]]], out_dir: Path) -> int:
    """Write each document's parts into a new deflated zip file; return the count."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for n, parts in enumerate(documents):
        with zipfile.ZipFile(out_dir / f"{n:05d}.docx", "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts:
                z.writestr(zipfile.ZipInfo(name, _FIXED_DATE), data, zipfile.ZIP_DEFLATED)
    return len(documents)
