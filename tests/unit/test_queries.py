"""Read queries against hand-made histories and against direct SQL on the demo city."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from data_access import queries, rollup, schema
from data_access.engine import write_transaction
from data_access.filters import ALL_PAGES, PageFilter
from data_access.models import checklist_items, institutions, page_checks, pages, subscriber_snapshots

AS_OF = date(2026, 11, 26)


def _make_page(
    connection, page_id, *, category="school", district="Кировский район", platform="vk", flagship=False, target=None
):
    connection.execute(
        institutions.insert().values(
            id=page_id,
            code=f"i-{page_id}",
            name=f"Учреждение {page_id}",
            short_name=f"У{page_id}",
            category=category,
            district=district,
        )
    )
    connection.execute(
        pages.insert().values(
            id=page_id,
            institution_id=page_id,
            platform=platform,
            url=f"https://vk.com/p{page_id}",
            is_flagship=flagship,
            target_override=target,
        )
    )


def _history(connection, page_id, figures):
    connection.execute(
        subscriber_snapshots.insert(),
        [
            {"page_id": page_id, "day": AS_OF - timedelta(days=back), "subscribers": value}
            for back, value in figures.items()
        ],
    )


@pytest.fixture
def small_store(empty_engine):
    schema.upgrade(empty_engine)
    with write_transaction(empty_engine) as connection:
        _make_page(connection, 1)
        _history(connection, 1, {0: 300, 7: 290, 30: 270, 100: 200})
        _make_page(connection, 2, category="kindergarten", flagship=True)
        _history(connection, 2, {0: 1200, 45: 1100})  # gap: nothing between 45 days back and today
        _make_page(connection, 3, category="culture", target=700)
        _history(connection, 3, {3: 50})  # a single, older figure
        _make_page(connection, 4, category="sport", platform="ok")  # no figures at all
        rollup.rebuild(connection)
    return empty_engine


def test_page_progress_takes_latest_and_the_figures_7_and_30_days_back(small_store):
    result = queries.page_progress(small_store).set_index("page_id")
    assert result.loc[1, "subscribers"] == 300
    assert result.loc[1, "growth_7"] == 10 and result.loc[1, "growth_30"] == 30
    assert result.loc[1, "base_day"] == AS_OF - timedelta(days=30)
    assert list(result["target"]) == [500, 1000, 700, 500]


def test_gaps_fall_back_to_the_last_figure_before(small_store):
    result = queries.page_progress(small_store).set_index("page_id")
    assert result.loc[2, "day_30"] == AS_OF - timedelta(days=45)
    assert result.loc[2, "growth_30"] == 100
    # The growth says the span it really covers: 45 days for page 2's «30 days», 30 for page 1's.
    assert result.loc[2, "growth_30_days"] == 45 and result.loc[1, "growth_30_days"] == 30
    assert result.loc[1, "growth_7_days"] == 7
    assert result.loc[4, "growth_7_days"] is __import__("pandas").NA  # no figures, no span
    assert result.loc[3, "latest_day"] == AS_OF - timedelta(days=3)
    assert result.loc[3, "base_day"] == AS_OF - timedelta(days=3)  # only one figure: no pace
    assert result.loc[4, "subscribers"] is __import__("pandas").NA


def test_filters_narrow_the_pages(small_store):
    def ids(**kwargs):
        return list(queries.page_progress(small_store, PageFilter(**kwargs))["page_id"])

    assert ids(categories=("school", "culture")) == [1, 3]
    assert ids(platforms=("ok",)) == [4]
    assert ids(flagship_only=True) == [2]
    assert ids(districts=("Ленинский район",)) == []


def test_history_sums_per_day_and_category(small_store):
    total = queries.subscriber_history(small_store).set_index("day")
    # Page 3 last reported 3 days back: its 50 is carried forward; page 4 has no figures at all.
    assert total.loc[AS_OF, "subscribers"] == 300 + 1200 + 50
    assert total.loc[AS_OF, "pages"] == 3 and total.loc[AS_OF, "reported"] == 2
    assert total.loc[AS_OF - timedelta(days=3), "subscribers"] == 50 + 1100 + 290  # latest on or before
    by_category = queries.subscriber_history(small_store, by="category")
    today = by_category[by_category["day"] == AS_OF].set_index("group")["subscribers"].to_dict()
    assert today == {"school": 300, "kindergarten": 1200, "culture": 50}
    one = queries.subscriber_history(small_store, by="page", page_id=1, start=AS_OF - timedelta(days=10))
    assert list(one["subscribers"]) == [290, 300]


def test_verification_counts_required_and_optional_items(small_store):
    with write_transaction(small_store) as connection:
        connection.execute(
            checklist_items.insert(),
            [
                {"id": 1, "code": "a", "title": "A", "is_required": True, "position": 1},
                {"id": 2, "code": "b", "title": "B", "is_required": True, "position": 2},
                {"id": 3, "code": "c", "title": "C", "is_required": False, "position": 3},
            ],
        )
        connection.execute(
            page_checks.insert(),
            [
                {"page_id": 1, "item_id": 1, "state": "done"},
                {"page_id": 1, "item_id": 2, "state": "n_a"},
                {"page_id": 1, "item_id": 3, "state": "done"},
                {"page_id": 2, "item_id": 1, "state": "not_done"},
            ],
        )
    result = queries.verification_by_page(small_store).set_index("page_id")
    assert result.loc[1].to_dict() == {"required_total": 1, "required_done": 1, "optional_total": 1, "optional_done": 1}
    assert result.loc[2].to_dict() == {"required_total": 2, "required_done": 0, "optional_total": 1, "optional_done": 0}


def test_page_progress_matches_direct_sql_on_the_demo_city(demo_engine):
    result = queries.page_progress(demo_engine)
    with demo_engine.connect() as connection:
        expected = dict(
            connection.execute(
                text(
                    "SELECT s.page_id, s.subscribers FROM subscriber_snapshots s JOIN "
                    "(SELECT page_id, MAX(day) AS day FROM subscriber_snapshots GROUP BY page_id) m "
                    "ON m.page_id = s.page_id AND m.day = s.day"
                )
            ).all()
        )
        total, counted = connection.execute(
            text("SELECT SUM(subscribers), COUNT(*) FROM subscriber_snapshots WHERE day = :day"), {"day": AS_OF}
        ).one()
        page_count = connection.execute(text("SELECT COUNT(*) FROM pages")).scalar()
    assert len(result) == page_count == 620 + 243  # 620 main pages and the MAX channels opened since 2025
    assert dict(zip(result["page_id"], result["subscribers"])) == expected
    assert int(result["subscribers"].sum()) == total
    history = queries.subscriber_history(demo_engine, start=AS_OF)
    assert int(history["subscribers"].iloc[0]) == total and int(history["pages"].iloc[0]) == counted == page_count


def test_daily_totals_agree_with_the_snapshots_after_every_kind_of_write(demo_engine):
    from data_access import importers, registry
    from data_access.auth import Actor
    from data_access.registry import InstitutionDraft, PageDraft

    admin = Actor("admin", "Админ", "admin")

    def direct():
        # Per day with any figure: each active page's latest figure on or before that day, and how
        # many of those figures reach the page's target (its override, else 1000 flagship / 500).
        with demo_engine.connect() as connection:
            rows = connection.execute(
                text(
                    "WITH active AS (SELECT p.id, COALESCE(p.target_override, CASE WHEN p.is_flagship THEN 1000 "
                    "                ELSE 500 END) AS target FROM pages p JOIN institutions i ON i.id = "
                    "p.institution_id "
                    "                WHERE p.retired_at IS NULL AND i.retired_at IS NULL), "
                    "     days AS (SELECT DISTINCT day FROM subscriber_snapshots WHERE page_id IN (SELECT id FROM "
                    "active)) "
                    "SELECT d.day, SUM(s.subscribers), SUM(CASE WHEN s.subscribers >= a.target THEN 1 ELSE 0 END) "
                    "FROM days d CROSS JOIN active a "
                    "JOIN subscriber_snapshots s ON s.page_id = a.id AND s.day = ("
                    "  SELECT MAX(x.day) FROM subscriber_snapshots x WHERE x.page_id = a.id AND x.day <= d.day) "
                    "GROUP BY d.day ORDER BY d.day"
                )
            ).all()
        return {
            day if isinstance(day, date) else date.fromisoformat(day): (int(total), int(reached))
            for day, total, reached in rows
        }

    def rolled():
        history = queries.subscriber_history(demo_engine)
        return dict(zip(history["day"], zip(history["subscribers"], history["at_target"])))

    assert rolled() == direct()
    data = "Страница;Дата;Подписчики\nvk.com/ds105nsk;20.11.2026;99999\nvk.com/ds105nsk;01.03.2025;5\n".encode()
    importers.apply_subscribers(
        demo_engine, admin, importers.plan_subscribers(demo_engine, data, "f.csv", AS_OF), confirm_suspicious=True
    )
    assert rolled() == direct()
    row = queries.registry_frame(demo_engine).set_index("code").loc["ds-105"]
    registry.update_institution(
        demo_engine,
        admin,
        int(row["institution_id"]),
        int(row["institution_version"]),
        InstitutionDraft("ds-105", row["name"], row["short_name"], "school", "Ленинский район"),
    )
    schools = queries.subscriber_history(demo_engine, PageFilter(categories=("school",)), start=AS_OF, end=AS_OF)
    with demo_engine.connect() as connection:
        school_pages = connection.execute(
            text(
                "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id WHERE i.category = "
                "'school'"
            )
        ).scalar()
    assert schools["pages"].iloc[0] == school_pages  # the schools' pages and the kindergarten moved among them
    row = queries.registry_frame(demo_engine).set_index("code").loc["ds-105"]
    registry.set_retired(demo_engine, admin, int(row["institution_id"]), int(row["institution_version"]), True)
    assert rolled() == direct()
    row = queries.registry_frame(demo_engine, include_retired=True).set_index("code").loc["ds-105"]
    registry.set_retired(demo_engine, admin, int(row["institution_id"]), int(row["institution_version"]), False)
    assert rolled() == direct()
    flagships = PageFilter(flagship_only=True)
    row = queries.registry_frame(demo_engine).set_index("code").loc["ds-105"]
    registry.update_page(
        demo_engine,
        admin,
        int(row["page_id"]),
        int(row["page_version"]),
        PageDraft(row["url"], not bool(row["is_flagship"]), None),
    )
    assert rolled() == direct()
    row = queries.registry_frame(demo_engine).set_index("code").loc["ds-105"]
    registry.update_page(
        demo_engine,
        admin,
        int(row["page_id"]),
        int(row["page_version"]),
        PageDraft(row["url"], bool(row["is_flagship"]), 300),
    )  # a lower own target: reached earlier
    assert rolled() == direct()
    flagship_days = queries.subscriber_history(demo_engine, flagships, start=AS_OF, end=AS_OF)
    with demo_engine.connect() as connection:
        expected = connection.execute(
            text(
                "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id WHERE p.is_flagship "
                "AND p.retired_at IS NULL AND i.retired_at IS NULL AND EXISTS "
                "(SELECT 1 FROM subscriber_snapshots s WHERE s.page_id = p.id)"
            )
        ).scalar()
    assert int(flagship_days["pages"].iloc[0]) == expected
    registry.add_institution(
        demo_engine,
        admin,
        InstitutionDraft("x-1", "Новое", "Новое", "sport", "Кировский район"),
        PageDraft("vk.com/x1nsk"),
    )
    assert rolled() == direct()


def test_the_total_summed_from_the_categories_is_the_total_the_store_gives(demo_engine, small_store):
    cases = [
        (small_store, ALL_PAGES, None),
        (demo_engine, ALL_PAGES, AS_OF - timedelta(days=400)),
        (demo_engine, PageFilter(districts=("Кировский район",), platforms=("vk",)), AS_OF - timedelta(days=30)),
        (demo_engine, PageFilter(categories=("school",)), None),  # one group: nothing to carry
        (demo_engine, PageFilter(districts=("Нет такого района",)), None),  # no rows at all
    ]
    for engine, selection, start in cases:
        expected = queries.subscriber_history(engine, selection, start, AS_OF, "total")
        summed = queries.history_total(queries.subscriber_history(engine, selection, start, AS_OF, "category"))
        assert list(summed.columns) == list(expected.columns)
        assert summed.to_dict("records") == expected.to_dict("records"), selection


def test_the_filter_options_hold_under_concurrent_readers(demo_engine):
    """Every session reads the filter options at once after a start: each read finishes inside its
    own connection (a result read after the block used a pooled connection another thread took)."""
    expected = queries.filter_options(demo_engine)
    assert expected["districts"] and expected["categories"]
    failures: list[str] = []

    def read() -> None:
        for _ in range(100):
            try:
                assert queries.filter_options(demo_engine) == expected
            except Exception as error:
                failures.append(repr(error))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[:3]
