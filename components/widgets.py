"""Small reusable widgets: CSV download buttons, the data badge in the sidebar."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from components import formatting
from components.charts import height_of
from components.csv_export import to_csv_bytes


def csv_download(frame: pd.DataFrame, file_stem: str, key: str, label: str = "Скачать CSV") -> None:
    """A download button for exactly `frame` (Excel-friendly CSV, see csv_export)."""
    st.download_button(
        label,
        data=to_csv_bytes(frame),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=key,
        help=f"{len(frame)} строк; кодировка UTF-8, разделитель «;» — открывается в Excel",
        on_click="ignore",
        icon=":material/download:",
    )


def data_badge(as_of: date | None, dataset: str | None) -> None:
    """In the sidebar: the date of the data and, while demo data is loaded, a clear label."""
    with st.sidebar:
        if dataset in ("demo", "region-demo"):
            st.badge("демо-данные", icon=":material/science:", color="orange")
            st.caption("Показан сгенерированный демо-город: названия, ссылки и цифры вымышлены.")
        st.caption(f"Данные на {formatting.day_long(as_of)}")


def altair(chart: alt.TopLevelMixin, key: str | None = None) -> None:
    """Show a chart from components.charts full width at the height its builder chose."""
    st.altair_chart(chart, width="stretch", height=height_of(chart), key=key)


def table_height(rows: int, limit: int = 20) -> int:
    """Pixels for a table that shows `rows` rows (up to `limit`) without an inner scroll bar."""
    return 38 + 35 * min(max(rows, 1), limit)
