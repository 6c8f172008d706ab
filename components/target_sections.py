"""Two tabs of «Цели по подписчикам» beside its table of pages: publications and engagement, and the
history of subscribers, of pages at target and of weekly growth."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from components import charts, reads, widgets
from components import formatting as fmt
from components.page_picker import pick_page
from data_access import summaries
from data_access.filters import PageFilter
from data_access.measurements import CADENCE_MIN_POSTS, ENGAGEMENT_DEFINITION

# The history series on screen -> the series reads.figures.history_series draws.
SERIES = {"весь выбор": "total", "по категориям": "category", "одна страница": "page"}
PERIODS = {"30 дней": 30, "90 дней": 90, "полгода": 182, "год": 365, "всё время": None}


def posting(posts: summaries.Posting) -> None:
    """How often the selection's VK pages post and how readers respond (medians of the measured pages)."""
    if not posts.measured:
        st.info(
            "Публикации страниц ВКонтакте ещё не измерялись: их читает ежедневный сбор данных с площадок "
            "(страница «Сбор данных» у администратора)."
            if posts.vk_pages
            else "В выборе нет страниц ВКонтакте."
        )
    else:
        row = st.columns(4)
        row[0].metric(
            "Измерено страниц ВКонтакте", f"{fmt.number(posts.measured)} из {fmt.number(posts.vk_pages)}", border=True
        )
        row[1].metric(
            f"Не реже {CADENCE_MIN_POSTS} раз в неделю",
            fmt.percent(posts.regular / posts.measured),
            border=True,
            help=f"Публикуют не реже {CADENCE_MIN_POSTS} раз в неделю: {fmt.number(posts.regular)} "
            f"{fmt.of_pages(posts.measured)} с измерением",
        )
        row[2].metric(
            "Публикаций за 7 дней",
            fmt.number(posts.median_posts, 1),
            border=True,
            help="Медиана по измеренным страницам",
        )
        row[3].metric(
            "Вовлечённость (ER)",
            fmt.percent(posts.median_engagement, 1),
            border=True,
            help="Медиана по измеренным страницам",
        )
        st.caption(
            f"По ВКонтакте, последнее измерение — {fmt.day(posts.newest)}; у каждой страницы в таблице на "
            f"вкладке «Страницы» — её «Публикаций за 7 дней», «Вовлечённость (ER)» и дата измерения. "
            f"{ENGAGEMENT_DEFINITION}."
        )


@st.fragment
def history(selection: PageFilter, as_of: date, deadline: date) -> None:
    """The history block: the series, period and page pickers redraw only its charts (a fragment)."""
    left, middle, right = st.columns([2, 2, 3])
    series = left.radio("Ряд", list(SERIES), key="targets_series", bind="query-params", horizontal=True)
    period = middle.selectbox(
        "Период", list(PERIODS), index=3, key="targets_period", bind="query-params", placeholder="выберите из списка"
    )
    days = PERIODS[period]
    start = as_of - timedelta(days=days - 1) if days else None
    page_id = None
    if SERIES[series] == "page":
        page_id = pick_page(
            selection,
            "Страница",
            "targets_page",
            required=True,
            deadline_day=deadline,
            placeholder="выберите из списка",
            place=right,
        )
        if page_id is None:
            return  # a search on a long selection found nothing, and pick_page said so
    view = reads.figures.history_series(selection, start, as_of, SERIES[series], page_id, deadline)
    if view.history.empty:
        st.info("За выбранный период нет данных о подписчиках.")
        return
    widgets.chart(charts.history_chart, view.history, view.targets, "Подписчики и цель (пунктир)")
    if view.at_target is not None:
        st.caption(
            "Сумма за день — последние известные цифры всех страниц: страница, не приславшая цифру в "
            "этот день, входит со своей предыдущей. "
            + (
                f"Дней, когда прислали не все страницы: {fmt.number(view.partial_days)}."
                if view.partial_days
                else "В этом периоде цифры каждый день присылали все страницы."
            )
        )
        widgets.chart(charts.at_target_history_chart, view.at_target, "Сколько страниц достигли цели")
        st.caption(
            "Страница у цели в день, когда её последняя известная цифра не меньше её нынешней цели; "
            "доля (во всплывающей подсказке) — от числа страниц ряда сейчас, поэтому последняя точка "
            "совпадает с показателем «Достигли цели»."
        )
    if view.weekly is not None:
        widgets.chart(charts.weekly_growth_chart, view.weekly, "Чистый прирост за неделю")
        if not view.weekly.empty and bool(view.weekly["partial"].iloc[-1]):
            st.caption(
                f"Последняя неделя ещё идёт (учтено {charts.week_days(int(view.weekly['days'].iloc[-1]))}): "
                "её столбик бледный и не сравним с полными неделями."
            )
