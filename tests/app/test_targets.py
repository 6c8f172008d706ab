"""AppTest of «Цели по подписчикам»: numbers match SQL, filters and search stay consistent."""

from datetime import date, timedelta

from components import formatting as fmt
from components import screens
from tests.app.conftest import chart_specs, metric_values, open_tab, scalar
from tests.independent import active_pages

PAGE = "pages/targets.py"
SECTION = "targets_section"  # its tabs (widgets.lazy_tabs)


REACHED = (
    "SELECT COUNT(*) FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id "
    "JOIN institutions i ON i.id = p.institution_id "
    "WHERE s.day = (SELECT MAX(day) FROM subscriber_snapshots) "
    "AND s.subscribers >= COALESCE(p.target_override, CASE WHEN p.is_flagship THEN 1000 ELSE 500 END) {where}"
)


def test_targets_page_reconciles_with_the_store(open_app, store_url):
    app = open_app(PAGE)
    assert not app.exception and app.title[0].value == "Цели по подписчикам"
    metrics = metric_values(app)
    assert metrics["Страниц"] == fmt.number(active_pages(store_url))
    assert metrics["Цель достигнута"] == fmt.number(scalar(store_url, REACHED.format(where="")))
    table = app.dataframe[0].value  # the tab «Страницы», open first
    categories = open_tab(app, SECTION, "По категориям").dataframe[0].value
    assert categories["Страниц"].sum() == active_pages(store_url) == len(table)
    assert categories["Достигли цели"].sum() == int(metrics["Цель достигнута"].replace("\u00a0", ""))
    statuses = table["Статус"].value_counts()
    assert statuses["цель достигнута"] + statuses["по графику"] + statuses["отстаёт"] + statuses["нет роста"] == len(
        table
    )
    assert int(metrics["Не успеют к сроку"].replace("\u00a0", "")) == statuses["отстаёт"] + statuses["нет роста"]
    assert {"Страница", "Прогресс", "Рост за 7 дней", "Рост за 30 дней", "Прогноз достижения"} <= set(table.columns)
    assert app.get("vega_lite_chart")  # the category chart
    assert open_tab(app, SECTION, "История").get("vega_lite_chart")  # and the history charts


def test_sidebar_filter_changes_table_and_metrics_together(open_app, store_url):
    app = open_app(PAGE)
    app.sidebar.multiselect(key="district").set_value(["Кировский район"]).run()
    expected = scalar(
        store_url,
        "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id "
        "WHERE i.district = 'Кировский район'",
    )
    reached = scalar(store_url, REACHED.format(where="AND i.district = 'Кировский район'"))
    assert metric_values(app)["Страниц"] == fmt.number(expected)
    assert metric_values(app)["Цель достигнута"] == fmt.number(reached)
    table = app.dataframe[0].value
    assert len(table) == expected and set(table["Район"]) == {"Кировский район"}


def test_status_filter_and_search_narrow_the_table_only(open_app, store_url):
    app = open_app(PAGE)
    app.multiselect(key="targets_status").set_value(["stalled"]).run()
    table = app.dataframe[0].value
    assert len(table) > 0 and set(table["Статус"]) == {"нет роста"}
    assert set(table["Прогноз достижения"]) == {"не достигнет"}
    assert metric_values(app)["Страниц"] == fmt.number(
        active_pages(store_url)
    )  # the status filter narrows the list, not the city
    app.multiselect(key="targets_status").set_value([]).run()
    app.text_input(key="targets_search").input("гимназия").run()
    names = app.dataframe[0].value["Учреждение"]
    assert len(names) > 0 and all("Гимназия" in name for name in names)
    assert f"Показано {len(names)} из {active_pages(store_url)}" in app.caption[1].value


def test_deadline_changes_statuses_but_not_reached(open_app):
    app = open_app(PAGE)
    before = metric_values(app)
    app.date_input(key="targets_deadline").set_value(date(2030, 12, 31)).run()
    after = metric_values(app)
    assert after["Цель достигнута"] == before["Цель достигнута"]
    assert int(after["По графику"].replace("\u00a0", "")) > int(before["По графику"].replace("\u00a0", ""))


