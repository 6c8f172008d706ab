"""The command line of the store: `python -m data_access --help`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from data_access import queries, schema, seed
from data_access.config import ConfigError, database_url
from data_access.engine import StoreUnavailable, check_connection, make_engine

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNAVAILABLE = 2


def _init(engine: Engine, _args: argparse.Namespace) -> int:
    before = schema.current_revision(engine)
    seed.initialise(engine)
    after = schema.current_revision(engine)
    if before == after:
        print(f"Схема базы актуальна (ревизия {after}).")
    else:
        print(f"Схема обновлена: {before or 'пустая база'} → {after}.")
    return EXIT_OK


def _seed(engine: Engine, _args: argparse.Namespace) -> int:
    try:
        result = seed.load_demo(engine)
    except seed.SeedRefused as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    print(result.message)
    return _stats(engine, _args)


def _stats(engine: Engine, _args: argparse.Namespace) -> int:
    schema.upgrade(engine)
    counts = queries.store_counts(engine)
    labels = {
        "institutions": "учреждения",
        "pages": "страницы (госпаблики)",
        "subscriber_snapshots": "снимки подписчиков",
        "checklist_items": "пункты чек-листа",
        "page_checks": "отметки чек-листа",
        "content_items": "материалы контент-плана",
        "users": "пользователи",
        "audit_log": "записи журнала",
    }
    width = max(len(label) for label in labels.values())
    for key, label in labels.items():
        print(f"{label:<{width}}  {counts[key]:>10,}".replace(",", " "))
    as_of = queries.data_as_of(engine)
    print(f"{'данные на':<{width}}  {as_of.isoformat() if as_of else '—':>10}")
    if queries.dataset_label(engine) == "demo":
        print("В базе демо-данные (сгенерированы seeds/generate.py).")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_access",
        description=(
            "Хранилище дашборда госпабликов Новосибирска. База берётся из DATABASE_URL, "
            "иначе из .streamlit/secrets.toml [connections.sql] url, иначе встроенный файл SQLite "
            "data/gospubliki.sqlite3."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="КОМАНДА")
    commands.add_parser(
        "init",
        help="создать или обновить схему базы (миграции Alembic) и загрузить пункты чек-листа",
        description="Применяет все недостающие миграции; на актуальной базе ничего не меняет.",
    ).set_defaults(handler=_init)
    commands.add_parser(
        "seed",
        help="загрузить демо-город (620 страниц) в пустую базу; повторный запуск ничего не меняет",
        description=(
            "Загружает сгенерированные демо-данные из seeds/demo/. В базу, где уже есть "
            "настоящие учреждения, демо-данные не загружаются."
        ),
    ).set_defaults(handler=_seed)
    commands.add_parser(
        "stats",
        help="показать, сколько в базе учреждений, страниц, снимков и прочего",
        description="Печатает число записей в основных таблицах и дату последних данных.",
    ).set_defaults(handler=_stats)
    return parser


def main(argv: Sequence[str] | None = None, engine_factory: Callable[[], Engine] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        engine = engine_factory() if engine_factory else make_engine(database_url())
        check_connection(engine)
        return args.handler(engine, args)
    except (StoreUnavailable, ConfigError) as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        print(f"Ошибка базы данных: {reason} / Database error.", file=sys.stderr)
        return EXIT_FAILED
