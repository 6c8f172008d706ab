"""What the tests and the benchmarks share: the strict-mode switch, free ports, a throwaway
PostgreSQL cluster, the app served by `streamlit run`, Debian's Chromium and how to wait for a
script run in it, the Streamlit-internal adjustments AppTest needs, and the list of pages.

Nothing here is a test; bench/ imports it exactly as tests/ does.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
# Every screen file; a new file in pages/ is smoke-tested without anyone listing it.
PAGE_FILES = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "pages").glob("*.py"))
# What a phone's browser calls itself: «Mobi» in it is what components/screens.on_phone looks for.
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
)

# The screens everybody uses (title → URL path), for the benchmarks and the screen walks.
MAIN_SCREENS = {
    "Сводка": "",
    "Цели по подписчикам": "targets",
    "Карта": "map",
    "Верификация": "verification",
    "Контент-план": "calendar",
    "QR-коды": "qr",
}

# Set by scripts/test.sh --ci (and so by .ci/run): what is missing fails instead of skipping.
STRICT = os.environ.get("GOSPUBLIKI_TEST_STRICT") == "1"


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a suite that silently skips is not a passing suite."""
    if STRICT:
        pytest.fail(f"{reason} (strict mode: GOSPUBLIKI_TEST_STRICT=1)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports, below the kernel's ephemeral range (32768…),
    so that no outgoing connection of the other test worker takes one of them before they are used."""
    rng = random.Random()
    for _ in range(200):
        first = rng.randrange(20000, 32000 - count)
        sockets: list[socket.socket] = []
        try:
            for port in range(first, first + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports between 20000 and 32000")


def postgres_bin_dir() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


@dataclass
class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, on a free port, trusting local connections."""

    bin_dir: Path
    root: Path
    port: int

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)

    @classmethod
    def start(cls) -> PostgresServer:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise FileNotFoundError("PostgreSQL server binaries (pg_ctl) are not installed")
        root = Path(tempfile.mkdtemp(prefix="gospubliki-pg-"))
        if os.geteuid() == 0:
            # pg_ctl refuses to run as root: the cluster belongs to the postgres user.
            shutil.chown(root, "postgres", "postgres")
        server = cls(bin_dir, root, free_port())
        server._run(
            str(bin_dir / "initdb"),
            "-D",
            str(root / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        server._run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(root / "data"),
            "-l",
            str(root / "server.log"),
            "-w",
            "-o",
            f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start",
        )
        return server

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


# Debian's Chromium, never a downloaded one; the flags keep it off the (closed) network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class AppServer:
    url: str
    database_url: str
    process: subprocess.Popen
    log: Path


def start_app(
    database_url: str,
    log: Path,
    extra_env: dict[str, str] | None = None,
    port: int | None = None,
    script: Path | str = APP,
    cwd: Path = ROOT,
) -> AppServer:
    """`streamlit run app.py` (or another `script`, as bench.browser's empty app) in `cwd` (whose
    .streamlit/ it reads: bench.against runs another commit's copy) on the store `database_url`,
    on a free loopback port; returns once /_stcore/health answers «ok»."""
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": database_url, **(extra_env or {})}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=cwd,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: _healthy(url, process, log),
            timeout=60,
            interval=0.3,
            message=lambda: f"streamlit did not become healthy:\n{log.read_text()}",
        )
    except BaseException:
        process.terminate()
        raise
    return AppServer(url, database_url, process, log)


def _healthy(url: str, process: subprocess.Popen, log: Path) -> bool:
    if process.poll() is not None:
        raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def stop_app(server: AppServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


def wait_until(
    condition: Callable[[], object],
    timeout: float = 20,
    interval: float = 0.1,
    message: str | Callable[[], str] = "the condition did not come true",
):
    """Poll `condition` until it returns something true (and return that), or fail after `timeout`
    seconds — instead of sleeping a fixed time and hoping."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(message() if callable(message) else message)
        time.sleep(interval)


def wait_for_app_run(page, timeout_ms: int = 60_000) -> None:
    """Wait like Streamlit's own e2e suite: a moment for the rerun the last action triggered to
    start, then the websocket connected, the script not running, and no element still a skeleton."""
    page.wait_for_timeout(210)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout_ms
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout_ms
    )
    wait_until(
        lambda: page.get_by_test_id("stSkeleton").count() == 0,
        timeout=timeout_ms / 1000,
        message="elements still drawn as skeletons",
    )


def patch_apptest() -> Callable[[], None]:
    """The three adjustments AppTest needs here; returns what undoes them.

    The app's own components (st.components.v2: russian.py, share.py, month_grid.py) are declared
    in its code; no installed package brings one, so AppTest's scan of installed packages for
    components (≈ 130 ms per AppTest) is skipped. And reruns go through app.py's st.navigation as on the real server:
    the server switches off the legacy pages/ auto-discovery once st.navigation has run, but
    AppTest builds a fresh PagesManager for every run, which would see the pages/ folder again
    and run the page file alone, without app.py's sidebar and router. Scripts are compiled once
    per process, as the server's Runtime keeps one ScriptCache: AppTest gives every run a new one,
    so each rerun would compile app.py and its page again (2–6 ms of a 25-ms rerun).
    """
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    scan, init = BidiComponentManager.discover_and_register_components, PagesManager.__init__
    shared_scripts = ScriptCache()
    local_script_runner.ScriptCache = app_test.ScriptCache = lambda: shared_scripts
    BidiComponentManager.discover_and_register_components = lambda self, *args, **kwargs: None

    def navigation_owns_pages(self, *args, **kwargs):
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = navigation_owns_pages

    def undo() -> None:
        BidiComponentManager.discover_and_register_components = scan
        PagesManager.__init__ = init
        local_script_runner.ScriptCache = app_test.ScriptCache = ScriptCache

    return undo
