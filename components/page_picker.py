"""Choosing one page of the selection — small on the wire whatever the selection's size.

A selectbox sends every option's label with the page: a region's 4 758 pages made the map's
«Найти учреждение» 550 KiB of a 640 KiB page load. Up to PICK_ALL_UP_TO pages (a city's) the
selectbox lists them all and filters as one types, as before; above that a search field comes
first, and the selectbox offers the best SHOWN_AT_MOST matches of what was typed (the ranking of
the QR lookup, data_access.search), or the first ones by name while nothing is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from components import formatting as fmt
from components import reads
from data_access.filters import PageFilter

PICK_ALL_UP_TO = 1000
SHOWN_AT_MOST = 50


def pick_page(
    selection: PageFilter,
    label: str,
    key: str,
    *,
    placeholder: str,
    required: bool,
    deadline_day: date | None = None,
    on_change: Callable[[], None] | None = None,
    place=None,
) -> int | None:
    """The chosen page id (the widget's value under `key`); None when nothing is chosen.
    `label` and `placeholder` are the selectbox's, or on a long selection `label` names the search
    field (the selectbox under it is «Выберите из найденного»). `required`: the first page offered
    is chosen until another is (otherwise nothing is). `place`: the container to draw in (a column),
    the page by default."""
    place = place or st
    every = reads.figures.page_picker(selection, deadline_day)
    if len(every.ids) <= PICK_ALL_UP_TO:
        return place.selectbox(
            label,
            every.ids,
            index=0 if required else None,
            key=key,
            format_func=fmt.label_of(every.labels),
            placeholder=placeholder,
            on_change=on_change,
        )
    query = place.text_input(
        label,
        key=f"{key}_query",
        type="search",
        live=True,
        placeholder="название, номер или ссылка на страницу",
        help="Номер, тип и часть названия в любом порядке; регистр, «№», ё/е не важны",
    )
    found = reads.figures.page_search(selection, query, SHOWN_AT_MOST, deadline_day)
    if not found.ids:
        place.caption("Ничего не найдено: проверьте номер или попробуйте часть названия.")
        return None
    chosen = place.selectbox(
        "Выберите из найденного",
        found.ids,
        index=0 if required else None,
        key=key,
        format_func=fmt.label_of(found.labels),
        placeholder="выберите из списка",
        on_change=on_change,
    )
    place.caption(offered_text(len(found.ids), found.found or 0, bool(query.strip())))
    return chosen


def offered_text(offered: int, found: int, searched: bool) -> str:
    """What the selectbox offers out of what there is."""
    if not searched:
        return (
            f"В списке первые {fmt.number(offered)} {fmt.of_pages(found)} по названию: введите название, номер "
            "или ссылку, чтобы найти нужную."
        )
    if found > offered:
        return f"Найдено: {fmt.pages_count(found)}; в списке {fmt.number(offered)} самых подходящих — уточните запрос."
    return f"Найдено: {fmt.pages_count(found)}."
