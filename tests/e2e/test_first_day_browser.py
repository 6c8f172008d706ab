"""The first day of a real install in Chromium: on a store made by `init` only and on one with the
portal's registry but no figures yet, every page, as a visitor, an editor and an administrator,
draws without Streamlit's error screen and without a Latin word."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests import shaped_files
from tests.e2e.conftest import create_account, open_page, sign_in, submit_sign_in
from tests.e2e.test_russian_browser import visit_every_page
from tests.support import PHONE_USER_AGENT, AppServer, start_app, stop_app


@pytest.fixture(scope="module", params=["init", "registry"])
def first_day_server(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp(f"first-day-{request.param}")
    url = f"sqlite:///{folder / 'store.sqlite3'}"
    shaped_files.first_day_store(url, request.param)
    server = start_app(url, folder / "streamlit.log")
    yield server
    stop_app(server)


@pytest.mark.parametrize(("role", "width"), [(None, 1440), ("editor", 1440), ("admin", 1440), ("admin", 390)])
def test_every_page_draws_in_russian_on_the_first_day(browser: Browser, first_day_server, role, width):
    phone = width < 600
    context = browser.new_context(
        locale="ru-RU",
        viewport={"width": width, "height": 1200},
        is_mobile=phone,
        has_touch=phone,
        **({"user_agent": PHONE_USER_AGENT} if phone else {}),
    )
    page = context.new_page()
    login = f"day{role}{'phone' if phone else 'desk'}" if role else None
    if role is None:
        open_page(page, first_day_server)
    else:
        create_account(first_day_server, login, role, "Первый День")
        if phone:  # the menu is folded away on a phone: opened for the sign-in (and before every move)
            open_page(page, first_day_server)
            _unfold(page)
            submit_sign_in(page, login)
        else:
            sign_in(page, first_day_server, login)
        expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Мой профиль")).to_be_attached()
    seen = visit_every_page(page, {login} if login else set(), unfold=phone)
    assert len(seen) >= (7 if role is None else 8)
    assert {title: words for title, words in seen.items() if words} == {}
    context.close()


def _unfold(page) -> None:
    button = page.get_by_test_id("stExpandSidebarButton")
    if button.count() and button.is_visible():
        button.click()
