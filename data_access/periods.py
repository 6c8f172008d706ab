"""Reporting periods: a month, a quarter, a year or custom dates, named the way an official report
names them («IV квартал 2026 г.»), with the period before it to compare against."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
QUARTERS = ("I", "II", "III", "IV")

KINDS = ("month", "quarter", "year", "custom")

# The oldest and newest years a period may name: the pages exist since 2023; a typo like 20266 is refused.
FIRST_YEAR = 2000
LAST_YEAR = 2100

FORMS = "2026 (год), 2026-Q4 (квартал), 2026-11 (месяц) или 2026-10-01..2026-12-31 (свои даты)"


def long_date(day: date) -> str:
    """date(2026, 11, 29) -> «29 ноября 2026 г.» (the official form)."""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


MONTHS_INSTRUMENTAL = (
    "январём",
    "февралём",
    "мартом",
    "апрелем",
    "маем",
    "июнем",
    "июлем",
    "августом",
    "сентябрём",
    "октябрём",
    "ноябрём",
    "декабрём",
)


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included."""

    start: date
    end: date
    kind: str = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("Конец периода раньше его начала.")
        if self.kind not in KINDS:
            raise ValueError(f"Неизвестный вид периода: {self.kind}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """«ноябрь 2026 г.», «IV квартал 2026 г.», «2026 год», «1 октября – 15 ноября 2026 г.»."""
        if self.kind == "month":
            return f"{MONTHS[self.start.month - 1]} {self.start.year} г."
        if self.kind == "quarter":
            return f"{QUARTERS[(self.start.month - 1) // 3]} квартал {self.start.year} г."
        if self.kind == "year":
            return f"{self.start.year} год"
        if self.start.year == self.end.year:
            return f"{self.start.day} {MONTHS_GENITIVE[self.start.month - 1]} – {long_date(self.end)}"
        return f"{long_date(self.start)} – {long_date(self.end)}"

    @property
    def with_label(self) -> str:
        """The period after «по сравнению с»: «ноябрём 2026 г.», «III кварталом 2026 г.», «2025 годом»,
        «периодом 1 октября – 15 ноября 2026 г.»."""
        if self.kind == "month":
            return f"{MONTHS_INSTRUMENTAL[self.start.month - 1]} {self.start.year} г."
        if self.kind == "quarter":
            return f"{QUARTERS[(self.start.month - 1) // 3]} кварталом {self.start.year} г."
        if self.kind == "year":
            return f"{self.start.year} годом"
        return f"периодом {self.label}"

    @property
    def code(self) -> str:
        """The form `parse` reads back, also used in file names: 2026-Q4, 2026-11, 2026."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> Period:
        """The period of the same kind just before (a custom period: as many days just before)."""
        if self.kind == "month":
            end = self.start - timedelta(days=1)
            return Period(date(end.year, end.month, 1), end, "month")
        if self.kind == "quarter":
            end = self.start - timedelta(days=1)
            return Period(date(end.year, end.month - 2, 1), end, "quarter")
        if self.kind == "year":
            return Period(date(self.start.year - 1, 1, 1), date(self.start.year - 1, 12, 31), "year")
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, "custom")

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches."""
        first = date(self.start.year, self.start.month, 1)
        result = []
        while first <= self.end:
            result.append(first)
            first = _month_end(first.year, first.month) + timedelta(days=1)
        return result


def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), _month_end(year, number), "month")


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(date(year, first, 1), _month_end(year, first + 2), "quarter")


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), "year")


def _checked_year(text: str, original: str) -> int:
    value = int(text)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValueError(f"Период «{original}»: год {value} вне пределов {FIRST_YEAR}–{LAST_YEAR}.")
    return value


def _day(text: str, original: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Период «{original}»: «{text}» — не дата в виде ГГГГ-ММ-ДД.") from None
    _checked_year(str(value.year), original)
    return value


def parse(text: str) -> Period:
    """Read a period: «2026», «2026-Q4», «2026-11», «2026-10-01..2026-12-31». A ValueError with a
    Russian sentence (naming the value and the accepted forms) otherwise."""
    original = text
    text = (text or "").strip().upper()
    if not text:
        raise ValueError(f"Период не указан. Можно: {FORMS}.")
    if re.fullmatch(r"[0-9]{4}", text):
        return year(_checked_year(text, original))
    found = re.fullmatch(r"([0-9]{4})-?Q([0-9])", text)
    if found:
        number = int(found.group(2))
        if not 1 <= number <= 4:
            raise ValueError(f"Период «{original}»: квартал {number} не существует, кварталы — с 1 по 4.")
        return quarter(_checked_year(found.group(1), original), number)
    found = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", text)
    if found:
        number = int(found.group(2))
        if not 1 <= number <= 12:
            raise ValueError(f"Период «{original}»: месяца {number} нет, месяцы — с 1 по 12.")
        return month(_checked_year(found.group(1), original), number)
    found = re.fullmatch(r"([0-9-]+)\s*\.\.\s*([0-9-]+)", text)
    if found:
        start, end = _day(found.group(1), original), _day(found.group(2), original)
        if end < start:
            raise ValueError(f"Период «{original}»: конец ({end:%d.%m.%Y}) раньше начала ({start:%d.%m.%Y}).")
        return Period(start, end, "custom")
    raise ValueError(f"Период «{original}» не распознан. Можно: {FORMS}.")


def current_quarter(today: date) -> Period:
    return quarter(today.year, (today.month - 1) // 3 + 1)


def choices(kind: str, first: date, last: date) -> list[Period]:
    """The months, quarters or years from the one holding `first` to the one holding `last`,
    newest first (what a report can be asked for)."""
    if kind == "year":
        return [year(number) for number in range(last.year, first.year - 1, -1)]
    if kind == "quarter":
        found: list[Period] = []
        period = current_quarter(last)
    elif kind == "month":
        found, period = [], month(last.year, last.month)
    else:
        raise ValueError(f"Неизвестный вид периода: {kind}")
    while period.end >= first:
        found.append(period)
        period = period.previous()
    return found
