"""The per-page table of «Сводка» and «Цели»: decisive columns first, a row click opens the card."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import cards, data, tables, widgets


def page_table(pages: pd.DataFrame, key: str, file_stem: str, empty_text: str, height: int | None = None) -> None:
    """`pages` (rows of the per-page figures, in the order to show) as a table with its CSV; the
    institution card of the clicked row below. Columns that say the same on every row (one
    category or district chosen) are hidden on screen and kept in the CSV."""
    frame = tables.pages_frame(pages)
    if frame.empty:
        st.caption(empty_text)
        return
    options = {"height": height} if height else {}
    event = st.dataframe(frame, hide_index=True, placeholder="—", width="stretch", column_config=tables.pages_column_config(),
                         column_order=tables.shown_columns(frame), on_select="rerun", selection_mode="single-row",
                         key=key, **options)
    widgets.csv_download(frame, file_stem, key=f"{key}_csv")
    rows = event.selection.rows if event else []
    if not rows:
        st.caption("Щёлкните строку таблицы (слева от названия), чтобы открыть карточку учреждения.")
        return
    chosen = pages.reset_index(drop=True).iloc[rows[0]]
    page_id = int(chosen["page_id"])
    cards.institution_card(chosen, data.load_page_checklist(page_id), data.load_upcoming(page_id, chosen["category"]),
                           key_prefix=f"{key}_card")
