"""«Цели по подписчикам»: progress to 1000/500 by category and page, pace, forecasts, history."""

from datetime import timedelta

import streamlit as st

from components import charts, filters, page, reads, tables, target_sections, widgets
from components import formatting as fmt
from components.page_table import page_table
from data_access.vocabulary import (
    FLAGSHIP_TARGET,
    REGULAR_TARGET,
    STATUS_LAGGING,
    STATUS_NO_DATA,
    STATUS_ON_TRACK,
    STATUS_REACHED,
    STATUS_STALE,
    STATUS_STALLED,
    STATUSES,
)

page.start()
selection = filters.selected_filter()
as_of = reads.store.as_of() or reads.store.today()
stale_after = reads.store.get_settings().stale_after_days

st.title("Цели по подписчикам")
deadline = st.columns(3)[0].date_input(
    "Срок достижения цели",
    value=reads.store.deadline(),
    min_value=as_of + timedelta(days=1),
    format="DD.MM.YYYY",
    key="targets_deadline",
    help="От срока зависят статусы «по графику» / «отстаёт» и сколько нужно набирать в неделю",
)
pages = reads.figures.page_figures(selection, deadline)
st.caption(
    f"{filters.describe(selection)} · "
    f"{fmt.freshness_text(reads.figures.freshness(selection, deadline), stale_after)} · "
    f"цель — {fmt.number(FLAGSHIP_TARGET)} подписчиков у флагманских страниц и {fmt.number(REGULAR_TARGET)} "
    "у остальных (если у страницы не задана своя). Рост, темп и прогноз каждой страницы считаются от её "
    "собственной последней цифры."
)
widgets.stop_if_no_pages(pages, selection)

kpi = reads.figures.kpis(selection, deadline)
widgets.note_missing_figures(kpi)
outlook = reads.figures.outlook(selection, deadline)
row = [*st.columns(3), *st.columns(3)]
row[0].metric("Страниц", fmt.number(kpi.pages), border=True)
row[1].metric(STATUSES[STATUS_REACHED].capitalize(), fmt.number(outlook.reached), border=True)
row[2].metric(STATUSES[STATUS_ON_TRACK].capitalize(), fmt.number(outlook.on_track), border=True)
row[3].metric(
    "Не успеют к сроку",
    fmt.number(outlook.will_miss),
    border=True,
    help=f"Отстают ({fmt.number(outlook.lagging)}) и без роста ({fmt.number(outlook.stalled)}) при нынешнем "
    f"темпе — к {fmt.day(deadline)}",
)
row[4].metric(
    "Нет свежих цифр",
    fmt.number(outlook.unknown),
    border=True,
    help=f"Без свежих данных (последняя цифра старше {fmt.number(stale_after)} дн.) — "
    f"{fmt.number(outlook.stale)}, без цифр вовсе — {fmt.number(outlook.no_data)}. Их статус неизвестен: "
    "они не считаются ни «по графику», ни «не успеют»",
)
row[5].metric(
    "Нужно в неделю",
    fmt.number(outlook.needed_weekly, 1) if outlook.needed_weekly is not None else "—",
    border=True,
    help="Медиана по отстающим страницам и страницам без роста: сколько подписчиков в неделю "
    "нужно набирать, чтобы успеть к сроку",
)


def categories() -> None:
    by_category = reads.figures.summary(selection, "category", deadline)
    widgets.chart(charts.target_fill_chart, by_category, "category", "Заполнение цели по категориям")
    category_table = reads.figures.summary_table(selection, "category", deadline, with_statuses=True)
    widgets.summary_table(
        category_table, tables.TARGETS_SUMMARY, f"celi-kategorii-{as_of}", key="targets_csv_categories"
    )


@st.fragment
def pages_section() -> None:
    """Search, status filter and the table (with its card) rerun alone."""
    left, right = st.columns([2, 3])
    query = left.text_input(
        "Поиск по названию", key="targets_search", bind="query-params", placeholder="например: сад 105, гимназия 1"
    )
    statuses = right.multiselect(
        "Статус",
        [STATUS_REACHED, STATUS_ON_TRACK, STATUS_LAGGING, STATUS_STALLED, STATUS_STALE, STATUS_NO_DATA],
        format_func=fmt.label_of(STATUSES),
        key="targets_status",
        bind="query-params",
        placeholder="все статусы",
        select_all=False,
    )
    shown = reads.figures.page_rows(selection, deadline, query or "", tuple(statuses))
    st.caption(
        f"Показано {fmt.number(len(shown.pages))} {fmt.of_pages(kpi.pages)}; сортировка — щелчком по заголовку "
        "столбца. "
        "Рост за 7 и 30 дней — от последней цифры страницы назад."
    )
    page_table(
        shown,
        "targets_pages",
        f"celi-stranicy-{as_of}",
        "Под поиск и отбор по статусу не попала ни одна страница.",
        height=widgets.TABLE_HEIGHT,
    )


# One section at a time, the open one drawn alone (its tab is kept in the address): the table of
# pages, the category chart and the three history charts at once were 484 KiB and five times an
# empty page's menu move on the region.
widgets.lazy_tabs(
    {
        "Страницы": pages_section,
        "По категориям": categories,
        "Публикации и вовлечённость": lambda: target_sections.posting(reads.figures.posting(selection, deadline)),
        "История": lambda: target_sections.history(selection, as_of, deadline),
    },
    key="targets_section",
    bind="query-params",
)
