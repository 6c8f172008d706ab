"""The institution registry edited by hand (admin): institutions and their pages, version-safe;
retiring keeps every figure and checklist state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_access import parsing, rollup
from data_access.auth import Actor
from data_access.importers import LAT_RANGE, LON_RANGE
from data_access.models import institutions, pages, utc_now
from data_access.vocabulary import CATEGORIES, ROLE_ADMIN
from data_access.writes import ValidationFailed, change


@dataclass(frozen=True)
class InstitutionDraft:
    code: str
    name: str
    short_name: str
    category: str
    district: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    website: str = ""


@dataclass(frozen=True)
class PageDraft:
    url: str
    is_flagship: bool = False
    target_override: int | None = None


def _institution_values(draft: InstitutionDraft) -> tuple[dict, list[str]]:
    problems = []
    if not draft.code.strip():
        problems.append("Код учреждения: обязателен.")
    if not draft.name.strip():
        problems.append("Полное название: обязательно.")
    if draft.category not in CATEGORIES:
        problems.append(f"Категория «{draft.category}» неизвестна.")
    if not draft.district.strip():
        problems.append("Район: обязателен.")
    for label, value, (low, high) in (("Широта", draft.lat, LAT_RANGE), ("Долгота", draft.lon, LON_RANGE)):
        if value is not None and not low <= value <= high:
            problems.append(f"{label} «{value}»: ожидается число от {low} до {high} (Новосибирская область).")
    values = {
        "code": parsing.clean_text(draft.code, 64), "name": parsing.clean_text(draft.name, 500),
        "short_name": parsing.clean_text(draft.short_name or draft.name, 200), "category": draft.category,
        "district": parsing.clean_text(draft.district, 100), "address": parsing.clean_text(draft.address, 300) or None,
        "lat": draft.lat, "lon": draft.lon, "website": parsing.clean_text(draft.website, 300) or None,
    }
    return values, problems


def _page_values(draft: PageDraft) -> tuple[dict, list[str]]:
    problems = []
    try:
        url = parsing.canonical_page_url(draft.url)
    except ValueError as error:
        problems.append(f"Ссылка на страницу «{draft.url}»: {error}.")
        url = None
    if draft.target_override is not None and draft.target_override <= 0:
        problems.append("Своя цель: число больше нуля или пусто.")
    values = {"url": url, "platform": parsing.platform_of(url) if url else None,
              "is_flagship": draft.is_flagship, "target_override": draft.target_override}
    return values, problems


def add_institution(engine: Engine, actor: Actor, draft: InstitutionDraft, page: PageDraft) -> int:
    """A new institution with its (first) official page."""
    values, problems = _institution_values(draft)
    page_values, page_problems = _page_values(page)
    with change(engine, actor, ROLE_ADMIN, "изменение реестра учреждений", ["registry"]) as current:
        connection = current.connection
        problems += page_problems
        if connection.execute(select(institutions.c.id).where(institutions.c.code == values["code"])).first():
            problems.append(f"Учреждение с кодом «{values['code']}» уже есть.")
        if page_values["url"] and connection.execute(select(pages.c.id).where(pages.c.url == page_values["url"])).first():
            problems.append(f"Страница {page_values['url']} уже есть в реестре.")
        if problems:
            raise ValidationFailed(problems)
        stamp = {"created_at": utc_now(), "updated_at": utc_now(), "updated_by": actor.label, "version": 1}
        institution_id = connection.execute(
            institutions.insert().values(**values, **stamp).returning(institutions.c.id)).scalar_one()
        page_id = connection.execute(pages.insert().values(
            institution_id=institution_id, **page_values, **stamp).returning(pages.c.id)).scalar_one()
        current.audit("create", "institution", institution_id, None, values)
        current.audit("create", "page", page_id, None, {**page_values, "institution_id": institution_id})
        rollup.rebuild(connection)
    return institution_id


def update_institution(engine: Engine, actor: Actor, institution_id: int, expected_version: int,
                       draft: InstitutionDraft) -> None:
    values, problems = _institution_values(draft)
    with change(engine, actor, ROLE_ADMIN, "изменение реестра учреждений", ["registry"]) as current:
        clash = current.connection.execute(select(institutions.c.id).where(
            institutions.c.code == values["code"], institutions.c.id != institution_id)).first()
        if clash:
            problems.append(f"Код «{values['code']}» уже занят другим учреждением.")
        if problems:
            raise ValidationFailed(problems)
        current.update_versioned(institutions, {"id": institution_id}, expected_version, values, "institution")
        rollup.rebuild(current.connection)


def update_page(engine: Engine, actor: Actor, page_id: int, expected_version: int, draft: PageDraft) -> None:
    values, problems = _page_values(draft)
    with change(engine, actor, ROLE_ADMIN, "изменение реестра учреждений", ["registry"]) as current:
        clash = current.connection.execute(select(pages.c.id).where(
            pages.c.url == values["url"], pages.c.id != page_id)).first() if values["url"] else None
        if clash:
            problems.append(f"Страница {values['url']} уже есть в реестре.")
        if problems:
            raise ValidationFailed(problems)
        current.update_versioned(pages, {"id": page_id}, expected_version, values, "page")
        rollup.rebuild(current.connection)


def set_retired(engine: Engine, actor: Actor, institution_id: int, expected_version: int, retired: bool) -> None:
    """Retire an institution and its pages (they leave every screen; figures, checklists and
    history stay), or bring them back."""
    with change(engine, actor, ROLE_ADMIN, "изменение реестра учреждений", ["registry"]) as current:
        moment = utc_now() if retired else None
        current.update_versioned(institutions, {"id": institution_id}, expected_version, {"retired_at": moment},
                                 "institution")
        for row in current.connection.execute(select(pages).where(pages.c.institution_id == institution_id)).mappings().all():
            current.update_versioned(pages, {"id": row["id"]}, row["version"], {"retired_at": moment}, "page")
        rollup.rebuild(current.connection)
