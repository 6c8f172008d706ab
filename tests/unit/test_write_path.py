"""The one write path: role checked on the server, audit in the same transaction, no lost updates."""

import json

import pytest
from sqlalchemy import func, select

from data_access import checklist, queries
from data_access.auth import ANONYMOUS, Actor
from data_access.checklist import CheckEdit
from data_access.models import audit_log, checklist_items, page_checks
from data_access.writes import PermissionDenied, StaleRecord, ValidationFailed

EDITOR = Actor("ivanova", "Иванова Е. А.", "editor")
OTHER_EDITOR = Actor("petrov", "Петров С. В.", "editor")
VIEWER = Actor("smirnova", "Смирнова А. Д.", "viewer")
# Page items (seeds/checklist_items.csv order): «Название совпадает…» and «Аватар и обложка…», on every network.
NAME, DESIGN = 4, 5


def _check(engine, page_id, item_id):
    with engine.connect() as connection:
        return (
            connection.execute(
                select(page_checks).where(page_checks.c.page_id == page_id, page_checks.c.item_id == item_id)
            )
            .mappings()
            .first()
        )


def _audit_count(engine):
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(audit_log)).scalar()


@pytest.mark.parametrize("actor", [VIEWER, ANONYMOUS])
def test_viewer_or_anonymous_is_refused_nothing_changes_and_the_attempt_is_logged(demo_engine, actor):
    before = _check(demo_engine, 1, NAME)
    revisions = queries.revisions(demo_engine)
    with pytest.raises(PermissionDenied, match="редактор"):
        checklist.save_checks(demo_engine, actor, [CheckEdit(1, NAME, "not_done", version=before["version"])])
    assert _check(demo_engine, 1, NAME) == before
    assert queries.revisions(demo_engine) == revisions
    with demo_engine.connect() as connection:
        last = connection.execute(select(audit_log).order_by(audit_log.c.id.desc())).mappings().first()
    assert last["action"] == "denied" and last["actor"] == actor.login
    assert "чек-листа" in last["details"]


def test_editor_saves_with_audit_and_a_new_revision(demo_engine):
    before = _check(demo_engine, 1, NAME)
    revision = queries.revisions(demo_engine)["checklist"]
    changed = checklist.save_checks(
        demo_engine, EDITOR, [CheckEdit(1, NAME, "not_done", note="Страница удалена", version=before["version"])]
    )
    after = _check(demo_engine, 1, NAME)
    assert changed == 1
    assert after["state"] == "not_done" and after["version"] == before["version"] + 1
    assert after["updated_by"] == "Иванова Е. А."
    assert queries.revisions(demo_engine)["checklist"] == revision + 1
    with demo_engine.connect() as connection:
        entry = connection.execute(select(audit_log).order_by(audit_log.c.id.desc())).mappings().first()
    assert entry["actor"] == "ivanova" and entry["entity"] == "page_check" and entry["entity_id"] == f"1/{NAME}"
    assert json.loads(entry["before"])["state"] == before["state"]
    assert json.loads(entry["after"])["state"] == "not_done"


def test_second_editor_on_the_same_record_is_refused_and_the_first_edit_survives(demo_engine):
    read_by_both = _check(demo_engine, 2, 3)["version"]
    checklist.save_checks(demo_engine, EDITOR, [CheckEdit(2, 3, "n_a", note="первая правка", version=read_by_both)])
    audit_rows = _audit_count(demo_engine)
    with pytest.raises(StaleRecord) as caught:
        checklist.save_checks(demo_engine, OTHER_EDITOR, [CheckEdit(2, 3, "done", note="вторая", version=read_by_both)])
    message = str(caught.value)
    assert message.startswith("Запись изменил(а) Иванова Е. А. в ") and message.endswith("— обновите страницу")
    survived = _check(demo_engine, 2, 3)
    assert survived["state"] == "n_a" and survived["note"] == "первая правка"
    assert _audit_count(demo_engine) == audit_rows  # the refused save left no trace but the refusal


def test_two_editors_creating_the_same_missing_row(demo_engine):
    with demo_engine.connect() as connection:
        taken = {
            (row.page_id, row.item_id)
            for row in connection.execute(select(page_checks.c.page_id, page_checks.c.item_id))
        }
        everywhere = list(
            connection.execute(
                select(checklist_items.c.id).where(
                    checklist_items.c.scope == "page", checklist_items.c.platforms.is_(None)
                )
            ).scalars()
        )
    page_id, item_id = next((page, item) for page in range(1, 620) for item in everywhere if (page, item) not in taken)
    checklist.save_checks(demo_engine, EDITOR, [CheckEdit(page_id, item_id, "done", version=None)])
    with pytest.raises(StaleRecord, match="Иванова"):
        checklist.save_checks(demo_engine, OTHER_EDITOR, [CheckEdit(page_id, item_id, "not_done", version=None)])
    assert _check(demo_engine, page_id, item_id)["state"] == "done"


def test_a_batch_is_all_or_nothing(demo_engine):
    first, second = _check(demo_engine, 1, NAME), _check(demo_engine, 1, DESIGN)
    with pytest.raises(StaleRecord):
        checklist.save_checks(
            demo_engine,
            EDITOR,
            [
                CheckEdit(1, NAME, "n_a", version=first["version"]),
                CheckEdit(1, DESIGN, "n_a", version=second["version"] + 5),  # someone else's newer version
            ],
        )
    assert _check(demo_engine, 1, NAME) == first and _check(demo_engine, 1, DESIGN) == second


def test_bad_input_is_named_and_nothing_is_saved(demo_engine):
    before = _check(demo_engine, 1, NAME)
    with pytest.raises(ValidationFailed) as caught:
        checklist.save_checks(
            demo_engine,
            EDITOR,
            [
                CheckEdit(1, NAME, "maybe", evidence_url="javascript:alert(1)", version=before["version"]),
                CheckEdit(99999, NAME, "done", version=1),
            ],
        )
    problems = " ".join(caught.value.problems)
    assert "«maybe»" in problems and "javascript:alert(1)" in problems
    assert _check(demo_engine, 1, NAME) == before


def test_login_and_refusals_show_in_the_audit_query(demo_engine):
    with pytest.raises(PermissionDenied):
        checklist.save_checks(demo_engine, VIEWER, [CheckEdit(1, NAME, "done", version=1)])
    entries = queries.audit_entries(demo_engine, actors=("smirnova",))
    assert list(entries["action"]) == ["denied"]
    assert queries.audit_facets(demo_engine)["actors"] == ["smirnova"]


def test_what_the_database_refuses_becomes_a_russian_sentence_and_nothing_is_written(demo_engine):
    from sqlalchemy import func, select

    from data_access import writes
    from data_access.auth import COMMAND_LINE
    from data_access.models import institutions

    def count():
        with demo_engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(institutions)).scalar()

    before = count()
    with pytest.raises(writes.ValidationFailed) as refused:
        with writes.change(demo_engine, COMMAND_LINE, "admin", "проверка", ["registry"]) as current:
            current.connection.execute(
                institutions.insert().values(
                    code="x-dup", name="Первое", short_name="П", category="other", district="Кировский район"
                )
            )
            current.connection.execute(
                institutions.insert().values(
                    code="x-dup", name="Второе", short_name="В", category="other", district="Кировский район"
                )
            )
    assert refused.value.problems == [
        "Такое значение поля «код учреждения» уже есть в базе — нужно другое. Ничего не сохранено."
    ]
    assert count() == before  # the first insert was rolled back too
