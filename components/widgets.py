"""Reusable pieces of every page: tables (lazy above LAZY_ROWS rows) and their heights, charts,
tabs drawn only when open, XLSX and CSV downloads and download buttons, summaries with their
downloads, metric changes, the empty-selection and missing-figures notices, the data badge in the
sidebar."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date
from typing import Literal

import altair as alt
import pandas as pd
import streamlit as st

from components import charts, formatting, streamlit_internals, tables
from components.csv_export import to_csv_bytes, to_xlsx_bytes
from components.tables import Table
from data_access.filters import PageFilter
from data_access.summaries import Change, Kpis
from data_access.vocabulary import plural


def csv_download(frame: pd.DataFrame, file_stem: str, key: str, label: str = "Скачать CSV") -> None:
    """Download buttons for exactly `frame`: an Excel workbook (numbers, dates and percentages as
    such, the selection and the date of the data in its first rows) and a CSV (see csv_export)."""
    rows = f"{formatting.number(len(frame))} {plural(len(frame), 'строка', 'строки', 'строк')}"
    heading = _export_heading()
    with st.container(horizontal=True, key=f"{key}_downloads"):
        download(
            label.replace("CSV", "XLSX") if "CSV" in label else f"{label} (XLSX)",
            lambda: to_xlsx_bytes(frame, heading=heading),
            f"{file_stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}_xlsx",
            icon=":material/table_view:",
            help=f"{rows}; таблица Excel: числа, даты и проценты — как числа, даты и проценты",
        )
        download(
            label,
            lambda: to_csv_bytes(frame),
            f"{file_stem}.csv",
            "text/csv",
            key=key,
            icon=":material/download:",
            help=f"{rows}; кодировка UTF-8, разделитель «;», даты ДД.ММ.ГГГГ, доли — в процентах",
        )


def _export_heading() -> tuple[str, ...]:
    """The first rows of a workbook: what was selected and the date of the data."""
    from components import filters, reads  # filters reads the store through reads: not at import time

    as_of = reads.store.as_of()
    return (
        f"Госпаблики Новосибирска — {filters.describe(filters.selected_filter())}",
        f"Данные на {formatting.day(as_of)}" if as_of else "Цифр подписчиков пока нет",
        f"Выгружено {formatting.day(reads.store.today())}",
    )


def data_badge(as_of: date | None, dataset: str | None) -> None:
    """In the sidebar: the date of the data and, while demo data is loaded, a clear label."""
    with st.sidebar:
        if dataset in ("demo", "region-demo"):
            st.badge("демо-данные", icon=":material/science:", color="orange")
            place = "демо-область" if dataset == "region-demo" else "демо-город"
            st.caption(f"Показан сгенерированный {place}: названия, ссылки и цифры вымышлены.")
        st.caption(f"Данные на {formatting.day_long(as_of)}")


# On screen a chart fills the width of the page; its height is the plot's height (the builder's,
# or its bands') plus axes and legend. Vega-Lite's default, "fit" in both directions, would squeeze
# the plot to make room for a legend that wraps into more rows on a phone.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


@st.cache_data(max_entries=256, show_spinner=False)
def _draw_chart(*, digest: bytes, _builder: str, _args: tuple, _options: dict, _key: str | None) -> None:
    """Build chart `_builder(*_args, **_options)`, check it against the Vega-Lite schema and draw it.
    Once per distinct input: Streamlit keeps the element this call sent, and a rerun with the
    same data sends it again without Altair, JSON or Arrow work. Only `digest`, the pickle of all
    the rest, is hashed (and passed by name, which spares Streamlit a signature lookup per
    argument): its own hashing of the frames and arguments cost several times more."""
    chart = getattr(charts, _builder)(*_args, **_options).properties(autosize=FIT_WIDTH)
    st.vega_lite_chart(chart.to_dict(validate=True), width="stretch", height="content", key=_key)


def chart(builder: Callable[..., alt.TopLevelMixin], *args, key: str | None = None, **options) -> None:
    """Show the chart `builder(*args, **options)` from components.charts full width at the height
    the builder chose."""
    digest = pickle.dumps((builder.__name__, key, args, sorted(options.items())), protocol=5)
    _draw_chart(digest=digest, _builder=builder.__name__, _args=args, _options=options, _key=key)


def metric_change(change: Change, unit: tuple[str, str, str] | None = None) -> dict:
    """`delta` and `delta_description` of a KPI: the change over the last 7 days, and over 30 in
    words («+120 за неделю · +480 за месяц»). The sign goes first as ASCII «-», which is what
    st.metric reads to colour a fall red."""
    if change.week is None:
        return {}
    week = formatting.signed(change.week).replace("−", "-")
    month = f" · {formatting.signed(change.month)} за месяц" if change.month is not None else ""
    words = f" {plural(abs(change.week), *unit)}" if unit else ""
    return {"delta": f"{week}{words}" if change.week else 0, "delta_description": f"за неделю{month}"}


# Above this many rows a table is loaded lazily (st.dataframe's lazy=True): the browser gets the rows
# in view and asks the server for more as it scrolls or sorts, instead of a whole region's list of
# pages (1.2–1.7 MB) on every load.
LAZY_ROWS = 1000
# Rows a lazy table sends with the page, and then per request while scrolling: Streamlit's own 1 000
# made a region's table of pages 321 KiB of a 484 KiB load; 100 rows (38 KiB) fill a table
# ten times over, and the next hundred arrive as it scrolls.
LAZY_CHUNK_ROWS = 100
streamlit_internals.set_lazy_chunk_rows(LAZY_CHUNK_ROWS)


# A long table (the freshness list of a region) is a few hundred kilobytes: fewer kept than charts.
@st.cache_data(ttl=3600, max_entries=128, show_spinner=False)
def _draw_table(*, digest: bytes, _arrow, _options: dict) -> None:
    """Draw a table that is not a widget, once per distinct table and options (`digest`): a rerun
    replays the element Streamlit kept, without its column settings, Arrow and protobuf work."""
    st.dataframe(_arrow, hide_index=True, placeholder="—", width="stretch", **_options)


def table(rows: pd.DataFrame | Table, empty_text: str, **options):
    """A table (a frame, or a tables.Table drawn from its Arrow form), or — when it has no rows —
    `empty_text` in its place: an empty st.dataframe draws Streamlit's English «empty» inside the grid.
    A Table that is not a widget (no row selection, no key) is drawn through _draw_table; with
    them, the selection is returned."""
    frame = rows.frame if isinstance(rows, Table) else rows
    if frame.empty:
        st.caption(empty_text)
        return None
    if len(frame) > LAZY_ROWS and "on_select" not in options:
        # Only the rows in view (and those scrolled or sorted to) go to the browser.
        return st.dataframe(
            rows.arrow if isinstance(rows, Table) else rows,
            hide_index=True,
            placeholder="—",
            width="stretch",
            lazy=True,
            **options,
        )
    if isinstance(rows, Table) and not {"on_select", "key"} & options.keys():
        digest = pickle.dumps((rows.digest, sorted(options.items())), protocol=5)
        _draw_table(digest=digest, _arrow=rows.arrow, _options=options)
        return None
    shown = rows.arrow if isinstance(rows, Table) else rows
    return st.dataframe(shown, hide_index=True, placeholder="—", width="stretch", **options)


# Heights of tables that scroll inside themselves, in pixels: a short list beside another, a
# table of pages (≈ 11 rows), the wide pages × items matrix.
LIST_HEIGHT = 300
TABLE_HEIGHT = 420
MATRIX_HEIGHT = 460
HEADER_PIXELS, ROW_PIXELS = 38, 35  # st.dataframe's header and row heights


def summary_table(summary: Table, shown: list[str], file_stem: str, key: str) -> None:
    """A summary by category or district (tables.summary_frame): the columns of `shown` it has, on
    screen, and every column in its downloads."""
    table(
        summary,
        "В выборе нет страниц.",
        column_config=tables.summary_column_config(),
        column_order=tables.summary_columns(summary.frame, shown),
    )
    csv_download(summary.frame, file_stem, key=key)


def lazy_tabs(sections: dict[str, Callable[[], object]], key: str, **options) -> None:
    """Tabs named by `sections`, of which only the open one is drawn: a closed tab costs its rerun
    nothing. `options` go to st.tabs (bind="query-params" keeps the open tab in the address)."""
    tabs = st.tabs(list(sections), key=key, on_change="rerun", **options)
    for tab, draw in zip(tabs, sections.values()):
        with tab:
            if tab.open:
                draw()


def table_height(rows: int, limit: int = 20) -> int:
    """Pixels for a table that shows `rows` rows (up to `limit`) without an inner scroll bar."""
    return HEADER_PIXELS + ROW_PIXELS * min(max(rows, 1), limit)


def stop_if_no_pages(pages: pd.DataFrame, selection: PageFilter) -> None:
    """Say why a screen is empty and stop: an empty registry, or filters that matched nothing."""
    if not pages.empty:
        return
    if selection.is_everything:
        st.info(
            "В реестре пока нет ни одной страницы. Администратор добавляет учреждения и их страницы "
            "на странице «Реестр учреждений» или загружает реестр файлом.",
            icon=":material/info:",
        )
    else:
        st.info(
            "Под выбранные фильтры не попала ни одна страница. Измените или сбросьте фильтры слева.",
            icon=":material/filter_alt_off:",
        )
    st.stop()


def note_missing_figures(kpi: Kpis) -> None:
    """A line about pages that have no figures at all (they count as «нет данных», never on track)."""
    if kpi.with_figures == 0:
        st.warning(
            "Для выбранных страниц ещё нет ни одной цифры подписчиков: все они — «нет данных». "
            "Цифры загружает администратор на странице «Загрузка данных».",
            icon=":material/hourglass_empty:",
        )
    elif kpi.without_figures:
        st.caption(
            f"У {formatting.number(kpi.without_figures)} {formatting.of_pages(kpi.pages)} цифр ещё нет: "
            "они считаются «нет данных» и не входят ни в «по графику», ни в «достигли цели»."
        )


def download(
    label: str,
    data,
    file_name: str,
    mime: str,
    key: str,
    icon: str = ":material/download:",
    help: str | None = None,
    width: Literal["content", "stretch"] = "content",
    type: Literal["primary", "secondary", "tertiary"] = "secondary",
    place=None,
) -> None:
    """A download button in `place` (the page where it stands, by default): `data` is the file or,
    better, a function that builds it only when pressed; pressing it does not rerun the page."""
    (place or st).download_button(
        label,
        data=data,
        file_name=file_name,
        mime=mime,
        key=key,
        icon=icon,
        help=help,
        width=width,
        type=type,
        on_click="ignore",
    )
