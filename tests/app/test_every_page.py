"""Smoke test of every screen: each file in pages/ runs through app.py's router, signed in as
an administrator (who may open all of them) and as a visitor, without an exception, with a
heading, and in Russian. A file added to pages/ is tested here without anyone listing it.
The sign-in page exists only for a visitor where reading needs a login (app.py registers it alone then)."""

import pytest

from tests.app.conftest import APP, open_as
from tests.support import PAGE_FILES

# Pages an anonymous visitor may open (the others answer «войдите под подходящей учётной записью»).
OPEN_TO_VISITORS = {
    "pages/overview.py",
    "pages/targets.py",
    "pages/map.py",
    "pages/verification.py",
    "pages/freshness.py",
    "pages/report.py",
    "pages/calendar.py",
    "pages/qr.py",
}
SIGN_IN_PAGE = "pages/login.py"
SIGNED_IN_PAGES = [name for name in PAGE_FILES if name != SIGN_IN_PAGE]


def test_the_list_of_pages_is_the_folder():
    assert "pages/profile.py" in PAGE_FILES and SIGN_IN_PAGE in PAGE_FILES and len(PAGE_FILES) >= 15


@pytest.mark.parametrize("page_file", SIGNED_IN_PAGES)
def test_every_page_renders_for_an_administrator(page_file, sign_in):
    app = open_as(sign_in, "admin", page_file)
    assert not app.exception, app.exception
    assert not app.error, [error.value for error in app.error]  # an admin is refused nowhere
    assert app.title or app.header or app.subheader, f"{page_file} shows no heading"


@pytest.mark.parametrize("page_file", SIGNED_IN_PAGES)
def test_every_page_answers_a_visitor_in_russian(page_file, store_url):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(APP, default_timeout=60).run()
    app.switch_page(page_file).run()
    assert not app.exception, app.exception
    refusals = [error.value for error in app.error if "Войдите" in error.value]
    if page_file in OPEN_TO_VISITORS:
        assert not refusals, f"{page_file} refuses a visitor"
    else:
        assert refusals, f"{page_file} opens without sign-in"


def test_the_sign_in_page_is_what_a_visitor_gets_where_reading_needs_a_login(store_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GOSPUBLIKI_READ_REQUIRES_LOGIN", "true")
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.switch_page(SIGN_IN_PAGE).run()
    assert not app.exception, app.exception
    assert [title.value for title in app.title] == ["Вход"]
    assert [button.label for button in app.button if button.label == "Войти"] == ["Войти"]
    assert not app.metric  # nothing of the dashboard is read before signing in
