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
    assert {
        "institutions",
        "pages",
        "subscriber_snapshots",
        "checklist_items",
        "page_checks",
        "content_items",
        "users",
        "audit_log",
        "alembic_version",
    } <= tables


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
        connection.execute(
            text(
                "INSERT INTO users (login, display_name, role, is_active, failed_logins, created_at, updated_at, "
                "version) "
                "VALUES ('old', 'Старый', 'viewer', true, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
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
        connection.execute(
            text(
                "INSERT INTO institutions (id, code, name, short_name, category, district, created_at, "
                "updated_at, version) VALUES (1, 'i1', 'Учреждение', 'У1', 'school', 'Кировский район', "
                ":now, :now, 1)"
            ),
            {"now": "2026-11-01 10:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO pages (id, institution_id, platform, url, is_flagship, created_at, updated_at, "
                "version) VALUES (1, 1, 'vk', 'https://vk.com/u1', :no, :now, :now, 1)"
            ),
            {"no": False, "now": "2026-11-01 10:00:00"},
        )
        connection.execute(
            text("INSERT INTO subscriber_snapshots (page_id, day, subscribers) VALUES (1, :day, 300)"),
            {"day": "2026-11-01"},
        )
    schema.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM subscriber_snapshots")).scalar() == 1
        assert connection.execute(text("SELECT platform FROM pages")).scalar() == "vk"


def test_institution_items_keep_their_marks_when_they_move_to_the_institution(empty_engine):
    """Migration 0013 on a store with marks: an institution's VK page and MAX channel both carried
    «Канал в MAX создан»; the institution keeps the mark its pages add up to, every page row stays,
    and page items learn their networks."""
    from alembic import command
    from sqlalchemy import text

    config = schema._alembic_config()
    with empty_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0012")
    marks = [  # (page, item code, state, updated_at, who, note)
        (1, "max_channel", "not_done", "2026-10-01 09:00:00", "Иванова", None),
        (2, "max_channel", "done", "2026-10-05 09:00:00", "Петров", "канал открыт"),
        (1, "site_link", "n_a", "2026-10-01 09:00:00", "Иванова", "сайта нет"),
        (2, "site_link", "n_a", "2026-10-02 09:00:00", "Петров", None),
        (3, "vk_page", "not_done", "2026-10-03 09:00:00", "Сидоров", "ждём"),
        (1, "gov_mark", "done", "2026-10-01 09:00:00", "Иванова", None),
    ]
    with empty_engine.begin() as connection:
        now = {"now": "2026-11-01 10:00:00"}
        for institution in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO institutions (id, code, name, short_name, category, district, created_at, updated_at, "
                    "version) VALUES (:id, :code, 'Учреждение', 'У', 'school', 'Кировский район', :now, :now, 1)"
                ),
                {"id": institution, "code": f"i{institution}", **now},
            )
        for page, institution, platform in ((1, 1, "vk"), (2, 1, "max"), (3, 2, "vk")):
            connection.execute(
                text(
                    "INSERT INTO pages (id, institution_id, platform, url, is_flagship, created_at, updated_at, "
                    "version) "
                    "VALUES (:id, :institution, :platform, :url, :no, :now, :now, 1)"
                ),
                {
                    "id": page,
                    "institution": institution,
                    "platform": platform,
                    "url": f"https://x/{page}",
                    "no": False,
                    **now,
                },
            )
        for position, code in enumerate(("vk_page", "max_channel", "site_link", "gov_mark")):
            connection.execute(
                text(
                    "INSERT INTO checklist_items (id, code, title, description, is_required, position, updated_at, "
                    "version) "
                    "VALUES (:id, :code, :code, '', :yes, :id, :now, 1)"
                ),
                {"id": position + 1, "code": code, "yes": True, **now},
            )
        for page, code, state, at, who, note in marks:
            connection.execute(
                text(
                    "INSERT INTO page_checks (page_id, item_id, state, note, updated_at, updated_by, version) "
                    "SELECT :page, id, :state, :note, :at, :who, 1 FROM checklist_items WHERE code = :code"
                ),
                {"page": page, "code": code, "state": state, "note": note, "at": at, "who": who},
            )
    schema.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        moved = {
            (row[0], row[1]): tuple(row[2:])
            for row in connection.execute(
                text(
                    "SELECT c.institution_id, i.code, c.state, c.updated_by, c.note FROM institution_checks c "
                    "JOIN checklist_items i ON i.id = c.item_id"
                )
            )
        }
        scopes = dict(
            connection.execute(text("SELECT code, scope || ':' || COALESCE(platforms, '') FROM checklist_items")).all()
        )
        kept = connection.execute(text("SELECT COUNT(*) FROM page_checks")).scalar()
    assert moved == {
        (1, "max_channel"): ("done", "Петров", "канал открыт"),
        (1, "site_link"): ("n_a", "Петров", None),
        (2, "vk_page"): ("not_done", "Сидоров", "ждём"),
    }
    assert scopes == {
        "vk_page": "institution:",
        "max_channel": "institution:",
        "site_link": "institution:",
        "gov_mark": "page:vk,ok",
    }
    assert kept == len(marks)  # nothing deleted
