"""What app.py declares around every page, prepared once per process instead of on every rerun.

st.Page checks its script's path on the disk and st.set_page_config / st.logo read their image
files and register them with Streamlit's media store on every call: ≈ 1.3 ms of each rerun of
every page for fourteen pages, the favicon and the logo. Here each page is declared once per
process and every run gets its own copy (st.navigation marks the page it returns as runnable
and the run unmarks it, so runs must not share one object); the images become data URLs once.

An address that names no page (an old bookmark, a typo) opens the default page, as in
Streamlit, but with a Russian notice instead of Streamlit's English «Page not found» dialog.
"""

from __future__ import annotations

import base64
import copy
import functools
import threading
from typing import Literal

import streamlit as st

from components import static_files, streamlit_internals

_LOCK = threading.Lock()
_DECLARED: dict[tuple, st.Page] = {}
_RUN = threading.local()  # a script run happens on one thread: what its st.navigation call found


def page(
    path: str, title: str, icon: str, default: bool = False, visibility: Literal["visible", "hidden"] = "visible"
) -> st.Page:
    """st.Page(path, title=…, icon=…, default=…, visibility=…), declared once per process and main
    script; the caller gets its own copy."""
    main_script = streamlit_internals.main_script_path()
    if main_script is None:  # bare Python, no app: nothing to keep
        return st.Page(path, title=title, icon=icon, default=default, visibility=visibility)
    # The app's main script names the folder (a string: main_script_parent builds a Path per call).
    key = (main_script, path, title, icon, default, visibility)
    with _LOCK:
        declared = _DECLARED.get(key)
    if declared is None:
        declared = st.Page(path, title=title, icon=icon, default=default, visibility=visibility)
        with _LOCK:
            _DECLARED[key] = declared
    return copy.copy(declared)


@functools.cache
def _data_url(name: str, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode((static_files.ASSETS / name).read_bytes()).decode("ascii")


def favicon() -> str:
    """The dashboard's icon for st.set_page_config, as a data URL."""
    return _data_url("favicon.png", "image/png")


def logo() -> str:
    """The dashboard's logo for st.logo, as a data URL."""
    return _data_url("logo.svg", "image/svg+xml")


def _remember_page_not_found(context) -> None:
    """Streamlit's st.navigation calls this (send_page_not_found) when the address names no page;
    instead of its message to the browser, which the browser shows as the English dialog, the
    run notes it for navigation()."""
    _RUN.page_not_found = True


streamlit_internals.on_page_not_found(_remember_page_not_found)


def navigation(pages, **options) -> st.Page:
    """st.navigation(pages, **options); when the address named no page, a Russian notice above
    the default page that opens in its place."""
    _RUN.page_not_found = False
    chosen = st.navigation(pages, **options)
    if _RUN.page_not_found:
        st.warning(f"По этому адресу страницы нет — открыта страница «{chosen.title}».", icon=":material/link_off:")
    return chosen
