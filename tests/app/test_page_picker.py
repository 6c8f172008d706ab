"""A page picker over a long selection (a region's): a search first, then the best matches only.

The demo city has fewer pages than PICK_ALL_UP_TO, so the threshold is lowered here; the browser
test on a store of more than 1 000 pages (tests/e2e/test_targets_browser.py) sees the same."""

from __future__ import annotations

import pytest

from components import formatting as fmt
from components import page_picker
from tests.app.conftest import open_tab, rows
from tests.independent import active_pages


@pytest.fixture(autouse=True)
def _long_selection(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(page_picker, "PICK_ALL_UP_TO", 100)


def _pages_named(store_url: str, fragment: str) -> set[int]:
    """Active pages whose institution's short or legal name has `fragment` (lower case): straight
    from the store, not through data_access.search."""
    found = rows(
        store_url,
        "SELECT p.id, i.short_name, i.name FROM pages p JOIN institutions i ON i.id = p.institution_id "
        "WHERE p.retired_at IS NULL AND i.retired_at IS NULL",
    )
    return {page_id for page_id, short_name, name in found if fragment in f"{short_name} {name or ''}".lower()}


def test_the_map_sends_a_search_and_the_first_pages_only(open_app, store_url):
    app = open_app("pages/map.py")
    search = app.text_input(key="map_search_query")
    assert search.label == "Найти учреждение"
    choice = app.selectbox(key="map_search")
    assert choice.label == "Выберите из найденного" and choice.value is None
    assert len(choice.options) == page_picker.SHOWN_AT_MOST
    every = active_pages(store_url)
    assert any(
        f"первые {page_picker.SHOWN_AT_MOST} из {fmt.number(every)} страниц" in caption.value for caption in app.caption
    )


def test_a_search_offers_what_matches_and_its_choice_opens_the_card(open_app, store_url):
    app = open_app("pages/map.py")
    app.text_input(key="map_search_query").set_value("лицей").run()
    assert not app.exception
    expected = _pages_named(store_url, "лице")
    assert expected, "the demo city has lyceums"
    choice = app.selectbox(key="map_search")
    assert 0 < len(choice.options) == min(len(expected), page_picker.SHOWN_AT_MOST)
    assert all("Лицей" in option for option in choice.options)
    assert any(caption.value.startswith(f"Найдено: {fmt.pages_count(len(expected))}") for caption in app.caption)
    page_id = next(iter(expected))
    choice.set_value(page_id).run()
    assert not app.exception
    assert app.subheader[0].value.startswith("Лицей")


def test_a_search_that_finds_nothing_says_so_on_every_picker(open_app):
    app = open_app("pages/verification.py")
    app.session_state["verification_tab"] = "Чек-лист страницы"
    app.run()
    # A page is always chosen while the search is empty: the first by name, and its checklist.
    assert app.selectbox(key="verification_page").value is not None
    assert any("Обязательные пункты страницы" in (bar.proto.text or "") for bar in app.get("progress"))
    app.text_input(key="verification_page_query").set_value("щщщ 999999").run()
    assert not app.exception
    assert any(caption.value.startswith("Ничего не найдено") for caption in app.caption)
    assert not app.get("progress")


def test_one_pages_history_is_chosen_through_the_search(open_app, store_url):
    app = open_tab(open_app("pages/targets.py"), "targets_section", "История")
    app.radio(key="targets_series").set_value("одна страница").run()
    assert not app.exception
    first = app.selectbox(key="targets_page")
    assert len(first.options) == page_picker.SHOWN_AT_MOST and first.value is not None
    charts = len(app.get("vega_lite_chart"))
    assert charts
    app.text_input(key="targets_page_query").set_value("щщщ 999999").run()
    assert not app.exception
    assert any(caption.value.startswith("Ничего не найдено") for caption in app.caption)
    assert len(app.get("vega_lite_chart")) < charts  # no page, no page history
