"""This tree against another commit, page by page, in one run: is a change faster?

Two runs of bench.browser differ by ±20 % on a shared machine, more than most single changes
gain, so a change is judged against its parent measured alongside it. Both dashboards run at once
on the same store (REV is checked out into a temporary git worktree; it must read the same
schema), each in its own Chromium (1440×900). For every page and repeat the two are taken in turn — which
goes first alternates — with bench.browser's full load, menu move (from the page before it in the
menu) and sidebar filter change, and «drawn» as there. Per page: the medians, and the median of the
per-repeat ratios (this tree ÷ REV: below 1 — faster), with how many repeats this tree was the
faster one.

    .venv/bin/python -m bench.against HEAD~1 --scale region --pages Верификация Сводка

Prints a table; RESULTS.md is not changed (a finding goes into a commit message or an issue note).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import PAGES, Browser  # noqa: E402
from bench.run import build_stores, commit, machine  # noqa: E402
from tests.support import start_app, stop_app  # noqa: E402

THIS = "это дерево"


def measure(url: str, revision: str, repeat: int, pages: list[str], folder: Path) -> dict[str, dict[str, list]]:
    """{"load" | "move" | "switch": {page: [(this, revision) seconds per repeat]}}."""
    from playwright.sync_api import sync_playwright

    tree = folder / "against"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), revision], cwd=ROOT, check=True)
    servers = []
    try:
        servers.append(start_app(url, folder / "this.log"))
        servers.append(start_app(url, folder / "against.log", script=tree / "app.py", cwd=tree))
        figures: dict[str, dict[str, list]] = {"load": {}, "move": {}, "switch": {}}
        with sync_playwright() as playwright:
            tabs = [Browser(playwright), Browser(playwright)]
            for tab, server in zip(tabs, servers):  # warm: every page once
                for title in PAGES:
                    tab.load(f"{server.url}/{PAGES[title]}", title)
            menu = list(PAGES)
            for round_ in range(repeat):
                for title in pages:
                    before = menu[menu.index(title) - 1]
                    loads, moves, switches = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
                    for side in (0, 1) if round_ % 2 == 0 else (1, 0):
                        loads[side] = tabs[side].load(f"{servers[side].url}/{PAGES[title]}", title)[0]
                        tabs[side].move(before)
                        moves[side] = tabs[side].move(title)[0]
                        switches[side] = tabs[side].switch(title)
                        tabs[side].switch(title)  # the switch back, so the next round starts alike
                    figures["load"].setdefault(title, []).append(tuple(loads))
                    figures["move"].setdefault(title, []).append(tuple(moves))
                    figures["switch"].setdefault(title, []).append(tuple(switches))
            for tab in tabs:
                tab.close()
        return figures
    finally:
        for server in servers:
            stop_app(server)
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)


def table(scale: str, revision: str, figures: dict[str, dict[str, list]]) -> str:
    rows = [
        f"### {scale}: {THIS} ({commit()}) против {revision}",
        "",
        "| страница | действие | это дерево, мс | против, мс | отношение (медиана по повторам) | быстрее в повторах |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for kind, name in (("load", "полная загрузка"), ("move", "переход из меню"), ("switch", "смена фильтра")):
        for title, pairs in figures[kind].items():
            ours, theirs = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
            ratio = statistics.median(one / other for one, other in pairs)
            faster = sum(one < other for one, other in pairs)
            rows.append(
                f"| {title} | {name} | {statistics.median(ours) * 1000:.0f} | {statistics.median(theirs) * 1000:.0f} "
                f"| {ratio:.2f} | {faster} из {len(pairs)} |"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision", help="коммит, с которым сравнить (например, HEAD~1)")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--scale", choices=["city", "region"], default="region")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), metavar="СТРАНИЦА", default=list(PAGES))
    arguments = parser.parse_args()
    scales = build_stores()
    scale = scales[0] if arguments.scale == "city" else scales[1]
    print(f"{machine()}; Chromium 1440×900", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        figures = measure(scale.url, arguments.revision, arguments.repeat, arguments.pages, Path(folder))
    print(table(scale.name, arguments.revision, figures), flush=True)


if __name__ == "__main__":
    main()
