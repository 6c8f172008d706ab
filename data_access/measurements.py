"""What VK itself tells about a page beyond its count, per page and day: its government-organisation
mark (the госметка), the «verified» tick and trust mark kept as what they are, and, from its last
posts, the posting cadence and engagement; and what that means for the checklist.

The collector measures; this module keeps the measurements (one row per page and day, a second
run the same day completes or replaces its fields) and carries the measured state into the two
checklist items it settles — «Публикации не реже 3 раз в неделю» and «Госметка получена» — in
the same transaction, as the «Сбор данных» actor, so the checklist's who-and-when says it was
measured. An item an editor marked «не применимо» is left alone, and so is a mark a person set
after the measurement was taken (it is counted in the run's audit row, never overwritten).

«Госметка получена» follows VK's `is_government_organization` only: `verified` is the blue tick
of a confirmed community, a different thing (https://dev.vk.com/ru/reference/objects/group). A
cell an earlier version settled from `verified` is corrected by the next collection, audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from data_access import checklist
from data_access.areas import Area
from data_access.auth import Actor
from data_access.models import checklist_items, page_checks, page_measurements, pages
from data_access.vocabulary import ROLE_ADMIN, plural
from data_access.writes import bump_revisions, change

CADENCE_ITEM = "posting_cadence"
MARK_ITEM = "gov_mark"
CADENCE_DAYS = 7
CADENCE_MIN_POSTS = 3  # «не реже 3 раз в неделю»
POSTS_READ = 30  # wall.get count: the last 30 posts of a page
ENGAGEMENT_DEFINITION = (
    "ER (вовлечённость по просмотрам) = (лайки + комментарии + репосты) ÷ просмотры × 100 % — по последним "
    f"{POSTS_READ} публикациям страницы во ВКонтакте (или по всем, если их меньше)"
)
FLAG_FIELDS = ("verified", "government_mark", "trust_mark")  # from the count request
MEASURED_FIELDS = (*FLAG_FIELDS, "posts_7d", "posts_read", "views", "likes", "comments", "reposts")


@dataclass(frozen=True)
class Measurement:
    """One page's measurement; None — not measured this time (the other fields still count)."""

    page_id: int
    verified: bool | None = None
    government_mark: bool | None = None
    trust_mark: int | None = None
    posts_7d: int | None = None
    posts_read: int | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    reposts: int | None = None


def measured_state(code: str, measurement: Measurement) -> str | None:
    """The checklist state a measurement settles for item `code` (None: it says nothing about it)."""
    if code == CADENCE_ITEM and measurement.posts_7d is not None:
        return "done" if measurement.posts_7d >= CADENCE_MIN_POSTS else "not_done"
    if code == MARK_ITEM and measurement.government_mark is not None:
        return "done" if measurement.government_mark else "not_done"
    return None


def measured_text(code: str, day: date, posts_7d=None, government_mark=None) -> str:
    """«Измерено по ВКонтакте 02.12.2026: 5 публикаций за 7 дней»."""
    if code == CADENCE_ITEM:
        what = f"{posts_7d} {plural(int(posts_7d), 'публикация', 'публикации', 'публикаций')} за {CADENCE_DAYS} дней"
    else:
        what = "госметка есть" if government_mark else "госметки нет"
    return f"Измерено по ВКонтакте {day:%d.%m.%Y}: {what}"


def measured_texts(row) -> dict[str, str]:
    """Checklist item code -> what the latest measurement of a page (a row of `per_post(latest())`
    or of the per-page figures) says about it, dated; only the items it settles."""
    texts: dict[str, str] = {}
    if row is None:
        return texts
    if not pd.isna(row.get("posts_7d")) and not pd.isna(row.get("posts_day")):
        texts[CADENCE_ITEM] = measured_text(CADENCE_ITEM, pd.Timestamp(row["posts_day"]).date(), int(row["posts_7d"]))
    if not pd.isna(row.get("vk_government_mark")) and not pd.isna(row.get("mark_day")):
        texts[MARK_ITEM] = measured_text(
            MARK_ITEM, pd.Timestamp(row["mark_day"]).date(), government_mark=bool(row["vk_government_mark"])
        )
    return texts


def save(engine: Engine, actor: Actor, day: date, measured_at: datetime, rows: list[Measurement]) -> int:
    """Keep the day's measurements and carry the settled states into the checklist, all in one
    transaction. Returns how many checklist cells changed."""
    if not rows:
        return 0
    with change(engine, actor, ROLE_ADMIN, "запись измерений ВКонтакте", [Area.MEASUREMENTS]) as current:
        connection = current.connection
        ids = [row.page_id for row in rows]
        existing = {
            row["page_id"]: row
            for row in connection.execute(
                select(page_measurements).where(page_measurements.c.day == day, page_measurements.c.page_id.in_(ids))
            ).mappings()
        }
        known = set(connection.execute(select(pages.c.id).where(pages.c.id.in_(ids))).scalars())
        merged = []
        for row in rows:
            if row.page_id not in known:
                continue  # the page was deleted while its figures were being collected
            before: Mapping = existing.get(row.page_id, {})
            unmeasured = {name: before.get(name) for name, value in asdict(row).items() if value is None}
            merged.append(replace(row, **unmeasured))  # type: ignore[arg-type]  # each field's own value, stored
        if existing:
            connection.execute(
                page_measurements.delete().where(
                    page_measurements.c.day == day, page_measurements.c.page_id.in_(list(existing))
                )
            )
        if merged:
            connection.execute(
                page_measurements.insert(), [{**asdict(row), "day": day, "measured_at": measured_at} for row in merged]
            )
        edits, kept = _settled(connection, merged, day, measured_at, actor.label)
        changed = checklist.apply_checks(current, edits)
        if changed:
            bump_revisions(connection, Area.CHECKLIST)
        current.audit(
            "measure",
            "page_measurements",
            day.isoformat(),
            None,
            {"pages": len(merged), "checklist_changed": changed, "kept_newer_marks": kept},
        )
    return changed


