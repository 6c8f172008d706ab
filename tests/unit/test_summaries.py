"""Search, freshness and weekly growth: the pure helpers behind the targets page."""

from datetime import date, timedelta

import pandas as pd

from components import formatting
from data_access import search, summaries


def test_search_ignores_case_yo_quotes_and_number_sign():
    pages = pd.DataFrame(
        {
            "short_name": ["Детский сад № 105 «Улыбка»", "Гимназия № 1", "Лицей № 13", "Дом культуры «Ёлочка»"],
            "name": ["МБДОУ", "МАОУ «Гимназия № 1»", "МАОУ", "МБУК"],
        }
    )

    def found(query):
        return list(search.matching(pages, query)["short_name"])

    assert found("сад 105") == ["Детский сад № 105 «Улыбка»"]
    assert found("ГИМНАЗИЯ №1") == ["Гимназия № 1"]
    assert found("елочка") == ["Дом культуры «Ёлочка»"]
    assert found("«улыбка»") == ["Детский сад № 105 «Улыбка»"]
    assert found("") == list(pages["short_name"])
    assert found("школа") == []


def test_freshness_counts_the_newest_day_the_older_ones_and_the_missing():
    pages = pd.DataFrame(
        {
            "latest_day": [date(2026, 11, 28)] * 2 + [date(2026, 11, 26), date(2026, 11, 1), None],
            "status": ["on_track", "reached", "lagging", "stale", "no_data"],
        }
    )
    fresh = summaries.freshness(pages)
    assert (fresh.pages, fresh.with_figures, fresh.at_newest, fresh.stale, fresh.without_figures) == (5, 4, 2, 1, 1)
    assert fresh.newest_day == date(2026, 11, 28) and fresh.others_newest_day == date(2026, 11, 26)
    text = formatting.freshness_text(fresh, 14)
    assert text.startswith("данные на 28 ноября 2026 — 2 из 5 страниц; у 2 — 26 ноября 2026 или раньше")
    assert "у 1 цифр нет" in text and "1 страница без свежих данных" in text
    assert formatting.freshness_text(summaries.freshness(pages.iloc[[4]]), 14) == "цифр подписчиков ещё нет"


def test_no_laggards_never_claims_on_track_for_pages_without_figures():
    pages = pd.DataFrame(
        {
            "status": ["no_data"] * 3,
            "is_flagship": [False] * 3,
            "target": [500] * 3,
            "subscribers": pd.array([None] * 3, dtype="Int64"),
        }
    )
    kpi = summaries.kpis(pages)
    assert kpi.share_at_target == 0 and kpi.with_figures == 0
    assert "цифр подписчиков для этих страниц ещё нет" in summaries.no_laggards_text(kpi)
    assert "достигли цели или идут по графику" not in summaries.no_laggards_text(kpi)


def test_weekly_growth_is_last_of_week_minus_last_of_previous_week():
    start = date(2026, 11, 2)  # a Monday
    days = [start + timedelta(days=offset) for offset in range(21)]
    history = pd.DataFrame({"day": days, "subscribers": [100 + offset * 2 for offset in range(21)]})
    weekly = summaries.weekly_growth(history)
    assert list(weekly["growth"]) == [14, 14]
    assert list(weekly["week"]) == [date(2026, 11, 9), date(2026, 11, 16)]
    assert summaries.weekly_growth(history.iloc[0:0]).empty


def test_fresh_pages_count_by_age_whatever_the_status():
    pages = pd.DataFrame(
        {
            "age_days": pd.array([0, 14, 15, 90, None], dtype="Int64"),
            "status": ["on_track", "reached", "stale", "reached", "no_data"],
        }
    )
    assert summaries.fresh_pages(pages, 14) == 2 and summaries.fresh_pages(pages.iloc[0:0], 14) == 0


def test_a_week_still_under_way_is_marked_partial():
    start = date(2026, 11, 2)  # a Monday; the history ends on Wednesday of the third week
    days = [start + timedelta(days=offset) for offset in range(17)]
    history = pd.DataFrame({"day": days, "subscribers": [100 + offset * 2 for offset in range(17)]})
    weekly = summaries.weekly_growth(history)
    assert list(weekly["days"]) == [7, 3] and list(weekly["partial"]) == [False, True]
    assert list(weekly["growth"]) == [14, 6]


