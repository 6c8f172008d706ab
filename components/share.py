"""«Скопировать ссылку»: the address of the current view (filters and view state are in the URL).

A small st.components.v2 component: trusted static HTML and JavaScript of this project, no data
from the store or the visitor goes into it. The page's own address is read in the browser, so
the link is exactly what the visitor sees, behind whatever proxy the app runs.
"""

from __future__ import annotations

import streamlit as st

from components import static_files

HTML = """<button type="button" class="share">Скопировать ссылку</button><div class="note" role="status"></div>"""
CSS = static_files.text("share.css")
JS = static_files.text("share.js")

_copy_link = st.components.v2.component("gospubliki.copy_link", html=HTML, css=CSS, js=JS)


def copy_link_button(key: str) -> None:
    """The button; the link it copies carries the sidebar filters and the page's view state."""
    _copy_link(key=key)
