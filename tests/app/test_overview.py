"""AppTest of «Сводка»: KPIs match the store, filters change them consistently."""

from sqlalchemy import create_engine, text

from components import formatting as fmt
from tests.app.conftest import metric_values, open_tab
from tests.independent import active_pages


def _sql(url, statement, **params):
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(statement), params).scalar()
    engine.dispose()
    return value


LATEST = (
    "SELECT {what} FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id "
    "JOIN institutions i ON i.id = p.institution_id "
    "WHERE s.day = (SELECT MAX(day) FROM subscriber_snapshots) {where}"
)
HELP_FIRST = "Кому помочь в первую очередь"
TARGET = "COALESCE(p.target_override, CASE WHEN p.is_flagship THEN 1000 ELSE 500 END)"


def test_overview_runs_and_shows_the_demo_city(open_app, store_url):
    app = open_app()
    assert not app.exception
    assert app.title[0].value == "Сводка"
    metrics = metric_values(app)
    assert metrics["Страниц"] == fmt.number(active_pages(store_url))
    total = _sql(store_url, LATEST.format(what="SUM(s.subscribers)", where=""))
    assert metrics["Подписчиков"] == fmt.number(total)
    reached = _sql(store_url, LATEST.format(what="COUNT(*)", where=f"AND s.subscribers >= {TARGET}"))
    assert metrics["Достигли цели"] == fmt.percent(reached / active_pages(store_url))
    # The tables, one tab each: six categories, ten districts, and their sums equal the city total.
    categories = app.dataframe[0].value
    districts = open_tab(app, "overview_section", "Районы").dataframe[0].value
    assert len(categories) == 6 and len(districts) == 10
    assert categories["Страниц"].sum() == districts["Страниц"].sum() == active_pages(store_url)
    assert categories["Подписчиков"].sum() == districts["Подписчиков"].sum() == total
    assert categories["Достигли цели"].sum() == reached
    assert any("демо-данные" in str(badge) for badge in app.sidebar.get("badge")) or "демо-город" in " ".join(
        caption.value for caption in app.sidebar.caption
    )


def test_category_filter_changes_every_number_consistently(open_app, store_url):
    app = open_app()
    app.sidebar.multiselect(key="category").set_value(["school"]).run()
    assert not app.exception
    schools = _sql(
        store_url,
        "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id WHERE i.category = 'school'",
    )
    total = _sql(store_url, LATEST.format(what="SUM(s.subscribers)", where="AND i.category = 'school'"))
    metrics = metric_values(app)
    assert metrics["Страниц"] == fmt.number(schools)
    assert metrics["Подписчиков"] == fmt.number(total)
    assert list(app.dataframe[0].value["Категория"]) == ["Школы"]
    assert open_tab(app, "overview_section", "Районы").dataframe[0].value["Страниц"].sum() == schools
    assert "Школы" in app.caption[0].value


def test_flagship_and_district_filters_and_reset(open_app, store_url):
    app = open_app()
    app.sidebar.toggle(key="flagship").set_value(True).run()
    app.sidebar.multiselect(key="district").set_value(["Ленинский район"]).run()
    expected = _sql(
        store_url,
        "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id "
        "WHERE p.is_flagship AND i.district = 'Ленинский район'",
    )
    assert metric_values(app)["Страниц"] == fmt.number(expected)
    app.sidebar.button(key="filter_reset").click().run()
    assert metric_values(app)["Страниц"] == fmt.number(active_pages(store_url))


def test_a_selection_without_pages_says_so(open_app):
    app = open_app()
    app.sidebar.multiselect(key="platform").set_value(["telegram"]).run()
    app.sidebar.toggle(key="flagship").set_value(True).run()
    app.sidebar.multiselect(key="category").set_value(["city_hall"]).run()
    assert not app.exception
    assert not app.metric
    assert "ни одна страница" in app.info[0].value


