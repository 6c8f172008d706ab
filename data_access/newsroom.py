"""What the newsroom's work achieved: each material of a period against the posts it became on
the pages it was planned for (the posts and their matches are wall_posts.py's).

Rules, stated once (docs/guide.md repeats them):

- a material's **pages** are the pages it was planned for (chosen, or through its whole category);
- a page **could be read** for a material when its VK wall was read on or after the material's
  planned day: a post of it kept by a collection on or after that day, or a measurement of that
  day or later that found the wall empty; the others — not VK, a closed wall, not collected since
  the posts began to be kept — are counted apart and never as «not published»;
- **published** on a page: a post of that page matched to the material; **on time** when the
  first such post came out no later than PUBLISHED_ON_TIME after the planned time, else **late**;
- **not published**: a page that could be read and has no post matched to the material;
- views and reactions (likes + comments + reposts) are summed over the material's matched posts;
  ER = reactions ÷ views.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from data_access.clock import CITY_TIMEZONE
from data_access.models import content_items, institutions, page_measurements, pages, posts
from data_access.queries import _reach, frame

PUBLISHED_ON_TIME = timedelta(days=1)


def _matched_posts():
    """Per (material, page): the first matched post's time, how many posts, their views and reactions."""
    return (
        select(
            posts.c.material_id,
            posts.c.page_id,
            func.min(posts.c.posted_at).label("first_post"),
            func.count().label("posts"),
            func.sum(func.coalesce(posts.c.views, 0)).label("views"),
            func.sum(
                func.coalesce(posts.c.likes, 0) + func.coalesce(posts.c.comments, 0) + func.coalesce(posts.c.reposts, 0)
            ).label("reactions"),
        )
        .where(posts.c.material_id.is_not(None))
        .group_by(posts.c.material_id, posts.c.page_id)
        .subquery("matched")
    )


def material_pages(engine: Engine, start: date, end: date) -> pd.DataFrame:
    """One row per (material planned in [start, end], not cancelled; page it was planned for): the
    material's title, format, rubric and planned time, the page's name, network, category and
    district, whether its wall could be read, and its first matched post (time, views, reactions,
    posts)."""
    since, until = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
    chosen = select(content_items.c.id).where(
        content_items.c.status != "cancelled", content_items.c.publish_at >= since, content_items.c.publish_at < until
    )
    reach = _reach(chosen)
    matched = _matched_posts()
    kept = posts.alias("kept")
    last_read = select(func.max(kept.c.read_at)).where(kept.c.page_id == pages.c.id).scalar_subquery()
    empty_wall = (
        select(func.max(page_measurements.c.day))
        .where(page_measurements.c.page_id == pages.c.id, page_measurements.c.posts_read == 0)
        .scalar_subquery()
    )
    statement = (
        select(
            content_items.c.id.label("material_id"),
            content_items.c.title,
            content_items.c.format,
            content_items.c.rubric,
            content_items.c.publish_at.label("planned_at"),
            pages.c.id.label("page_id"),
            institutions.c.short_name,
            pages.c.platform,
            pages.c.url,
            institutions.c.category,
            institutions.c.district,
            last_read.label("last_read"),
            empty_wall.label("empty_wall"),
            matched.c.first_post,
            func.coalesce(matched.c.posts, 0).label("posts"),
            func.coalesce(matched.c.views, 0).label("views"),
            func.coalesce(matched.c.reactions, 0).label("reactions"),
        )
        .select_from(
            reach.join(content_items, content_items.c.id == reach.c.item_id)
            .join(pages, pages.c.id == reach.c.page_id)
            .join(institutions, institutions.c.id == pages.c.institution_id)
            .outerjoin(matched, and_(matched.c.material_id == reach.c.item_id, matched.c.page_id == reach.c.page_id))
        )
        .where(pages.c.retired_at.is_(None))
        .order_by(content_items.c.publish_at, content_items.c.id, institutions.c.short_name)
    )
    with engine.connect() as connection:
        return _outcomes(frame(connection, statement))


