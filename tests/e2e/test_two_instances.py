"""Two app instances on one PostgreSQL: a change written through one shows in the other within
seconds (the data revisions every cached read is keyed on)."""

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import create_account, sign_in, start_app, stop_app, upload_subscribers, wait_for_app

pytestmark = pytest.mark.postgres


def _figure_shown(page: Page, server) -> str:
    page.goto(f"{server.url}/targets")
    wait_for_app(page)
    search = page.get_by_label("Поиск по названию")
    search.fill("сад 105")
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Показано 1 из 620")).to_be_visible()
    table = page.get_by_test_id("stDataFrame").filter(has_text="Подсолнух")
    expect(table).to_contain_text("vk.com/ds105nsk")  # the grid has filled its rows
    return re.sub(r"\s", "", table.text_content() or "")  # the grid keeps its rows in hidden text


def test_a_write_through_one_instance_is_seen_by_the_other(page: Page, browser: Browser, demo_postgres_url, tmp_path):
    first = start_app(demo_postgres_url, tmp_path / "first.log")
    second = start_app(demo_postgres_url, tmp_path / "second.log")
    try:
        reader = browser.new_context(locale="ru-RU", viewport={"width": 1400, "height": 1600}).new_page()
        assert "4321" not in _figure_shown(reader, second)  # the second instance has it cached now

        create_account(first, "e2e-twin", "admin", "Оператор")
        upload = tmp_path / "twin.csv"
        upload.write_text("Страница;Дата;Подписчики\nvk.com/ds105nsk;26.11.2026;4321\n", encoding="utf-8")
        sign_in(page, first, "e2e-twin")
        upload_subscribers(page, upload)
        written = time.monotonic()

        while "4321" not in _figure_shown(reader, second):
            assert time.monotonic() - written < 15, f"the second instance still shows {_figure_shown(reader, second)}"
            time.sleep(0.5)
        assert time.monotonic() - written < 15
        reader.context.close()
    finally:
        stop_app(first)
        stop_app(second)
