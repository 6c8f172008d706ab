"""The posts the collectors read on VK pages, kept one row each, and matched to the newsroom's
materials (the rule is post_matching.py; this module reads and writes the store for it)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Engine, and_, bindparam, select

from data_access import post_matching
from data_access.areas import Area
from data_access.auth import Actor
from data_access.clock import CITY_TIMEZONE
from data_access.engine import bulk_insert
from data_access.models import content_items, posts
from data_access.queries import _reach
from data_access.vocabulary import ROLE_ADMIN
from data_access.writes import change


def _local_day(moment: datetime) -> date:
    return moment.astimezone(CITY_TIMEZONE).date()


def save(engine: Engine, actor: Actor, walls: Iterable, read_at: datetime) -> tuple[date, date] | None:
    """Keep every post the walls hold (a post read again replaces its earlier row: its counts
    grew), then match the posts of the days they span. Returns those days, or None."""
    rows = []
    for wall in walls:
        for post in getattr(wall, "posts", ()):
            rows.append(
                {
                    "page_id": wall.page_id,
                    "post_id": post["post_id"],
                    "posted_at": post["posted_at"],
                    "day": _local_day(post["posted_at"]),
                    "views": post["views"],
                    "likes": post["likes"],
                    "comments": post["comments"],
                    "reposts": post["reposts"],
                    "link": f"https://vk.com/wall{post['owner_id']}_{post['post_id']}"[:300],
                    "text": post["text"],
                    "copied": json.dumps(post["copied"]),
                    "links": json.dumps(post["links"], ensure_ascii=False),
                    "read_at": read_at,
                    "material_id": None,
                    "match_rule": None,
                }
            )
    if not rows:
        return None
    with change(engine, actor, ROLE_ADMIN, "запись публикаций страниц", [Area.COLLECT]) as current:
        current.connection.execute(
            posts.delete().where(
                and_(posts.c.page_id == bindparam("key_page"), posts.c.post_id == bindparam("key_post"))
            ),
            [{"key_page": row["page_id"], "key_post": row["post_id"]} for row in rows],
        )
        bulk_insert(current.connection, posts, iter(rows))
        first, last = min(row["day"] for row in rows), max(row["day"] for row in rows)
        rematch(current.connection, first, last)
    return first, last


def _materials(connection, start: datetime, end: datetime) -> list[post_matching.Material]:
    """The materials planned in [start, end) that are not cancelled, with the pages they are for."""
    chosen = select(content_items.c.id).where(
        content_items.c.status != "cancelled", content_items.c.publish_at >= start, content_items.c.publish_at < end
    )
    reach = _reach(chosen)
    pages_of: dict[int, set[int]] = {}
    for item_id, page_id in connection.execute(select(reach.c.item_id, reach.c.page_id)):
        pages_of.setdefault(item_id, set()).add(page_id)
    found = []
    for row in connection.execute(select(content_items).where(content_items.c.id.in_(chosen))).mappings():
        planned = row["publish_at"].replace(tzinfo=CITY_TIMEZONE)  # the plan keeps Novosibirsk wall-clock time
        found.append(
            post_matching.Material(
                row["id"],
                planned,
                frozenset(pages_of.get(row["id"], ())),
                source_post=post_matching.wall_post(row["source_post"]),
                source_url=row["source_url"] or "",
                hashtag=row["hashtag"] or "",
                text=row["body"] or "",
            )
        )
    return found


def rematch(connection, first: date, last: date, page_ids: set[int] | None = None) -> int:
    """Match every stored post of the days first…last — of `page_ids` only, when given — again
    (inside the caller's transaction); returns how many matched."""
    scope: ColumnElement[bool] = posts.c.day.between(first, last)
    if page_ids is not None:
        if not page_ids:
            return 0
        scope = and_(scope, posts.c.page_id.in_(sorted(page_ids)))
    stored = [
        post_matching.Post(
            row.page_id,
            row.post_id,
            _utc(row.posted_at),
            row.text or "",
            tuple(_wall_key(item) for item in json.loads(row.copied or "[]")),
            tuple(json.loads(row.links or "[]")),
        )
        for row in connection.execute(select(posts).where(scope))
    ]
    start = datetime.combine(first, time.min) - post_matching.WINDOW_AFTER - timedelta(days=1)
    end = datetime.combine(last, time.min) + post_matching.WINDOW_BEFORE + timedelta(days=2)
    matches = post_matching.match(stored, _materials(connection, start, end))
    connection.execute(posts.update().where(scope).values(material_id=None, match_rule=None))
    if matches:
        connection.execute(
            posts.update()
            .where(and_(posts.c.page_id == bindparam("key_page"), posts.c.post_id == bindparam("key_post")))
            .values(material_id=bindparam("material"), match_rule=bindparam("rule")),
            [
                {
                    "key_page": match.page_id,
                    "key_post": match.post_id,
                    "material": match.material_id,
                    "rule": match.rule,
                }
                for match in matches
            ],
        )
    return len(matches)


def _utc(moment: datetime) -> datetime:
    """SQLite returns a stored UTC time without its zone: put it back."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _wall_key(text: str) -> tuple[int, int]:
    owner, number = text.rsplit("_", 1)
    return int(owner), int(number)


def pages_of(connection, item_id: int) -> set[int]:
    """The pages a material is planned for now, and those whose posts are matched to it now."""
    reach = _reach(select(content_items.c.id).where(content_items.c.id == item_id))
    planned = set(connection.execute(select(reach.c.page_id)).scalars())
    return planned | set(connection.execute(select(posts.c.page_id).where(posts.c.material_id == item_id)).scalars())
