"""The first line of every page: run inside app.py's router, and only for the roles allowed."""

from __future__ import annotations

import streamlit as st

from components import auth, streamlit_internals
from data_access.auth import Actor
from data_access.vocabulary import ROLES


def start(role: str | None = None) -> Actor:
    """Make sure the page runs through app.py and return the current actor.

    Streamlit serves the files of a folder named pages/ by themselves (its legacy multipage
    mode) until the first run of app.py has called st.navigation; after a server restart a
    bookmarked link such as /targets would otherwise show the page without the router, its
    sidebar filters and its sign-in checks. Such a run is turned into a rerun through app.py.
    The role check repeats app.py's decision for a page reached any other way.
    """
    if streamlit_internals.in_pages_directory_mode():
        streamlit_internals.leave_pages_directory_mode()
        st.rerun()
    actor = auth.current_actor()
    if role is not None and not actor.can(role):
        st.error(
            f"Эта страница доступна роли «{ROLES[role]}». Войдите под подходящей учётной записью.",
            icon=":material/block:",
        )
        st.stop()
    return actor
