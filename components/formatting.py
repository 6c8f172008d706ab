"""Numbers, shares and dates written the Russian way («288 947», «23,5 %», «26.11.2026»)."""

from __future__ import annotations

import math
from datetime import date, datetime

NBSP = "\u00a0"

MONTHS_GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]


def number(value: float | int | None, digits: int = 0) -> str:
    """288947 -> «288 947»; 1234.5 with digits=1 -> «1 234,5»; None -> «—»."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    return text.replace(",", NBSP).replace(".", ",")


def signed(value: float | int | None, digits: int = 0) -> str:
    """Growth with its sign: «+12», «−3», «0»."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = number(abs(value), digits)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


def percent(share: float | None, digits: int = 1) -> str:
    """0.2355 -> «23,5 %»."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return f"{number(share * 100, digits)}{NBSP}%"


def day(value: date | datetime | None) -> str:
    """date(2026, 11, 26) -> «26.11.2026»."""
    if value is None:
        return "—"
    return value.strftime("%d.%m.%Y")


def day_long(value: date | None) -> str:
    """date(2026, 11, 26) -> «26 ноября 2026»."""
    if value is None:
        return "—"
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year}"


def plural(count: int, one: str, few: str, many: str) -> str:
    """Russian plural form: plural(21, 'страница', 'страницы', 'страниц') -> «страница»."""
    count = abs(count)
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many