def test_history_for_one_page_and_per_category(open_app):
    app = open_tab(open_app(PAGE), SECTION, "История")
    app.radio(key="targets_series").set_value("по категориям").run()
    assert not app.exception
    app.radio(key="targets_series").set_value("одна страница").run()
    app.selectbox(key="targets_period").set_value("30 дней").run()
    assert not app.exception
    history = next(frames for spec, frames in chart_specs(app) if spec["description"] == "Подписчики и цель (пунктир)")
    series = next(frame for frame in history if "subscribers" in frame.columns)
    assert len(series) == 30 and series["label"].nunique() == 1


def test_posting_and_engagement_are_the_measured_figures(open_app, store_url):
    """The «Публикации и вовлечённость» metrics and the per-page columns against direct SQL over
    page_measurements and the definitions of docs/guide.md (ER = (likes + comments + reposts) / views)."""
    from statistics import median

    from sqlalchemy import create_engine, text

    engine = create_engine(store_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT p.url, m.posts_7d, m.likes, m.comments, m.reposts, m.views FROM page_measurements m "
                "JOIN pages p ON p.id = m.page_id WHERE m.day = (SELECT MAX(day) FROM page_measurements x "
                "WHERE x.page_id = m.page_id AND x.posts_7d IS NOT NULL)"
            )
        ).all()
        vk_pages = connection.execute(text("SELECT COUNT(*) FROM pages WHERE platform = 'vk'")).scalar()
    engine.dispose()
    assert rows, "the demo city carries one measurement per VK page"
    table = open_app(PAGE).dataframe[0].value.set_index("Страница")
    app = open_tab(open_app(PAGE), SECTION, "Публикации и вовлечённость")
    metrics = metric_values(app)
    assert metrics["Измерено страниц ВКонтакте"] == f"{fmt.number(len(rows))} из {fmt.number(vk_pages)}"
    regular = sum(posts >= 3 for _, posts, *_ in rows)
    assert metrics["Не реже 3 раз в неделю"] == fmt.percent(regular / len(rows))
    assert metrics["Публикаций за 7 дней"] == fmt.number(float(median(posts for _, posts, *_ in rows)), 1)
    rates = [(likes + comments + reposts) / views for _, _, likes, comments, reposts, views in rows if views]
    assert metrics["Вовлечённость (ER)"] == fmt.percent(median(rates))
    assert any("ER (вовлечённость по просмотрам)" in caption.value for caption in app.caption)
    for url, posts, likes, comments, reposts, views in rows:
        assert table.loc[url, "Публикаций за 7 дней"] == posts
        assert table.loc[url, "Вовлечённость (ER)"] == round((likes + comments + reposts) / views, 4)
    others = table[~table.index.isin([url for url, *_ in rows])]
    assert others["Публикаций за 7 дней"].isna().all()  # not measured: empty, never 0


def test_every_status_is_a_column_and_each_row_adds_up_to_its_pages(open_app, store_url):
    """docs/guide.md: pages by every status, «нет свежих данных» and «нет данных» included; per category
    the parts equal the independent computation and add up to «Страниц»."""
    from collections import Counter

    from sqlalchemy import create_engine, text

    from data_access import clock
    from data_access.vocabulary import CATEGORIES
    from tests.independent import expected_pages

    app = open_tab(open_app(PAGE), SECTION, "По категориям")
    table = next(frame.value for frame in app.dataframe if "Нет данных" in frame.value.columns)
    parts = ["Достигли цели", "По графику", "Отстают", "Нет роста", "Нет свежих данных", "Нет данных"]
    assert (table[parts].sum(axis=1) == table["Страниц"]).all()
    expected = expected_pages(store_url, clock.today())
    engine = create_engine(store_url)
    with engine.connect() as connection:
        category = dict(
            connection.execute(
                text("SELECT p.url, i.category FROM pages p JOIN institutions i ON i.id = p.institution_id")
            ).all()
        )
    engine.dispose()
    words = {
        "цель достигнута": "Достигли цели",
        "по графику": "По графику",
        "отстаёт": "Отстают",
        "нет роста": "Нет роста",
        "нет свежих данных": "Нет свежих данных",
        "нет данных": "Нет данных",
    }
    counted = Counter((CATEGORIES[category[url]], words[row["status"]]) for url, row in expected.items())
    shown = {(row["Категория"], part): int(row[part]) for _, row in table.iterrows() for part in parts}
    assert shown == {key: counted.get(key, 0) for key in shown}


