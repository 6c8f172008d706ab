"""Take screenshots of the running app's pages for the README and docs/: python scripts/screenshots.py URL."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support import CHROMIUM, CHROMIUM_ARGS, wait_for_app_run


def main() -> None:
    base = sys.argv[1].rstrip("/")
    shots = [arg.split("=", 1) for arg in sys.argv[2:]] or [("overview", "")]
    out = Path(__file__).resolve().parent.parent / "docs"
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100}, locale="ru-RU")
        for name, path in shots:
            page.goto(f"{base}/{path}")
            wait_for_app_run(page)
            page.screenshot(path=str(out / f"{name}.png"))
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
