"""The shared sidebar filters (category, district, social network, flagship) that every page honours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from components import reads, share
from components.formatting import markdown_text
from data_access.filters import PageFilter
from data_access.filters import describe as selection_text
from data_access.vocabulary import category_label, platform_label

# The keys are also the names of the URL parameters the filters are bound to
# (`?category=Школы&district=Кировский+район`: the shown labels), so a link opens the same selection.
KEY_CATEGORIES = "category"
KEY_DISTRICTS = "district"
KEY_PLATFORMS = "platform"
KEY_FLAGSHIP = "flagship"


def _reset() -> None:
    st.session_state[KEY_CATEGORIES] = []
    st.session_state[KEY_DISTRICTS] = []
    st.session_state[KEY_PLATFORMS] = []
    st.session_state[KEY_FLAGSHIP] = False


def sidebar_filters(options: Mapping[str, Sequence[str]]) -> PageFilter:
    """Draw the filters in the sidebar and return the selection."""
    with st.sidebar:
        st.subheader("Фильтры")
        st.multiselect(
            "Категория",
            options["categories"],
            format_func=category_label,
            key=KEY_CATEGORIES,
            placeholder="все категории",
            select_all=False,
            bind="query-params",
        )
        st.multiselect(
            "Район",
            options["districts"],
            key=KEY_DISTRICTS,
            placeholder="все районы",
            select_all=False,
            bind="query-params",
        )
        st.multiselect(
            "Соцсеть",
            options["platforms"],
            format_func=platform_label,
            key=KEY_PLATFORMS,
            placeholder="все соцсети",
            select_all=False,
            bind="query-params",
        )
        st.toggle("Только флагманские страницы", key=KEY_FLAGSHIP, bind="query-params")
        st.button("Сбросить фильтры", on_click=_reset, key="filter_reset", width="stretch")
        share.copy_link_button(key="filter_share")
    return selected_filter()


def selected_filter() -> PageFilter:
    """The selection made in the sidebar (everything when the filters are untouched)."""
    state = st.session_state
    return PageFilter(
        categories=tuple(state.get(KEY_CATEGORIES) or ()),
        districts=tuple(state.get(KEY_DISTRICTS) or ()),
        platforms=tuple(state.get(KEY_PLATFORMS) or ()),
        flagship_only=bool(state.get(KEY_FLAGSHIP, False)),
    )


def describe(filters: PageFilter, region: bool | None = None) -> str:
    """The selection in words, for captions and file names: «Школы · Кировский район»; with no
    filter «весь город» (or «вся область» when the store covers the region)."""
    if region is None:
        region = reads.store.coverage_area() == "region"
    # District names come from the registry: shown literally in the Markdown captions.
    return markdown_text(selection_text(filters, region))