def test_changes_over_a_week_and_a_month_use_the_carried_figure_of_that_day():
    as_of = date(2026, 11, 27)
    history = pd.DataFrame(
        {
            "day": [as_of - timedelta(days=40), as_of - timedelta(days=8), as_of],
            "subscribers": [100, 150, 180],
            "at_target": [1, 2, 4],
        }
    )
    change = summaries.changes(history, as_of, "subscribers")
    assert (change.week, change.month) == (30, 80)  # 7 days back carries the figure of day −8
    assert summaries.changes(history.iloc[2:], as_of, "at_target") == summaries.Change(None, None)
    assert summaries.changes(history.iloc[0:0], as_of, "at_target") == summaries.Change(None, None)


def test_at_target_history_shares_use_the_pages_of_the_group_now():
    history = pd.DataFrame({"day": [date(2026, 11, 1)] * 2, "group": ["school", "culture"], "at_target": [3, 0]})
    shares = summaries.at_target_history(history, {"school": 12, "culture": 0})
    assert shares.loc[0, "share"] == 0.25 and pd.isna(shares.loc[1, "share"])


def _outlook_pages() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "status": ["reached", "on_track", "lagging", "lagging", "stalled", "stale", "no_data", "on_track"],
            "needed_weekly_growth": [0.0, 3.0, 10.0, 30.0, 50.0, None, None, 4.0],
        }
    )


def test_outlook_counts_each_status_and_the_median_need_of_those_behind():
    outlook = summaries.outlook(_outlook_pages())
    assert (outlook.reached, outlook.on_track, outlook.lagging, outlook.stalled, outlook.stale, outlook.no_data) == (
        1,
        2,
        2,
        1,
        1,
        1,
    )
    assert outlook.will_miss == 3 and outlook.unknown == 2
    assert outlook.needed_weekly == 30.0  # the median of 10, 30 and 50: on-track pages do not count
    nobody_behind = summaries.outlook(_outlook_pages().iloc[[0, 1, 5]])
    assert nobody_behind.needed_weekly is None and nobody_behind.will_miss == 0


def _series_pages() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "page_id": [1, 2, 3],
            "short_name": ["Школа № 1", "Школа № 2", "Дом культуры"],
            "category": ["school", "school", "culture"],
            "target": [1000, 500, 500],
        }
    )


def test_history_series_of_the_whole_selection():
    start = date(2026, 11, 2)  # a Monday
    days = [start + timedelta(days=offset) for offset in range(10)]
    history = pd.DataFrame(
        {
            "day": days,
            "group": "total",
            "subscribers": [900 + offset * 10 for offset in range(10)],
            "pages": 3,
            "reported": [3, 2, 3, 3, 1, 3, 3, 3, 3, 3],
            "at_target": [0] * 9 + [1],
        }
    )
    series = summaries.history_series(history, _series_pages(), "total")
    assert set(series.history["label"]) == {"весь выбор"} and series.targets == {"весь выбор": 2000}
    assert series.partial_days == 2  # two days on which not every page reported
    assert series.at_target["share"].iloc[-1] == 1 / 3
    assert list(series.weekly["growth"]) == [30] and list(series.weekly["partial"]) == [True]  # Sunday 960 → 990


def test_history_series_per_category_has_no_weekly_bars_and_one_page_no_shares():
    day = date(2026, 11, 2)
    by_category = pd.DataFrame(
        {
            "day": [day, day],
            "group": ["school", "culture"],
            "subscribers": [1400, 450],
            "pages": [2, 1],
            "reported": [2, 0],
            "at_target": [1, 0],
        }
    )
    series = summaries.history_series(by_category, _series_pages(), "category")
    assert series.targets == {"Школы": 1500, "Культура": 500} and series.weekly is None
    assert list(series.at_target["share"]) == [0.5, 0.0] and series.partial_days == 1
    one = pd.DataFrame(
        {"day": [day], "group": ["3"], "subscribers": [450], "pages": [1], "reported": [1], "at_target": [0]}
    )
    series = summaries.history_series(one, _series_pages(), "page", 3)
    assert series.targets == {"Дом культуры": 500} and list(series.history["label"]) == ["Дом культуры"]
    assert series.at_target is None and series.weekly is not None and series.partial_days == 0
    empty = summaries.history_series(one.iloc[0:0], _series_pages(), "total")
    assert empty.history.empty and empty.at_target is None and empty.weekly is None
