"""Real-browser fixtures: the app served by `streamlit run` on a free port, Debian's Chromium."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    AppServer,
    start_app,
    stop_app,
    unavailable,
    wait_for_app_run,
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        unavailable("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # An official's browser: Russian locale, a desktop screen.
    return {
        **browser_context_args,
        "locale": "ru-RU",
        "timezone_id": "Asia/Novosibirsk",
        "viewport": {"width": 1400, "height": 1600},
        "accept_downloads": True,
    }


@pytest.fixture(scope="session")
def app_server(demo_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("e2e")
    store = folder / "store.sqlite3"
    shutil.copyfile(demo_sqlite_template, store)
    server = start_app(f"sqlite:///{store}", folder / "streamlit.log")
    yield server
    stop_app(server)


@pytest.fixture
def own_app_server(demo_sqlite_template: Path, tmp_path: Path) -> Iterator[AppServer]:
    """An app on a store of its own, for a test that writes: the session-wide app_server's
    figures stay as the demo has them for every other test, in whatever order they run."""
    store = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_sqlite_template, store)
    server = start_app(f"sqlite:///{store}", tmp_path / "streamlit.log")
    yield server
    stop_app(server)


def wait_for_app(page: Page) -> None:
    """Wait until the script run finished and everything is drawn; no exception on screen."""
    wait_for_app_run(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def open_page(page: Page, server: AppServer, path: str = "") -> None:
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)


def open_tab(page: Page, label: str) -> None:
    """Open the tab `label` (widgets.lazy_tabs draws a tab's content only once it is open)."""
    page.get_by_role("tab", name=label, exact=True).click()
    wait_for_app(page)


def sign_in(
    page: Page, server: AppServer, login: str, password: str = "e2e-password-1", path: str = "", succeeds: bool = True
) -> None:
    """Open `path` and sign in through the sidebar form (`succeeds=False`: a refusal is expected)."""
    open_page(page, server, path)
    submit_sign_in(page, login, password, succeeds)


def submit_sign_in(page: Page, login: str, password: str = "e2e-password-1", succeeds: bool = True) -> None:
    """Fill and send the sidebar's sign-in form of the page already open.

    Signed in only when the sidebar offers to sign out. On a busy machine a click that lands while
    the first runs of the page redraw the sidebar can be lost; the form is then still there, filled,
    and is sent again (signing in twice is harmless)."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Вход для сотрудников").click()
    sidebar.get_by_label("Логин").fill(login)
    sidebar.get_by_label("Пароль", exact=True).fill(password)
    submit = sidebar.get_by_role("button", name="Войти", exact=True)
    submit.click()
    wait_for_app(page)
    if not succeeds:
        return
    sign_out = sidebar.get_by_role("button", name="Выйти")
    for _ in range(3):
        try:
            expect(sign_out).to_be_attached(timeout=10_000)
            return
        except AssertionError:
            if submit.count():
                submit.click()
                wait_for_app(page)
    expect(sign_out).to_be_attached(timeout=10_000)


def create_account(server: AppServer, login: str, role: str, name: str, password: str = "e2e-password-1") -> None:
    from data_access import accounts
    from data_access.auth import COMMAND_LINE
    from data_access.engine import make_engine

    engine = make_engine(server.database_url)
    accounts.create_user(engine, COMMAND_LINE, accounts.NewUser(login, role, name, None, password))
    engine.dispose()


def set_date(form, label: str, value: str) -> None:
    """Type «ДД.ММ.ГГГГ» into Streamlit's segmented date field (day, month, year spin buttons)."""
    day, month, year = value.split(".")
    for segment, digits in (("день", day), ("месяц", month), ("год", year)):
        field = form.get_by_role("spinbutton", name=f"{segment}, {label}")
        field.click()
        field.press_sequentially(digits)
    form.page.keyboard.press("Escape")
    wait_for_app(form.page)  # the form is live: every field reruns the page


def select_option(form, label: str, option: str) -> None:
    """Pick `option` in the selectbox `label` of `form`.

    The form is live: the field changed just before may rerun the page after `wait_for_app` returned,
    and that rerun closes a menu opened meanwhile. So the menu is opened again (at most three times)
    until the option shows; a menu that never shows fails the test as before.
    """
    choice = form.page.get_by_role("option", name=option, exact=True)
    for attempt in range(3):
        form.get_by_role("combobox", name=label).click()
        try:
            choice.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            form.page.keyboard.press("Escape")
            wait_for_app(form.page)
    choice.click()
    wait_for_app(form.page)


def new_material_form(page: Page, title: str):
    """On «Контент-план» (signed in as an editor): open «Новый материал», type `title`, return the form."""
    page.get_by_text("Новый материал").click()
    form = page.locator(".st-key-calendar_new_0_form")
    form.get_by_label("Заголовок").fill(title)
    form.get_by_label("Заголовок").press("Enter")
    wait_for_app(page)
    return form


def upload_subscribers(page: Page, file: Path, suspicious: int = 0) -> None:
    """On «Загрузка данных»: upload a figures file, check the preview appears (and that exactly
    `suspicious` rows are flagged, which are then confirmed), load it."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Загрузка данных").click()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(file))
    wait_for_app(page)
    expect(page.get_by_text("Что изменится", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").filter(has_text="Стало").last).to_be_visible()
    button = page.get_by_role("button", name=re.compile(r"^Загрузить:"))
    if suspicious:
        expect(page.get_by_text(f"Подозрительных изменений: {suspicious}")).to_be_visible()
        expect(button).to_be_disabled()
        page.get_by_text("Я проверил(а) подозрительные строки").click()
        wait_for_app(page)
    button.click()
    wait_for_app(page)
    expect(page.get_by_text(f"Файл «{file.name}» загружен")).to_be_visible()


def figure_on_targets(page: Page, server: AppServer, query: str, name_part: str) -> str:
    """Search «Цели по подписчикам» for one page and return its table row's text (no spaces)."""
    page.goto(f"{server.url}/targets")
    wait_for_app(page)
    search = page.get_by_label("Поиск по названию")
    search.fill(query)
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Показано 1 из \d+"))).to_be_visible()
    table = page.get_by_test_id("stDataFrame").filter(has_text=name_part)
    expect(table).to_contain_text(name_part)  # the grid has filled its rows
    return re.sub(r"\s", "", table.text_content() or "")  # the grid keeps its rows in hidden text
