"""What a person waits for in the browser, against an empty Streamlit app measured in the same run.

One Chromium (1440×900), one run, at city and region scale. For every dashboard page and for an
empty Streamlit app (one page for loads, two pages for menu moves; both with one sidebar switch),
taken in turn so that drift on a busy machine hits all alike:

- full load: navigation to the page drawn;
- menu move: a click on the page in the sidebar menu to the page drawn;
- filter change: a click on the sidebar switch «Только флагманские страницы» to the page drawn again;
- bytes the server sent over the WebSocket for one full load;
- first visitor after a restart: the dashboard started anew, navigation to «Сводка» drawn — in a new
  browser (nothing cached), before and after scripts/warm.py; and in a returning browser (one that
  opened the dashboard before the restart, with its cached scripts, as a city's officials' are),
  after warm.py, on the same address.

The dashboard's own floor is measured alongside: the same dashboard (menu, sidebar filters,
sign-in, the Russian relabeller) with «QR-коды» drawn as its title alone: what a menu move or a
filter change costs before a page's own content. It is the dashboard's app.py run from a folder of
links to this tree, with that one page's script replaced; the dashboard itself is not changed. (Its
full load is no floor: it runs on its own address, and lighter pages have loaded faster than it.)

«Drawn» = the app connected, the script not running, no skeleton left and the page's heading
present, after the server's «script finished» message for the run the action started (read from
the WebSocket with Streamlit's own ForwardMsg protobuf), so a moment before the rerun is never
taken for its end. «До отклика» (settled) adds the time until the browser's last frame longer than
100 ms ended (watched until a second passes without one): work the page leaves to the browser after
the run, such as deck.gl preparing a new map, which would otherwise delay the next click.

    .venv/bin/python -m bench.browser             # both scales, 5 repeats (≈ 25 minutes)
    .venv/bin/python -m bench.browser --quick     # city only, 2 repeats

Ratios to the empty app go to bench/RESULTS.md (section «browser»), with the commit and machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import update_results  # noqa: E402
from bench.run import build_stores, commit, machine  # noqa: E402
from tests.support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    AppServer,
    start_app,
    stop_app,
)

# Every page a visitor sees, with its address.
PAGES = {
    "Сводка": "",
    "Цели по подписчикам": "targets",
    "Карта": "map",
    "Верификация": "verification",
    "Свежесть данных": "freshness",
    "Отчёт для комиссии": "report",
    "Контент-план": "calendar",
    "QR-коды": "qr",
}
EMPTY = "Пустое приложение"
SHELL = "Оболочка дашборда (только заголовок)"
# The page that the floor draws as its title alone, and the page before it in the menu.
SHELL_PAGE, SHELL_BEFORE = "QR-коды", "Контент-план"
SHELL_APP = """
import runpy

import streamlit as st
from streamlit.navigation.page import StreamlitPage

if not getattr(StreamlitPage.run, "title_only", False):
    page_run = StreamlitPage.run

    def run(page):
        if page.title != {title!r}:
            return page_run(page)
        from components import page as dashboard_page

        dashboard_page.start()
        st.title(page.title)

    run.title_only = True
    StreamlitPage.run = run
