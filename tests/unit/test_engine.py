"""The engine factory: SQLite settings, PostgreSQL through psycopg, clear errors, rollback."""

import subprocess
import sys

import pytest
from sqlalchemy import func, insert, select, text

from data_access.engine import StoreUnavailable, check_connection, make_engine, write_transaction
from data_access.models import institutions
from data_access.schema import upgrade
from tests.support import free_port


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_busy_timeout(empty_sqlite_url):
    engine = make_engine(empty_sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_sqlite_file_folder_is_created(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'er' / 'store.sqlite3'}")
    check_connection(engine)
    assert (tmp_path / "deep" / "er" / "store.sqlite3").exists()


def test_plain_postgresql_url_uses_psycopg():
    engine = make_engine("postgresql://user@127.0.0.1:5432/db")
    assert engine.dialect.driver == "psycopg"


def test_unreachable_postgres_is_one_readable_line():
    engine = make_engine(f"postgresql://nobody:secret@127.0.0.1:{free_port()}/nothing")
    with pytest.raises(StoreUnavailable) as caught:
        check_connection(engine)
    message = str(caught.value)
    assert "База данных недоступна" in message and "Database unavailable" in message
    assert "\n" not in message
    assert "secret" not in message  # the password is never printed


@pytest.mark.parametrize("url", ["not a url", "mysql://u@h/db"])
def test_unsupported_urls_are_refused(url):
    with pytest.raises(StoreUnavailable):
        make_engine(url)


def test_cli_with_unreachable_database_prints_one_line_and_no_traceback(tmp_path):
    environment = {"DATABASE_URL": f"postgresql://nobody@127.0.0.1:{free_port()}/x", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "data_access", "stats"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Ошибка: База данных недоступна")


def test_failed_write_transaction_leaves_nothing(empty_engine):
    upgrade(empty_engine)
    row = {"code": "x-1", "name": "Тест", "short_name": "Тест", "category": "school", "district": "Кировский район"}
    with pytest.raises(RuntimeError):
        with write_transaction(empty_engine) as connection:
            connection.execute(insert(institutions).values(**row))
            raise RuntimeError("boom")
    with empty_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(institutions)).scalar() == 0
