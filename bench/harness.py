"""Measuring helpers for bench/run.py: AppTest renders (cold, warm, floor), the browser, memory."""

from __future__ import annotations

import functools
import gc
import inspect
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
# The reads pages go through, which the floor replays: every public function of components/data.py
# (found, not listed by hand, so a new loader is never missed), save the engine and the cache reset.
NOT_READS = {"get_engine", "clear_read_caches"}


def loaders() -> list[str]:
    from components import data

    return [
        name
        for name, function in vars(data).items()
        if callable(function)
        and not isinstance(function, type)
        and not name.startswith("_")
        and getattr(function, "__module__", None) == data.__name__
        and name not in NOT_READS
    ]


@dataclass
class Timing:
    cold: float
    warm: float
    floor: float
    protocol: float = 0.0  # the same messages replayed, no page code at all
    elements: int = 0  # elements and containers the run sent (its delta messages)
    in_streamlit: float = 0.0  # of a warm run, the time inside Streamlit's commands (_StreamlitClock)
    idle: float = 0.0  # a run of a script that sends nothing, timed like the protocol floor: a run's fixed cost


# What the protocol replay enqueues (bench.replay reads it in the same process).
RECORDED: list = []
REPLAY_SCRIPT = (
    "from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx\n"
    "from bench import harness\n"
    "context = get_script_run_ctx()\n"
    "for message in harness.RECORDED:\n"
    "    copy = type(message)()\n"
    "    copy.CopyFrom(message)\n"
    "    context.enqueue(copy)\n"
)


def _rerun_fresh(replay) -> None:
    """Rerun the replay as a browser would after navigating: the recorded widgets carry no
    format functions of their own, so the previous tree's widget states are not sent back."""
    from streamlit.testing.v1.element_tree import ElementTree

    tree = ElementTree()
    tree._runner = replay
    replay._tree = tree
    replay.run()


