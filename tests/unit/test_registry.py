"""The registry by hand: add, edit version-safely, retire keeping history, admin only."""

import pytest
from sqlalchemy import func, select

from data_access import queries, registry
from data_access.auth import Actor
from data_access.models import subscriber_snapshots
from data_access.registry import InstitutionDraft, PageDraft
from data_access.writes import PermissionDenied, StaleRecord, ValidationFailed

ADMIN = Actor("admin", "Админ", "admin")
EDITOR = Actor("editor", "Редактор", "editor")
DRAFT = InstitutionDraft(
    "ds-999", "МБДОУ «Детский сад № 999»", "Детский сад № 999", "kindergarten", "Кировский район", lat=54.95, lon=82.93
)


def test_add_validate_and_only_admins(demo_engine):
    with pytest.raises(PermissionDenied):
        registry.add_institution(demo_engine, EDITOR, DRAFT, PageDraft("vk.com/ds999nsk"))
    with pytest.raises(ValidationFailed) as caught:
        registry.add_institution(
            demo_engine,
            ADMIN,
            InstitutionDraft("", "", "", "zoo", "", lat=10.0),
            PageDraft("https://vk.com/ds105nsk", target_override=0),
        )
    text = " ".join(caught.value.problems)
    for part in (
        "Код учреждения",
        "Полное название",
        "«zoo»",
        "Район",
        "Широта «10.0»",
        "уже есть в реестре",
        "Своя цель",
    ):
        assert part in text
    institution_id = registry.add_institution(demo_engine, ADMIN, DRAFT, PageDraft("vk.com/DS999nsk/", True))
    row = queries.registry_frame(demo_engine).set_index("institution_id").loc[institution_id]
    assert row["url"] == "https://vk.com/ds999nsk" and bool(row["is_flagship"]) and row["platform"] == "vk"


def test_edits_are_version_safe(demo_engine):
    row = queries.registry_frame(demo_engine).set_index("code").loc["ds-105"]
    version = int(row["institution_version"])
    changed = InstitutionDraft("ds-105", row["name"], "Детский сад № 105", "kindergarten", row["district"])
    registry.update_institution(demo_engine, ADMIN, int(row["institution_id"]), version, changed)
    with pytest.raises(StaleRecord, match="Запись изменил\\(а\\) Админ"):
        registry.update_institution(demo_engine, ADMIN, int(row["institution_id"]), version, DRAFT)


def test_retiring_hides_the_page_but_keeps_its_figures(demo_engine):
    row = queries.registry_frame(demo_engine).set_index("code").loc["ds-105"]
    registry.set_retired(demo_engine, ADMIN, int(row["institution_id"]), int(row["institution_version"]), True)
    assert 4 not in set(queries.page_progress(demo_engine)["page_id"])
    with demo_engine.connect() as connection:
        kept = connection.execute(
            select(func.count()).select_from(subscriber_snapshots).where(subscriber_snapshots.c.page_id == 4)
        ).scalar()
    assert kept == 365
    retired = queries.registry_frame(demo_engine, include_retired=True).set_index("code").loc["ds-105"]
    registry.set_retired(demo_engine, ADMIN, int(retired["institution_id"]), int(retired["institution_version"]), False)
    assert 4 in set(queries.page_progress(demo_engine)["page_id"])
