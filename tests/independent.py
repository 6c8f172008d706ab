"""The per-page figures of «Цели по подписчикам», computed independently: raw SQL over the
snapshots and the rules as docs/guide.md states them, with none of the project's rule code. Screens
and downloads are compared against this."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from sqlalchemy import create_engine, text

STALE_AFTER_DAYS = 14  # the documented default of stale_after_days
# docs/guide.md: a page item counts on a page when the page's network is among the item's networks (none: all).
PAGE_ITEM_ON_ITS_NETWORK = (
    "ci.scope = 'page' AND (ci.platforms IS NULL OR ',' || ci.platforms || ',' LIKE '%,' || p.platform || ',%')"
)


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def default_deadline(as_of: date) -> date:
    """docs/guide.md: 31 December of the data's year, or of the next one when fewer than 60 days are left."""
    year_end = date(as_of.year, 12, 31)
    return date(as_of.year + 1, 12, 31) if (year_end - as_of).days < 60 else year_end


def active_pages(source) -> int:
    """How many pages the registry counts: active pages of active institutions (a URL or an Engine)."""
    engine = create_engine(source) if isinstance(source, str) else source
    with engine.connect() as connection:
        count = connection.execute(
            text(
                "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id "
                "WHERE p.retired_at IS NULL AND i.retired_at IS NULL"
            )
        ).scalar()
    if isinstance(source, str):
        engine.dispose()
    return int(count)


def expected_pages(url: str, today: date, deadline: date | None = None) -> dict[str, dict]:
    """page URL -> subscribers, day, growth_7, growth_30, status, forecast text, needed per week."""
    engine = create_engine(url)
    with engine.connect() as connection:
        pages = connection.execute(
            text(
                "SELECT p.id, p.url, p.is_flagship, p.target_override FROM pages p "
                "JOIN institutions i ON i.id = p.institution_id WHERE p.retired_at IS NULL AND i.retired_at IS NULL"
            )
        ).all()
        snapshots: dict[int, list[tuple[date, int]]] = {}
        for page_id, day, value in connection.execute(
            text("SELECT page_id, day, subscribers FROM subscriber_snapshots ORDER BY page_id, day")
        ):
            snapshots.setdefault(page_id, []).append((_day(day), value))
        as_of = _day(connection.execute(text("SELECT MAX(day) FROM subscriber_snapshots")).scalar())
    engine.dispose()
    deadline = deadline or default_deadline(as_of)

    def on_or_before(history, limit):
        found = [entry for entry in history if entry[0] <= limit]
        return found[-1] if found else None

    result = {}
    for page_id, page_url, is_flagship, override in pages:
        target = override or (1000 if is_flagship else 500)
        history = snapshots.get(page_id, [])
        if not history:
            result[page_url] = {
                "subscribers": None,
                "day": None,
                "growth_7": None,
                "growth_30": None,
                "status": "нет данных",
                "forecast": "—",
                "needed": None,
            }
            continue
        latest_day, latest = history[-1]
        week = on_or_before(history, latest_day - timedelta(days=7))
        month = on_or_before(history, latest_day - timedelta(days=30))
        base = month or history[0]
        pace = (latest - base[1]) / (latest_day - base[0]).days if base[0] < latest_day else None
        remaining = target - latest
        needed = round(remaining / max((deadline - latest_day).days, 1) * 7, 1) if remaining > 0 else None
        if remaining <= 0:
            status, forecast = "цель достигнута", "достигнута"
        elif (today - latest_day).days > STALE_AFTER_DAYS:
            status, forecast = "нет свежих данных", "—"
        elif pace is None or pace <= 0:
            status, forecast = "нет роста", "не достигнет"
        else:
            reach = latest_day + timedelta(days=math.ceil(remaining / pace))
            status = "по графику" if reach <= deadline else "отстаёт"
            forecast = reach.strftime("%d.%m.%Y")
        result[page_url] = {
            "subscribers": latest,
            "day": latest_day,
            "growth_7": latest - week[1] if week else None,
            "growth_30": latest - month[1] if month else None,
            "status": status,
            "forecast": forecast,
            "needed": needed,
        }
    return result


