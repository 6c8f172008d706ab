"""Benchmark of the dashboard at city scale (620 pages, one year) and region scale (3465 pages, two
years of daily figures): page renders (AppTest, cold and warm, against each page's loaders' floor
and an empty page), key queries, time to rendered page in Chromium, and the app's peak memory with ten
sessions open. Prints a table and writes bench/RESULTS.md.

    .venv/bin/python -m bench.run            # everything (≈ 5–10 minutes; builds the data sets once)
    .venv/bin/python -m bench.run --quick    # fewer repetitions, no browser part

The data sets are kept in bench/out/ (git ignores it) and rebuilt when missing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from bench.harness import AppBench, browser_timings, peak_memory_with_sessions  # noqa: E402
from tests.support import MAIN_SCREENS  # noqa: E402

PAGES = {
    "Сводка": "pages/overview.py",
    "Цели по подписчикам": "pages/targets.py",
    "Карта": "pages/map.py",
    "Верификация": "pages/verification.py",
    "Контент-план": "pages/calendar.py",
    "QR-коды": "pages/qr.py",
    # AppTest only (no browser timing): opened less often, but reruns like the others
    "Свежесть данных": "pages/freshness.py",
    "Отчёт для комиссии": "pages/report.py",
}
URL_PATHS = MAIN_SCREENS
# What every page's run contains: app.py's menu, sidebar filters and sign-in form, without the
# page's own script (AppTest only; no browser timing of its own).
SHELL = "Оболочка: меню, фильтры, вход"


@dataclass
class Scale:
    name: str
    url: str
    rows: dict = field(default_factory=dict)


def build_stores() -> list[Scale]:
    OUT.mkdir(parents=True, exist_ok=True)
    scales = []
    for name, argument in (("город", "city"), ("область", "region")):
        path = OUT / f"{argument}.sqlite3"
        url = f"sqlite:///{path}"
        if not path.exists():
            print(f"… строим данные «{name}» в {path}", flush=True)
            env = {**os.environ, "DATABASE_URL": url}
            subprocess.run(
                [sys.executable, "-m", "data_access", "seed", "--scale", argument],
                env=env,
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
        scales.append(Scale(name, url))
    return scales


def time_call(function, repeat: int = 5) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def query_timings(scale: Scale, repeat: int) -> dict[str, float]:
    from data_access import queries, rules
    from data_access.engine import make_engine
    from data_access.filters import ALL_PAGES

    engine = make_engine(scale.url)
    as_of = queries.data_as_of(engine)
    counts = queries.store_counts(engine)
    scale.rows = {"pages": counts["pages"], "snapshots": counts["subscriber_snapshots"]}
    start_of_week = datetime.combine(as_of - timedelta(days=as_of.weekday()), datetime.min.time())
    result = {
        "последний снимок каждой страницы": time_call(lambda: queries.page_progress(engine), repeat),
        "статусы и прогнозы (правила)": time_call(
            lambda: rules.add_outlook(queries.page_progress(engine), date(2027, 12, 31)), repeat
        ),
        "чек-листы: счёт по страницам": time_call(lambda: queries.verification_by_page(engine), repeat),
        "история: весь выбор, год": time_call(
            lambda: queries.subscriber_history(engine, ALL_PAGES, as_of - timedelta(days=364), as_of), repeat
        ),
        "история: по категориям, год": time_call(
            lambda: queries.subscriber_history(engine, ALL_PAGES, as_of - timedelta(days=364), as_of, "category"),
            repeat,
        ),
        "история одной страницы": time_call(lambda: queries.subscriber_history(engine, by="page", page_id=4), repeat),
        "чек-листы: все ячейки": time_call(lambda: queries.checklist_states(engine), repeat),
        "ритм публикаций за неделю": time_call(
            lambda: queries.page_coverage(engine, ALL_PAGES, start_of_week, start_of_week + timedelta(days=7)), repeat
        ),
    }
    engine.dispose()
    return result


def machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} ядра, {memory:.0f} ГиБ, {cpu}, Python {platform.python_version()}"


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}".replace(",", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="меньше повторов, без браузера и памяти")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    scales = build_stores()
    lines: list[str] = []

    def out(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    out("# Результаты замеров")
    out()
    out(f"Дата: {datetime.now():%Y-%m-%d %H:%M}; коммит {commit()}; машина: {machine()}.")
    out("Все числа одного столбца сняты в одном прогоне; время — медиана повторов, миллисекунды.")

    renders = {}
    for scale in scales:
        bench = AppBench(scale.url)
        renders[scale.name] = {"Пустая страница": bench.empty_page(repeat), SHELL: bench.shell(repeat)}
        for title, path in PAGES.items():
            renders[scale.name][title] = bench.page(path, repeat)
        bench.close()
    queries_by_scale = {scale.name: query_timings(scale, repeat) for scale in scales}
    city, region = scales

    out()
    out(
        f"Данные: город — {city.rows['pages']} страниц, {city.rows['snapshots']:,} снимков; "
        f"область — {region.rows['pages']} страниц, {region.rows['snapshots']:,} снимков "
        f"(в {region.rows['pages'] / city.rows['pages']:.1f} и {region.rows['snapshots'] / city.rows['snapshots']:.1f} "
        "раза больше).".replace(",", " ")
    )
    _page_renders(out, renders, city, region)
    _query_timings(out, queries_by_scale, city, region)
    if not args.quick:
        _browser_and_memory(out, scales, city, region)
    _save(lines)


def _page_renders(out, renders: dict, city, region) -> None:
    """«Страницы»: each page's cold and warm run and its loaders' floor, on both scales."""
    out()
    out("## Страницы (AppTest, один процесс)")
    out()
    out(
        "«Холодный» — первый прогон страницы на пустых кэшах, «тёплый» — повторный. «Пол загрузчиков» — "
        "та же страница, когда каждое общее чтение (components/reads) отвечает из словаря: работа самой "
        "страницы без чтений. «Тёплый / пустая» — во сколько раз тёплый прогон дольше прогона пустой "
        "страницы в том же процессе. «Оболочка» — app.py без кода самой страницы: меню, фильтры и форма "
        "входа; она входит в прогон каждой страницы. Цель: первый (холодный) прогон области ≤ 3 × города."
    )
    out()
    out(
        "| страница | город: холодный | тёплый | пол загрузчиков | тёплый / пустая | область: холодный | тёплый | "
        "пол загрузчиков | тёплый / пустая | холодный область/город |"
    )
    out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    empty_city, empty_region = renders[city.name]["Пустая страница"], renders[region.name]["Пустая страница"]
    for title in ["Пустая страница", SHELL, *PAGES]:
        c, r = renders[city.name][title], renders[region.name][title]
        out(
            f"| {title} | {ms(c.cold)} | {ms(c.warm)} | {ms(c.floor)} | {c.warm / empty_city.warm:.1f} | "
            f"{ms(r.cold)} | {ms(r.warm)} | {ms(r.floor)} | {r.warm / empty_region.warm:.1f} | {r.cold / c.cold:.2f} |"
        )


def _query_timings(out, queries_by_scale: dict, city, region) -> None:
    """«Ключевые запросы»: the store's key queries on both scales."""
    out()
    out("## Ключевые запросы (SQLite)")
    out()
    out("| запрос | город | область | область/город |")
    out("|---|---:|---:|---:|")
    for label, seconds in queries_by_scale[city.name].items():
        region_seconds = queries_by_scale[region.name][label]
        out(f"| {label} | {ms(seconds)} | {ms(region_seconds)} | {region_seconds / max(seconds, 1e-6):.1f} |")


