"""What the app takes from Streamlit's insides is still there: run on every upgrade of Streamlit
(components/streamlit_internals.py, components/russian.py). Each failure names what moved."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import streamlit
from streamlit.commands import navigation
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

from components import russian, streamlit_internals
from tests.conftest import ROOT

BUNDLE = "".join(
    path.read_text(encoding="utf-8", errors="ignore")
    for path in (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("*.js")
)


def test_the_installed_streamlit_is_the_pinned_minor_version():
    assert streamlit.__version__.startswith(streamlit_internals.STREAMLIT_MINOR + "."), streamlit.__version__
    minor = streamlit_internals.STREAMLIT_MINOR
    upper = f"{minor.split('.')[0]}.{int(minor.split('.')[1]) + 1}"
    assert f"streamlit>={minor},<{upper}" in (ROOT / "requirements.txt").read_text(encoding="utf-8")


def test_the_legacy_pages_mode_flag_is_a_class_attribute_of_the_pages_manager():
    assert isinstance(PagesManager.uses_pages_directory, bool | None)
    assert "uses_pages_directory" in inspect.getsource(PagesManager)


def test_st_navigation_still_reports_an_unknown_page_through_send_page_not_found():
    assert callable(navigation.send_page_not_found)
    # Defined once and called from st.navigation's body.
    assert inspect.getsource(navigation).count("send_page_not_found(") >= 2


def test_a_script_run_context_still_knows_its_main_script_path():
    assert "pages_manager" in {field.name for field in ScriptRunContext.__dataclass_fields__.values()}
    assert isinstance(inspect.getattr_static(PagesManager, "main_script_path", None), property)
    assert streamlit_internals.main_script_path() is None  # outside a run


def test_every_english_text_the_relabeller_replaces_is_in_the_browser_bundle():
    missing = [text for text in [*russian.INTERFACE, *russian.DIALOGS] if text not in BUNDLE]
    assert not missing, f"Streamlit no longer has these texts; russian.py must follow: {missing}"


def test_every_element_the_relabeller_and_its_style_sheet_find_is_in_the_browser_bundle():
    source = russian.style_sheet(10) + russian.INTERFACE_JS + russian.INTERFACE_SCOPE
    test_ids = set(re.findall(r"data-testid[=^]*\"?([A-Za-z]+)", source))
    assert len(test_ids) > 10
    # stAlertContentError is built as `stAlertContent${kind}` in the bundle.
    missing = [
        test_id
        for test_id in test_ids
        if test_id not in BUNDLE and not (test_id.startswith("stAlertContent") and "stAlertContent" in BUNDLE)
    ]
    assert not missing, f"Streamlit no longer draws these data-testids; russian.py must follow: {missing}"
    assert "stErrorElementStack" in BUNDLE  # the element error russian.py relabels (FAILED_PART)


def test_a_lazy_table_still_reads_its_first_chunk_size_from_the_module_on_every_call():
    """widgets sets the size once (streamlit_internals.set_lazy_chunk_rows); st.dataframe must read it
    per call, and the browser must take its chunk size from the element, not a constant of its own."""
    from streamlit.elements import arrow

    from components import widgets

    assert "dataframe_source.DEFAULT_PAGE_SIZE" in inspect.getsource(arrow._marshall_lazy_dataframe)
    assert streamlit_internals.lazy_chunk_rows() == widgets.LAZY_CHUNK_ROWS < widgets.LAZY_ROWS
    assert "pageSize:f?.pageSize" in BUNDLE.replace(" ", "")