def _outcomes(result: pd.DataFrame) -> pd.DataFrame:
    """Whether each (material, page) pair could be read (a post found, or the VK wall read on or
    after the planned day) and its outcome: on time, late, missing or unread."""
    if result.empty:
        return result.assign(readable=pd.Series(dtype=bool), outcome=pd.Series(dtype=object))
    planned_day = pd.to_datetime(result["planned_at"]).dt.normalize()
    last_read = pd.to_datetime(result["last_read"], utc=True).dt.tz_convert(CITY_TIMEZONE.key).dt.tz_localize(None)
    empty_wall = pd.to_datetime(result["empty_wall"])
    published = result["posts"] > 0
    result["readable"] = published | (result["platform"] == "vk") & (
        (last_read.notna() & (last_read >= planned_day)) | (empty_wall.notna() & (empty_wall >= planned_day))
    )
    first = pd.to_datetime(result["first_post"], utc=True).dt.tz_convert(CITY_TIMEZONE.key).dt.tz_localize(None)
    on_time = first <= pd.to_datetime(result["planned_at"]) + PUBLISHED_ON_TIME
    result["outcome"] = [
        "on_time" if done and timely else "late" if done else "missing" if readable else "unread"
        for done, timely, readable in zip(published, on_time.fillna(False), result["readable"])
    ]
    return result


OUTCOMES = {"on_time": "в срок", "late": "позже", "missing": "не опубликовали", "unread": "не прочитаны"}


def by_material(rows: pd.DataFrame) -> pd.DataFrame:
    """Per material: pages planned, published (on time, late), not published, not read; views,
    reactions, ER and views per post (over its matched posts)."""
    columns = [
        "material_id",
        "title",
        "format",
        "rubric",
        "planned_at",
        "planned",
        "on_time",
        "late",
        "missing",
        "unread",
        "posts",
        "views",
        "reactions",
        "engagement",
        "views_per_post",
        "published_share",
    ]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.crosstab(rows["material_id"], rows["outcome"]).reindex(columns=list(OUTCOMES), fill_value=0)
    grouped = rows.groupby("material_id")
    result = grouped[["title", "format", "rubric", "planned_at"]].first().join(counts)
    result["planned"] = grouped.size()
    result["posts"] = grouped["posts"].sum()
    result["views"] = grouped["views"].sum()
    result["reactions"] = grouped["reactions"].sum()
    result["engagement"] = (result["reactions"] / result["views"]).where(result["views"] > 0)
    result["views_per_post"] = (result["views"] / result["posts"]).where(result["posts"] > 0)
    readable = result["on_time"] + result["late"] + result["missing"]
    result["published_share"] = ((result["on_time"] + result["late"]) / readable).where(readable > 0)
    return result.reset_index()[columns]


def pages_publishing_none(rows: pd.DataFrame) -> pd.DataFrame:
    """Readable pages that published none of the materials planned for them: page, how many."""
    readable = rows[rows["readable"]]
    if readable.empty:
        return pd.DataFrame(columns=["page_id", "short_name", "platform", "url", "district", "category", "planned"])
    grouped = readable.groupby("page_id")
    summary = grouped[["short_name", "platform", "url", "district", "category"]].first()
    summary["planned"] = grouped.size()
    summary["published"] = grouped["posts"].apply(lambda values: int((values > 0).sum()))
    return (
        summary[summary["published"] == 0]
        .drop(columns="published")
        .reset_index()
        .sort_values(["planned", "short_name"], ascending=[False, True])
        .reset_index(drop=True)
    )


def ranked(materials: pd.DataFrame, by: str) -> pd.DataFrame:
    """Formats or rubrics ranked by the median views per post of their materials (with posts)."""
    with_posts = materials[materials["posts"] > 0]
    if with_posts.empty:
        return pd.DataFrame(columns=[by, "materials", "median_views_per_post"])
    grouped = with_posts.groupby(with_posts[by].fillna("—"))
    return (
        pd.DataFrame({"materials": grouped.size(), "median_views_per_post": grouped["views_per_post"].median()})
        .reset_index()
        .sort_values(["median_views_per_post", by], ascending=[False, True])
        .reset_index(drop=True)
    )


def last_week(today: date) -> tuple[date, date]:
    """Monday and Sunday of the week before `today`'s."""
    monday = today - timedelta(days=today.weekday()) - timedelta(days=7)
    return monday, monday + timedelta(days=6)


def shares(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per `by` (category, district, or page_id): pairs planned, read, published and the share
    published among those read (None where nothing could be read)."""
    columns = [by, "planned", "readable", "published", "share"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    frame = rows.assign(_readable=rows["readable"].astype(bool), _published=rows["posts"] > 0)
    grouped = frame.groupby(by)
    result = pd.DataFrame(
        {"planned": grouped.size(), "readable": grouped["_readable"].sum(), "published": grouped["_published"].sum()}
    )
    result["share"] = (result["published"] / result["readable"]).where(result["readable"] > 0)
    return result.reset_index()[columns].sort_values(["share", by], ascending=[True, True], na_position="last")


def last_days(today: date, days: int = 30) -> tuple[date, date]:
    """The `days` days up to yesterday (a material planned today may still come out)."""
    return today - timedelta(days=days), today - timedelta(days=1)
