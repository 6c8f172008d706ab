"""The newsroom's content calendar: materials, their workflow and audience, publication marks,
city dates; every change through the write path (editor role, audit, versions)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import holidays as public_holidays
import pandas as pd
from sqlalchemy import Engine, delete, func, select

from data_access import clock, parsing, post_matching
from data_access.areas import Area
from data_access.auth import Actor
from data_access.checks import capacity
from data_access.models import (
    city_dates,
    content_item_categories,
    content_item_pages,
    content_items,
    pages,
    utc_now,
)
from data_access.vocabulary import CATEGORIES, CONTENT_FORMATS, CONTENT_STATUSES, ROLE_EDITOR
from data_access.writes import Change, StaleRecord, ValidationFailed, change

# The workflow: one step forward or back, cancel from anywhere but «published», and a cancelled
# material can come back as an idea. Anything else is an impossible jump.
NEXT_STATUSES: dict[str, set[str]] = {
    "idea": {"in_progress", "cancelled"},
    "in_progress": {"idea", "review", "cancelled"},
    "review": {"in_progress", "ready", "cancelled"},
    "ready": {"review", "published", "cancelled"},
    "published": {"ready"},
    "cancelled": {"idea"},
}
# From these statuses on a material must have a publication date.
DATED_STATUSES = {"review", "ready", "published"}
# A material's dates lie between parsing.EARLIEST_YEAR and this year: a year typed wrong (0001,
# 9999) is refused with its reason rather than overflowing the date arithmetic of post matching.
LATEST_YEAR = 2100
# The cadence every page should get from the newsroom.
POSTS_PER_WEEK = 3


def can_move(current: str, new: str) -> bool:
    return current == new or new in NEXT_STATUSES.get(current, set())


@dataclass(frozen=True)
class Material:
    """A calendar item as an editor fills it in."""

    title: str
    rubric: str = ""
    format: str = "news"
    publish_at: datetime | None = None
    deadline: date | None = None
    status: str = "idea"
    editor: str = ""
    notes: str = ""
    categories: tuple[str, ...] = ()
    page_ids: tuple[int, ...] = field(default_factory=tuple)
    # What the material looks like on a page that publishes it (post_matching.py).
    source_post: str = ""  # the newsroom's own post, vk.com/wall-…_…
    source_url: str = ""  # the article's address
    hashtag: str = ""
    body: str = ""  # its text


def cleaned(material: Material) -> Material:
    """The material as it will be stored: control characters dropped and spaces collapsed in the
    one-line fields; the notes and the text keep their line breaks; a hashtag gets its «#»."""
    hashtag = parsing.clean_text(material.hashtag).replace(" ", "")
    return replace(
        material,
        title=parsing.clean_text(material.title),
        rubric=parsing.clean_text(material.rubric),
        editor=parsing.clean_text(material.editor),
        notes=parsing.clean_lines(material.notes),
        source_post=parsing.clean_text(material.source_post),
        source_url=parsing.clean_text(material.source_url),
        hashtag=("#" + hashtag.lstrip("#")) if hashtag.lstrip("#") else "",
        body=parsing.clean_lines(material.body),
    )


def problems_of(
    material: Material, current_status: str | None = None, known_pages: set[int] | None = None
) -> list[str]:
    """Everything wrong with a material, in Russian, naming the field and the value."""
    material = cleaned(material)
    return [
        *_field_problems(material, current_status),
        *_date_problems(material),
        *_audience_problems(material, known_pages),
        *_recognition_problems(material),
    ]


def _field_problems(material: Material, current_status: str | None) -> list[str]:
    """Title, rubric, editor, format and status (a status may only move along NEXT_STATUSES)."""
    problems = []
    if not material.title.strip():
        problems.append("Заголовок: обязателен.")
    for label, column, value in (
        ("Заголовок", content_items.c.title, material.title),
        ("Рубрика", content_items.c.rubric, material.rubric),
        ("Ответственный редактор", content_items.c.editor, material.editor),
    ):
        if len(value) > capacity(column):
            problems.append(f"{label}: не длиннее {capacity(column)} символов (сейчас {len(value)}).")
    if material.format not in CONTENT_FORMATS:
        problems.append(f"Формат «{material.format}» неизвестен.")
    if material.status not in CONTENT_STATUSES:
        problems.append(f"Статус «{material.status}» неизвестен.")
    elif current_status is not None and not can_move(current_status, material.status):
        problems.append(
            f"Статус: из «{CONTENT_STATUSES[current_status]}» нельзя сразу перейти в "
            f"«{CONTENT_STATUSES[material.status]}». Допустимо: "
            + ", ".join(f"«{CONTENT_STATUSES[s]}»" for s in sorted(NEXT_STATUSES[current_status]))
            + "."
        )
    return problems