runpy.run_path({app!r}, run_name="__main__")
"""
SWITCH = "Только флагманские страницы"
EMPTY_APP = f'''
import streamlit as st

st.sidebar.toggle("{SWITCH}", key="flagships")


def first():
    st.title("Первая")
    st.write("Пустая страница для сравнения.")


def second():
    st.title("Вторая")
    st.write("Пустая страница для сравнения.")


st.navigation([st.Page(first, title="Первая", default=True), st.Page(second, title="Вторая", url_path="second")]).run()
'''

DRAWN = """(title) => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.dataset.testConnectionState !== "CONNECTED" || app.dataset.testScriptState !== "notRunning")
        return false;
    if (document.querySelector("[data-testid='stSkeleton']")) return false;
    const heading = document.querySelector("[data-testid='stMain'] h1");
    return !!heading && heading.textContent.includes(title);
}"""
# After the page is drawn, the browser may still be busy (deck.gl builds its layers and font atlas
# after Streamlit's run is over): frames are watched until none took longer than 100 ms for a
# second; the answer is when the last long frame ended, counted from the moment the page was drawn.
SETTLED = """(quiet) => new Promise(resolve => {
    const start = performance.now();
    let last = start, lastLong = start;
    function frame(now) {
        if (now - last > 100) lastLong = now;
        last = now;
        if (now - lastLong > quiet) resolve(lastLong - start); else requestAnimationFrame(frame);
    }
    requestAnimationFrame(frame);
})"""


@dataclass
class Figures:
    load: dict[str, list[float]] = field(default_factory=dict)
    load_settled: dict[str, list[float]] = field(default_factory=dict)
    move: dict[str, list[float]] = field(default_factory=dict)
    move_settled: dict[str, list[float]] = field(default_factory=dict)
    switch: dict[str, list[float]] = field(default_factory=dict)
    bytes: dict[str, list[int]] = field(default_factory=dict)
    first_visit: float = 0.0  # a new browser at «Сводка» right after a restart
    first_visit_warmed: float = 0.0  # the same after scripts/warm.py, as serve.sh and the unit do
    new_browser: float = 0.0  # then another new browser (its own empty cache) on the warm server: the reference
    returning: float = 0.0  # a browser that had opened «Сводка» before a restart, first after it (warm.py run)


def _start_empty(folder: Path) -> AppServer:
    script = folder / "empty_app.py"
    script.write_text(EMPTY_APP, encoding="utf-8")
    return start_app("", folder / "empty.log", script=script)


def _start_shell(url: str, folder: Path) -> AppServer:
    """The dashboard with SHELL_PAGE drawn as its title alone (see the module's docstring): a folder
    of links to this tree's files, whose app.py patches that page's run and runs the real app.py."""
    tree = Path(tempfile.mkdtemp(prefix="shell-", dir=folder))  # one per scale, in the run's folder
    for entry in ROOT.iterdir():
        if entry.name not in {"app.py", ".git"}:
            (tree / entry.name).symlink_to(entry)
    (tree / "app.py").write_text(SHELL_APP.format(title=SHELL_PAGE, app=str(ROOT / "app.py")), encoding="utf-8")
    return start_app(url, tree.with_suffix(".log"), script=tree / "app.py", cwd=tree)


class Browser:
    """One tab that counts the bytes received over the app's WebSocket."""

    def __init__(self, playwright):
        self.browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        self.received, self.finished = 0, False
        self.page = self.browser.new_page(viewport={"width": 1440, "height": 900}, locale="ru-RU")
        self.page.on("websocket", self._count)

    def _count(self, socket) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        def add(payload) -> None:
            data = payload.encode() if isinstance(payload, str) else payload
            self.received += len(data)
            message = ForwardMsg()
            message.ParseFromString(data)
            if (
                message.WhichOneof("type") == "script_finished"
                and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
            ):
                self.finished = True

        socket.on("framereceived", add)

    def drawn(self, title: str) -> None:
        deadline = time.perf_counter() + 180
        while not self.finished:  # Playwright delivers the frames while it waits
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no finished script run for «{title}»")
            self.page.wait_for_timeout(2)
        self.page.wait_for_function(DRAWN, arg=title, timeout=180_000, polling="raf")

    def settled(self) -> float:
        """Seconds after «drawn» until the browser's last long frame ended."""
        return self.page.evaluate(SETTLED, 1000) / 1000

    def load(self, url: str, title: str) -> tuple[float, float, int]:
        self.received, self.finished = 0, False
        start = time.perf_counter()
        self.page.goto(url)
        self.drawn(title)
        drawn = time.perf_counter() - start
        return drawn, drawn + self.settled(), self.received

    def click(self, locator, title: str) -> tuple[float, float]:
        self.finished = False
        start = time.perf_counter()
        locator.click()
        self.drawn(title)
        drawn = time.perf_counter() - start
        return drawn, drawn + self.settled()

    def move(self, title: str) -> tuple[float, float]:
        link = self.page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
        return self.click(link, title)

    def switch(self, title: str) -> float:
        return self.click(self.page.get_by_test_id("stSidebar").get_by_text(SWITCH, exact=True), title)[1]

    def close(self) -> None:
        self.browser.close()


def measure(url: str, repeat: int, folder: Path, pages: dict[str, str] = PAGES) -> Figures:
    from playwright.sync_api import sync_playwright

    figures = Figures()
    one_page = _start_empty(folder)
    shell = _start_shell(url, folder)
    dashboard = start_app(url, folder / "dashboard.log")
    shell_url = f"{shell.url}/{PAGES[SHELL_PAGE]}"
    try:
        with sync_playwright() as playwright:
            tab = Browser(playwright)
            # Warm the servers: every page once (the dashboard's shared reads are computed here).
            tab.load(one_page.url, "Первая")
            tab.load(shell.url, "Сводка")
            tab.load(shell_url, SHELL_PAGE)
            for title, path in pages.items():
                tab.load(f"{dashboard.url}/{path}", title)
            for _ in range(repeat):
                _references(tab, figures, one_page.url, shell_url)
                titles = list(pages)
                for index, (title, path) in enumerate(pages.items()):
                    record(figures, title, *tab.load(f"{dashboard.url}/{path}", title))
                    figures.switch.setdefault(title, []).append(tab.switch(title))
                    figures.switch[title].append(tab.switch(title))
                    # a move from the page before it in the menu (Сводка: from QR-коды)
                    tab.move(titles[index - 1])
                    record_move(figures, title, *tab.move(title))
            tab.close()
        for warmed in (False, True):
            dashboard = _restart(dashboard, url, folder / f"dashboard-restart-{warmed}.log", warmed)
            with sync_playwright() as playwright:
                tab = Browser(playwright)
                visit = tab.load(dashboard.url, "Сводка")[0]
                tab.close()
                if warmed:
                    tab = Browser(playwright)
                    figures.new_browser = tab.load(dashboard.url, "Сводка")[0]
                    tab.close()
            if warmed:
                figures.first_visit_warmed = visit
            else:
                figures.first_visit = visit
        with sync_playwright() as playwright:
            tab = Browser(playwright)
            tab.load(dashboard.url, "Сводка")  # the visit before the restart: its scripts are cached
            dashboard = _restart(dashboard, url, folder / "dashboard-restart-returning.log", True)
            figures.returning = tab.load(dashboard.url, "Сводка")[0]
            tab.close()
    finally:
        stop_app(dashboard)
        stop_app(shell)
        stop_app(one_page)
    return figures


def _references(tab: Browser, figures: Figures, empty_url: str, shell_url: str) -> None:
    """One repeat of the references: the empty app, then the dashboard's floor."""
    record(figures, EMPTY, *tab.load(empty_url, "Первая"))
    figures.switch.setdefault(EMPTY, []).append(tab.switch("Первая"))
    figures.switch[EMPTY].append(tab.switch("Первая"))
    tab.move("Вторая")
    record_move(figures, EMPTY, *tab.move("Первая"))
    record_move(figures, EMPTY, *tab.move("Вторая"))
    record(figures, SHELL, *tab.load(shell_url, SHELL_PAGE))
    figures.switch.setdefault(SHELL, []).append(tab.switch(SHELL_PAGE))
    figures.switch[SHELL].append(tab.switch(SHELL_PAGE))
    tab.move(SHELL_BEFORE)
    record_move(figures, SHELL, *tab.move(SHELL_PAGE))


def _restart(dashboard: AppServer, url: str, log: Path, warmed: bool) -> AppServer:
    """The dashboard stopped and started again on the same address (a browser's cache is per
    address), then — as serve.sh and the systemd unit do — warmed by scripts/warm.py if `warmed`."""
    port = int(dashboard.url.rsplit(":", 1)[1])
    stop_app(dashboard)
    dashboard = start_app(url, log, port=port)
    if warmed:
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "warm.py"), dashboard.url], check=True, stdout=subprocess.DEVNULL
        )
    return dashboard


