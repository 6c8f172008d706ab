"""Tables as shown on screen: Russian headers, readable values, and their column settings.

The frame a table shows is the frame its CSV download writes, so the file always matches the
screen.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.vocabulary import (
    STATUS_NO_DATA,
    STATUS_REACHED,
    STATUS_STALE,
    category_label,
    platform_label,
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


def pages_frame(pages: pd.DataFrame) -> pd.DataFrame:
    """Per-page figures with Russian headers, in the order officials read them."""
    return pd.DataFrame({
        "Учреждение": pages["short_name"],
        "Категория": pages["category"].map(category_label),
        "Район": pages["district"],
        "Соцсеть": pages["platform"].map(platform_label),
        "Страница": pages["url"],
        "Подписчики": pages["subscribers"],
        "Дата цифры": pd.to_datetime(pages["latest_day"]).dt.date,
        "Цель": pages["target"],
        "Прогресс": pages["progress"].astype(float).round(3),
        "Рост за 7 дней": pages["growth_7"],
        "Рост за 30 дней": pages["growth_30"],
        "Статус": pages["status"].map(status_label),
        "Прогноз достижения": [
            forecast_text(status, forecast)
            for status, forecast in zip(pages["status"], pages["forecast"])
        ],
        "Нужно в неделю": pages["needed_weekly_growth"].round(1),
    }).reset_index(drop=True)


def pages_column_config() -> dict:
    return {
        "Страница": st.column_config.LinkColumn("Страница", display_text=r"https?://(?:www\.)?(.*)"),
        "Подписчики": st.column_config.NumberColumn("Подписчики", format="localized",
                                                    help="Последняя известная цифра страницы"),
        "Дата цифры": st.column_config.DateColumn("Дата цифры", format="DD.MM.YYYY",
                                                  help="День, на который получена последняя цифра страницы"),
        "Цель": st.column_config.NumberColumn("Цель", format="localized"),
        "Прогресс": st.column_config.ProgressColumn(
            "Прогресс", min_value=0.0, max_value=1.0, format="percent",
            help="Подписчики / цель (не больше 100 %)",
        ),
        "Рост за 7 дней": st.column_config.NumberColumn("Рост за 7 дней", format="%+d"),
        "Рост за 30 дней": st.column_config.NumberColumn("Рост за 30 дней", format="%+d"),
        "Нужно в неделю": st.column_config.NumberColumn(
            "Нужно в неделю", format="%.1f",
            help="Сколько подписчиков в неделю нужно набирать, чтобы успеть к сроку",
        ),
    }


def summary_frame(summary: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per category or district: pages, subscribers, target and how many pages reached it."""
    groups = summary[by].map(category_label) if by == "category" else summary[by]
    frame = pd.DataFrame({
        "Категория" if by == "category" else "Район": groups,
        "Страниц": summary["pages"],
        "Подписчиков": summary["subscribers"],
        "Цель (сумма)": summary["target_sum"],
        "Достигли цели": summary["at_target"],
        "Доля достигших": summary["share_at_target"].astype(float).round(3),
        "Заполнение цели": summary["fill"].astype(float).round(3),
        "Подписчики ÷ цели": summary["subscriber_ratio"].astype(float).round(3),
    })
    if "verified_share" in summary:
        frame["Верифицированы"] = summary["verified_share"].astype(float).round(3)
    return frame.reset_index(drop=True)


def summary_column_config() -> dict:
    return {
        "Подписчиков": st.column_config.NumberColumn("Подписчиков", format="localized"),
        "Цель (сумма)": st.column_config.NumberColumn("Цель (сумма)", format="localized"),
        "Доля достигших": st.column_config.NumberColumn("Доля достигших", format="percent"),
        "Заполнение цели": st.column_config.ProgressColumn(
            "Заполнение цели", min_value=0.0, max_value=1.0, format="percent",
            help="Насколько заполнены цели: у каждой страницы считается не больше её цели, так что страница "
            "с избытком подписчиков не закрывает недобор других. Поэтому может быть меньше, чем «Подписчики ÷ цели»",
        ),
        "Подписчики ÷ цели": st.column_config.NumberColumn(
            "Подписчики ÷ цели", format="percent",
            help="Все подписчики группы, делённые на сумму её целей (без ограничения по страницам); "
            "может быть больше 100 %",
        ),
        "Верифицированы": st.column_config.NumberColumn(
            "Верифицированы", format="percent",
            help="Доля страниц, у которых выполнены все обязательные пункты чек-листа",
        ),
    }


def freshness_frame(pages: pd.DataFrame) -> pd.DataFrame:
    """Per page: who, where, the latest figure and how old it is."""
    return pd.DataFrame({
        "Учреждение": pages["short_name"],
        "Давность, дней": pages["age_days"],
        "Дата цифры": pd.to_datetime(pages["latest_day"]).dt.date,
        "Последняя цифра": pages["subscribers"],
        "Статус": pages["status"].map(status_label),
        "Район": pages["district"],
        "Категория": pages["category"].map(category_label),
        "Соцсеть": pages["platform"].map(platform_label),
        "Страница": pages["url"],
    }).reset_index(drop=True)


def freshness_column_config() -> dict:
    return {
        "Страница": st.column_config.LinkColumn("Страница", display_text=r"https?://(?:www\.)?(.*)"),
        "Последняя цифра": st.column_config.NumberColumn("Последняя цифра", format="localized"),
        "Дата цифры": st.column_config.DateColumn("Дата цифры", format="DD.MM.YYYY"),
        "Давность, дней": st.column_config.NumberColumn(
            "Давность, дней", help="Сколько дней назад получена последняя цифра страницы"),
    }
