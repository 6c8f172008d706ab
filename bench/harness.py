"""Measuring helpers for bench/run.py: AppTest renders (cold, warm, the loaders' floor), the browser, memory."""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.support import CHROMIUM, CHROMIUM_ARGS, patch_apptest, wait_for_app_run

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
APP = str(ROOT / "app.py")


def shared_reads() -> list[tuple[object, str]]:
    """(module, name) of every shared read the pages call, found in components/reads (so a new read
    is never missed): the loaders' floor answers them from what a warm run read."""
    from components import reads
    from components.reads.cache import SharedRead

    modules = (reads.store, reads.figures, reads.checklist, reads.plan, reads.report, reads.admin)
    return [
        (module, name) for module in modules for name, value in vars(module).items() if isinstance(value, SharedRead)
    ]


@dataclass
class Timing:
    cold: float
    warm: float
    floor: float  # the same run with every shared read answered from a dict: the page's work without reads


_undo_patches: list = []


def _patch_apptest() -> None:
    """tests.support.patch_apptest, once per process."""
    if not _undo_patches:
        _undo_patches.append(patch_apptest())


def _timed(action: Callable[[], object]) -> float:
    """Wall time of one call, with the garbage collector kept out of it (collected just before)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start
    finally:
        gc.enable()


class AppBench:
    """Renders pages of the app with AppTest against one store."""

    def __init__(self, url: str):
        import logging

        import streamlit as st

        from components import reads

        logging.getLogger("streamlit").setLevel(logging.ERROR)
        os.environ["DATABASE_URL"] = url
        _patch_apptest()
        self.st = st
        reads.store.forget_store()

    def _app(self):
        from streamlit.testing.v1 import AppTest

        app = AppTest.from_file(APP, default_timeout=300)
        app.run()
        return app

    def shell(self, repeat: int) -> Timing:
        """app.py alone — menu, sidebar filters, sign-in form — with the chosen page's own script
        not run: what every page's run contains."""
        from streamlit.navigation.page import StreamlitPage

        run = StreamlitPage.run
        StreamlitPage.run = lambda page: None
        try:
            return self.page("pages/overview.py", repeat)
        finally:
            StreamlitPage.run = run

    def page(self, path: str, repeat: int) -> Timing:
        app, colds = self._cold_runs(path, repeat)
        warms, floors = self._warm_and_floor_runs(app, repeat)
        return Timing(statistics.median(colds), statistics.median(warms), statistics.median(floors))

    def _cold_runs(self, path: str, repeat: int):
        """The page's first runs on emptied caches; the app, still open, and their times."""
        from components import reads

        colds = []
        for _ in range(repeat):
            app = self._app()
            self.st.cache_data.clear()
            reads.cache.clear_reads()
            app.switch_page(path)
            colds.append(_timed(app.run))
            assert not app.exception, (path, app.exception)
        return app, colds

    def _warm_and_floor_runs(self, app, repeat: int) -> tuple[list, list]:
        """Warm runs and the loaders' floor, alternating, so that drift on a busy machine hits both alike."""
        recorded: dict[tuple, object] = {}
        originals = {(module, name): getattr(module, name) for module, name in shared_reads()}

        def recorder(name, function):
            def wrapper(*args, **kwargs):
                result = function(*args, **kwargs)
                recorded[(name, repr(args), repr(sorted(kwargs.items())))] = result
                return result

            return wrapper

        def replayer(name, function):
            def wrapper(*args, **kwargs):
                key = (name, repr(args), repr(sorted(kwargs.items())))
                return recorded[key] if key in recorded else function(*args, **kwargs)

            return wrapper

        def use(wrap) -> None:
            for (module, name), function in originals.items():
                setattr(module, name, wrap(name, function) if wrap else function)

        warms, floors = [], []
        try:
            use(recorder)
            app.run()
            for _ in range(repeat):
                use(None)
                warms.append(_timed(app.run))
                use(replayer)
                floors.append(_timed(app.run))
        finally:
            use(None)
        return warms, floors

    def empty_page(self, repeat: int) -> Timing:
        from streamlit.testing.v1 import AppTest

        app = AppTest.from_string("import streamlit as st\nst.title('Пусто')\n")
        app.run()
        timings = [_timed(app.run) for _ in range(repeat)]
        value = statistics.median(timings)
        return Timing(value, value, value)

    def close(self) -> None:
        from components import reads

        reads.store.forget_store()


def _start(url: str, log: Path):
    from tests.support import start_app

    return start_app(url, log)


def _wait(page) -> None:
    wait_for_app_run(page, timeout_ms=120_000)


def browser_timings(url: str, paths: dict[str, str], log: Path, repeat: int = 3) -> dict[str, float]:
    """Seconds from navigation to a rendered page, per page, with the server's caches warm."""
    from playwright.sync_api import sync_playwright

    from tests.support import stop_app

    server = _start(url, log)
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
            for title, path in paths.items():
                page.goto(f"{server.url}/{path}")
                _wait(page)
                timings = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    page.goto(f"{server.url}/{path}")
                    _wait(page)
                    timings.append(time.perf_counter() - start)
                results[title] = statistics.median(timings)
            browser.close()
    finally:
        stop_app(server)
    return results


def _memory(pid: int) -> tuple[float, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmHWM"], values["VmRSS"]


def peak_memory_with_sessions(url: str, paths: dict[str, str], sessions: int, log: Path) -> tuple[float, float]:
    """Peak and current resident memory (MB) of the app process after `sessions` browser sessions
    have each opened every page and stay open."""
    from playwright.sync_api import sync_playwright

    from tests.support import stop_app

    server = _start(url, log)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            pages = [browser.new_context(locale="ru-RU").new_page() for _ in range(sessions)]
            for path in paths.values():
                for page in pages:
                    page.goto(f"{server.url}/{path}")
                for page in pages:
                    _wait(page)
            peak, current = _memory(server.process.pid)
            browser.close()
    finally:
        stop_app(server)
    return peak, current


def update_results(marker: str, text: str) -> None:
    """Put a script's section into bench/RESULTS.md between <!-- marker --> and <!-- /marker -->,
    replacing that script's previous section (bench/run.py keeps every marked section)."""
    content = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Результаты замеров\n"
    start, end = f"<!-- {marker} -->", f"<!-- /{marker} -->"
    block = f"{start}\n{text}\n{end}"
    if start in content:
        content = content[: content.index(start)] + block + content[content.index(end) + len(end) :]
    else:
        content = content.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(content, encoding="utf-8")
