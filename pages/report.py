"""«Отчёт для комиссии»: the report for the city council's oversight commission, DOCX and PDF."""

from datetime import timedelta

import streamlit as st

from components import filters, page, reads, report_document, widgets
from data_access import periods, report

KINDS = {"Квартал": "quarter", "Месяц": "month", "Год": "year", "Свои даты": "custom"}

page.start()
selection = filters.selected_filter()

st.title("Отчёт для комиссии")
st.caption(
    f"{filters.describe(selection)} · «{report_document.title(reads.store.coverage_area() == 'region')}» — "
    "для комиссии: DOCX, чтобы "
    "править в Word, и PDF для печати и рассылки. Выбор страниц — фильтры в боковой панели."
)
as_of, first = reads.store.as_of(), reads.store.first_day()
if as_of is None:
    st.info(
        "Цифр подписчиков в базе ещё нет — отчёт строить не из чего. Загрузите их на странице «Загрузка данных».",
        icon=":material/info:",
    )
    st.stop()

left, right = st.columns([2, 3])
kind = KINDS[
    left.segmented_control("Период", list(KINDS), default="Квартал", key="report_kind", bind="query-params")
    or "Квартал"
]
if kind == "custom":
    chosen = right.date_input(
        "Даты периода",
        value=(as_of.replace(day=1), as_of),
        min_value=first,
        max_value=as_of + timedelta(days=366),
        format="DD.MM.YYYY",
        key="report_dates",
        help="Первый и последний день периода, оба включительно",
    )
    if not isinstance(chosen, tuple) or len(chosen) != 2:
        st.info("Выберите в календаре и первый, и последний день периода.", icon=":material/date_range:")
        st.stop()
    period = periods.Period(chosen[0], chosen[1], "custom")
else:
    options = {choice.code: choice for choice in periods.choices(kind, first, as_of)}
    code = right.selectbox(
        "Какой",
        list(options),
        format_func=lambda value: options[value].label,
        key=f"report_{kind}",
        bind="query-params",
        placeholder="выберите из списка",
    )
    period = options[code or next(iter(options))]

try:
    figures = reads.report.figures(selection, period)
except report.NoDataForPeriod as error:
    st.info(str(error), icon=":material/info:")
    st.stop()
widgets.stop_if_no_pages(figures.pages, selection)

file_stem = f"otchet-komissiya-{period.code.replace('..', '-')}"
row = st.columns([1, 1, 2])
widgets.download(
    "Скачать DOCX",
    lambda: reads.report.file(selection, period, "docx"),
    f"{file_stem}.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    key="report_docx",
    icon=":material/description:",
    width="stretch",
    type="primary",
    place=row[0],
)
widgets.download(
    "Скачать PDF",
    lambda: reads.report.file(selection, period, "pdf"),
    f"{file_stem}.pdf",
    "application/pdf",
    key="report_pdf",
    icon=":material/picture_as_pdf:",
    width="stretch",
    place=row[1],
)
row[2].caption(
    "Файл собирается по нажатию (несколько секунд: графики рисуются на сервере) и потом берётся готовым, "
    "пока не изменились данные."
)

st.subheader(f"Основные показатели: {period.label}")
st.caption(
    report_document.sentence(
        f"{period.start:%d.%m.%Y} – {period.end:%d.%m.%Y}; сравнение — с периодом {figures.previous.label}"
    )
    + (f" Цифры на {figures.end:%d.%m.%Y}: последние в базе." if figures.is_partial else "")
)
widgets.table(reads.report.key_figures(selection, period), "Нет данных.")
st.markdown(
    "**Что ещё в отчёте:** динамика подписчиков и страниц у цели по категориям (графики, как на «Цели по "
    "подписчикам»); категории и районы с рейтингом районов; десять страниц с наибольшим приростом и десять дальше "
    "всех от цели; верификация и самые частые пробелы чек-листа; материалы редакции по месяцам, форматам и "
    "категориям и страницы, получившие меньше трёх публикаций в неделю; методика и источники."
    + (" На каждой странице — пометка «демо-данные»." if figures.demo else "")
)
