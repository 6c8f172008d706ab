"""Numbers, shares and dates written the Russian way («288 947», «23,5 %», «26.11.2026»)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from data_access.clock import CITY_TIMEZONE
from data_access.periods import MONTHS_GENITIVE
from data_access.summaries import Freshness
from data_access.vocabulary import plural

NBSP = "\u00a0"


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


def local_day(value: datetime | str | None) -> date | None:
    """A stored UTC moment as its date in Novosibirsk."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CITY_TIMEZONE).date()


def local_datetime(value: datetime | None) -> str:
    """A stored UTC moment as Novosibirsk local time: «27.11.2026 23:05»."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CITY_TIMEZONE).strftime("%d.%m.%Y %H:%M")


# «/» too: Streamlit reads «:material/home:» as an icon even after an escaped colon.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$/])|:(?=[A-Za-zА-Яа-я])|^([-+]|\d+\.)(?=\s)", re.MULTILINE)


def text_of(value: object) -> str:
    """Optional text from the data as a string: None, NaN and pandas' NA are empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def markdown_text(text: str) -> str:
    """Text from the data, escaped so that Markdown shows it literally: no emphasis, links,
    HTML, Streamlit :colour[]/:icon: shortcodes or list markers. Missing text is empty."""
    text = text_of(text)

    def escape(match: re.Match) -> str:
        found = match.group(0)
        if found[0].isdigit():  # «1. …» at a line start would become a numbered list
            return found[:-1] + "\\."
        return "\\" + found

    return _MARKDOWN_SPECIAL.sub(escape, text)


def pages_count(count: int) -> str:
    """«1 страница», «3 страницы», «620 страниц»."""
    return f"{number(count)} {plural(count, 'страница', 'страницы', 'страниц')}"


def pages_genitive(count: int) -> str:
    """After «из», «для», «у»: «1 страницы», «3 страниц», «620 страниц»."""
    return f"{number(count)} {plural(count, 'страницы', 'страниц', 'страниц')}"


def of_pages(count: int) -> str:
    """«из 1 страницы», «из 3 страниц», «из 620 страниц»."""
    return f"из {pages_genitive(count)}"


def freshness_text(fresh: Freshness, stale_after_days: int) -> str:
    """How current the figures of a selection are, e.g. «данные на 28 ноября 2026 — 10 из 620
    страниц; у 610 — 26 ноября 2026 или раньше»."""
    if not fresh.with_figures:
        return "цифр подписчиков ещё нет"
    if fresh.at_newest == fresh.pages:
        text = f"данные на {day_long(fresh.newest_day)}"
        if fresh.pages > 1:
            text += f" по всем страницам ({number(fresh.pages)})"
    else:
        text = f"данные на {day_long(fresh.newest_day)} — {number(fresh.at_newest)} {of_pages(fresh.pages)}"
        older = fresh.with_figures - fresh.at_newest
        if older:
            text += f"; у {number(older)} — {day_long(fresh.others_newest_day)} или раньше"
    if fresh.without_figures and fresh.at_newest != fresh.pages:
        text += f"; у {number(fresh.without_figures)} цифр нет"
    if fresh.stale:
        text += (
            f"; {pages_count(fresh.stale)} без свежих данных (последняя цифра старше "
            f"{number(stale_after_days)} {plural(stale_after_days, 'дня', 'дней', 'дней')})"
        )
    return text


def label_of(labels: Mapping) -> Callable[[Any], str]:
    """A widget's format_func for options that are `labels`' keys: each key's label (the key
    itself, as text, when it has none)."""
    return lambda key: str(labels.get(key, key))
