"""Tables as shown on screen: Russian headers, readable values, and their column settings.

The frame a table shows is the frame its CSV download writes, so the file always matches the
screen.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import formatting as fmt
from data_access.measurements import ENGAGEMENT_DEFINITION
from data_access.vocabulary import (
    STATUS_NO_DATA,
    STATUS_REACHED,
    STATUS_STALE,
    category_label,
    platform_label,
    plural,
    status_label,
)

NEVER = "не достигнет"


def forecast_text(status: str, forecast) -> str:
    if status == STATUS_REACHED:
        return "достигнута"
    if status in (STATUS_NO_DATA, STATUS_STALE):
        return "—"
    if forecast is None or pd.isna(forecast):
        return NEVER
    return forecast.strftime("%d.%m.%Y")


def page_names(pages: pd.DataFrame) -> pd.Series:
    """Each page as tables name it: «Гимназия № 1 · ВКонтакте» (vocabulary.page_name). Where two
    rows would still read the same — two institutions of one district with one short name, like
    the demo's two «КЦСОН» — the page's address follows, so no two rows of a table read the same."""
    names = pages["short_name"] + " · " + pages["platform"].map(platform_label)
    if "url" in pages and "district" in pages:
        twins = pd.Series(list(zip(names, pages["district"])), index=pages.index).duplicated(keep=False)
        names = names.where(~twins, names + " · " + pages["url"].str.replace(r"^https?://(www\.)?", "", regex=True))
    return names


def page_labels(pages: pd.DataFrame) -> dict[int, str]:
    """page id -> «Гимназия № 5 · ВКонтакте · Ленинский район» for a picker and its chips: unique,
    since a label two pages shared would let a chip stand for the wrong page (page_names tells
    twins apart by their address; the id settles what is left)."""
    labels = page_names(pages) + " · " + pages["district"]
    twins = labels.duplicated(keep=False)
    labels = labels.where(~twins, labels + " · № " + pages["page_id"].astype(str))
    return dict(zip(pages["page_id"].astype(int), labels))


@dataclass(frozen=True)
class PagePicker:
    """Pages for a picker: their ids in the order offered and each one's label; `found` is how
    many pages matched in all when only the first of them are offered (a search)."""

    ids: list[int]
    labels: dict[int, str]
    found: int | None = None


def page_picker(pages: pd.DataFrame, in_name_order: bool = True, found: int | None = None) -> PagePicker:
    names = pages.sort_values("short_name") if in_name_order else pages
    return PagePicker([int(page_id) for page_id in names["page_id"]], page_labels(names), found)


def _measured(pages: pd.DataFrame, column: str) -> pd.Series:
    """A measurement column of the per-page figures; empty for frames without measurements."""
    return pages[column] if column in pages else pd.Series(pd.NA, index=pages.index, dtype="Float64")


def pages_frame(pages: pd.DataFrame) -> pd.DataFrame:
    """Per-page figures with Russian headers: who, then the decisive figures (subscribers,
    progress, status, forecast, weekly need), then the details; the CSV has them in this order."""
    return pd.DataFrame(
        {
            "Учреждение": page_names(pages),
            "Подписчики": pages["subscribers"],
            "Прогресс": pages["progress"].astype(float).round(3),
            "Статус": pages["status"].map(status_label),
            "Прогноз достижения": [
                forecast_text(status, forecast) for status, forecast in zip(pages["status"], pages["forecast"])
            ],
            "Нужно в неделю": pages["needed_weekly_growth"].round(1),
            "Цель": pages["target"],
            "Рост за 7 дней": pages["growth_7"],
            "Период роста, дней": _measured(pages, "growth_7_days"),
            "Рост за 30 дней": pages["growth_30"],
            "Дата цифры": pd.to_datetime(pages["latest_day"]).dt.date,
            "Публикаций за 7 дней": _measured(pages, "posts_7d"),
            "Вовлечённость (ER)": _measured(pages, "engagement_rate").astype(float).round(4),
            "Просмотров на публикацию": _measured(pages, "views_per_post").astype(float).round(0),
            "Измерено": pd.to_datetime(_measured(pages, "posts_day")).dt.date,
            "Категория": pages["category"].map(category_label),
            "Район": pages["district"],
            "Соцсеть": pages["platform"].map(platform_label),
            "Страница": pages["url"],
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class Table:
    """A table ready to draw: the frame (what its CSV writes) and the same as Arrow, what
    st.dataframe sends — converted once when the table is built, not on every rerun. Read only:
    the shared reads hand every session its reader_copy."""

    frame: pd.DataFrame
    arrow: pa.Table

    def columns(self, names: list[str]) -> Table:
        """The same table with only `names`, in that order."""
        return Table(self.frame[names], self.arrow.select(names))

    @functools.cached_property
    def digest(self) -> bytes:
        """What the table holds, as a short hash (widgets.table draws a table once per digest)."""
        return hashlib.blake2b(pickle.dumps(self.arrow, protocol=5), digest_size=16).digest()

    def reader_copy(self) -> Table:
        """The same table for one reader: a shallow copy of the frame (pandas copy-on-write keeps a
        change of it from reaching the shared one) and the same Arrow table, which cannot be changed;
        the digest, once computed, comes along."""
        copy = Table(self.frame.copy(deep=False), self.arrow)
        if "digest" in self.__dict__:
            copy.__dict__["digest"] = self.__dict__["digest"]
        return copy


def table_of(frame: pd.DataFrame) -> Table:
    return Table(frame, pa.Table.from_pandas(frame, preserve_index=False))


def phone_cards(pages: pd.DataFrame) -> list[tuple[str, str]]:
    """What decides, for a 390 px phone, one card per page in the rows' order: its name with the
    network, then its status, subscribers of its target and what it needs a week."""
    cards = []
    for name, status, subscribers, target, needed in zip(
        page_names(pages), pages["status"], pages["subscribers"], pages["target"], pages["needed_weekly_growth"]
    ):
        line = (
            f"{status_label(status)} · {fmt.number(None if pd.isna(subscribers) else int(subscribers))} "
            f"из {fmt.number(int(target))}"
        )
        if not pd.isna(needed):
            line += f" · нужно {fmt.number(float(needed), 1)} в неделю"
        cards.append((name, line))
    return cards


@dataclass(frozen=True)
class PageRows:
    """A per-page table ready to draw: the pages' rows in the order shown (for the card of a
    clicked row), the same rows as on screen and in the CSV, and the columns shown. Read only,
    like Table."""

    pages: pd.DataFrame
    frame: pd.DataFrame
    columns: list[str]
    table: pa.Table  # `frame` as Arrow, what st.dataframe sends: converted once, not on every rerun
    phone: list[tuple[str, str]]  # the same rows as phone_cards, for a phone's screen

    def reader_copy(self) -> PageRows:
        """The same rows for one reader: shallow copies of the frames and lists (see Table.reader_copy)."""
        return PageRows(
            self.pages.copy(deep=False), self.frame.copy(deep=False), list(self.columns), self.table, list(self.phone)
        )


def page_rows(pages: pd.DataFrame) -> PageRows:
    frame = pages_frame(pages)
    return PageRows(
        pages.reset_index(drop=True),
        frame,
        shown_columns(frame),
        pa.Table.from_pandas(frame, preserve_index=False),
        phone_cards(pages),
    )


# Columns a filtered table may hide when every row says the same (the caption names the selection).
GROUPING_COLUMNS = ("Категория", "Район", "Соцсеть")


def shown_columns(frame: pd.DataFrame) -> list[str]:
    """The columns to show on screen: grouping columns that are the same on every row (after
    filtering to one category or district) are left out, and so is the span of «Рост за 7 дней»
    while every page's is 7 days; the CSV keeps them."""
    spans = frame["Период роста, дней"].dropna() if "Период роста, дней" in frame else pd.Series([], dtype="Int64")
    return [
        column
        for column in frame.columns
        if not (column in GROUPING_COLUMNS and len(frame) > 1 and frame[column].nunique(dropna=False) == 1)
        and not (column == "Период роста, дней" and (spans == 7).all())
    ]


