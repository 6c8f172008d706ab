"""«Свежесть данных»: one definition of «без свежих данных», the same number in the line and the metric."""

from datetime import timedelta

from sqlalchemy import create_engine, text

from components import formatting as fmt
from components import screens
from data_access import clock
from tests.app.conftest import metric_values
from tests.independent import STALE_AFTER_DAYS

PAGE = "pages/freshness.py"


def test_the_line_and_the_metric_count_the_same_old_figures(open_app, store_url):
    engine = create_engine(store_url)
    with engine.begin() as connection:  # 30 pages stop reporting three weeks ago, at target or not
        connection.execute(
            text(
                "DELETE FROM subscriber_snapshots WHERE page_id IN (SELECT id FROM pages ORDER BY id LIMIT 30) "
                "AND day > :cut"
            ),
            {"cut": clock.today() - timedelta(days=21)},
        )
        old = connection.execute(
            text(
                "SELECT COUNT(*) FROM pages p WHERE (SELECT MAX(day) FROM subscriber_snapshots s WHERE s.page_id = "
                "p.id) "
                "< :limit"
            ),
            {"limit": clock.today() - timedelta(days=STALE_AFTER_DAYS)},
        ).scalar()
    engine.dispose()
    app = open_app("pages/freshness.py")
    assert not app.exception and old >= 30
    assert metric_values(app)["Цифры устарели"] == fmt.number(old)
    line = app.caption[0].value
    assert f"{fmt.pages_count(old)} без свежих данных (последняя цифра старше {STALE_AFTER_DAYS} дней)" in line


def test_a_phone_gets_a_card_per_page_with_its_status_and_the_day_and_age_of_its_figure(open_app, monkeypatch):
    table = open_app(PAGE).dataframe[0].value  # the desktop's table
    monkeypatch.setattr(screens, "on_phone", lambda: True)
    app = open_app(PAGE)
    assert not app.dataframe  # a phone gets the cards instead of the table
    cards = [markdown.value for markdown in app.markdown if markdown.value.startswith("**")]
    assert len(cards) == min(10, len(table))
    for card, (_, row) in zip(cards, table.head(10).iterrows()):
        title, line = card.split("  \n")
        assert title.strip("*") == fmt.markdown_text(row["Учреждение"])
        assert line.startswith(row["Статус"])
        if row["Дата цифры"] == row["Дата цифры"]:  # a figure: its day and age, as in the table
            assert f"за {row['Дата цифры']:%d.%m.%Y}" in line and f"({int(row['Давность, дней'])} " in line
        else:
            assert "цифр ещё не было" in line
    app.toggle(key="freshness_phone_table").set_value(True).run()
    assert len(app.dataframe) == 1 and len(app.dataframe[0].value) == len(table)
