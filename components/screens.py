"""Parts drawn one way for a phone and another for a wider screen.

The server never learns how wide a visitor's screen is; it learns what the browser says it is.
Where one layout cannot serve both — a page table whose decisive columns must fit 390 px, a map of
the region fitted to either width — the page draws the version for the visitor's device
(on_phone), in a keyed container (`wide_…` or `phone_…`). The other version is neither sent nor
built: drawing both and hiding one with a style sheet made every desktop browser build ten hidden
phone cards per list, ≈ 35 ms of a menu move (bench/README.md). A desktop window made narrow gets
the desktop version and scrolls sideways.
"""

from __future__ import annotations

import streamlit as st


def on_phone() -> bool:
    """Whether the visitor's browser says it is a phone: «Mobi» in its User-Agent, as MDN advises
    (https://developer.mozilla.org/en-US/docs/Web/HTTP/Browser_detection_using_the_user_agent).
    A desktop window made narrow is not a phone here; AppTest has no headers, so no phone."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


def wide(key: str):
    """The container of the version for a screen wider than a phone."""
    return st.container(key=f"wide_{key}")


def phone(key: str):
    """The container of the version for a phone."""
    return st.container(key=f"phone_{key}")
