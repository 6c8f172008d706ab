"""A table's rows as cards for a 390 px phone, ten at a time: a bold title (the page with its
network) and one line with what decides, without a sideways scroll. The cards go in a
screens.phone container, drawn for a phone instead of the full table, which stays one tap away."""

from __future__ import annotations

import streamlit as st

from components import formatting as fmt

PER_SCREEN = 10


def draw(cards: list[tuple[str, str]], key: str, ids: list[int] | None = None) -> int | None:
    """`cards` as (title, line) pairs in the table's order. With `ids` (one per card), each card
    has a «Карточка» button; returns the id whose card was asked for, while it is among `ids`
    (the rows change with a search)."""
    total = len(cards)
    first = min(st.session_state.get(f"{key}_phone_first", 0), max(total - 1, 0) // PER_SCREEN * PER_SCREEN)
    for index in range(first, min(first + PER_SCREEN, total)):
        title, line = cards[index]
        with st.container(border=True):
            st.markdown(f"**{fmt.markdown_text(title)}**  \n{fmt.markdown_text(line)}")
            if ids is not None:
                st.button(
                    "Карточка",
                    key=f"{key}_phone_open_{index}",
                    icon=":material/open_in_new:",
                    type="tertiary",
                    on_click=st.session_state.update,
                    kwargs={f"{key}_phone_chosen": ids[index]},
                )
    if total > PER_SCREEN:
        back, where, forward = st.columns([1, 2, 1], vertical_alignment="center")
        back.button(
            "Назад",
            key=f"{key}_phone_back",
            disabled=first == 0,
            icon=":material/chevron_left:",
            on_click=st.session_state.update,
            kwargs={f"{key}_phone_first": first - PER_SCREEN},
        )
        where.caption(f"{fmt.number(first + 1)}–{fmt.number(min(first + PER_SCREEN, total))} из {fmt.number(total)}")
        forward.button(
            "Далее",
            key=f"{key}_phone_forward",
            disabled=first + PER_SCREEN >= total,
            icon=":material/chevron_right:",
            on_click=st.session_state.update,
            kwargs={f"{key}_phone_first": first + PER_SCREEN},
        )
    chosen = st.session_state.get(f"{key}_phone_chosen")
    return chosen if ids is not None and chosen in ids else None