def test_weakest_pages_are_stalled_or_lagging_and_limited(open_app):
    app = open_tab(open_app(), "overview_section", HELP_FIRST)
    weakest = app.dataframe[0].value
    assert len(weakest) == 20
    assert set(weakest["Статус"]) <= {"нет роста", "отстаёт"}
    app.button_group(key="overview_weakest_limit").set_value(50).run()
    assert len(app.dataframe[0].value) == 50


def test_who_to_help_lists_established_pages_and_new_channels_apart(open_app, store_url):
    """docs/guide.md: a new channel's first figure is fewer than 90 days before the data's date; the two
    lists never share a page, and no two rows of either read the same."""
    app = open_tab(open_app(), "overview_section", HELP_FIRST)
    app.button_group(key="overview_weakest_limit").set_value(100).run()
    weakest, fresh = app.dataframe[0].value, app.dataframe[1].value
    engine = create_engine(store_url)
    with engine.connect() as connection:
        new = (
            set(
                connection.execute(
                    text(
                        "SELECT p.url FROM pages p WHERE (SELECT MIN(day) FROM subscriber_snapshots s WHERE s.page_id "
                        "= p.id) "
                        "> (SELECT MAX(day) FROM subscriber_snapshots) - 90"
                    )
                ).scalars()
            )
            if engine.dialect.name == "postgresql"
            else set(
                connection.execute(
                    text(
                        "SELECT p.url FROM pages p WHERE (SELECT MIN(day) FROM subscriber_snapshots s WHERE s.page_id "
                        "= p.id) "
                        "> date((SELECT MAX(day) FROM subscriber_snapshots), '-90 days')"
                    )
                ).scalars()
            )
        )
    engine.dispose()
    assert new and not set(weakest["Страница"]) & new
    assert set(fresh["Страница"]) <= new and fresh["Прогресс"].is_monotonic_increasing
    assert "Статус" in fresh and "цель достигнута" not in set(fresh["Статус"])
    for table in (weakest, fresh):
        assert not table.duplicated(subset=["Учреждение", "Район"] if "Район" in table else ["Учреждение"]).any()


CARRIED = (
    "SELECT SUM(s.subscribers), SUM(CASE WHEN s.subscribers >= "
    "COALESCE(p.target_override, CASE WHEN p.is_flagship THEN 1000 ELSE 500 END) THEN 1 ELSE 0 END) "
    "FROM pages p JOIN institutions i ON i.id = p.institution_id JOIN subscriber_snapshots s ON s.page_id = p.id "
    "AND s.day = (SELECT MAX(x.day) FROM subscriber_snapshots x WHERE x.page_id = p.id AND x.day <= :day) "
    "WHERE p.retired_at IS NULL AND i.retired_at IS NULL"
)


def test_kpi_changes_over_a_week_and_a_month_equal_direct_sql(open_app, store_url):
    from datetime import date, timedelta

    engine = create_engine(store_url)
    with engine.connect() as connection:
        as_of = connection.execute(text("SELECT MAX(day) FROM subscriber_snapshots")).scalar()
        as_of = as_of if isinstance(as_of, date) else date.fromisoformat(as_of)
        now, week, month = (
            connection.execute(text(CARRIED), {"day": as_of - timedelta(days=back)}).one() for back in (0, 7, 30)
        )
    engine.dispose()
    app = open_app()
    metrics = {metric.label: metric for metric in app.metric}
    subscribers, reached = metrics["Подписчиков"], metrics["Достигли цели"]
    assert subscribers.value == fmt.number(now[0])
    assert subscribers.delta == fmt.signed(now[0] - week[0]).replace("−", "-")
    assert f"{fmt.signed(now[0] - month[0])} за месяц" in subscribers.proto.delta_description
    moved = now[1] - week[1]
    assert moved != 0  # the demo city gains pages at target every week
    assert (
        reached.delta
        == f"{fmt.signed(moved).replace('−', '-')} {fmt.plural(abs(moved), 'страница', 'страницы', 'страниц')}"
    )
    assert f"{fmt.signed(now[1] - month[1])} за месяц" in reached.proto.delta_description
