"""«Свежесть данных»: how old each page's latest subscriber figure is, oldest first."""

import streamlit as st

from components import charts, filters, page, phone_cards, reads, screens, tables, widgets
from components import formatting as fmt
from data_access.vocabulary import STATUS_NO_DATA, STATUS_STALE

VIEWS = {"все страницы": None, "без свежих данных": STATUS_STALE, "без цифр": STATUS_NO_DATA}

page.start()
selection = filters.selected_filter()
stale_after = reads.store.get_settings().stale_after_days
pages = reads.figures.page_figures(selection)

st.title("Свежесть данных")
st.caption(
    f"{filters.describe(selection)} · {fmt.freshness_text(reads.figures.freshness(selection), stale_after)}. "
    f"Цифра считается несвежей, если ей больше {fmt.number(stale_after)} "
    f"{fmt.plural(stale_after, 'дня', 'дней', 'дней')} (срок задаёт администратор дашборда): у такой страницы статус "
    "«нет свежих данных», прогноза нет."
)
widgets.stop_if_no_pages(pages, selection)

kpi = reads.figures.kpis(selection)
fresh = reads.figures.fresh_count(selection)
row = st.columns(3)
row[0].metric(
    "Со свежими цифрами",
    fmt.number(fresh),
    border=True,
    help=f"Последняя цифра не старше {fmt.number(stale_after)} дн.",
)
row[1].metric(
    "Цифры устарели",
    fmt.number(kpi.with_figures - fresh),
    border=True,
    help="Последняя цифра старше срока свежести (в том числе у страниц, уже достигших цели)",
)
row[2].metric("Цифр нет вовсе", fmt.number(kpi.without_figures), border=True)

widgets.chart(charts.age_bands_chart, reads.figures.age_bands(selection), stale_after, "Давность последней цифры")

left, right = st.columns([2, 3])
view = left.segmented_control(
    "Показать", list(VIEWS), default="все страницы", key="freshness_view", bind="query-params"
)
query = right.text_input(
    "Поиск по названию", key="freshness_search", bind="query-params", placeholder="например: сад 105, гимназия 1"
)
table = reads.figures.freshness_rows(selection, query or "", VIEWS.get(view or "все страницы"))
shown = len(table.frame)
st.caption(
    f"Показано {fmt.number(shown)} {fmt.of_pages(len(pages))}; сначала страницы без цифр, потом — с самыми старыми."
)
if not shown:
    st.info("Под этот отбор не попала ни одна страница.")
else:
    full = {"column_config": tables.freshness_column_config(), "height": widgets.table_height(shown)}
    if screens.on_phone():
        with screens.phone("freshness"):
            if st.toggle("Таблица со всеми столбцами", key="freshness_phone_table"):
                widgets.table(table, "", **full)
            else:
                phone_cards.draw(tables.freshness_cards(table.frame), "freshness")
    else:
        with screens.wide("freshness"):
            widgets.table(table, "", **full)
    widgets.csv_download(table.frame, f"svezhest-dannyh-{reads.store.today()}", key="freshness_csv")
