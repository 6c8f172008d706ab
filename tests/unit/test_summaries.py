"""Search, complete days and weekly growth: the pure helpers behind the targets page."""

from datetime import date, timedelta

import pandas as pd

from data_access import summaries


def test_search_ignores_case_yo_quotes_and_number_sign():
    pages = pd.DataFrame({
        "short_name": ["Детский сад № 105 «Улыбка»", "Гимназия № 1", "Лицей № 13", "Дом культуры «Ёлочка»"],
        "name": ["МБДОУ", "МАОУ «Гимназия № 1»", "МАОУ", "МБУК"],
    })

    def found(query):
        return list(summaries.search_pages(pages, query)["short_name"])

    assert found("сад 105") == ["Детский сад № 105 «Улыбка»"]
    assert found("ГИМНАЗИЯ №1") == ["Гимназия № 1"]
    assert found("елочка") == ["Дом культуры «Ёлочка»"]
    assert found("«улыбка»") == ["Детский сад № 105 «Улыбка»"]
    assert found("") == list(pages["short_name"])
    assert found("школа") == []


def test_complete_days_drops_days_with_missing_figures():
    history = pd.DataFrame({
        "day": [date(2026, 11, day) for day in (1, 2, 3)],
        "group": ["total"] * 3,
        "subscribers": [1000, 400, 1010],
        "pages": [100, 40, 100],
    })
    assert list(summaries.complete_days(history)["subscribers"]) == [1000, 1010]


def test_weekly_growth_is_last_of_week_minus_last_of_previous_week():
    start = date(2026, 11, 2)  # a Monday
    days = [start + timedelta(days=offset) for offset in range(21)]
    history = pd.DataFrame({"day": days, "subscribers": [100 + offset * 2 for offset in range(21)]})
    weekly = summaries.weekly_growth(history)
    assert list(weekly["growth"]) == [14, 14]
    assert list(weekly["week"]) == [date(2026, 11, 9), date(2026, 11, 16)]
    assert summaries.weekly_growth(history.iloc[0:0]).empty
