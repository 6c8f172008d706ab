"""Numbers stay true on real-world data: a partial, later upload; pages without figures; stale
pages. Every per-page cell of «Цели по подписчикам» is compared with an independent computation."""

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import text

from components import reads
from data_access import importers
from data_access.auth import COMMAND_LINE
from data_access.engine import make_engine
from tests.app.conftest import metric_values, open_tab, rewrite_store, rows
from tests.conftest import DEMO_TODAY
from tests.independent import active_pages, expected_pages

TODAY = date.fromisoformat(DEMO_TODAY)
COMPARED = [
    "Подписчики",
    "Дата цифры",
    "Рост за 7 дней",
    "Рост за 30 дней",
    "Статус",
    "Прогноз достижения",
    "Нужно в неделю",
]


def _targets_table(open_app) -> tuple[pd.DataFrame, dict[str, str], str]:
    reads.cache.clear_reads()  # a write by another process is seen within the revision check's 2 s; skip the wait
    app = open_app("pages/targets.py")
    assert not app.exception
    table = next(frame.value for frame in app.dataframe if "Прогноз достижения" in frame.value.columns)
    metrics = metric_values(app)
    captions = [caption.value for caption in app.caption]
    captions += [caption.value for caption in open_tab(app, "targets_section", "История").caption]
    return table.set_index("Страница"), metrics, " ".join(captions)


