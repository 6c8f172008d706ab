"""«Сводка»: where the city stands against the subscriber targets, at a glance."""

import streamlit as st

from components import charts, data, filters, page, tables, widgets
from components import formatting as fmt
from data_access import summaries

page.start()
selection = filters.selected_filter()
deadline = data.deadline()
as_of = data.as_of()
pages = data.load_page_figures(selection, deadline)

st.title("Сводка")
st.caption(
    f"{filters.describe(selection)} · данные на {fmt.day_long(as_of)} · "
    f"цель: 1000 подписчиков у флагманских страниц, 500 у остальных, "
    f"срок — {fmt.day_long(deadline)}"
)

if pages.empty:
    st.info("Под выбранные фильтры не попала ни одна страница. Измените или сбросьте фильтры слева.")
    st.stop()

kpi = summaries.kpis(pages)
row = st.columns(3)
row[0].metric("Страниц", fmt.number(kpi.pages), border=True)
row[1].metric(
    "Подписчиков", fmt.number(kpi.subscribers), border=True,
    help=f"Сумма целей выбранных страниц: {fmt.number(kpi.target_sum)}",
)
row[2].metric(
    "Достигли цели", fmt.percent(kpi.share_at_target), border=True,
    help=f"{fmt.number(kpi.at_target)} из {fmt.number(kpi.pages)} страниц",
)
row = st.columns(3)
row[0].metric(
    "Флагманские у цели (1000)", fmt.percent(kpi.flagship_share_at_target), border=True,
    help=f"{fmt.number(round(kpi.flagship_share_at_target * kpi.flagship_pages))} из "
    f"{fmt.number(kpi.flagship_pages)} флагманских страниц",
)
row[1].metric(
    "Остальные у цели (500)", fmt.percent(kpi.other_share_at_target), border=True,
    help=f"{fmt.number(round(kpi.other_share_at_target * kpi.other_pages))} из "
    f"{fmt.number(kpi.other_pages)} страниц",
)
row[2].metric(
    "Верифицированы", fmt.percent(kpi.verified_share), border=True,
    help=f"{fmt.number(kpi.verified_pages)} страниц выполняют все обязательные пункты чек-листа",
)

st.subheader("Категории")
by_category = summaries.summarise(pages, "category")
widgets.altair(charts.status_by_group_chart(by_category, "category", "Статус страниц по категориям"))
category_table = tables.summary_frame(by_category, "category")
st.dataframe(category_table, hide_index=True, column_config=tables.summary_column_config(), width="stretch")
widgets.csv_download(category_table, f"svodka-kategorii-{as_of}", key="overview_csv_categories")

st.subheader("Районы")
by_district = summaries.summarise(pages, "district")
widgets.altair(
    charts.share_at_target_chart(
        by_district, "district", "Доля страниц, достигших цели, по районам", kpi.share_at_target
    )
)
district_table = tables.summary_frame(by_district, "district")
st.dataframe(district_table, hide_index=True, column_config=tables.summary_column_config(), width="stretch")
widgets.csv_download(district_table, f"svodka-rajony-{as_of}", key="overview_csv_districts")

st.subheader("Кому помочь в первую очередь")
st.caption("Страницы без роста, затем отстающие от графика — по тому, какая часть цели ещё не набрана.")
limit = st.segmented_control(
    "Сколько страниц показать", [10, 20, 50, 100], default=20, key="overview_weakest_limit"
)
weakest = tables.pages_frame(summaries.weakest_pages(pages, limit or 20))
if weakest.empty:
    st.success("Все выбранные страницы достигли цели или идут по графику.")
else:
    st.dataframe(weakest, hide_index=True, column_config=tables.pages_column_config(), width="stretch")
    widgets.csv_download(weakest, f"svodka-slabye-stranicy-{as_of}", key="overview_csv_weakest")
