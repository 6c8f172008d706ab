"""Signing in, in Chromium: the local login form, and single sign-on against a local OIDC provider."""

import json
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import create_account, open_page, sign_in, wait_for_app
from tests.support import free_port, start_app, stop_app


@pytest.fixture(scope="module")
def accounts_ready(app_server):
    for login, role in (("e2e-admin", "admin"), ("e2e-editor", "editor")):
        create_account(app_server, login, role, f"E2E {role}")


def test_login_form_signs_in_and_out(page: Page, app_server, accounts_ready):
    sign_in(page, app_server, "e2e-admin", "wrong-password", succeeds=False)
    expect(page.get_by_text("Неверный логин или пароль.")).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_label("Пароль", exact=True).fill("e2e-password-1")
    page.get_by_test_id("stSidebar").get_by_role("button", name="Войти", exact=True).click()
    wait_for_app(page)
    navigation = page.get_by_test_id("stSidebarNav")
    expect(navigation.get_by_role("link", name="Журнал изменений")).to_be_visible()
    navigation.get_by_role("link", name="Журнал изменений").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stDataFrame")).to_contain_text("неудачный вход")
    page.get_by_test_id("stSidebar").get_by_role("button", name="Выйти").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Журнал изменений")).to_have_count(0)
    expect(page.get_by_text("Вход для сотрудников")).to_be_visible()


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory):
    """oidc-provider-mock on a free port with one predefined user carrying a role claim."""
    port = free_port()
    user = {
        "sub": "kuznetsova",
        "email": "kuznetsova@nsk.example",
        "name": "Кузнецова О. Н.",
        "roles": ["offline_access", "gospubliki-editor"],
    }
    log = tmp_path_factory.mktemp("oidc") / "oidc.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--user-claims", json.dumps(user)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        raise RuntimeError(f"oidc-provider-mock did not start:\n{log.read_text()}")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def sso_app(oidc_provider, demo_sqlite_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sso")
    store = folder / "store.sqlite3"
    shutil.copyfile(demo_sqlite_template, store)
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "gospubliki-dashboard"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    server = start_app(
        f"sqlite:///{store}",
        folder / "streamlit.log",
        extra_env={"STREAMLIT_SECRETS_FILES": str(secrets_file)},
        port=port,
    )
    yield server
    stop_app(server)


def test_single_sign_on_end_to_end(page: Page, sso_app):
    open_page(page, sso_app)
    page.get_by_test_id("stSidebar").get_by_text("Вход для сотрудников").click()
    page.get_by_role("button", name="Войти через единый вход").click()
    # The provider's consent page: choose the predefined user.
    page.get_by_role("button", name="kuznetsova").click()
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Кузнецова О. Н.")
    expect(sidebar).to_contain_text("роль: редактор")  # from the «roles» claim
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Журнал изменений")).to_have_count(0)
    sidebar.get_by_role("button", name="Выйти").click()
    # RP-initiated logout: the provider asks to confirm, then sends the browser back to the app.
    page.get_by_role("button", name="End session").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Вход для сотрудников")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).not_to_contain_text("Кузнецова")