def pages_column_config() -> dict:
    return {
        # Pinned: on a phone the name stays while the figures scroll sideways.
        "Учреждение": st.column_config.TextColumn(
            "Учреждение",
            pinned=True,
            width="large",
            help="Краткое название учреждения и соцсеть страницы; полное название — в карточке строки",
        ),
        "Страница": st.column_config.LinkColumn("Страница", display_text=r"https?://(?:www\.)?(.*)"),
        "Подписчики": st.column_config.NumberColumn(
            "Подписчики", format="localized", help="Последняя известная цифра страницы"
        ),
        "Дата цифры": st.column_config.DateColumn(
            "Дата цифры", format="DD.MM.YYYY", help="День, на который получена последняя цифра страницы"
        ),
        "Цель": st.column_config.NumberColumn("Цель", format="localized"),
        "Прогресс": st.column_config.ProgressColumn(
            "Прогресс",
            min_value=0.0,
            max_value=1.0,
            format="percent",
            width="small",
            help="Подписчики / цель (не больше 100 %)",
        ),
        "Рост за 7 дней": st.column_config.NumberColumn(
            "Рост за 7 дней",
            format="%+d",
            help="От последней цифры страницы назад к её цифре не позже чем за 7 дней до неё; после перерыва в "
            "цифрах рост охватывает больше дней — сколько, сказано в «Период роста, дней»",
        ),
        "Период роста, дней": st.column_config.NumberColumn(
            "Период роста, дней",
            format="%d",
            help=(
                "Сколько дней на самом деле охватывает «Рост за 7 дней»: больше 7, если у страницы был перерыв в цифрах"
            ),
        ),
        "Рост за 30 дней": st.column_config.NumberColumn("Рост за 30 дней", format="%+d"),
        "Нужно в неделю": st.column_config.NumberColumn(
            "Нужно в неделю",
            format="localized",
            help="Сколько подписчиков в неделю нужно набирать, чтобы успеть к сроку",
        ),
        "Публикаций за 7 дней": st.column_config.NumberColumn(
            "Публикаций за 7 дней",
            format="localized",
            help="По ВКонтакте, измерено сбором данных: публикации за 7 дней до измерения",
        ),
        "Вовлечённость (ER)": st.column_config.NumberColumn(
            "Вовлечённость (ER)", format="percent", help=ENGAGEMENT_DEFINITION
        ),
        "Просмотров на публикацию": st.column_config.NumberColumn(
            "Просмотров на публикацию", format="localized", help="Среднее по последним прочитанным публикациям"
        ),
        "Измерено": st.column_config.DateColumn(
            "Измерено", format="DD.MM.YYYY", help="День, когда сбор данных прочитал публикации страницы"
        ),
    }


