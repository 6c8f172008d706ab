"""AppTest of «Сводка»: KPIs match the store, filters change them consistently."""

from sqlalchemy import create_engine, text

from components import formatting as fmt
from tests.app.conftest import metric_values


def _sql(url, statement, **params):
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(statement), params).scalar()
    engine.dispose()
    return value


LATEST = ("SELECT {what} FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id "
          "JOIN institutions i ON i.id = p.institution_id "
          "WHERE s.day = (SELECT MAX(day) FROM subscriber_snapshots) {where}")
TARGET = "COALESCE(p.target_override, CASE WHEN p.is_flagship THEN 1000 ELSE 500 END)"


def test_overview_runs_and_shows_the_demo_city(open_app, store_url):
    app = open_app()
    assert not app.exception
    assert app.title[0].value == "Сводка"
    metrics = metric_values(app)
    assert metrics["Страниц"] == "620"
    total = _sql(store_url, LATEST.format(what="SUM(s.subscribers)", where=""))
    assert metrics["Подписчиков"] == fmt.number(total)
    reached = _sql(store_url, LATEST.format(what="COUNT(*)", where=f"AND s.subscribers >= {TARGET}"))
    assert metrics["Достигли цели"] == fmt.percent(reached / 620)
    # The tables: six categories, ten districts, and their sums equal the city total.
    categories, districts = app.dataframe[0].value, app.dataframe[1].value
    assert len(categories) == 6 and len(districts) == 10
    assert categories["Страниц"].sum() == districts["Страниц"].sum() == 620
    assert categories["Подписчиков"].sum() == districts["Подписчиков"].sum() == total
    assert categories["Достигли цели"].sum() == reached
    assert any("демо-данные" in str(badge) for badge in app.sidebar.get("badge")) or \
        "демо-город" in " ".join(caption.value for caption in app.sidebar.caption)


def test_category_filter_changes_every_number_consistently(open_app, store_url):
    app = open_app()
    app.sidebar.multiselect(key="category").set_value(["school"]).run()
    assert not app.exception
    schools = _sql(store_url, "SELECT COUNT(*) FROM institutions WHERE category = 'school'")
    total = _sql(store_url, LATEST.format(what="SUM(s.subscribers)", where="AND i.category = 'school'"))
    metrics = metric_values(app)
    assert metrics["Страниц"] == fmt.number(schools)
    assert metrics["Подписчиков"] == fmt.number(total)
    assert list(app.dataframe[0].value["Категория"]) == ["Школы"]
    assert app.dataframe[1].value["Страниц"].sum() == schools
    assert "Школы" in app.caption[0].value


def test_flagship_and_district_filters_and_reset(open_app, store_url):
    app = open_app()
    app.sidebar.toggle(key="flagship").set_value(True).run()
    app.sidebar.multiselect(key="district").set_value(["Ленинский район"]).run()
    expected = _sql(store_url, "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id "
                               "WHERE p.is_flagship AND i.district = 'Ленинский район'")
    assert metric_values(app)["Страниц"] == fmt.number(expected)
    app.sidebar.button(key="filter_reset").click().run()
    assert metric_values(app)["Страниц"] == "620"


def test_a_selection_without_pages_says_so(open_app):
    app = open_app()
    app.sidebar.multiselect(key="platform").set_value(["telegram"]).run()
    app.sidebar.toggle(key="flagship").set_value(True).run()
    app.sidebar.multiselect(key="category").set_value(["city_hall"]).run()
    assert not app.exception
    assert not app.metric
    assert "ни одна страница" in app.info[0].value


def test_weakest_pages_are_stalled_or_lagging_and_limited(open_app):
    app = open_app()
    weakest = app.dataframe[2].value
    assert len(weakest) == 20
    assert set(weakest["Статус"]) <= {"нет роста", "отстаёт"}
    app.button_group(key="overview_weakest_limit").set_value(50).run()
    assert len(app.dataframe[2].value) == 50