def _date_problems(material: Material) -> list[str]:
    """Years within range; a date where the status needs one; a deadline not after the publication."""
    problems = []
    for label, day in (("Дата публикации", material.publish_at), ("Срок подготовки", material.deadline)):
        if day is not None and not parsing.EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            problems.append(
                f"{label} {day.day:02d}.{day.month:02d}.{day.year:04d}: год должен быть от {parsing.EARLIEST_YEAR} до "
                f"{LATEST_YEAR} — "
                "проверьте год."
            )
    if material.status in DATED_STATUSES and material.publish_at is None:
        problems.append(f"Дата публикации: обязательна для статуса «{CONTENT_STATUSES[material.status]}».")
    if material.deadline and material.publish_at and material.deadline > material.publish_at.date():
        problems.append(
            f"Срок подготовки {material.deadline:%d.%m.%Y} позже даты публикации {material.publish_at:%d.%m.%Y}."
        )
    if material.deadline and not material.publish_at:
        problems.append("Срок подготовки задан без даты публикации.")
    return problems


def _audience_problems(material: Material, known_pages: set[int] | None) -> list[str]:
    """Categories and pages that do not exist."""
    problems = []
    unknown_categories = [code for code in material.categories if code not in CATEGORIES]
    if unknown_categories:
        problems.append(f"Категории не найдены: {', '.join(unknown_categories)}.")
    if known_pages is not None:
        unknown = sorted(set(material.page_ids) - known_pages)
        if unknown:
            problems.append(f"Страницы не найдены: {', '.join(map(str, unknown))}.")
    return problems


def _recognition_problems(material: Material) -> list[str]:
    """Notes, and how the material is recognised on the pages: post, address, hashtag, text."""
    problems = []
    if len(material.notes) > 4000:
        problems.append("Заметки: не длиннее 4000 символов.")
    if material.source_post and post_matching.wall_post(material.source_post) is None:
        problems.append(
            f"Пост редакции «{material.source_post[:80]}»: нужна ссылка на пост ВКонтакте вида "
            "https://vk.com/wall-123456_789."
        )
    if material.source_url and not re.match(r"^(https?://)?[^\s/]+\.[^\s/]+", material.source_url):
        problems.append(f"Адрес материала «{material.source_url[:80]}» не похож на адрес сайта.")
    for label, column, value in (
        ("Пост редакции", content_items.c.source_post, material.source_post),
        ("Адрес материала", content_items.c.source_url, material.source_url),
        ("Хештег", content_items.c.hashtag, material.hashtag),
    ):
        if len(value) > capacity(column):
            problems.append(f"{label}: не длиннее {capacity(column)} символов (сейчас {len(value)}).")
    if material.hashtag and not re.fullmatch(r"#[0-9A-Za-zА-Яа-яЁё_]+", material.hashtag):
        problems.append(f"Хештег «{material.hashtag[:60]}»: только буквы, цифры и «_» после «#».")
    if len(material.body) > 20000:
        problems.append("Текст материала: не длиннее 20 000 символов.")
    return problems


def _publication_problems(current: Change, item_id: int | None, material: Material, was: str | None) -> list[str]:
    """«Опубликовано» is a fact, not a plan: the time has come and, for a material addressed to
    chosen pages, at least one of them is marked as published («Где опубликовано»)."""
    if material.status != "published" or was == "published":
        return []
    problems = []
    if material.publish_at is not None and material.publish_at > clock.local_now():
        problems.append(
            f"Статус «опубликовано»: время публикации {material.publish_at:%d.%m.%Y %H:%M} ещё не наступило."
        )
    if material.page_ids:
        marked = (
            0
            if item_id is None
            else current.connection.execute(
                select(func.count())
                .select_from(content_item_pages)
                .where(content_item_pages.c.item_id == item_id, content_item_pages.c.published_at.is_not(None))
            ).scalar_one()
        )
        if not marked:
            problems.append(
                "Статус «опубликовано»: сначала отметьте в «Где опубликовано» хотя бы одну страницу, "
                "на которой материал вышел."
            )
    return problems


