"""Real-browser fixtures: the app served by `streamlit run` on a free port, Debian's Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ROOT
from tests.support import free_port, unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


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
    return {**browser_context_args, "locale": "ru-RU", "timezone_id": "Asia/Novosibirsk",
            "viewport": {"width": 1400, "height": 1600}, "accept_downloads": True}


class AppServer:
    def __init__(self, url: str, database_url: str, process: subprocess.Popen, log: Path):
        self.url = url
        self.database_url = database_url
        self.process = process
        self.log = log


def start_app(database_url: str, log: Path, extra_env: dict[str, str] | None = None,
              port: int | None = None) -> AppServer:
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": database_url, **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return AppServer(url, database_url, process, log)
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()}")


def stop_app(server: AppServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def app_server(demo_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("e2e")
    store = folder / "store.sqlite3"
    shutil.copyfile(demo_sqlite_template, store)
    server = start_app(f"sqlite:///{store}", folder / "streamlit.log")
    yield server
    stop_app(server)


def wait_for_app(page: Page) -> None:
    """Wait until the script run finished and nothing is left spinning."""
    page.wait_for_timeout(300)  # let a rerun triggered by the last action start first
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def open_page(page: Page, server: AppServer, path: str = "") -> None:
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)


def sign_in(page: Page, server: AppServer, login: str, password: str = "e2e-password-1", path: str = "") -> None:
    """Open `path` and sign in through the sidebar form."""
    open_page(page, server, path)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Вход для сотрудников").click()
    sidebar.get_by_label("Логин").fill(login)
    sidebar.get_by_label("Пароль").fill(password)
    sidebar.get_by_role("button", name="Войти", exact=True).click()
    wait_for_app(page)


def create_account(server: AppServer, login: str, role: str, name: str, password: str = "e2e-password-1") -> None:
    from data_access import accounts
    from data_access.auth import COMMAND_LINE
    from data_access.engine import make_engine

    engine = make_engine(server.database_url)
    accounts.create_user(engine, COMMAND_LINE, accounts.NewUser(login, role, name, None, password))
    engine.dispose()


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
