"""«Сводка»: where the city stands against the subscriber targets, at a glance."""

import streamlit as st

from components import charts, filters, first_steps, page, reads, tables, widgets
from components import formatting as fmt
from components.page_table import page_table
from data_access import summaries
from data_access.vocabulary import FLAGSHIP_TARGET, REGULAR_TARGET, ROLE_ADMIN

actor = page.start()
selection = filters.selected_filter()
deadline = reads.store.deadline()
as_of = reads.store.as_of()
pages = reads.figures.page_figures(selection, deadline)

st.title("Сводка")
st.caption(
    f"{filters.describe(selection)} · "
    f"{fmt.freshness_text(reads.figures.freshness(selection, deadline), reads.store.get_settings().stale_after_days)}"
    f" · цель: {fmt.number(FLAGSHIP_TARGET)} подписчиков у флагманских страниц, {fmt.number(REGULAR_TARGET)} у "
    "остальных, "
    f"срок — {fmt.day_long(deadline)}"
)
if actor.can(ROLE_ADMIN):
    first_steps.checklist(reads.store.first_steps())
widgets.stop_if_no_pages(pages, selection)
# A short label: st.page_link cuts a long one off on a phone instead of wrapping it.
st.page_link(
    "pages/report.py",
    label="Отчёт для комиссии (DOCX, PDF)",
    icon=":material/description:",
    help="Документы для комиссии горсовета за месяц, квартал или год",
)

kpi = reads.figures.kpis(selection, deadline)
widgets.note_missing_figures(kpi)
moved = reads.figures.changes(selection)
row = st.columns(3)
row[0].metric("Страниц", fmt.number(kpi.pages), border=True)
row[1].metric(
    "Подписчиков",
    fmt.number(kpi.subscribers),
    border=True,
    **widgets.metric_change(moved["subscribers"]),
    help=f"Сумма последних известных цифр каждой страницы. Сумма целей выбранных страниц: {fmt.number(kpi.target_sum)}",
)
row[2].metric(
    "Достигли цели",
    fmt.percent(kpi.share_at_target),
    border=True,
    **widgets.metric_change(moved["at_target"], ("страница", "страницы", "страниц")),
    help=f"{fmt.number(kpi.at_target)} {fmt.of_pages(kpi.pages)}; страница без цифр цели не достигла",
)
row = st.columns(3)
row[0].metric(
    f"Флагманские у цели ({fmt.number(FLAGSHIP_TARGET)})",
    fmt.percent(kpi.flagship_share_at_target),
    border=True,
    help=f"{fmt.number(kpi.flagship_at_target)} из {fmt.number(kpi.flagship_pages)} "
    f"{fmt.plural(kpi.flagship_pages, 'флагманской страницы', 'флагманских страниц', 'флагманских страниц')}"
    if kpi.flagship_pages
    else "В выборе нет флагманских страниц",
)
row[1].metric(
    f"Остальные у цели ({fmt.number(REGULAR_TARGET)})",
    fmt.percent(kpi.other_share_at_target),
    border=True,
    help=f"{fmt.number(kpi.other_at_target)} {fmt.of_pages(kpi.other_pages)}"
    if kpi.other_pages
    else "В выборе только флагманские страницы",
)
row[2].metric(
    "Доля верифицированных",
    fmt.percent(kpi.verified_share),
    border=True,
    help=f"Все обязательные пункты чек-листа выполнены у {fmt.number(kpi.verified_pages)} {fmt.of_pages(kpi.pages)}",
)


def categories() -> None:
    by_category = reads.figures.summary(selection, "category", deadline)
    widgets.chart(charts.status_by_group_chart, by_category, "category", "Статус страниц по категориям")
    category_table = reads.figures.summary_table(selection, "category", deadline)
    widgets.summary_table(
        category_table, tables.OVERVIEW_SUMMARY, f"svodka-kategorii-{as_of}", key="overview_csv_categories"
    )


def districts() -> None:
    by_district = reads.figures.summary(selection, "district", deadline)
    widgets.chart(
        charts.share_at_target_chart,
        by_district,
        "district",
        "Доля страниц, достигших цели, по районам",
        kpi.share_at_target,
    )
    district_table = reads.figures.summary_table(selection, "district", deadline)
    widgets.summary_table(
        district_table, tables.OVERVIEW_SUMMARY, f"svodka-rajony-{as_of}", key="overview_csv_districts"
    )


def help_first() -> None:
    st.caption(
        "Давно работающие страницы без роста, затем отстающие от графика — по тому, какая часть цели ещё не "
        "набрана. Страницы без свежих цифр и без цифр вовсе сюда не попадают: о них — строка выше и страница "
        "«Свежесть данных». Новые каналы — отдельным списком ниже."
    )
    weakest_section()


@st.fragment
def weakest_section() -> None:
    """The list and its card rerun alone when the count changes or a row is clicked."""
    limit = st.segmented_control(
        "Сколько страниц показать", [10, 20, 50, 100], default=20, key="overview_weakest_limit", bind="query-params"
    )
    weakest = reads.figures.weakest(selection, limit or 20, deadline)
    if not weakest.pages.empty:
        page_table(weakest, "overview_weakest", f"svodka-slabye-stranicy-{as_of}", "")
    else:
        st.info(summaries.no_laggards_text(kpi), icon=":material/info:")
    fresh = reads.figures.new_channels(selection, limit or 20, deadline)
    if not fresh.pages.empty:
        st.markdown(
            f"**Новые каналы** — открыты за последние {summaries.NEW_CHANNEL_DAYS} дней и ещё не у цели, "
            "меньший прогресс первым"
        )
        st.caption(summaries.NEW_CHANNEL_RULE)
        page_table(fresh, "overview_new_channels", f"svodka-novye-kanaly-{as_of}", "")


# One section at a time, the open one drawn alone (its tab is kept in the address): four tables and
# two charts at once made a move to «Сводка» cost four times an empty page's in the browser.
widgets.lazy_tabs(
    {"Категории": categories, "Районы": districts, "Кому помочь в первую очередь": help_first},
    key="overview_section",
    bind="query-params",
)
