"""The month grid of «Контент-план» as one element: seven columns of days with their materials.

Drawn with Streamlit's own widgets it was 170–190 elements (columns, day numbers, a button per
material): most of a rerun of the page, and twice the time of any other page under load. Here it
is one st.components.v2 component: trusted static HTML, CSS and JavaScript of this project;
the data (content.month_grid) arrives as JSON and every title, name and mark is set as text
(textContent), never as markup. A click on a material, or Enter on it, reports its id.

On a narrow screen (a phone, or a narrow window) the days stack into a list with their full
names («Пт, 4 декабря») and the neighbouring months' empty days are left out.
"""

from __future__ import annotations

import streamlit as st

from components import static_files

HTML = """<div class="month"><div class="head" aria-hidden="true"></div><div class="days" role="list"></div></div>"""
CSS = static_files.text("month_grid.css")
JS = static_files.text("month_grid.js")

_month_grid = st.components.v2.component("gospubliki.month_grid", html=HTML, css=CSS, js=JS)


def _opened() -> None:
    """A material was clicked (the page reads which one from the result)."""


def month_grid(grid: dict, key: str) -> int | None:
    """Draw `grid` (content.month_grid); the id of the material just clicked, else None."""
    result = _month_grid(key=key, data=grid, on_open_change=_opened)
    return None if result.open is None else int(result.open)