def pages_on(url: str, day: date, categories: tuple[str, ...] = (), districts: tuple[str, ...] = ()) -> list[dict]:
    """The active pages of a selection with their last figure on or before `day` (None: none yet),
    target (docs/guide.md: own, else 1000 flagship / 500 other) and whether all applicable required
    checklist items are done. Raw SQL; the selection is applied here in Python."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT p.id, i.short_name, i.category, i.district, p.is_flagship, "
                "COALESCE(p.target_override, CASE WHEN p.is_flagship THEN 1000 ELSE 500 END), "
                "(SELECT s.subscribers FROM subscriber_snapshots s WHERE s.page_id = p.id AND s.day <= :day "
                " ORDER BY s.day DESC LIMIT 1) "
                "FROM pages p JOIN institutions i ON i.id = p.institution_id "
                "WHERE p.retired_at IS NULL AND i.retired_at IS NULL ORDER BY p.id"
            ),
            {"day": day},
        ).all()
        # docs/guide.md: a page is verified when every required item of the page (not of its institution)
        # that exists on its network is done; «не применимо» does not count.
        checks = dict(
            (page_id, (applicable, done))
            for page_id, applicable, done in connection.execute(
                text(
                    "SELECT p.id, SUM(CASE WHEN COALESCE(c.state, 'not_done') <> 'n_a' THEN 1 ELSE 0 END), "  # noqa: S608 (a constant)
                    "SUM(CASE WHEN c.state = 'done' THEN 1 ELSE 0 END) FROM pages p CROSS JOIN checklist_items ci "
                    "LEFT JOIN page_checks c ON c.page_id = p.id AND c.item_id = ci.id "
                    f"WHERE ci.is_required = :yes AND ci.retired_at IS NULL AND {PAGE_ITEM_ON_ITS_NETWORK} GROUP BY "
                    "p.id"
                ),
                {"yes": True},
            )
        )
    engine.dispose()
    result = []
    for page_id, name, category, district, flagship, target, subscribers in rows:
        if (categories and category not in categories) or (districts and district not in districts):
            continue
        applicable, done = checks.get(page_id, (0, 0))
        result.append(
            {
                "id": page_id,
                "name": name,
                "category": category,
                "district": district,
                "flagship": bool(flagship),
                "target": target,
                "subscribers": subscribers,
                "reached": subscribers is not None and subscribers >= target,
                "verified": done >= applicable,
            }
        )
    return result


def published_count(url: str, start: date, end: date, page_ids: set[int]) -> int:
    """Materials with status «опубликовано» dated in [start, end] that reach one of `page_ids`
    (chosen explicitly, or through the page's whole category)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT ci.id, cp.page_id FROM content_items ci JOIN content_item_pages cp ON cp.item_id = ci.id "
                "WHERE ci.status = 'published' AND ci.publish_at >= :start AND ci.publish_at < :end "
                "UNION SELECT ci.id, p.id FROM content_items ci JOIN content_item_categories cc ON cc.item_id = ci.id "
                "JOIN institutions i ON i.category = cc.category JOIN pages p ON p.institution_id = i.id "
                "WHERE ci.status = 'published' AND ci.publish_at >= :start AND ci.publish_at < :end"
            ),
            {"start": datetime.combine(start, time.min), "end": datetime.combine(end + timedelta(days=1), time.min)},
        ).all()
    engine.dispose()
    return len({item for item, page in rows if page in page_ids})


def item_completion(url: str) -> dict[str, tuple[int, int]]:
    """Active item code -> (done, applicable) over the whole store by the scope rules of docs/guide.md: a
    page item over the active pages on its networks, an institution item over the active
    institutions with an active page (its mark in institution_checks; none: «не выполнено»)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        on_pages = connection.execute(
            text(
                "SELECT ci.code, SUM(CASE WHEN c.state = 'done' THEN 1 ELSE 0 END), "  # noqa: S608 (a constant)
                "SUM(CASE WHEN COALESCE(c.state, 'not_done') <> 'n_a' THEN 1 ELSE 0 END) "
                "FROM pages p JOIN institutions i ON i.id = p.institution_id CROSS JOIN checklist_items ci "
                "LEFT JOIN page_checks c ON c.page_id = p.id AND c.item_id = ci.id "
                "WHERE p.retired_at IS NULL AND i.retired_at IS NULL AND ci.retired_at IS NULL "
                f"AND {PAGE_ITEM_ON_ITS_NETWORK} GROUP BY ci.code"
            )
        ).all()
        on_institutions = connection.execute(
            text(
                "SELECT ci.code, SUM(CASE WHEN c.state = 'done' THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN COALESCE(c.state, 'not_done') <> 'n_a' THEN 1 ELSE 0 END) "
                "FROM institutions i CROSS JOIN checklist_items ci "
                "LEFT JOIN institution_checks c ON c.institution_id = i.id AND c.item_id = ci.id "
                "WHERE ci.scope = 'institution' AND ci.retired_at IS NULL AND i.retired_at IS NULL "
                "AND EXISTS (SELECT 1 FROM pages p WHERE p.institution_id = i.id AND p.retired_at IS NULL) "
                "GROUP BY ci.code"
            )
        ).all()
    engine.dispose()
    return {code: (int(done), int(applicable)) for code, done, applicable in [*on_pages, *on_institutions]}
