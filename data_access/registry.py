"""The institution registry edited by hand (admin): institutions and their pages, version-safe;
retiring keeps every figure and checklist state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_access import checks, parsing, rollup, territory
from data_access.areas import Area
from data_access.auth import Actor
from data_access.config import load_settings
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


def _institution_values(draft: InstitutionDraft, known_districts: tuple[str, ...]) -> tuple[dict, list[str]]:
    problems: list[str] = []

    def text(label: str, column, value: str, required: bool = False) -> str | None:
        try:
            cleaned = checks.text_for(column, value)
        except ValueError as error:
            problems.append(f"{label}: {error}.")
            return None
        if required and not cleaned:
            problems.append(f"{label}: обязательно.")
        return cleaned or None

    values = {
        "code": text("Код учреждения", institutions.c.code, draft.code, required=True),
        "name": text("Полное название", institutions.c.name, draft.name, required=True),
        "short_name": text("Краткое название", institutions.c.short_name, draft.short_name or draft.name),
        "category": draft.category,
        "district": None,
        "address": text("Адрес", institutions.c.address, draft.address),
        "lat": draft.lat,
        "lon": draft.lon,
        "website": text("Сайт", institutions.c.website, draft.website),
    }
    if draft.category not in CATEGORIES:
        problems.append(f"Категория «{draft.category}» неизвестна.")
    if not draft.district.strip():
        problems.append("Район: обязателен.")
    else:
        try:
            values["district"] = checks.district(draft.district, known_districts)
        except ValueError as error:
            problems.append(f"Район «{draft.district}»: {error}.")
    for label, value, (low, high) in (
        ("Широта", draft.lat, checks.LAT_RANGE),
        ("Долгота", draft.lon, checks.LON_RANGE),
    ):
        if value is not None and not low <= value <= high:
            problems.append(f"{label} «{value}»: ожидается число от {low} до {high} (Новосибирская область).")
    return values, problems


def _page_values(draft: PageDraft) -> tuple[dict, list[str]]:
    problems = []
    try:
        url = parsing.canonical_page_url(draft.url)
    except ValueError as error:
        problems.append(f"Ссылка на страницу «{draft.url}»: {error}.")
        url = None
    try:
        checks.check_target(draft.target_override)
    except ValueError as error:
        problems.append(f"Своя цель: {error} (или пусто).")
    values = {
        "url": url,
        "platform": parsing.platform_of(url) if url else None,
        "is_flagship": draft.is_flagship,
        "target_override": draft.target_override,
    }
    return values, problems


def _known_districts(engine: Engine) -> tuple[str, ...]:
    return territory.known_districts(territory.territory_of(engine, load_settings()))


def _insert_page(current, institution_id: int, page_values: dict, actor: Actor) -> int:
    stamp = {"created_at": utc_now(), "updated_at": utc_now(), "updated_by": actor.label, "version": 1}
    page_id = current.connection.execute(
        pages.insert().values(institution_id=institution_id, **page_values, **stamp).returning(pages.c.id)
    ).scalar_one()
    current.audit("create", "page", page_id, None, {**page_values, "institution_id": institution_id})
    return page_id


def _page_ids(connection, institution_id: int) -> list[int]:
    return list(connection.execute(select(pages.c.id).where(pages.c.institution_id == institution_id)).scalars())


def _url_taken(connection, url: str | None, other_than: int | None = None) -> bool:
    if not url:
        return False
    condition = pages.c.url == url
    if other_than is not None:
        condition = condition & (pages.c.id != other_than)
    return connection.execute(select(pages.c.id).where(condition)).first() is not None


def add_institution(engine: Engine, actor: Actor, draft: InstitutionDraft, page: PageDraft | None) -> int:
    """A new institution, with its first official page when one is given (links can also be
    added later with add_page)."""
    values, problems = _institution_values(draft, _known_districts(engine))
    page_values, page_problems = _page_values(page) if page is not None else (None, [])
    with change(engine, actor, ROLE_ADMIN, "изменение реестра учреждений", [Area.REGISTRY]) as current:
        connection = current.connection
        problems += page_problems
        if (
            values["code"]
            and connection.execute(select(institutions.c.id).where(institutions.c.code == values["code"])).first()
        ):
            problems.append(f"Учреждение с кодом «{values['code']}» уже есть.")
        if page_values and _url_taken(connection, page_values["url"]):
            problems.append(f"Страница {page_values['url']} уже есть в реестре.")
        if problems:
            raise ValidationFailed(problems)
        stamp = {"created_at": utc_now(), "updated_at": utc_now(), "updated_by": actor.label, "version": 1}
        institution_id = connection.execute(
            institutions.insert().values(**values, **stamp).returning(institutions.c.id)
        ).scalar_one()
        current.audit("create", "institution", institution_id, None, values)
        if page_values:
            _insert_page(current, institution_id, page_values, actor)  # no figures yet: the totals stay as they are
    return institution_id


def add_page(engine: Engine, actor: Actor, institution_id: int, page: PageDraft) -> int:
    """Another official page (or the first link) of an existing institution."""
    page_values, problems = _page_values(page)
    with change(engine, actor, ROLE_ADMIN, "изменение реестра учреждений", [Area.REGISTRY]) as current:
        connection = current.connection
        if connection.execute(select(institutions.c.id).where(institutions.c.id == institution_id)).first() is None:
            problems.append("Такого учреждения нет в реестре.")
        if _url_taken(connection, page_values["url"]):
            problems.append(f"Страница {page_values['url']} уже есть в реестре.")
        if problems:
            raise ValidationFailed(problems)
        page_id = _insert_page(current, institution_id, page_values, actor)  # no figures yet
    return page_id


def update_institution(
    engine: Engine, actor: Actor, institution_id: int, expected_version: int, draft: InstitutionDraft
) -> None:
    values, problems = _institution_values(draft, _known_districts(engine))
    with change(engine, actor, ROLE_ADMIN, "изменение реестра учреждений", [Area.REGISTRY]) as current:
        clash = current.connection.execute(
            select(institutions.c.id).where(institutions.c.code == values["code"], institutions.c.id != institution_id)
        ).first()
        if clash:
            problems.append(f"Код «{values['code']}» уже занят другим учреждением.")
        if problems:
            raise ValidationFailed(problems)
        with rollup.pages_moving(current.connection, _page_ids(current.connection, institution_id)):
            current.update_versioned(institutions, {"id": institution_id}, expected_version, values, "institution")


def update_page(engine: Engine, actor: Actor, page_id: int, expected_version: int, draft: PageDraft) -> None:
    values, problems = _page_values(draft)
    with change(engine, actor, ROLE_ADMIN, "изменение реестра учреждений", [Area.REGISTRY]) as current:
        if _url_taken(current.connection, values["url"], other_than=page_id):
            problems.append(f"Страница {values['url']} уже есть в реестре.")
        if problems:
            raise ValidationFailed(problems)
        with rollup.pages_moving(current.connection, [page_id]):
            current.update_versioned(pages, {"id": page_id}, expected_version, values, "page")


def set_retired(engine: Engine, actor: Actor, institution_id: int, expected_version: int, retired: bool) -> None:
    """Retire an institution and its pages (they leave every screen; figures, checklists and
    history stay), or bring them back."""
    with change(engine, actor, ROLE_ADMIN, "изменение реестра учреждений", [Area.REGISTRY]) as current:
        moment = utc_now() if retired else None
        with rollup.pages_moving(current.connection, _page_ids(current.connection, institution_id)):
            current.update_versioned(
                institutions, {"id": institution_id}, expected_version, {"retired_at": moment}, "institution"
            )
            for row in (
                current.connection.execute(select(pages).where(pages.c.institution_id == institution_id))
                .mappings()
                .all()
            ):
                current.update_versioned(pages, {"id": row["id"]}, row["version"], {"retired_at": moment}, "page")
