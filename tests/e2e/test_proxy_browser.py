"""Two app instances behind the real nginx (scripts/serve.sh) over TLS with a self-signed
certificate: a session signs in and edits on one instance, a session pinned to the other instance
sees the change; every answer carries the security headers and only Secure cookies."""

from __future__ import annotations

import os
import shutil
import signal
import ssl
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
from tests.support import free_ports, unavailable

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TITLE = "Через прокси: ёлка во дворе школы № 7"


@dataclass
class Proxy:
    url: str
    database_url: str
    certificate: Path


def _serve_failure(log: Path) -> str:
    """What serve.sh said, and the end of each log in the folder it named (instances, warm-up, nginx)."""
    said = log.read_text(encoding="utf-8")
    parts = [f"serve.sh did not start:\n{said}"]
    for line in said.splitlines():
        if line.startswith("Журналы экземпляров"):
            for path in sorted(Path(line.rsplit(" ", 1)[-1]).glob("*.log")):
                tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
                parts.append(f"--- {path.name}\n" + "\n".join(tail))
    return "\n".join(parts)


def _tls(certificate: Path) -> ssl.SSLContext:
    """Trust exactly the test's own self-signed certificate."""
    return ssl.create_default_context(cafile=str(certificate))


def _answer(url: str, route: str, certificate: Path, path: str = "/_stcore/health"):
    request = urllib.request.Request(f"{url}{path}", headers={"Cookie": f"gospubliki_route={route}"})
    return urllib.request.urlopen(request, timeout=5, context=_tls(certificate))


def _instance(url: str, route: str, certificate: Path) -> str:
    """Which instance nginx sends a browser with this route cookie to (its own header says)."""
    with _answer(url, route, certificate) as response:
        assert response.read() == b"ok"
        return response.headers["X-Gospubliki-Instance"]


@pytest.fixture
def proxy(demo_postgres_url: str, tmp_path: Path):
    if not os.path.exists(NGINX):
        unavailable("nginx is not installed (scripts/test.sh installs the Debian package)")
    port = free_ports(3)  # the proxy's port, then one for each of the two instances
    first = port + 1
    certificate, key = tmp_path / "site.crt", tmp_path / "site.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen(
        [
            str(ROOT / "scripts" / "serve.sh"),
            "--instances",
            "2",
            "--port",
            str(port),
            "--first-port",
            str(first),
            "--tls",
            "--cert",
            str(certificate),
            "--key",
            str(key),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": demo_postgres_url},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # two instances started and warmed while the other worker runs
        while True:
            try:
                _instance(url, "probe", certificate)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(_serve_failure(tmp_path / "serve.log")) from None
                time.sleep(0.5)
        yield Proxy(url, demo_postgres_url, certificate)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except ProcessLookupError:  # serve.sh and its group had already stopped
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_an_edit_on_one_instance_is_seen_on_the_other(browser: Browser, proxy: Proxy):
    # Two route cookies that nginx sends to different instances: two browsers, two instances.
    routes: dict[str, str] = {}
    for number in range(64):
        routes.setdefault(_instance(proxy.url, f"route-{number}", proxy.certificate), f"route-{number}")
        if len(routes) == 2:
            break
    assert len(routes) == 2, f"nginx sent every route to one instance: {routes}"
    (first, first_route), (second, second_route) = routes.items()
    assert _instance(proxy.url, first_route, proxy.certificate) == first  # sticky: the same cookie, the same instance
    assert set(routes) == {"instance-1", "instance-2"}  # named, never the address

    def pinned(route: str):
        context = browser.new_context(
            locale="ru-RU", viewport={"width": 1400, "height": 1400}, ignore_https_errors=True
        )  # the test's self-signed certificate
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


def test_every_answer_carries_the_security_headers_and_cookies_are_secure(browser: Browser, proxy: Proxy):
    for path in ("/", "/_stcore/health", "/targets"):
        with _answer(proxy.url, "route-headers", proxy.certificate, path) as response:
            headers = response.headers
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Server"] == "nginx"  # no version
        assert "127.0.0.1" not in headers["X-Gospubliki-Instance"]
    plain = proxy.url.replace("https://", "http://")
    with pytest.raises(OSError):  # the TLS port does not speak plain HTTP
        urllib.request.urlopen(f"{plain}/_stcore/health", timeout=5)
    context = browser.new_context(locale="ru-RU", ignore_https_errors=True)
    page = context.new_page()
    page.goto(f"{proxy.url}/")
    wait_for_app(page)
    cookies = {cookie["name"]: cookie for cookie in context.cookies(proxy.url)}
    assert {"gospubliki_route", "_streamlit_xsrf"} <= set(cookies), cookies
    assert all(cookie["secure"] for cookie in cookies.values()), cookies
    # Another site cannot frame the dashboard.
    page.set_content(f'<iframe id="framed" src="{proxy.url}/" width="600" height="400"></iframe>')
    page.wait_for_timeout(2000)
    frame = page.frame_locator("#framed")
    expect(frame.get_by_text("Сводка")).to_have_count(0)
    context.close()
