"""`python -m components.report_command --period 2026-Q4 --out otchet.docx`: the commission report
as a file, from the command line — the same document as the «Отчёт для комиссии» page.

The document builder (charts, DOCX, PDF: components/report_document.py) sits above data_access, so its
command lives here and not in `python -m data_access`, whose package imports nothing from above
it (tests/unit/test_layers.py). Refusals and exit codes are data_access.cli's (cli.run).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine

from components import report_document
from data_access import cli, clock, periods, queries, report, schema
from data_access.cli import EXIT_FAILED, EXIT_OK
from data_access.config import load_settings
from data_access.filters import PageFilter
from data_access.parsing import folded
from data_access.territory import REGION, territory_for
from data_access.vocabulary import CATEGORIES


def _report(engine: Engine, args: argparse.Namespace) -> int:
    problems = []
    try:
        period = periods.parse(args.period or "")
    except ValueError as error:
        problems.append(str(error))
    out = Path(args.out) if args.out else None
    if out is None:
        problems.append("Не указан файл отчёта: --out отчёт.docx или --out отчёт.pdf.")
    elif out.suffix.lower() not in (".docx", ".pdf"):
        problems.append(f"Файл «{out.name}»: отчёт бывает .docx или .pdf, а не «{out.suffix or 'без расширения'}».")
    elif not out.parent.is_dir():
        problems.append(f"Папки «{out.parent}» нет: файл «{out.name}» некуда записать.")
    schema.upgrade(engine)
    options = queries.filter_options(engine)
    categories = [
        _known(value, {code: label for code, label in CATEGORIES.items()}, "категория", problems)
        for value in args.category
    ]
    districts = [
        _known(value, {name: name for name in options["districts"]}, "район", problems) for value in args.district
    ]
    if problems or out is None:
        for problem in problems:
            print(f"Ошибка: {problem}", file=sys.stderr)
        return EXIT_FAILED
    selection = PageFilter(categories=tuple(dict.fromkeys(categories)), districts=tuple(dict.fromkeys(districts)))
    settings = load_settings()
    region = territory_for(queries.dataset_label(engine), settings) == REGION
    try:
        data = report.gather(engine, selection, period, settings, clock.today(), region=region)
    except report.NoDataForPeriod as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return EXIT_FAILED
    if data.kpi.pages == 0:
        print(f"Ошибка: в выборе «{data.selection_text}» нет ни одной страницы.", file=sys.stderr)
        return EXIT_FAILED
    built = report_document.build(data)
    content = report_document.pdf_bytes(built) if out.suffix.lower() == ".pdf" else report_document.docx_bytes(built)
    try:
        out.write_bytes(content)
    except OSError as error:
        print(f"Ошибка: файл {out} не записан: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Отчёт за {period.label} ({data.selection_text}) записан в {out}.")
    return EXIT_OK


def _known(value: str, known: dict[str, str], what: str, problems: list[str]) -> str:
    """The code or name `value` stands for (a code or a label, case and ё/е ignored)."""
    for code, label in known.items():
        if folded(value) in (folded(code), folded(label)):
            return code
    problems.append(f"{what} «{value}» не найдена" if what == "категория" else f"{what} «{value}» не найден")
    problems[-1] += "; можно: " + ", ".join(known.values()) + "."
    return value


def build_parser() -> argparse.ArgumentParser:
    command = cli.RussianArgumentParser(
        prog="python -m components.report_command",
        description=(
            "Тот же отчёт, что на странице «Отчёт»: основные показатели, динамика, категории и районы, "
            "лидеры и отстающие, верификация, материалы редакции, методика. Формат — по расширению "
            "файла. Пример: python -m components.report_command --period 2026-Q4 --category school "
            "--out otchet.docx"
        ),
    )
    command.add_argument("--period", metavar="ПЕРИОД", help=f"период: {periods.FORMS}")
    command.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="КАТЕГОРИЯ",
        help="категория (можно несколько раз): код или название — school, «Школы»",
    )
    command.add_argument(
        "--district",
        action="append",
        default=[],
        metavar="РАЙОН",
        help="район (можно несколько раз), как в реестре: «Кировский район»",
    )
    command.add_argument("--out", metavar="ФАЙЛ", help="куда записать: имя файла .docx или .pdf")
    command.set_defaults(handler=_report)
    return command


def main(argv: Sequence[str] | None = None, engine_factory: Callable[[], Engine] | None = None) -> int:
    return cli.run(build_parser().parse_args(argv), engine_factory)


if __name__ == "__main__":
    sys.exit(main())
