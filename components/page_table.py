"""The per-page table of «Сводка» and «Цели»: decisive columns first, a row click opens the card."""

from __future__ import annotations

import streamlit as st

from components import cards, formatting, phone_cards, reads, screens, tables, widgets


def page_table(rows: tables.PageRows, key: str, file_stem: str, empty_text: str, height: int | None = None) -> None:
    """`rows` (from a read: reads.figures.page_rows, reads.figures.weakest) as a table with its CSV; the
    institution card of the clicked row below. Columns that say the same on every row (one
    category or district chosen) are hidden on screen and kept in the CSV."""
    if rows.frame.empty:
        st.caption(empty_text)
        return
    options: dict[str, object] = {"column_config": tables.pages_column_config(), "column_order": rows.columns}
    if height:
        options["height"] = height
    # A long list (a region's) is loaded lazily, a screenful at a time; Streamlit cannot select rows
    # of a lazy table, so there a card opens once a search or a status narrows the list.
    lazy = len(rows.frame) > widgets.LAZY_ROWS
    wide, phone_choice = None, None
    if screens.on_phone():
        with screens.phone(key):
            phone_choice = _phone_choice(rows, key, options)
    else:
        with screens.wide(key):
            wide = _wide_table(rows, key, lazy, options)
    widgets.csv_download(rows.frame, file_stem, key=f"{key}_csv")
    selected = [*(wide.selection.rows if wide else []), *([phone_choice] if phone_choice is not None else [])]
    if not selected:
        st.caption(
            f"Строк больше {formatting.number(widgets.LAZY_ROWS)}: таблица подгружает их по мере прокрутки. "
            "Чтобы открыть карточку учреждения, сузьте список поиском или статусом и щёлкните строку "
            "(на телефоне — «Карточка» у страницы)."
            if lazy
            else "Щёлкните строку таблицы (слева от названия) или «Карточка» у страницы, чтобы "
            "открыть карточку учреждения."
        )
        return
    chosen = rows.pages.iloc[selected[0]]
    page_id = int(chosen["page_id"])
    cards.institution_card(
        chosen,
        reads.checklist.page_checklist(page_id),
        reads.plan.upcoming(page_id, chosen["category"]),
        key_prefix=f"{key}_card",
        channels=reads.figures.institution_channels(int(chosen["institution_id"])),
    )


def _wide_table(rows: tables.PageRows, key: str, lazy: bool, options: dict):
    """The table on a wider screen: selectable, or, when long, loaded lazily (then None)."""
    if lazy:
        st.dataframe(
            rows.table, hide_index=True, placeholder="—", width="stretch", lazy=True, key=f"{key}_lazy", **options
        )
        return None
    return _selectable(rows, key, options)


def _selectable(rows: tables.PageRows, key: str, options: dict):
    """The rows as a table in which one row can be chosen (its card opens below)."""
    return st.dataframe(
        rows.table,
        hide_index=True,
        placeholder="—",
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        **options,
    )


def _phone_choice(rows: tables.PageRows, key: str, options: dict) -> int | None:
    """On a phone: cards that fit the screen, or every column one tap away; the row chosen."""
    if not st.toggle("Таблица со всеми столбцами", key=f"{key}_phone_table"):
        chosen = phone_cards.draw(rows.phone, key, [int(page_id) for page_id in rows.pages["page_id"]])
        return None if chosen is None else int(rows.pages.index[rows.pages["page_id"] == chosen][0])
    phone = _selectable(rows, f"{key}_phone_full", options)
    return next(iter(phone.selection.rows), None) if phone else None