def same_materials(engine: Engine, material: Material, item_id: int | None = None) -> list[int]:
    """Numbers of other, not cancelled materials with the same title (case and spaces aside) and
    the same publication time: most likely the same material entered twice."""
    if not material.title.strip() or material.publish_at is None:
        return []
    with engine.connect() as connection:
        rows = connection.execute(
            select(content_items.c.id, content_items.c.title).where(
                content_items.c.publish_at == material.publish_at, content_items.c.status != "cancelled"
            )
        ).all()
    wanted = _title_key(material.title)
    return sorted(int(other) for other, title in rows if other != item_id and _title_key(title) == wanted)


def _title_key(title: str) -> str:
    return parsing.folded(parsing.clean_text(title))


def _known_pages(current: Change, page_ids: tuple[int, ...]) -> set[int]:
    if not page_ids:
        return set()
    return set(
        current.connection.execute(
            select(pages.c.id).where(pages.c.id.in_(page_ids), pages.c.retired_at.is_(None))
        ).scalars()
    )


def _row(material: Material) -> dict:
    material = cleaned(material)
    return {
        "title": material.title,
        "rubric": material.rubric or None,
        "format": material.format,
        "publish_at": material.publish_at,
        "deadline": material.deadline,
        "status": material.status,
        "editor": material.editor or None,
        "notes": material.notes or None,
        "source_post": material.source_post or None,
        "source_url": material.source_url or None,
        "hashtag": material.hashtag or None,
        "body": material.body or None,
    }


def _set_audience(current: Change, item_id: int, material: Material) -> None:
    connection = current.connection
    connection.execute(delete(content_item_categories).where(content_item_categories.c.item_id == item_id))
    if material.categories:
        connection.execute(
            content_item_categories.insert(),
            [{"item_id": item_id, "category": code} for code in sorted(set(material.categories))],
        )
    kept = set(material.page_ids)
    connection.execute(
        delete(content_item_pages).where(
            content_item_pages.c.item_id == item_id, content_item_pages.c.page_id.not_in(kept or {-1})
        )
    )
    existing = set(
        connection.execute(
            select(content_item_pages.c.page_id).where(content_item_pages.c.item_id == item_id)
        ).scalars()
    )
    new = sorted(kept - existing)
    if new:
        connection.execute(content_item_pages.insert(), [{"item_id": item_id, "page_id": page} for page in new])


def create_material(engine: Engine, actor: Actor, material: Material) -> int:
    with change(engine, actor, ROLE_EDITOR, "изменение контент-плана", [Area.CALENDAR]) as current:
        problems = problems_of(material, None, _known_pages(current, material.page_ids)) + _publication_problems(
            current, None, material, None
        )
        if problems:
            raise ValidationFailed(problems)
        values = {
            **_row(material),
            "created_at": utc_now(),
            "created_by": actor.label,
            "updated_at": utc_now(),
            "updated_by": actor.label,
            "version": 1,
        }
        item_id = current.connection.execute(
            content_items.insert().values(**values).returning(content_items.c.id)
        ).scalar_one()
        _set_audience(current, item_id, material)
        current.audit(
            "create",
            "content_item",
            item_id,
            None,
            {**values, "id": item_id, "categories": list(material.categories), "pages": list(material.page_ids)},
        )
        _rematch(current, item_id, material.publish_at)
    return item_id


def _rematch(current: Change, item_id: int, *planned: datetime | None, pages: set[int] | None = None) -> None:
    """The kept posts near a material's planned times (old and new) matched again: its source,
    text, audience or time may have changed which posts are its. Only the pages it concerns —
    planned for it, or holding posts matched to it (`pages`, read before its audience changed)."""
    from data_access import wall_posts  # the post store reads the plan: imported when needed

    concerned = (pages or set()) | wall_posts.pages_of(current.connection, item_id)
    for moment in planned:
        if moment is not None:
            wall_posts.rematch(
                current.connection,
                (moment - post_matching.WINDOW_BEFORE).date(),
                (moment + post_matching.WINDOW_AFTER).date(),
                concerned,
            )