def test_a_phone_gets_cards_with_what_decides_ten_at_a_time_and_each_opens_its_card(open_app, monkeypatch):
    table = open_app(PAGE).dataframe[0].value  # the desktop's table: the same rows in the same order
    monkeypatch.setattr(screens, "on_phone", lambda: True)
    app = open_app(PAGE)
    assert not app.dataframe  # a phone gets the cards instead of the table
    cards = [markdown.value for markdown in app.markdown if markdown.value.startswith("**")]
    assert len(cards) == 10
    for card, (_, row) in zip(cards, table.head(10).iterrows()):
        title, line = card.split("  \n")
        assert fmt.markdown_text(row["Учреждение"]) in title and " · " in title  # name with its network
        assert line.startswith(row["Статус"]) and f"из {fmt.number(row['Цель'])}" in line
        if row["Нужно в неделю"] == row["Нужно в неделю"]:  # not NaN
            assert f"нужно {fmt.number(row['Нужно в неделю'], 1)} в неделю" in line
    assert f"1–10 из {fmt.number(len(table))}" in [caption.value for caption in app.caption]
    app.button(key="targets_pages_phone_forward").click().run()
    assert f"11–20 из {fmt.number(len(table))}" in [caption.value for caption in app.caption]
    app.button(key="targets_pages_phone_open_12").click().run()
    assert not app.exception
    name = table["Учреждение"].iloc[12].split(" · ")[0]
    assert any(subheader.value.startswith(name) for subheader in app.subheader)  # the card of that page
    app.toggle(key="targets_pages_phone_table").set_value(True).run()
    assert len(app.dataframe[0].value) == len(table)  # every column, one tap away


def test_after_a_gap_the_growth_says_the_days_it_spans(open_app, store_url):
    from sqlalchemy import text

    from tests.app.conftest import rewrite_store

    page_id = scalar(store_url, "SELECT MIN(page_id) FROM subscriber_snapshots")
    latest = str(scalar(store_url, "SELECT MAX(day) FROM subscriber_snapshots WHERE page_id = :page", page=page_id))
    # Figures 1 to 23 days before the page's latest are lost: its «7 days» now reach back 24.
    rewrite_store(
        store_url,
        lambda connection: connection.execute(
            text("DELETE FROM subscriber_snapshots WHERE page_id = :page AND day < :latest AND day >= :cut"),
            {"page": page_id, "latest": latest, "cut": (date.fromisoformat(latest) - timedelta(days=23)).isoformat()},
        ),
    )
    span = scalar(
        store_url,
        "SELECT CAST(julianday(:latest) - julianday(MAX(day)) AS INTEGER) FROM subscriber_snapshots "
        "WHERE page_id = :page AND day <= date(:latest, '-7 day')",
        page=page_id,
        latest=latest,
    )
    growth = scalar(
        store_url,
        "SELECT (SELECT subscribers FROM subscriber_snapshots WHERE page_id = :page AND day = :latest)"
        " - (SELECT subscribers FROM subscriber_snapshots WHERE page_id = :page "
        "AND day <= date(:latest, '-7 day') ORDER BY day DESC LIMIT 1)",
        page=page_id,
        latest=latest,
    )
    assert span == 24
    app = open_app(PAGE)
    url = scalar(store_url, "SELECT url FROM pages WHERE id = :page", page=page_id)
    table = app.dataframe[0].value.set_index("Страница")
    assert table.loc[url, "Период роста, дней"] == span
    assert table.loc[url, "Рост за 7 дней"] == growth
    assert (table.drop(index=url)["Период роста, дней"].dropna() == 7).all()
