"""Benchmark: the XLSX files an adversary sent, each read in a fresh process as an upload is: the
time until it is refused (or read) and the peak memory above the process's own before reading.
Writes its section of bench/RESULTS.md.

    .venv/bin/python -m bench.hostile_xlsx

- «размер-ловушка»: 5 KB declaring A1:XFD1048576 with one cell at row 1 048 576;
- «широкие строки»: ≈2 MB, 700 rows × 16 000 cells;
- «сжатый лист»: ≈0.7 MB that unpacks about 100-fold (under the archive limits, so it is parsed).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import update_results  # noqa: E402
from bench.run import commit, machine  # noqa: E402

PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>"
)
SHEET_TAIL = "</sheetData></worksheet>"


def workbook(rows, dimension: str = "") -> bytes:
    """An XLSX whose first sheet is the XML of `rows` (strings of <row> elements), streamed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.format(dimension=dimension).encode())
            for row in rows:
                sheet.write(row.encode())
            sheet.write(SHEET_TAIL.encode())
    return buffer.getvalue()


def declared_dimension() -> bytes:
    return workbook(
        ['<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'],
        '<dimension ref="A1:XFD1048576"/>',
    )


def wide_rows(rows: int = 700) -> bytes:
    return workbook(
        f'<row r="{row}">' + "".join(f"<c><v>{(row * 7 + column) % 1000}</v></c>" for column in range(16000)) + "</row>"
        for row in range(1, rows + 1)
    )


def squeezed_sheet(rows: int = 160_000) -> bytes:
    cell = '<c t="inlineStr"><is><t>Детский сад № 105 «Колокольчик»</t></is></c>'
    return workbook(f'<row r="{row}">{cell * 6}</row>' for row in range(1, rows + 1))


def wide_first_column_empty(rows: int = 200) -> bytes:
    """Wide rows whose first 16 000 cells are empty strings: nothing right of the limit is data."""
    return workbook(
        f'<row r="{row}"><c t="inlineStr"><is><t>Сад {row}</t></is></c>' + "<c><v></v></c>" * 16000 + "</row>"
        for row in range(1, rows + 1)
    )


MEASURE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from data_access import parsing
data = open({path!r}, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    rows = parsing.read_rows(data, "hostile.xlsx")
    outcome = f"прочитан: {{len(rows)}} строк"
except parsing.FileProblem as problem:
    outcome = "отказ: " + str(problem)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "extra_mb": (peak - before) / 1024, "outcome": outcome}}))
"""


def measure(data: bytes) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        file.write(data)
        file.flush()
        # Warm the imports so that the measured peak is the reading only.
        script = "import openpyxl\n" + MEASURE.format(root=str(ROOT), path=file.name)
        answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, check=True)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def main() -> None:
    rows = []
    for name, build in (
        ("размер-ловушка (A1:XFD1048576, одна ячейка в строке 1 048 576)", declared_dimension),
        ("широкие строки (700 × 16 000 ячеек)", wide_rows),
        ("сжатый лист (≈100-кратное сжатие, 160 000 строк)", squeezed_sheet),
        ("то же в пределах архива: 115 широких строк", lambda: wide_rows(115)),
        ("то же в пределах архива: 140 строк по 16 000 пустых ячеек", lambda: wide_first_column_empty(140)),
        ("то же в пределах архива: сжатый лист, 55 000 строк", lambda: squeezed_sheet(55_000)),
    ):
        data = build()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
        result = measure(data)
        size = f"{len(data) / 1024:,.0f} КБ → {unpacked / 2**20:,.1f} МБ".replace(",", " ").replace(".", ",")
        rows.append(
            f"| {name} | {size} | {result['seconds']:.2f} | {result['extra_mb']:.0f} | {result['outcome'][:200]} |"
        )
        print(rows[-1])
    text = "\n".join(
        [
            "## Враждебные XLSX: время до отказа и память (`python -m bench.hostile_xlsx`)",
            "",
            f"Коммит {commit()}, {machine()}. Каждый файл читается `parsing.read_rows`, как при загрузке, в отдельном "
            "процессе; память — пик RSS сверх того, что у процесса было до чтения. Цель — не больше 5 с и 200 МБ.",
            "",
            "| файл | размер → распакованный | секунд | доп. память, МБ | итог |",
            "|---|---|---:|---:|---|",
            *rows,
        ]
    )
    update_results("hostile_xlsx", text)


if __name__ == "__main__":
    main()