def _pages_before(current: Change, item_id: int) -> set[int]:
    from data_access import wall_posts

    return wall_posts.pages_of(current.connection, item_id)


def _current(current: Change, item_id: int) -> dict:
    row = current.connection.execute(select(content_items).where(content_items.c.id == item_id)).mappings().first()
    if row is None:
        raise StaleRecord("Материал удалён или не найден — обновите страницу")
    return dict(row)


def update_material(engine: Engine, actor: Actor, item_id: int, expected_version: int, material: Material) -> None:
    """Save an edited material (fields, status, audience) if nobody changed it meanwhile."""
    with change(engine, actor, ROLE_EDITOR, "изменение контент-плана", [Area.CALENDAR]) as current:
        row = _current(current, item_id)
        problems = problems_of(
            material, row["status"], _known_pages(current, material.page_ids)
        ) + _publication_problems(current, item_id, material, row["status"])
        if problems:
            raise ValidationFailed(problems)
        before = _pages_before(current, item_id)
        current.update_versioned(content_items, {"id": item_id}, expected_version, _row(material), "content_item")
        _set_audience(current, item_id, material)
        _rematch(current, item_id, row["publish_at"], material.publish_at, pages=before)


def _patch(engine: Engine, actor: Actor, item_id: int, expected_version: int, **changes) -> None:
    with change(engine, actor, ROLE_EDITOR, "изменение контент-плана", [Area.CALENDAR]) as current:
        row = _current(current, item_id)
        material = replace(material_of(row), **changes)
        page_ids = tuple(
            current.connection.execute(
                select(content_item_pages.c.page_id).where(content_item_pages.c.item_id == item_id)
            ).scalars()
        )
        problems = problems_of(material, row["status"]) + _publication_problems(
            current, item_id, replace(material, page_ids=page_ids), row["status"]
        )
        if problems:
            raise ValidationFailed(problems)
        current.update_versioned(content_items, {"id": item_id}, expected_version, _row(material), "content_item")
        if "publish_at" in changes or "status" in changes:
            _rematch(current, item_id, row["publish_at"], material.publish_at)


def set_status(engine: Engine, actor: Actor, item_id: int, expected_version: int, status: str) -> None:
    _patch(engine, actor, item_id, expected_version, status=status)


def cancel(engine: Engine, actor: Actor, item_id: int, expected_version: int) -> None:
    set_status(engine, actor, item_id, expected_version, "cancelled")


def duplicate(engine: Engine, actor: Actor, item_id: int) -> int:
    """A copy of a material as a new idea with the same audience (e.g. a recurring rubric)."""
    with engine.connect() as connection:
        row = connection.execute(select(content_items).where(content_items.c.id == item_id)).mappings().first()
        if row is None:
            raise StaleRecord("Материал удалён или не найден — обновите страницу")
        categories = tuple(
            connection.execute(
                select(content_item_categories.c.category).where(content_item_categories.c.item_id == item_id)
            ).scalars()
        )
        page_ids = tuple(
            connection.execute(
                select(content_item_pages.c.page_id).where(content_item_pages.c.item_id == item_id)
            ).scalars()
        )
    copy = replace(
        material_of(row), title=f"{row['title']} (копия)"[:300], status="idea", categories=categories, page_ids=page_ids
    )
    return create_material(engine, actor, copy)


