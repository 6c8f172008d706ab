"""Benchmark of the commission report: a year's report (figures, charts, DOCX, PDF) at city and
region scale, in one run. Writes its section of bench/RESULTS.md.

    .venv/bin/python -m bench.report          # builds the data sets in bench/out/ once (≈ 2 minutes)
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import update_results  # noqa: E402
from bench.run import build_stores, commit, machine  # noqa: E402

REPEAT = 3
TARGET_SECONDS = 10


def _timed(action, *arguments):
    start = time.perf_counter()
    result = action(*arguments)
    return time.perf_counter() - start, result


def measure(url: str, period_code: str, selection) -> dict[str, float]:
    from components import report_document
    from data_access import periods, queries, report
    from data_access.config import Settings
    from data_access.engine import make_engine

    engine = make_engine(url)
    period = periods.parse(period_code)
    today = queries.data_as_of(engine)
    runs = []
    for _ in range(REPEAT):
        gather, data = _timed(report.gather, engine, selection, period, Settings(), today)
        build, built = _timed(report_document.build, data)
        docx, _ = _timed(report_document.docx_bytes, built)
        pdf, _ = _timed(report_document.pdf_bytes, built)
        runs.append(
            {
                "цифры (SQL и правила)": gather,
                "графики (vl-convert)": build,
                "DOCX": docx,
                "PDF": pdf,
                "всё: цифры, графики, DOCX и PDF": gather + build + docx + pdf,
            }
        )
    engine.dispose()
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    from data_access.filters import PageFilter

    city, region = build_stores()
    cases = [
        ("город, 2026 год, весь город", city.url, "2026", PageFilter()),
        ("область, 2026 год, вся область", region.url, "2026", PageFilter()),
        (
            "область, 2026 год, детские сады и школы",
            region.url,
            "2026",
            PageFilter(categories=("kindergarten", "school")),
        ),
        ("область, IV квартал 2026 г., вся область", region.url, "2026-Q4", PageFilter()),
    ]
    results = {}
    for title, url, code, selection in cases:
        print(f"… {title}", flush=True)
        results[title] = measure(url, code, selection)
    steps = list(next(iter(results.values())))
    lines = [
        f"## Отчёт для комиссии (коммит {commit()}, {date.today():%Y-%m-%d})",
        "",
        f"{machine()}. Медиана {REPEAT} прогонов в одном процессе; цель — годовой отчёт по области "
        f"меньше {TARGET_SECONDS} с (оба файла вместе).",
        "",
        "| случай | " + " | ".join(steps) + " |",
        "|---|" + "---:|" * len(steps),
    ]
    for title, timing in results.items():
        lines.append(f"| {title} | " + " | ".join(f"{timing[step]:.2f} с" for step in steps) + " |")
    city_year, region_year = results[cases[0][0]], results[cases[1][0]]
    total = "всё: цифры, графики, DOCX и PDF"
    lines += [
        "",
        f"Область к городу (годовой отчёт целиком): {region_year[total] / city_year[total]:.2f}×. "
        f"Годовой отчёт по области: {region_year[total]:.1f} с — "
        + ("в пределах цели." if region_year[total] < TARGET_SECONDS else "**цель не достигнута**."),
    ]
    text = "\n".join(lines)
    print(text)
    update_results("report", text)


if __name__ == "__main__":
    main()
