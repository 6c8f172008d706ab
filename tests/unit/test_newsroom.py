"""What the newsroom's work achieved, per material and per page, against independent SQL over the
post rows and the plan (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import text

from data_access import newsroom

PLANNED = datetime(2026, 11, 18, 10, 0)  # a Wednesday, the week before the demo's today


def _setup(engine) -> dict[str, int]:
    with engine.begin() as connection:
        vk = [
            row[0] for row in connection.execute(text("SELECT id FROM pages WHERE platform = 'vk' ORDER BY id LIMIT 4"))
        ]
        other = connection.execute(text("SELECT id FROM pages WHERE platform <> 'vk' ORDER BY id LIMIT 1")).scalar()
        # These pages' own demo posts aside: each test says what was read on them.
        connection.execute(
            text("DELETE FROM posts WHERE page_id IN (:a, :b, :c, :d)"),
            {"a": vk[0], "b": vk[1], "c": vk[2], "d": vk[3]},
        )
        for number, title in ((9001, "Лагеря"), (9002, "Лёд")):
            connection.execute(
                text(
                    "INSERT INTO content_items (id, title, format, rubric, publish_at, status, created_at, "
                    "updated_at, version) "
                    "VALUES (:id, :title, 'news', 'Безопасность', :at, 'published', :at, :at, 1)"
                ),
                {"id": number, "title": title, "at": PLANNED + timedelta(days=number - 9001)},
            )
        plan = [(9001, vk[0]), (9001, vk[1]), (9001, vk[2]), (9001, other), (9002, vk[0]), (9002, vk[3])]
        for item, page in plan:
            connection.execute(
                text("INSERT INTO content_item_pages (item_id, page_id) VALUES (:item, :page)"),
                {"item": item, "page": page},
            )
        # vk[3]'s wall was last read before material 9002 was planned (its one post kept on 10.11).
        connection.execute(
            text(
                "INSERT INTO posts (page_id, post_id, posted_at, day, views, likes, comments, reposts, link, text, "
                "copied, "
                "links, read_at) VALUES (:page, 99, '2026-11-09 05:00:00', '2026-11-09', 5, 0, 0, 0, "
                "'https://vk.com/wall-1_2', "
                "'', '[]', '[]', '2026-11-10 01:00:00')"
            ),
            {"page": vk[3]},
        )
        for page, post, at, views, likes, material, rule in (
            (vk[0], 1, PLANNED + timedelta(hours=2), 400, 20, 9001, "repost"),
            (vk[0], 2, PLANNED + timedelta(days=1, hours=3), 100, 5, 9002, "hashtag"),
            (vk[1], 3, PLANNED + timedelta(days=3), 200, 2, 9001, "text"),  # late
            (vk[2], 4, PLANNED + timedelta(hours=1), 999, 99, None, None),
        ):  # its own news
            connection.execute(
                text(
                    "INSERT INTO posts (page_id, post_id, posted_at, day, views, likes, comments, reposts, link, text, "
                    "copied, links, read_at, material_id, match_rule) VALUES (:page, :post, :at, :day, :views, "
                    ":likes, 1, 0, "
                    "'https://vk.com/wall-1_1', '', '[]', '[]', :read, :material, :rule)"
                ),
                {
                    "page": page,
                    "post": post,
                    "at": at - timedelta(hours=7),
                    "day": at.date(),
                    "views": views,
                    "likes": likes,
                    "material": material,
                    "rule": rule,
                    "read": datetime(2026, 11, 26, 1, 0),
                },
            )
    return {"vk0": vk[0], "vk1": vk[1], "vk2": vk[2], "vk3": vk[3], "other": other}


def test_each_material_figure_equals_independent_sql(demo_engine):
    pages = _setup(demo_engine)
    rows = newsroom.material_pages(demo_engine, date(2026, 11, 16), date(2026, 11, 22))
    rows = rows[rows["material_id"].isin([9001, 9002])]  # the demo's own materials of that week aside
    materials = newsroom.by_material(rows).set_index("material_id")
    with demo_engine.connect() as connection:
        sums = {
            row.material_id: row
            for row in connection.execute(
                text(
                    "SELECT material_id, COUNT(*) AS posts, COUNT(DISTINCT page_id) AS pages, SUM(views) AS views, "
                    "SUM(likes + comments + reposts) AS reactions FROM posts WHERE material_id IN (9001, 9002) "
                    "GROUP BY material_id"
                )
            )
        }
        planned = dict(
            connection.execute(
                text("SELECT item_id, COUNT(*) FROM content_item_pages WHERE item_id IN (9001, 9002) GROUP BY item_id")
            ).all()
        )
    for material in (9001, 9002):
        figures = materials.loc[material]
        assert figures["planned"] == planned[material]
        assert figures["on_time"] + figures["late"] == sums[material].pages
        assert (figures["posts"], figures["views"], figures["reactions"]) == (
            sums[material].posts,
            sums[material].views,
            sums[material].reactions,
        )
        assert abs(figures["engagement"] - sums[material].reactions / sums[material].views) < 1e-9
    first = materials.loc[9001]
    # vk0 on time, vk1 three days late, vk2 read but published something else, the non-VK page unread.
    assert (first["on_time"], first["late"], first["missing"], first["unread"]) == (1, 1, 1, 1)
    assert abs(first["published_share"] - 2 / 3) < 1e-9  # the unread page is left out of the share
    second = materials.loc[9002]
    assert (second["on_time"], second["missing"], second["unread"]) == (1, 0, 1)  # vk3 last read before the plan
    nothing = newsroom.pages_publishing_none(rows)
    assert list(nothing["page_id"]) == [pages["vk2"]]


def test_formats_and_rubrics_are_ranked_by_median_views_per_post_and_the_week_is_last_weeks():
    import pandas as pd

    materials = pd.DataFrame(
        {
            "format": ["news", "news", "photo", "video"],
            "rubric": ["А", "Б", "А", None],
            "posts": [2, 1, 4, 0],
            "views_per_post": [100.0, 300.0, 50.0, None],
        }
    )
    ranked = newsroom.ranked(materials, "format")
    assert list(ranked["format"]) == ["news", "photo"] and list(ranked["median_views_per_post"]) == [200.0, 50.0]
    assert newsroom.last_week(date(2026, 11, 27)) == (date(2026, 11, 16), date(2026, 11, 22))
    assert newsroom.last_week(date(2026, 11, 23)) == (date(2026, 11, 16), date(2026, 11, 22))


def test_shares_by_category_district_and_page_count_only_what_was_read(demo_engine):
    pages = _setup(demo_engine)
    rows = newsroom.material_pages(demo_engine, date(2026, 11, 16), date(2026, 11, 22))
    rows = rows[rows["material_id"].isin([9001, 9002])]
    by_page = newsroom.shares(rows, "page_id").set_index("page_id")
    assert (by_page.loc[pages["vk0"], "published"], by_page.loc[pages["vk0"], "share"]) == (2, 1.0)
    assert by_page.loc[pages["vk2"], "share"] == 0.0
    assert (
        by_page.loc[pages["other"], "readable"] == 0
        and by_page.loc[pages["other"], "share"] != by_page.loc[pages["other"], "share"]
    )  # NaN: nothing read, no share
    by_district = newsroom.shares(rows, "district")
    assert by_district["planned"].sum() == len(rows) and by_district["published"].sum() == int(
        (rows["posts"] > 0).sum()
    )
    assert newsroom.last_days(date(2026, 11, 27)) == (date(2026, 10, 28), date(2026, 11, 26))
