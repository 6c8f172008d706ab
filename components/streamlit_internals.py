"""Every use of Streamlit's private API in the app, in one place, for the minor version pinned in
requirements.txt (STREAMLIT_MINOR).

Streamlit has no public way to do these four things, and each one is needed:

- leave its legacy pages/ mode, in which a bookmarked /targets right after a server start would
  run the page without app.py's router, filters and sign-in (`PagesManager.uses_pages_directory`,
  page.start);
- learn that an address named no page, instead of Streamlit sending the browser its English
  «Page not found» dialog (`streamlit.commands.navigation.send_page_not_found`, shell.navigation);
- read the running script's main path, to declare each menu page once per process
  (`get_script_run_ctx().pages_manager.main_script_path`, shell.page);
- send a lazy table's first rows in a smaller chunk than its 1 000 (`lazy_df_source.DEFAULT_PAGE_SIZE`,
  read by st.dataframe on every call; the browser then asks for chunks of the size it was told):
  a region's table of pages was 321 KiB of a 484 KiB page load (set_lazy_chunk_rows, app.py).

The relabeller (russian.py) reads Streamlit's browser bundle by its `data-testid`s and English
texts. tests/unit/test_streamlit_internals.py fails loudly when an upgrade moves any of this:
upgrade Streamlit only together with that test.
"""

from __future__ import annotations

from collections.abc import Callable

from streamlit.commands import navigation as _navigation
from streamlit.dataframe import lazy_df_source as _lazy_df_source
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

STREAMLIT_MINOR = "1.67"


def in_pages_directory_mode() -> bool:
    """Whether this run is Streamlit's legacy pages/ mode (before the first st.navigation call)."""
    return bool(PagesManager.uses_pages_directory)


def leave_pages_directory_mode() -> None:
    PagesManager.uses_pages_directory = False


def on_page_not_found(callback: Callable[[object], None]) -> None:
    """Have st.navigation call `callback(context)` instead of sending its «Page not found» dialog."""
    _navigation.send_page_not_found = callback  # type: ignore[assignment]  # called with the run's context


def main_script_path() -> str | None:
    """The running app's main script path; None outside a script run (bare Python)."""
    context = get_script_run_ctx()
    return None if context is None else context.pages_manager.main_script_path


def set_lazy_chunk_rows(rows: int) -> None:
    """Rows a lazy st.dataframe sends with the page and then per request as the visitor scrolls."""
    _lazy_df_source.DEFAULT_PAGE_SIZE = rows  # type: ignore[misc]  # Final in Streamlit, read per call


def lazy_chunk_rows() -> int:
    return _lazy_df_source.DEFAULT_PAGE_SIZE
