"""How fast a minutes-like document goes from Markdown to .docx and .md twin.

    python bench/render_speed.py [DOCUMENTS]

The document is the one PERF-NOTES measures: metadata lines, a numbered agenda, four
paragraphs with bold and italic Spanish and Chinese text, a 10-row action table and a
signature block. Prints the best of five rounds in ms per document, on one core and with
two worker processes.
"""

from __future__ import annotations

import datetime
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from aedocs.render.docx import DocumentInfo, DocxRenderer
from aedocs.render.markdown import escape, parse
from aedocs.render.twin import to_markdown

REFERENCE = Path(__file__).resolve().parents[1] / "templates" / "reference.docx"
INFO = DocumentInfo(
    title="Acta: Arranque campaña Navidad 2026",
    author="Estudio Norte",
    language="es",
    date=datetime.date(2026, 11, 20),
    header_left="Estudio Norte",
    header_right="Arranque campaña Navidad 2026",
)


def minutes(n: int) -> str:
    """A minutes document; `n` varies its text so no two documents are the same."""
    meta = [("Cliente", "Hipermercados Olmedo S.A."), ("Fecha", f"{n % 28 + 1} de noviembre")]
    meta += [("Lugar", "Oficinas centrales (sala #2)"), ("Preside", "Lucía Herrero Baeza")]
    lines = ["Acta de reunión con cliente\n{: .Subtitle}", f"Arranque campaña {n}\n{{: .Title}}"]
    lines += [f"**{k}:** {escape(v)}\n{{: .Meta}}" for k, v in meta]
    lines.append("## Orden del día\n\n" + "\n".join(f"1. Punto {i} del orden" for i in range(5)))
    lines.append("## Desarrollo")
    lines += [
        f"**Contexto {i}.** Carmen repasa la Navidad: ventas *+4,2 %* frente a 2024, pero el "
        f"tráfico cayó un 1,8 %. 客户希望在春季推出新的广告活动，重点是**社交媒体**。 {n}"
        for i in range(4)
    ]
    rows = [
        f"| Tarea {i} de la campaña | Lucía Herrero | {i + 1} dic 2026 | abierta |"
        for i in range(10)
    ]
    lines.append(
        "## Tareas\n\n| Tarea | Responsable | Fecha | Estado |\n|---|---|---|---|\n"
        + "\n".join(rows)
    )
    lines.append("## Firmas\n\nLucía Herrero Baeza  \nAccount Executive\n{: .Signature}")
    return "\n\n".join(lines) + "\n"


def render(count: int, offset: int = 0) -> int:
    renderer = DocxRenderer(REFERENCE)
    for n in range(offset, offset + count):
        tree = parse(minutes(n))
        renderer.render(tree, INFO)
        to_markdown(tree)
    return count


def best_ms(run: object, documents: int, rounds: int = 5) -> float:
    assert callable(run)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best / documents * 1000


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    render(5)  # warm: imports, the reference, compiled patterns
    one = best_ms(lambda: render(documents), documents)
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(render, [5, 5]))
        half = documents // 2
        two = best_ms(lambda: sum(pool.map(render, [half, half], [0, half])), documents)
    print(f"{one:.2f} ms/doc on one core, {two:.2f} ms/doc with two workers")


if __name__ == "__main__":
    main()
