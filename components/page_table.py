"""The per-page table of «Сводка» and «Цели»: decisive columns first, a row click opens the card."""

from __future__ import annotations

import streamlit as st

from components import cards, data, screens, tables, widgets
from components import formatting as fmt


def page_table(rows: tables.PageRows, key: str, file_stem: str, empty_text: str, height: int | None = None) -> None:
    """`rows` (from a loader: data.load_page_rows, data.load_weakest) as a table with its CSV; the
    institution card of the clicked row below. Columns that say the same on every row (one
    category or district chosen) are hidden on screen and kept in the CSV."""
    frame = rows.frame
    if frame.empty:
        st.caption(empty_text)
        return
    options = {"height": height} if height else {}
    full = {"column_config": tables.pages_column_config(), "column_order": rows.columns}
    with screens.wide(key):
        wide = st.dataframe(rows.table, hide_index=True, placeholder="—", width="stretch", on_select="rerun",
                            selection_mode="single-row", key=key, **full, **options)
    phone_choice = None
    with screens.phone(key):
        # Every column one tap away; by default cards that fit the screen.
        if st.toggle("Таблица со всеми столбцами", key=f"{key}_phone_table"):
            phone = st.dataframe(rows.table, hide_index=True, placeholder="—", width="stretch", on_select="rerun",
                                 selection_mode="single-row", key=f"{key}_phone_full", **full, **options)
            phone_choice = next(iter(phone.selection.rows), None) if phone else None
        else:
            phone_choice = _phone_cards(rows, key)
    widgets.csv_download(frame, file_stem, key=f"{key}_csv")
    selected = [*(wide.selection.rows if wide else []), *([phone_choice] if phone_choice is not None else [])]
    if not selected:
        st.caption("Щёлкните строку таблицы (слева от названия) или «Карточка» у страницы, чтобы открыть "
                   "карточку учреждения.")
        return
    chosen = rows.pages.iloc[selected[0]]
    page_id = int(chosen["page_id"])
    cards.institution_card(chosen, data.load_page_checklist(page_id), data.load_upcoming(page_id, chosen["category"]),
                           key_prefix=f"{key}_card", channels=data.load_institution_channels(int(chosen["institution_id"])))


PHONE_CARDS = 10


def _phone_cards(rows: tables.PageRows, key: str) -> int | None:
    """The rows as cards, ten at a time, for a phone: name and network, status, subscribers of
    the target and the weekly need fit 390 px without a sideways scroll; «Карточка» opens the
    page's card below. Returns the row of the page whose card was asked for, if it is shown."""
    total = len(rows.phone)
    first = min(st.session_state.get(f"{key}_phone_first", 0), max(total - 1, 0) // PHONE_CARDS * PHONE_CARDS)
    chosen = st.session_state.get(f"{key}_phone_chosen")  # a page id: the rows change with the search
    for index in range(first, min(first + PHONE_CARDS, total)):
        name, line = rows.phone[index]
        with st.container(border=True):
            st.markdown(f"**{fmt.markdown_text(name)}**  \n{fmt.markdown_text(line)}")
            st.button("Карточка", key=f"{key}_phone_open_{index}", icon=":material/open_in_new:", type="tertiary",
                      on_click=st.session_state.update,
                      kwargs={f"{key}_phone_chosen": int(rows.pages["page_id"].iloc[index])})
    if total > PHONE_CARDS:
        back, where, forward = st.columns([1, 2, 1], vertical_alignment="center")
        back.button("Назад", key=f"{key}_phone_back", disabled=first == 0, icon=":material/chevron_left:",
                    on_click=st.session_state.update, kwargs={f"{key}_phone_first": first - PHONE_CARDS})
        where.caption(f"{fmt.number(first + 1)}–{fmt.number(min(first + PHONE_CARDS, total))} из {fmt.number(total)}")
        forward.button("Далее", key=f"{key}_phone_forward", disabled=first + PHONE_CARDS >= total,
                       icon=":material/chevron_right:",
                       on_click=st.session_state.update, kwargs={f"{key}_phone_first": first + PHONE_CARDS})
    where = rows.pages.index[rows.pages["page_id"] == chosen]
    return int(where[0]) if len(where) else None