def _settled(
    connection, rows: list[Measurement], day: date, measured_at: datetime, measurer: str
) -> tuple[list[checklist.CheckEdit], list[str]]:
    """The checklist cells whose measured state differs from what is marked (not «не применимо»),
    and the cells left alone because someone other than `measurer` marked them after
    `measured_at` («page/item»)."""
    items = dict(
        connection.execute(
            select(checklist_items.c.code, checklist_items.c.id).where(
                checklist_items.c.code.in_([CADENCE_ITEM, MARK_ITEM]), checklist_items.c.retired_at.is_(None)
            )
        ).all()
    )
    if not items:
        return [], []
    marks = {
        (row["page_id"], row["item_id"]): row
        for row in connection.execute(
            select(
                page_checks.c.page_id,
                page_checks.c.item_id,
                page_checks.c.state,
                page_checks.c.version,
                page_checks.c.updated_at,
                page_checks.c.updated_by,
            ).where(
                page_checks.c.item_id.in_(list(items.values())),
                page_checks.c.page_id.in_([row.page_id for row in rows]),
            )
        ).mappings()
    }
    urls = dict(
        connection.execute(select(pages.c.id, pages.c.url).where(pages.c.id.in_([row.page_id for row in rows]))).all()
    )
    edits, kept = [], []
    for row in rows:
        for code, item_id in items.items():
            state = measured_state(code, row)
            mark = marks.get((row.page_id, item_id))
            if state is None or (mark is not None and mark["state"] in (state, "n_a")):
                continue
            if mark is not None and _marked_after(mark, measured_at, measurer):
                kept.append(f"{row.page_id}/{item_id}")
                continue
            edits.append(
                checklist.CheckEdit(
                    row.page_id,
                    item_id,
                    state,
                    note=measured_text(code, day, row.posts_7d, row.government_mark),
                    evidence_url=urls.get(row.page_id),
                    version=mark["version"] if mark is not None else None,
                )
            )
    return edits, kept


def _marked_after(mark, measured_at: datetime, measurer: str) -> bool:
    """Whether someone other than the measuring actor changed the cell after the measurement."""
    changed_at = mark["updated_at"]
    if changed_at is None or mark["updated_by"] == measurer:
        return False
    if changed_at.tzinfo is None:  # SQLite hands back naive UTC
        changed_at = changed_at.replace(tzinfo=UTC)
    moment = measured_at if measured_at.tzinfo else measured_at.replace(tzinfo=UTC)
    return changed_at > moment


def latest(engine: Engine) -> pd.DataFrame:
    """Per measured page: the newest cadence and engagement (posts_day) and the newest government
    mark (vk_government_mark, mark_day) — they may come from different runs (--counts-only)."""
    newest_posts = (
        select(page_measurements.c.page_id, func.max(page_measurements.c.day).label("day"))
        .where(page_measurements.c.posts_7d.is_not(None))
        .group_by(page_measurements.c.page_id)
        .subquery()
    )
    newest_flag = (
        select(page_measurements.c.page_id, func.max(page_measurements.c.day).label("day"))
        .where(page_measurements.c.government_mark.is_not(None))
        .group_by(page_measurements.c.page_id)
        .subquery()
    )
    posts = page_measurements.alias("posts")
    flag = page_measurements.alias("flag")
    with engine.connect() as connection:
        cadence = pd.DataFrame(
            connection.execute(
                select(
                    posts.c.page_id,
                    posts.c.day.label("posts_day"),
                    posts.c.posts_7d,
                    posts.c.posts_read,
                    posts.c.views,
                    posts.c.likes,
                    posts.c.comments,
                    posts.c.reposts,
                ).select_from(
                    posts.join(
                        newest_posts, and_(newest_posts.c.page_id == posts.c.page_id, newest_posts.c.day == posts.c.day)
                    )
                )
            ).all(),
            columns=["page_id", "posts_day", "posts_7d", "posts_read", "views", "likes", "comments", "reposts"],
        )
        marks = pd.DataFrame(
            connection.execute(
                select(
                    flag.c.page_id, flag.c.day.label("mark_day"), flag.c.government_mark.label("vk_government_mark")
                ).select_from(
                    flag.join(
                        newest_flag, and_(newest_flag.c.page_id == flag.c.page_id, newest_flag.c.day == flag.c.day)
                    )
                )
            ).all(),
            columns=["page_id", "mark_day", "vk_government_mark"],
        )
    result = cadence.merge(marks, on="page_id", how="outer")
    for column in ("posts_7d", "posts_read", "views", "likes", "comments", "reposts"):
        result[column] = pd.array(result[column], dtype="Int64")
    result["vk_government_mark"] = pd.array(result["vk_government_mark"], dtype="boolean")
    for column in ("posts_day", "mark_day"):
        result[column] = pd.to_datetime(result[column])
    return result


def per_post(measured: pd.DataFrame) -> pd.DataFrame:
    """Views, likes, comments and reposts per post read, and ER, added to `latest`'s frame."""
    read = measured["posts_read"].astype("Float64").where(measured["posts_read"] > 0)
    views = measured["views"].astype("Float64")
    reactions = (measured["likes"] + measured["comments"] + measured["reposts"]).astype("Float64")
    return measured.assign(
        views_per_post=views / read,
        likes_per_post=measured["likes"] / read,
        comments_per_post=measured["comments"] / read,
        reposts_per_post=measured["reposts"] / read,
        engagement_rate=(reactions / views.where(views > 0)),
    )
