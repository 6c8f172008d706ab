"""The per-page table of «Сводка» and «Цели»: decisive columns first, a row click opens the card."""

from __future__ import annotations

import streamlit as st

from components import cards, data, tables, widgets


def page_table(rows: tables.PageRows, key: str, file_stem: str, empty_text: str, height: int | None = None) -> None:
    """`rows` (from a loader: data.load_page_rows, data.load_weakest) as a table with its CSV; the
    institution card of the clicked row below. Columns that say the same on every row (one
    category or district chosen) are hidden on screen and kept in the CSV."""
    frame = rows.frame
    if frame.empty:
        st.caption(empty_text)
        return
    options = {"height": height} if height else {}
    event = st.dataframe(rows.table, hide_index=True, placeholder="—", width="stretch", column_config=tables.pages_column_config(),
                         column_order=rows.columns, on_select="rerun", selection_mode="single-row",
                         key=key, **options)
    widgets.csv_download(frame, file_stem, key=f"{key}_csv")
    selected = event.selection.rows if event else []
    if not selected:
        st.caption("Щёлкните строку таблицы (слева от названия), чтобы открыть карточку учреждения.")
        return
    chosen = rows.pages.iloc[selected[0]]
    page_id = int(chosen["page_id"])
    cards.institution_card(chosen, data.load_page_checklist(page_id), data.load_upcoming(page_id, chosen["category"]),
                           key_prefix=f"{key}_card", channels=data.load_institution_channels(int(chosen["institution_id"])))
