"""Bring a database to the current schema with the project's Alembic migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from data_access.engine import migration_lock

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations in {MIGRATIONS_DIR}")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def upgrade(engine: Engine) -> bool:
    """Apply every pending migration; returns True when something was applied."""
    if is_current(engine):
        return False
    config = _alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild a SQLite table (copy, drop, rename); with foreign keys on,
            # dropping `pages` would cascade to every snapshot and checklist mark. Alembic's advice:
            # keys off for the migration. The pragma works only outside a transaction, so it goes
            # straight to the driver, before SQLAlchemy's first BEGIN on this connection.
            driver_connection(connection).execute("PRAGMA foreign_keys=OFF")
        with migration_lock(connection):
            connection.commit()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            driver_connection(connection).execute("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"migration left {len(broken)} rows without their parent: {broken[:3]}")
    return True


def driver_connection(connection):
    """The database driver's own connection under an open SQLAlchemy connection."""
    driver = connection.connection.driver_connection
    if driver is None:
        raise RuntimeError("the connection is closed")
    return driver