def _record_messages(app_run: Callable[[], object]) -> list:
    """The ForwardMsgs one script run enqueues (elements with their final payloads: chart specs,
    Arrow frames, file references), in order."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    original = ScriptRunContext.enqueue
    seen: list = []

    def enqueue(self, message):
        copy = type(message)()
        copy.CopyFrom(message)
        seen.append(copy)
        return original(self, message)

    ScriptRunContext.enqueue = enqueue
    try:
        app_run()
    finally:
        ScriptRunContext.enqueue = original
    return seen


class _StreamlitClock:
    """While entered, adds up the time a script run spends inside Streamlit's own commands —
    elements, widgets, containers, st.navigation, st.set_page_config, component mounts — counting
    only the outermost call of nested ones. What a warm run spends outside them is the run's fixed
    cost (a run that sends nothing) and the page's own code: even if that code cost nothing, the
    run could not be cheaper than the two together. Left on the page's side, so that the bound is
    never too high: st.fragment and st.dialog (our code runs inside them), and the reads of
    st.cache_data / st.cache_resource, including the charts and tables replayed from the cache
    (bench.elements: a replayed element costs no less than one drawn directly)."""

    RUN_OUR_CODE = {"fragment", "dialog", "experimental_fragment", "cache_data", "cache_resource", "cache"}

    def __init__(self):
        self.seconds = 0.0
        self._depth = 0
        self._undo: list[tuple[object, str, object]] = []

    def _clocked(self, function):
        @functools.wraps(function)
        def clocked(*args, **kwargs):
            if self._depth:
                return function(*args, **kwargs)
            self._depth = 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self._depth = 0

        return clocked

    def _patch(self, owner, name: str, attribute) -> None:
        # A DeltaGenerator method may come from one of its mixins: then undoing deletes our copy.
        own = name in vars(owner)
        self._undo.append((owner, name, vars(owner)[name] if own else None))
        setattr(owner, name, self._clocked(attribute))

    def __enter__(self):
        import streamlit as st
        from streamlit.delta_generator import DeltaGenerator

        for name in dir(DeltaGenerator):
            if (name.startswith("_") and name != "_bidi_component") or name in self.RUN_OUR_CODE:
                continue
            attribute = inspect.getattr_static(DeltaGenerator, name)
            if inspect.isfunction(attribute):
                self._patch(DeltaGenerator, name, attribute)
        for name in dir(st):
            attribute = getattr(st, name)
            if (
                (not name.startswith("_") or name == "_bidi_component")
                and name not in self.RUN_OUR_CODE
                and (inspect.isfunction(attribute) or inspect.ismethod(attribute))
            ):
                self._patch(st, name, attribute)
        return self

    def __exit__(self, *exc) -> None:
        for owner, name, attribute in reversed(self._undo):
            if attribute is None:
                delattr(owner, name)
            else:
                setattr(owner, name, attribute)
        self._undo.clear()


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

        logging.getLogger("streamlit").setLevel(logging.ERROR)
        os.environ["DATABASE_URL"] = url
        _patch_apptest()
        self.st = st
        st.cache_data.clear()
        st.cache_resource.clear()

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
        warms, floors, protocols, idles = self._warm_and_floor_runs(app, repeat)
        in_streamlit = self._in_streamlit(app, repeat)
        return Timing(
            statistics.median(colds),
            statistics.median(warms),
            statistics.median(floors),
            statistics.median(protocols),
            sum(1 for message in RECORDED if message.HasField("delta")),
            statistics.median(in_streamlit),
            statistics.median(idles),
        )

    def _cold_runs(self, path: str, repeat: int):
        """The page's first runs on emptied caches; the app, still open, and their times."""
        from components import data

        colds = []
        for _ in range(repeat):
            app = self._app()
            self.st.cache_data.clear()
            data.clear_read_caches()
            app.switch_page(path)
            colds.append(_timed(app.run))
            assert not app.exception, (path, app.exception)
        return app, colds

    def _warm_and_floor_runs(self, app, repeat: int) -> tuple[list, list, list, list]:
        """Warm runs, the loaders' floor, the protocol floor and the idle run, alternating."""
        from components import data

        # Record what the loaders return, then replay it: what is left is Streamlit's own cost.
        # Warm runs and floor runs alternate, so that drift on a busy machine hits both alike.
        recorded: dict[tuple, object] = {}
        originals = {name: getattr(data, name) for name in loaders()}

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
            for name, function in originals.items():
                setattr(data, name, wrap(name, function) if wrap else function)

        warms, floors, protocols, idles = [], [], [], []
        try:
            use(recorder)
            app.run()
            use(None)
            RECORDED[:] = _record_messages(app.run)
            replay = self._replay()
            idle = self._replay("pass\n")
            for _ in range(repeat):
                use(None)
                warms.append(_timed(app.run))
                use(replayer)
                floors.append(_timed(app.run))
                protocols.append(_timed(lambda: _rerun_fresh(replay)))
                idles.append(_timed(lambda: _rerun_fresh(idle)))
        finally:
            use(None)
        return warms, floors, protocols, idles

    def _in_streamlit(self, app, repeat: int) -> list[float]:
        """How much of each warm run is spent inside Streamlit's own commands."""
        in_streamlit = []
        with _StreamlitClock() as clock:
            app.run()
            for _ in range(repeat):
                clock.seconds = 0.0
                _timed(app.run)
                in_streamlit.append(clock.seconds)
        return in_streamlit

    def _replay(self, script: str = REPLAY_SCRIPT):
        """An app that runs `script`: by default one that only enqueues the recorded messages
        (Streamlit's own cost of the page); `pass` gives a run's fixed cost."""
        from streamlit.testing.v1 import AppTest

        replay = AppTest.from_string(script, default_timeout=300)
        replay.run()
        assert not replay.exception, replay.exception
        return replay

    def empty_page(self, repeat: int) -> Timing:
        from streamlit.testing.v1 import AppTest

        app = AppTest.from_string("import streamlit as st\nst.title('Пусто')\n")
        app.run()
        timings = [_timed(app.run) for _ in range(repeat)]
        value = statistics.median(timings)
        return Timing(value, value, value, value)

    def close(self) -> None:
        self.st.cache_data.clear()
        self.st.cache_resource.clear()


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