def summary_frame(summary: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per category or district: pages, subscribers, target and how many pages reached it."""
    groups = summary[by].map(category_label) if by == "category" else summary[by]
    frame = pd.DataFrame(
        {
            "Категория" if by == "category" else "Район": groups,
            "Страниц": summary["pages"],
            "Подписчиков": summary["subscribers"],
            "Цель (сумма)": summary["target_sum"],
            "Достигли цели": summary["at_target"],
            "Доля достигших": summary["share_at_target"].astype(float).round(3),
            "Заполнение цели": summary["fill"].astype(float).round(3),
            "Подписчики ÷ цели": summary["subscriber_ratio"].astype(float).round(3),
        }
    )
    if "verified_share" in summary:
        frame["Доля верифицированных"] = summary["verified_share"].astype(float).round(3)
    return frame.reset_index(drop=True)


# What each screen shows of a summary table so that it fits at 1440 px; the CSV has every column.
OVERVIEW_SUMMARY = [
    "Страниц",
    "Подписчиков",
    "Достигли цели",
    "Доля достигших",
    "Заполнение цели",
    "Доля верифицированных",
]
TARGETS_SUMMARY = [
    "Страниц",
    "Подписчиков",
    "Цель (сумма)",
    "Заполнение цели",
    "Подписчики ÷ цели",
    "Достигли цели",
    "По графику",
    "Отстают",
    "Нет роста",
    "Нет свежих данных",
    "Нет данных",
]


def summary_columns(frame: pd.DataFrame, shown: list[str]) -> list[str]:
    """The group column, then `shown` (those the frame has)."""
    return [frame.columns[0], *(column for column in shown if column in frame.columns)]


def summary_column_config() -> dict:
    return {
        "Категория": st.column_config.TextColumn("Категория", pinned=True),
        "Район": st.column_config.TextColumn("Район", pinned=True),
        "Подписчиков": st.column_config.NumberColumn("Подписчиков", format="localized"),
        "Цель (сумма)": st.column_config.NumberColumn("Цель (сумма)", format="localized"),
        "Доля достигших": st.column_config.NumberColumn("Доля достигших", format="percent"),
        "Заполнение цели": st.column_config.ProgressColumn(
            "Заполнение цели",
            min_value=0.0,
            max_value=1.0,
            format="percent",
            help="Насколько заполнены цели: у каждой страницы считается не больше её цели, так что страница "
            "с избытком подписчиков не закрывает недобор других. Поэтому может быть меньше, чем «Подписчики ÷ цели»",
        ),
        "Подписчики ÷ цели": st.column_config.NumberColumn(
            "Подписчики ÷ цели",
            format="percent",
            help="Все подписчики группы, делённые на сумму её целей (без ограничения по страницам); "
            "может быть больше 100 %",
        ),
        "Доля верифицированных": st.column_config.NumberColumn(
            "Доля верифицированных",
            format="percent",
            help=(
                "Доля страниц, у которых выполнены все обязательные пункты страницы (пункты учреждения считаются "
                "отдельно)"
            ),
        ),
    }


def freshness_frame(pages: pd.DataFrame) -> pd.DataFrame:
    """Per page: who, where, the latest figure and how old it is."""
    return pd.DataFrame(
        {
            "Учреждение": page_names(pages),
            "Давность, дней": pages["age_days"],
            "Дата цифры": pd.to_datetime(pages["latest_day"]).dt.date,
            "Последняя цифра": pages["subscribers"],
            "Статус": pages["status"].map(status_label),
            "Район": pages["district"],
            "Категория": pages["category"].map(category_label),
            "Соцсеть": pages["platform"].map(platform_label),
            "Страница": pages["url"],
        }
    ).reset_index(drop=True)


def freshness_cards(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """freshness_frame's rows for a phone: the page, then its status, the day and age of its
    last figure and the figure."""
    cards = []
    for name, status, day, age, figure in zip(
        frame["Учреждение"], frame["Статус"], frame["Дата цифры"], frame["Давность, дней"], frame["Последняя цифра"]
    ):
        if pd.isna(day):
            cards.append((name, f"{status} · цифр ещё не было"))
        else:
            cards.append(
                (
                    name,
                    f"{status} · цифра {fmt.number(int(figure))} за {day:%d.%m.%Y} "
                    f"({int(age)} {plural(int(age), 'день', 'дня', 'дней')} назад)",
                )
            )
    return cards


def freshness_column_config() -> dict:
    return {
        "Страница": st.column_config.LinkColumn("Страница", display_text=r"https?://(?:www\.)?(.*)"),
        "Последняя цифра": st.column_config.NumberColumn("Последняя цифра", format="localized"),
        "Дата цифры": st.column_config.DateColumn("Дата цифры", format="DD.MM.YYYY"),
        "Давность, дней": st.column_config.NumberColumn(
            "Давность, дней", help="Сколько дней назад получена последняя цифра страницы"
        ),
    }
