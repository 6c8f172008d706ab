"""The one engine factory: SQLite (WAL, busy timeout, foreign keys) or PostgreSQL through psycopg.

This is the only module that knows which database it talks to; everything else writes
portable SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Engine, Integer, Table, cast, create_engine, event, func, literal, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from data_access.config import database_url

SQLITE_BUSY_TIMEOUT_MS = 15_000
POSTGRES_STATEMENT_TIMEOUT_MS = 60_000
# Values per `IN (…)` list: far below SQLite's 32 766 bound parameters and PostgreSQL's 65 535.
IN_CHUNK = 500


class StoreUnavailable(Exception):
    """The database cannot be reached or opened; the message is one line for a person."""


def _redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<неверный адрес / invalid URL>"


def make_engine(url: str | None = None, **engine_options: Any) -> Engine:
    """Create the engine for `url` (default: the configured store) with the settings it needs."""
    url = url or database_url()
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreUnavailable(f"Адрес базы данных не распознан: {url!r} / Database URL is not valid.") from error

    try:
        if parsed.get_backend_name() == "sqlite":
            return _make_sqlite_engine(url, parsed.database, **engine_options)
        if parsed.get_backend_name() == "postgresql":
            if parsed.get_driver_name() in ("", "psycopg2"):
                # One driver for PostgreSQL: psycopg 3.
                url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
            return create_engine(
                url,
                pool_pre_ping=True,
                connect_args={
                    "connect_timeout": 10,
                    "options": f"-c statement_timeout={POSTGRES_STATEMENT_TIMEOUT_MS}",
                    "application_name": "gospubliki-dashboard",
                },
                **engine_options,
            )
    except NoSuchModuleError as error:
        raise StoreUnavailable(f"Нет драйвера для {_redacted(url)} / No driver for this database.") from error
    raise StoreUnavailable(
        f"Поддерживаются SQLite и PostgreSQL, а указан {parsed.get_backend_name()!r} / "
        "Only SQLite and PostgreSQL are supported."
    )


def _make_sqlite_engine(url: str, database: str | None, **engine_options: Any) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **engine_options,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when a transaction starts (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")  # = SQLITE_BUSY_TIMEOUT_MS
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A write takes the lock at BEGIN, so two writers queue on busy_timeout instead of
        # failing with "database is locked" when a read lock must be upgraded.
        if connection.get_execution_options().get("write"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


class days_before(FunctionElement):
    """`day - N days` as a date, in SQL: a page's own «a week before its latest figure»."""

    type = Date()
    inherit_cache = True

    def __init__(self, day: Any, days: int) -> None:
        self.days = int(days)
        super().__init__(day)


@compiles(days_before, "sqlite")
def _days_before_sqlite(element: days_before, compiler: Any, **kw: Any) -> str:
    (day,) = element.clauses
    return compiler.process(func.date(day, literal(f"-{element.days} days")), **kw)


@compiles(days_before, "postgresql")
def _days_before_postgresql(element: days_before, compiler: Any, **kw: Any) -> str:
    (day,) = element.clauses
    return compiler.process(cast(day, Date) - cast(literal(element.days), Integer), **kw)


def in_chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """`values` in slices of IN_CHUNK, one `IN (…)` list each."""
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def check_connection(engine: Engine) -> None:
    """Open one connection, or raise StoreUnavailable with a one-line message."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise StoreUnavailable(
            f"База данных недоступна ({_redacted(str(engine.url.render_as_string(hide_password=False)))}): "
            f"{reason} / Database unavailable."
        ) from error


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One short write transaction: commits on success, rolls back everything on any error."""
    with engine.connect() as connection:
        connection.execution_options(write=True)
        with connection.begin():
            yield connection


def bulk_insert(connection: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert many rows fast: COPY on PostgreSQL, executemany on SQLite. Returns the row count."""
    columns = [column.name for column in table.columns]
    if connection.dialect.name == "postgresql":
        from psycopg import sql  # only needed, and only installed-for-sure, with PostgreSQL

        statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
            table=sql.Identifier(table.name),
            columns=sql.SQL(", ").join(sql.Identifier(name) for name in columns),
        )
        raw = connection.connection.driver_connection
        assert raw is not None  # an open connection has its driver's connection
        count = 0
        with raw.cursor() as cursor:
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row([row.get(name) for name in columns])
                    count += 1
        return count
    batch: list[Mapping[str, Any]] = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= 20_000:
            connection.execute(table.insert(), batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
        count += len(batch)
    return count


@contextmanager
def migration_lock(connection: Connection) -> Iterator[None]:
    """Serialise schema migrations when several app instances start at once."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": 620_3465})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": 620_3465})
    else:
        yield


def reset_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        next_id = connection.execute(select(func.coalesce(func.max(table.c.id), 0) + 1)).scalar_one()
        connection.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), next_id, False)))
