"""The content plan's own filters — status, rubric, format, editor, category — in an expander whose
widgets exist only while it is open.

Five multiselects cost every rerun of «Контент-план» about as much as the rest of the page's own
work, and most reruns happen with the filters closed. So the expander reruns the page when it is
opened or closed and draws its widgets only when open; the choice is kept under one session key
meanwhile (Streamlit forgets a widget's value in a run that does not draw it) and put back into
the widgets when the expander opens again. A caption under it says what is chosen, since the
widgets that would show it are not on screen.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from components import formatting as fmt
from components.content import ItemFilter
from components.formatting import markdown_text
from data_access.vocabulary import CATEGORIES, CONTENT_FORMATS, CONTENT_STATUSES

CHOSEN = "calendar_item_filter"  # the ItemFilter in force, kept while the expander is closed
EXPANDER = "calendar_filters"
# ItemFilter field, label, widget key, the names of fixed options (None: the options come from the data)
FIELDS = (
    ("statuses", "Статус", "calendar_filter_status", CONTENT_STATUSES),
    ("rubrics", "Рубрика", "calendar_filter_rubric", None),
    ("formats", "Формат", "calendar_filter_format", CONTENT_FORMATS),
    ("editors", "Редактор", "calendar_filter_editor", None),
    ("categories", "Для категории", "calendar_filter_category", CATEGORIES),
)


def item_filter(materials: Callable[[], pd.DataFrame]) -> ItemFilter:
    """Draw the filters (the rubrics and editors of `materials()` are offered, read only when the
    expander is open) and return the choice in force, whether the expander is open or not."""
    chosen = st.session_state.get(CHOSEN, ItemFilter())
    box = st.expander("Фильтры календаря", icon=":material/filter_list:", key=EXPANDER, on_change="rerun")
    if box.open:
        with box:
            chosen = _draw(materials(), chosen)
        st.session_state[CHOSEN] = chosen
    if chosen != ItemFilter():
        st.caption(f"Фильтры календаря: {markdown_text(describe(chosen))}.")
    return chosen


def _draw(items: pd.DataFrame, chosen: ItemFilter) -> ItemFilter:
    from_data = {"rubrics": items["rubric"], "editors": items["editor"]}
    picked = {}
    for column, (field, label, key, names) in zip(st.columns(len(FIELDS)), FIELDS):
        kept = getattr(chosen, field)
        if names is None:
            # A kept choice stays offered even when this window has no such material.
            options = sorted({value for value in from_data[field] if isinstance(value, str) and value} | set(kept))
        else:
            options = list(names)
        if key not in st.session_state:  # the expander was closed: its widgets start from the kept choice
            st.session_state[key] = [value for value in kept if value in options]
        picked[field] = tuple(
            column.multiselect(
                label,
                options,
                format_func=fmt.label_of(names) if names else str,
                key=key,
                placeholder="все",
                select_all=False,
            )
        )
    return ItemFilter(**picked)


def describe(chosen: ItemFilter) -> str:
    """«статус — готово, опубликовано; рубрика — Спорт», for the caption."""
    parts = []
    for field, label, _key, names in FIELDS:
        values = getattr(chosen, field)
        if values:
            parts.append(f"{label.lower()} — " + ", ".join((names or {}).get(value, value) for value in values))
    return "; ".join(parts)
