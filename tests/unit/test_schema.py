"""Alembic migrations: an empty or older database is brought to the current schema."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from data_access import schema
from data_access.models import Base


def test_empty_database_is_migrated_to_head_once(empty_engine):
    assert schema.current_revision(empty_engine) is None
    assert schema.upgrade(empty_engine) is True
    assert schema.current_revision(empty_engine) == schema.head_revision()
    assert schema.upgrade(empty_engine) is False  # nothing left to do
    tables = set(inspect(empty_engine).get_table_names())
    assert {"institutions", "pages", "subscriber_snapshots", "checklist_items", "page_checks",
            "content_items", "users", "audit_log", "alembic_version"} <= tables


def test_migrations_produce_exactly_the_models(empty_engine):
    schema.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_an_older_database_is_upgraded_keeping_its_rows(empty_engine):
    from alembic import command
    from sqlalchemy import text

    config = schema._alembic_config()
    with empty_engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.commit()
    with empty_engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (login, display_name, role, is_active, failed_logins, created_at, updated_at, version) "
            "VALUES ('old', 'Старый', 'viewer', true, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"))
    assert schema.current_revision(empty_engine) == "0001"
    assert schema.upgrade(empty_engine) is True
    assert schema.current_revision(empty_engine) == schema.head_revision()
    columns = {column["name"] for column in inspect(empty_engine).get_columns("users")}
    assert "updated_by" in columns
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT display_name FROM users WHERE login = 'old'")).scalar() == "Старый"


def test_rebuilding_a_table_keeps_what_refers_to_it(empty_engine):
    """Migration 0009 rebuilds `pages` on SQLite (batch mode): the snapshots and checklist marks that
    refer to it must survive (with foreign keys on, dropping the old table would cascade)."""
    from alembic import command
    from sqlalchemy import text

    config = schema._alembic_config()
    with empty_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0008")
    with empty_engine.begin() as connection:
        connection.execute(text("INSERT INTO institutions (id, code, name, short_name, category, district, created_at, "
                                "updated_at, version) VALUES (1, 'i1', 'Учреждение', 'У1', 'school', 'Кировский район', "
                                ":now, :now, 1)"), {"now": "2026-11-01 10:00:00"})
        connection.execute(text("INSERT INTO pages (id, institution_id, platform, url, is_flagship, created_at, updated_at, "
                                "version) VALUES (1, 1, 'vk', 'https://vk.com/u1', :no, :now, :now, 1)"),
                           {"no": False, "now": "2026-11-01 10:00:00"})
        connection.execute(text("INSERT INTO subscriber_snapshots (page_id, day, subscribers) VALUES (1, :day, 300)"),
                           {"day": "2026-11-01"})
    schema.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM subscriber_snapshots")).scalar() == 1
        assert connection.execute(text("SELECT platform FROM pages")).scalar() == "vk"
