"""Shared fixtures: every test gets its own database, built from the seed script's demo data."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine

from data_access import clock, seed
from data_access.engine import make_engine
from tests.support import PostgresServer, unavailable

ROOT = Path(__file__).resolve().parent.parent

# Every test sees the same «today» (the app's, the seed's, the import checks'), whatever the real
# date: the demo city is placed relative to it, so the figures end on DEMO_AS_OF. The app started
# by the browser tests inherits it. Tests of the clock itself set their own.
DEMO_TODAY = "2026-11-27"
os.environ[clock.TODAY_VARIABLE] = DEMO_TODAY

# Importing the cached reads outside a running app logs that no runtime exists; that is expected.
logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def demo_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo city loaded once into a SQLite file; tests work on copies of it."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    seed.load_demo(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the main file
    return path


@pytest.fixture
def demo_sqlite_url(demo_sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def empty_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'empty.sqlite3'}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer.start()
    except (FileNotFoundError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        unavailable(f"PostgreSQL server could not be started: {detail.strip()}")
    yield server
    server.stop()


def _admin(server: PostgresServer) -> psycopg.Connection:
    return psycopg.connect(host="127.0.0.1", port=server.port, user="postgres", dbname="postgres", autocommit=True)


def _create_database(server: PostgresServer, template: str | None = None) -> str:
    name = f"t_{uuid.uuid4().hex[:16]}"
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
    with _admin(server) as connection:
        connection.execute(statement)
    return name


def _drop_database(server: PostgresServer, name: str) -> None:
    with _admin(server) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def demo_postgres_template(postgres_server: PostgresServer) -> str:
    """A database holding the demo city; each test gets a clone (CREATE DATABASE … TEMPLATE)."""
    name = _create_database(postgres_server)
    engine = make_engine(postgres_server.url(name))
    seed.load_demo(engine)
    engine.dispose()
    return name


@pytest.fixture
def demo_postgres_url(postgres_server: PostgresServer, demo_postgres_template: str) -> Iterator[str]:
    name = _create_database(postgres_server, demo_postgres_template)
    yield postgres_server.url(name)
    _drop_database(postgres_server, name)


@pytest.fixture
def empty_postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    name = _create_database(postgres_server)
    yield postgres_server.url(name)
    _drop_database(postgres_server, name)


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def demo_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The demo city on SQLite and on PostgreSQL: data_access tests run on both."""
    engine = make_engine(request.getfixturevalue(f"demo_{request.param}_url"))
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    engine = make_engine(request.getfixturevalue(f"empty_{request.param}_url"))
    yield engine
    engine.dispose()