def _browser_and_memory(out, scales, city, region) -> None:
    """Full loads in Chromium on both scales, and the app's memory with ten sessions on the region."""
    out()
    out("## В браузере (Chromium, от перехода до отрисованной страницы, тёплый сервер)")
    out()
    out("| страница | город | область | область/город |")
    out("|---|---:|---:|---:|")
    browser = {scale.name: browser_timings(scale.url, URL_PATHS, OUT / f"browser-{scale.name}.log") for scale in scales}
    for title in URL_PATHS:
        c, r = browser[city.name][title], browser[region.name][title]
        out(f"| {title} | {ms(c)} | {ms(r)} | {r / c:.2f} |")
    out()
    peak, current = peak_memory_with_sessions(region.url, URL_PATHS, sessions=10, log=OUT / "memory.log")
    out("## Память: процесс приложения на данных области с 10 открытыми сессиями (все страницы)")
    out()
    out(f"Пик RSS {peak:.0f} МБ, после обхода {current:.0f} МБ (цель — меньше 600 МБ).")


def _save(lines: list[str]) -> None:
    """Write bench/RESULTS.md, keeping the other scripts' marked sections."""
    results = ROOT / "bench" / "RESULTS.md"
    kept = ""
    if results.exists():  # the other scripts' marked sections (bench/load.py, bench/report.py) survive
        previous = results.read_text(encoding="utf-8")
        if "<!-- " in previous:
            kept = "\n" + previous[previous.index("<!-- ") :]
    results.write_text("\n".join(lines) + "\n" + kept, encoding="utf-8")
    print(f"\nЗаписано в {ROOT / 'bench' / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