def _value(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value.date() if isinstance(value, pd.Timestamp) else value


def _assert_every_cell_matches(table: pd.DataFrame, expected: dict[str, dict]) -> None:
    keys = {
        "Подписчики": "subscribers",
        "Дата цифры": "day",
        "Рост за 7 дней": "growth_7",
        "Рост за 30 дней": "growth_30",
        "Статус": "status",
        "Прогноз достижения": "forecast",
        "Нужно в неделю": "needed",
    }
    assert set(table.index) == set(expected)
    wrong = [
        (url, column, _value(table.loc[url, column]), expected[url][key])
        for url in expected
        for column, key in keys.items()
        if _value(table.loc[url, column]) != expected[url][key]
    ]
    assert not wrong, f"{len(wrong)} cells differ, e.g. {wrong[:5]}"


def _upload(url: str, rows: list[tuple[str, date, int]]) -> None:
    body = "Страница;Дата;Подписчики\n" + "".join(f"{link};{day:%d.%m.%Y};{value}\n" for link, day, value in rows)
    engine = make_engine(url)
    plan = importers.plan_subscribers(engine, body.encode(), "week.csv", TODAY)
    assert plan.ok, plan.problem_texts()
    importers.apply_subscribers(engine, COMMAND_LINE, plan, confirm_suspicious=True)
    engine.dispose()


def test_a_partial_later_upload_moves_only_the_pages_it_names(open_app, store_url):
    before, _, _ = _targets_table(open_app)
    chosen = rows(
        store_url,
        "SELECT p.url, MAX(s.subscribers) FROM pages p JOIN subscriber_snapshots s "
        "ON s.page_id = p.id GROUP BY p.url ORDER BY p.url LIMIT 10",
    )
    later = TODAY  # a day after everybody else's latest figure
    _upload(store_url, [(link, later, value + 5) for link, value in chosen])

    table, metrics, caption = _targets_table(open_app)
    expected = expected_pages(store_url, TODAY)
    _assert_every_cell_matches(table, expected)
    untouched = [url for url in table.index if url not in {link for link, _ in chosen}]
    assert len(untouched) == active_pages(store_url) - 10
    pd.testing.assert_frame_equal(table.loc[untouched, COMPARED], before.loc[untouched, COMPARED])
    statuses = pd.Series([page["status"] for page in expected.values()]).value_counts()
    assert metrics["По графику"] == str(statuses.get("по графику", 0))
    assert metrics["Не успеют к сроку"] == str(statuses.get("отстаёт", 0) + statuses.get("нет роста", 0))
    assert (
        f"данные на 27 ноября 2026 — 10 из {len(table)} страниц; у {len(table) - 10} — 26 ноября 2026 или раньше"
        in caption
    )


def test_stale_and_missing_figures_are_never_on_track(open_app, store_url):
    picked = {}

    def stop_reporting(connection):
        # Three pages stopped reporting three weeks ago; two have no figures at all.
        picked["stale"] = connection.execute(text("SELECT id, url FROM pages ORDER BY id LIMIT 3")).all()
        picked["empty"] = connection.execute(text("SELECT id, url FROM pages ORDER BY id DESC LIMIT 2")).all()
        for page_id, _ in picked["stale"]:
            connection.execute(
                text("DELETE FROM subscriber_snapshots WHERE page_id = :p AND day > :d"),
                {"p": page_id, "d": TODAY - timedelta(days=21)},
            )
        for page_id, _ in picked["empty"]:
            connection.execute(text("DELETE FROM subscriber_snapshots WHERE page_id = :p"), {"p": page_id})

    rewrite_store(store_url, stop_reporting)
    stale, empty = picked["stale"], picked["empty"]
    table, metrics, caption = _targets_table(open_app)
    expected = expected_pages(store_url, TODAY)
    _assert_every_cell_matches(table, expected)
    for _, url in empty:
        assert table.loc[url, "Статус"] == "нет данных" and table.loc[url, "Прогноз достижения"] == "—"
    assert {table.loc[url, "Статус"] for _, url in stale} <= {"нет свежих данных", "цель достигнута"}
    unknown = sum(page["status"] in ("нет свежих данных", "нет данных") for page in expected.values())
    assert metrics["Нет свежих цифр"] == str(unknown)
    assert "у 2 цифр нет" in caption


def test_a_registry_without_figures_says_so_instead_of_all_on_track(open_app, store_url):
    rewrite_store(
        store_url,
        lambda connection: (
            connection.execute(text("DELETE FROM subscriber_snapshots")),
            connection.execute(text("DELETE FROM daily_totals")),
        ),
    )
    app = open_app()
    assert not app.exception
    texts = " ".join(element.value for element in [*app.info, *app.warning])
    help_first = open_tab(app, "overview_section", "Кому помочь в первую очередь")
    texts += " ".join(element.value for element in help_first.info)
    assert "ещё нет ни одной цифры подписчиков" in texts
    assert "цифр подписчиков для этих страниц ещё нет" in texts
    assert "Все выбранные страницы достигли цели или идут по графику" not in texts
    assert metric_values(help_first)["Достигли цели"] == "0,0\u00a0%"


def test_the_freshness_page_counts_match_sql(open_app, store_url):
    def age_some(connection):
        connection.execute(
            text("DELETE FROM subscriber_snapshots WHERE page_id IN (1, 2, 3) AND day > :d"),
            {"d": TODAY - timedelta(days=30)},
        )
        connection.execute(text("DELETE FROM subscriber_snapshots WHERE page_id IN (7, 8)"))

    rewrite_store(store_url, age_some)
    app = open_app("pages/freshness.py")
    assert not app.exception
    engine = make_engine(store_url)
    with engine.connect() as connection:
        latest = dict(
            connection.execute(text("SELECT page_id, MAX(day) FROM subscriber_snapshots GROUP BY page_id")).all()
        )
        total = connection.execute(text("SELECT COUNT(*) FROM pages")).scalar()
    engine.dispose()
    ages = [(TODAY - date.fromisoformat(str(day)[:10])).days for day in latest.values()]
    metrics = metric_values(app)
    assert metrics["Со свежими цифрами"] == str(sum(age <= 14 for age in ages))
    assert metrics["Цифры устарели"] == str(sum(age > 14 for age in ages)) == "3"
    assert metrics["Цифр нет вовсе"] == str(total - len(latest)) == "2"
    table = next(frame.value for frame in app.dataframe if "Давность, дней" in frame.value.columns)
    assert table["Давность, дней"].isna().head(2).all()  # pages without figures first, then the oldest
    assert int(table["Давность, дней"].iloc[2]) == max(ages)


def test_the_targets_outlook_and_history_caption_match_sql_after_a_partial_upload(open_app, store_url):
    chosen = rows(
        store_url,
        "SELECT p.url, MAX(s.subscribers) FROM pages p JOIN subscriber_snapshots s "
        "ON s.page_id = p.id GROUP BY p.url ORDER BY p.url LIMIT 7",
    )
    _upload(store_url, [(link, TODAY, value + 3) for link, value in chosen])
    _, metrics, caption = _targets_table(open_app)

    expected = expected_pages(store_url, TODAY)
    behind = sorted(page["needed"] for page in expected.values() if page["status"] in ("отстаёт", "нет роста"))
    shown = float(metrics["Нужно в неделю"].replace("\u00a0", "").replace(",", "."))
    assert abs(shown - float(pd.Series(behind).median())) <= 0.1  # the cells are rounded to 0,1, the median is not

    # The year shown by default: days on which fewer pages reported than had a figure by then.
    start = TODAY - timedelta(days=364)
    partial = rows(
        store_url,
        """
        SELECT COUNT(*) FROM (SELECT DISTINCT day FROM subscriber_snapshots WHERE day >= :start) AS d
        WHERE (SELECT COUNT(*) FROM subscriber_snapshots s WHERE s.day = d.day)
            < (SELECT COUNT(*) FROM (SELECT MIN(day) AS first FROM subscriber_snapshots GROUP BY page_id) AS f
               WHERE f.first <= d.day)""",
        start=start,
    )[0][0]
    assert partial >= 1  # the partial upload's own day at least
    assert f"Дней, когда прислали не все страницы: {partial}." in caption