def mark_published(
    engine: Engine, actor: Actor, item_id: int, expected_version: int, published: dict[int, bool]
) -> None:
    """Record on which target pages the material has come out (page id -> published?)."""
    with change(engine, actor, ROLE_EDITOR, "изменение контент-плана", [Area.CALENDAR]) as current:
        row = _current(current, item_id)
        targets = set(
            current.connection.execute(
                select(content_item_pages.c.page_id).where(content_item_pages.c.item_id == item_id)
            ).scalars()
        )
        unknown = sorted(set(published) - targets)
        if unknown:
            raise ValidationFailed([f"Страницы {', '.join(map(str, unknown))} не входят в аудиторию материала."])
        # The item's version guards the marks too: two editors cannot overwrite each other's.
        current.update_versioned(
            content_items, {"id": item_id}, expected_version, {"status": row["status"]}, "content_item"
        )
        for page_id, done in published.items():
            current.connection.execute(
                content_item_pages.update()
                .where(content_item_pages.c.item_id == item_id, content_item_pages.c.page_id == page_id)
                .values(published_at=utc_now() if done else None, published_by=actor.label if done else None)
            )
        current.audit(
            "update",
            "content_publication",
            item_id,
            None,
            {str(page): done for page, done in sorted(published.items())},
        )


def material_of(row) -> Material:
    """A material from a stored row (a database row or a row of content_items_frame, where a
    missing value may be NaN or NaT, and which carries the audience too)."""

    def value(name):
        found = row[name]
        return None if found is None or (not isinstance(found, tuple | list) and pd.isna(found)) else found

    publish_at = value("publish_at")
    deadline = value("deadline")
    return Material(
        title=row["title"],
        rubric=value("rubric") or "",
        format=row["format"],
        publish_at=pd.Timestamp(publish_at).to_pydatetime() if publish_at is not None else None,
        deadline=pd.Timestamp(deadline).date() if deadline is not None else None,
        status=row["status"],
        editor=value("editor") or "",
        notes=value("notes") or "",
        source_post=(value("source_post") or "") if "source_post" in row else "",
        source_url=(value("source_url") or "") if "source_url" in row else "",
        hashtag=(value("hashtag") or "") if "hashtag" in row else "",
        body=(value("body") or "") if "body" in row else "",
        categories=tuple(row["categories"]) if "categories" in row else (),
        page_ids=tuple(row["page_ids"]) if "page_ids" in row else (),
    )


# City dates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CityDate:
    day: date
    title: str
    recurring: bool = True
    note: str = ""


def _city_date_problems(entry: CityDate) -> list[str]:
    problems = []
    title = parsing.clean_text(entry.title)
    if not title:
        problems.append("Название даты: обязательно.")
    if len(title) > capacity(city_dates.c.title):
        problems.append(f"Название даты: не длиннее {capacity(city_dates.c.title)} символов.")
    if len(parsing.clean_lines(entry.note)) > 2000:
        problems.append("Пояснение: не длиннее 2000 символов.")
    return problems


def add_city_date(engine: Engine, actor: Actor, entry: CityDate) -> int:
    with change(engine, actor, ROLE_EDITOR, "изменение памятных дат", [Area.CALENDAR]) as current:
        problems = _city_date_problems(entry)
        if problems:
            raise ValidationFailed(problems)
        values = {
            "day": entry.day,
            "title": parsing.clean_text(entry.title),
            "recurring": entry.recurring,
            "note": parsing.clean_lines(entry.note) or None,
            "updated_at": utc_now(),
            "updated_by": actor.label,
            "version": 1,
        }
        new_id = current.connection.execute(
            city_dates.insert().values(**values).returning(city_dates.c.id)
        ).scalar_one()
        current.audit("create", "city_date", new_id, None, values)
    return new_id


def delete_city_date(engine: Engine, actor: Actor, date_id: int, expected_version: int) -> None:
    with change(engine, actor, ROLE_EDITOR, "изменение памятных дат", [Area.CALENDAR]) as current:
        row = current.connection.execute(select(city_dates).where(city_dates.c.id == date_id)).mappings().first()
        if row is None or row["version"] != expected_version:
            raise StaleRecord("Дату уже изменили или удалили — обновите страницу")
        current.connection.execute(delete(city_dates).where(city_dates.c.id == date_id))
        current.audit("delete", "city_date", date_id, dict(row), None)


def holidays_between(start: date, end: date) -> dict[date, str]:
    """Russian public holidays and days off in [start, end], named in Russian."""
    years = range(start.year, end.year + 1)
    calendar = public_holidays.country_holidays("RU", years=years, language="ru")
    return {day: name for day, name in sorted(calendar.items()) if start <= day <= end}


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
