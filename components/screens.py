"""Parts drawn twice, once for a phone and once for a wider screen, the browser showing one.

The server never learns how wide a visitor's screen is, so where one layout cannot serve both —
a page table whose decisive columns must fit 390 px, a map of the region fitted to either
width — the page draws both versions, each in a keyed container, and this style sheet hides the
one that does not fit the screen (Streamlit's own phone breakpoint, 640 px). Only small parts
are drawn twice: the phone's table has four columns.

A map is not drawn twice: the region's areas map, fitted either to a phone or to a wider screen,
is chosen by what the browser says it is (on_phone), so the hidden one is neither sent (83 → 68 KiB
per load) nor built by deck.gl. (How long the browser then takes to settle is the first draw of
the shown map in software WebGL, the same with or without the hidden one: docs/guide.md, «Карта».)
"""

from __future__ import annotations

import streamlit as st

from components import static_files

STYLE = "<style>" + static_files.text("screens.css") + "</style>"  # a phone: up to 640 px wide, as Streamlit's own


def apply() -> None:
    st.html(STYLE)


def on_phone() -> bool:
    """Whether the visitor's browser says it is a phone: «Mobi» in its User-Agent, as MDN advises
    (https://developer.mozilla.org/en-US/docs/Web/HTTP/Browser_detection_using_the_user_agent).
    A desktop window made narrow is not a phone here; AppTest has no headers, so no phone."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


def wide(key: str):
    """A container shown on screens wider than a phone."""
    return st.container(key=f"wide_{key}")


def phone(key: str):
    """A container shown on a phone only."""
    return st.container(key=f"phone_{key}")
