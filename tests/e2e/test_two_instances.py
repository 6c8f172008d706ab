"""Two app instances on one PostgreSQL: a change written through one shows in the other within
seconds (the data revisions every cached read is keyed on)."""

import time

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import create_account, figure_on_targets, sign_in, upload_subscribers
from tests.support import start_app, stop_app, wait_until

pytestmark = pytest.mark.postgres


def test_a_write_through_one_instance_is_seen_by_the_other(page: Page, browser: Browser, demo_postgres_url, tmp_path):
    first = start_app(demo_postgres_url, tmp_path / "first.log")
    second = start_app(demo_postgres_url, tmp_path / "second.log")
    try:
        reader = browser.new_context(locale="ru-RU", viewport={"width": 1400, "height": 1600}).new_page()
        assert "4321" not in figure_on_targets(
            reader, second, "сад 105", "Подсолнух"
        )  # the second instance has it cached now

        create_account(first, "e2e-twin", "admin", "Оператор")
        upload = tmp_path / "twin.csv"
        upload.write_text("Страница;Дата;Подписчики\nvk.com/ds105nsk;26.11.2026;4321\n", encoding="utf-8")
        sign_in(page, first, "e2e-twin")
        upload_subscribers(page, upload, suspicious=1)  # 4321 after ≈330: a jump to confirm
        written = time.monotonic()

        wait_until(
            lambda: "4321" in figure_on_targets(reader, second, "сад 105", "Подсолнух"),
            timeout=15,
            interval=0.5,
            message="the second instance does not show the upload after 15 s",
        )
        assert time.monotonic() - written < 15
        reader.context.close()
    finally:
        stop_app(first)
        stop_app(second)