def record(figures: Figures, title: str, drawn: float, settled: float, sent: int) -> None:
    figures.load.setdefault(title, []).append(drawn)
    figures.load_settled.setdefault(title, []).append(settled)
    figures.bytes.setdefault(title, []).append(sent)


def record_move(figures: Figures, title: str, drawn: float, settled: float) -> None:
    figures.move.setdefault(title, []).append(drawn)
    figures.move_settled.setdefault(title, []).append(settled)


def table(scale: str, figures: Figures, pages: dict[str, str] = PAGES) -> str:
    median = {
        kind: {title: statistics.median(values) for title, values in getattr(figures, kind).items()}
        for kind in ("load", "load_settled", "move", "move_settled", "switch", "bytes")
    }
    rows = [
        f"### {scale}",
        "",
        "| страница | полная загрузка, мс | × пустого | до отклика, мс | × пустого | переход из меню, мс "
        "| × пустого | до отклика, мс | × пустого | смена фильтра, мс | × пустого | по WebSocket, КиБ |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for title in [EMPTY, SHELL, *pages]:
        cells = [title]
        for kind in ("load", "load_settled", "move", "move_settled", "switch"):
            value = median[kind][title]
            cells += [f"{value * 1000:.0f}", f"{value / median[kind][EMPTY]:.2f}"]
        cells.append(f"{median['bytes'][title] / 1024:.0f}")
        rows.append("| " + " | ".join(cells) + " |")
    moves = [median["move"][title] / median["move"][EMPTY] for title in pages]
    loads = [median["load"][title] / median["load"][EMPTY] for title in pages]
    rows += [
        "",
        f"Оболочка дашборда без содержимого страницы (только заголовок): переход из меню — "
        f"{median['move'][SHELL] / median['move'][EMPTY]:.2f}×, полная загрузка — "
        f"{median['load'][SHELL] / median['load'][EMPTY]:.2f}×, смена фильтра — "
        f"{median['switch'][SHELL] / median['switch'][EMPTY]:.2f}× пустого. "
        f"Переход из меню: наибольший {max(moves):.2f}× пустого (цель ≤ 2×), медиана по страницам "
        f"{statistics.median(moves):.2f}× (цель ≤ 1,5×); до отклика — наибольший "
        f"{max(median['move_settled'][t] / median['move_settled'][EMPTY] for t in pages):.2f}×. Полная загрузка: "
        f"наибольшая {max(loads):.2f}× "
        f"(цель ≤ 2×). Первый посетитель после перезапуска: «Сводка» нарисована через "
        f"{figures.first_visit:.1f} с, после прогрева (scripts/warm.py, как в serve.sh и юните systemd) — "
        f"{figures.first_visit_warmed:.1f} с; любой новый браузер (свой пустой кэш) на тёплом сервере — "
        f"{figures.new_browser:.1f} с: первый посетитель после прогрева — "
        f"{figures.first_visit_warmed / figures.new_browser:.2f}× его"
        + (
            f", {figures.first_visit_warmed / median['load']['Сводка']:.2f}× тёплой полной загрузки «Сводки» "
            "в браузере, который её уже открывал"
            if "Сводка" in median["load"]
            else ""
        )
        + f". Браузер, открывавший дашборд до перезапуска (его скрипты в кэше), — первый после перезапуска "
        f"и прогрева: {figures.returning:.2f} с"
        + (
            f", {figures.returning / median['load']['Сводка']:.2f}× тёплой полной загрузки «Сводки» (цель ≤ 2×)"
            if "Сводка" in median["load"]
            else ""
        )
        + ".",
    ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="только город, 2 повтора")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scale", choices=["city", "region"], help="один масштаб (RESULTS.md не меняется)")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=list(PAGES),
        metavar="СТРАНИЦА",
        help="только эти страницы, переходы — между ними (RESULTS.md не меняется)",
    )
    arguments = parser.parse_args()
    repeat = 2 if arguments.quick else arguments.repeat
    scales = build_stores()
    if arguments.quick or arguments.scale == "city":
        scales = scales[:1]
    elif arguments.scale == "region":
        scales = scales[1:]
    pages = {title: PAGES[title] for title in arguments.pages} if arguments.pages else PAGES
    partial = arguments.quick or arguments.scale or arguments.pages
    sections = [
        f"## В браузере (bench.browser, {datetime.now():%Y-%m-%d %H:%M}, коммит {commit()})",
        "",
        f"{machine()}. Chromium 1440×900, один прогон, медианы {repeat} повторов; «пустое приложение» — "
        "Streamlit-страница с заголовком, строкой текста и одним переключателем в боковой панели "
        "(для переходов — две такие страницы), снята вперемежку со страницами дашборда. "
        "«Нарисована» — приложение подключено, скрипт не выполняется, заглушек нет, заголовок страницы "
        "на месте, и сервер сообщил о конце прогона, начатого действием; «до отклика» — пока не кончился "
        "последний кадр браузера длиннее 100 мс (deck.gl достраивает карту уже после прогона). Смена фильтра — "
        "щелчок по переключателю «Только флагманские страницы».",
        "",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for scale in scales:
            print(f"… {scale.name}", flush=True)
            figures = measure(scale.url, repeat, Path(folder), pages)
            text = table(scale.name, figures, pages)
            print(text, flush=True)
            sections += [text, ""]
    if not partial:
        update_results("browser", "\n".join(sections).rstrip())


if __name__ == "__main__":
    main()
