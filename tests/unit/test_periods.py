"""Reporting periods: the forms the command line and the «Отчёт» page accept, their Russian names."""

import re
from datetime import date

import pytest

from data_access import periods


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "previous"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026 год", "2025 год"),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "IV квартал 2026 г.", "III квартал 2026 г."),
        ("2026q1", date(2026, 1, 1), date(2026, 3, 31), "I квартал 2026 г.", "IV квартал 2025 г."),
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "ноябрь 2026 г.", "октябрь 2026 г."),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31), "январь 2026 г.", "декабрь 2025 г."),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "февраль 2024 г.", "январь 2024 г."),
        (
            " 2026-10-01..2026-11-15 ",
            date(2026, 10, 1),
            date(2026, 11, 15),
            "1 октября – 15 ноября 2026 г.",
            "16 августа – 30 сентября 2026 г.",
        ),
        (
            "2025-12-20..2026-01-10",
            date(2025, 12, 20),
            date(2026, 1, 10),
            "20 декабря 2025 г. – 10 января 2026 г.",
            "28 ноября – 19 декабря 2025 г.",
        ),
    ],
)
def test_parse_names_the_period_and_the_one_before(text, start, end, label, previous):
    period = periods.parse(text)
    assert (period.start, period.end, period.label, period.previous().label) == (start, end, label, previous)
    assert period.previous().days == period.days or period.kind != "custom"
    assert periods.parse(period.code) == period  # the code reads back


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Период не указан"),
        ("2026-Q5", "квартал 5 не существует"),
        ("2026-Q0", "квартал 0 не существует"),
        ("2026-13", "месяца 13 нет"),
        ("2026-00", "месяца 0 нет"),
        ("20266", "не распознан"),
        ("1899", "вне пределов"),
        ("прошлый месяц", "не распознан"),
        ("2026-12-01..2026-11-01", "конец (01.11.2026) раньше начала (01.12.2026)"),
        ("2026-02-30..2026-03-01", "«2026-02-30» — не дата"),
        ("2026-01-01; DROP TABLE pages", "не распознан"),
    ],
)
def test_parse_refuses_in_russian(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        periods.parse(text)


def test_long_date_is_the_official_form():
    assert periods.long_date(date(2026, 11, 29)) == "29 ноября 2026 г."
    assert periods.long_date(date(2027, 3, 1)) == "1 марта 2027 г."


def test_choices_go_back_to_the_first_figure_newest_first():
    quarters = periods.choices("quarter", date(2025, 8, 14), date(2026, 11, 26))
    assert [choice.code for choice in quarters] == ["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3"]
    months = periods.choices("month", date(2026, 9, 30), date(2026, 11, 1))
    assert [choice.label for choice in months] == ["ноябрь 2026 г.", "октябрь 2026 г.", "сентябрь 2026 г."]
    assert [choice.code for choice in periods.choices("year", date(2024, 5, 1), date(2026, 1, 1))] == [
        "2026",
        "2025",
        "2024",
    ]


def test_months_of_a_period():
    assert periods.parse("2026-Q4").months() == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert periods.parse("2026-11-20..2027-01-05").months() == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]


def test_the_previous_period_reads_after_po_sravneniyu_s():
    from data_access import periods

    assert periods.parse("2026-Q4").previous().with_label == "III кварталом 2026 г."
    assert periods.parse("2026-11").previous().with_label == "октябрём 2026 г."
    assert periods.parse("2026").previous().with_label == "2025 годом"
    assert periods.parse("2026-10-01..2026-10-10").previous().with_label.startswith("периодом 21 сентября")
