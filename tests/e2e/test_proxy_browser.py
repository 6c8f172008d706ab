"""Two app instances behind the real nginx (scripts/serve.sh): a session signs in and edits on one
instance, a session pinned to the other instance sees the change."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import ROOT
from tests.e2e.conftest import create_account, new_material_form, set_date, sign_in, wait_for_app
from tests.e2e.test_calendar_browser import FIRST_DAY
from tests.support import free_port, unavailable

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TITLE = "Через прокси: ёлка во дворе школы № 7"


@dataclass
class Proxy:
    url: str
    database_url: str


def _instance(url: str, route: str) -> str:
    """Which instance nginx sends a browser with this route cookie to (its own header says)."""
    request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": f"gospubliki_route={route}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.read() == b"ok"
        return response.headers["X-Gospubliki-Instance"]


@pytest.fixture
def proxy(demo_postgres_url: str, tmp_path: Path):
    if not os.path.exists(NGINX):
        unavailable("nginx is not installed (scripts/test.sh installs the Debian package)")
    port, first = free_port(), free_port()
    while abs(first - port) < 3:
        first = free_port()
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh"), "--instances", "2", "--port", str(port), "--first-port", str(first)],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": demo_postgres_url}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 150
        while True:
            try:
                _instance(url, "probe")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("serve.sh did not start: " + (tmp_path / "serve.log").read_text()) from None
                time.sleep(0.5)
        yield Proxy(url, demo_postgres_url)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_an_edit_on_one_instance_is_seen_on_the_other(browser: Browser, proxy: Proxy):
    # Two route cookies that nginx sends to different instances: two browsers, two instances.
    routes: dict[str, str] = {}
    for number in range(64):
        routes.setdefault(_instance(proxy.url, f"route-{number}"), f"route-{number}")
        if len(routes) == 2:
            break
    assert len(routes) == 2, f"nginx sent every route to one instance: {routes}"
    (first, first_route), (second, second_route) = routes.items()
    assert _instance(proxy.url, first_route) == first  # sticky: the same cookie, the same instance

    def pinned(route: str):
        context = browser.new_context(locale="ru-RU", viewport={"width": 1400, "height": 1400})
        context.add_cookies([{"name": "gospubliki_route", "value": route, "url": proxy.url}])
        return context.new_page()

    create_account(proxy, "e2e-proxy-editor", "editor", "Редактор за прокси")
    editor = pinned(first_route)
    sign_in(editor, proxy, "e2e-proxy-editor", path="calendar")
    form = new_material_form(editor, TITLE)
    set_date(form, "Дата публикации", f"{FIRST_DAY:%d.%m.%Y}")  # in this month: the grid the page opens on
    form.get_by_role("button", name="Создать").click()
    wait_for_app(editor)
    expect(editor.get_by_text(f"Материал «{TITLE}» создан")).to_be_visible()

    reader = pinned(second_route)
    reader.goto(f"{proxy.url}/calendar")
    wait_for_app(reader)
    expect(reader.get_by_role("button", name=TITLE)).to_be_visible(timeout=15_000)  # in the month grid
    # Both pages were really served through the proxy by different instances.
    assert editor.context.cookies(proxy.url)[0]["value"] == first_route
    assert reader.context.cookies(proxy.url)[0]["value"] == second_route
