"""Take screenshots of the running app's pages for the README: python scripts/screenshots.py URL."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    base = sys.argv[1].rstrip("/")
    shots = [arg.split("=", 1) for arg in sys.argv[2:]] or [("overview", "")]
    out = Path(__file__).resolve().parent.parent / "docs"
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100}, locale="ru-RU")
        for name, path in shots:
            page.goto(f"{base}/{path}")
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
            time.sleep(2)
            page.screenshot(path=str(out / f"{name}.png"))
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
