"""«Загрузка данных» in Chromium: upload, preview, confirm, and the new figure on the targets page."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import create_account, sign_in, upload_subscribers, wait_for_app


def test_upload_preview_confirm_and_see_it_on_the_targets_page(page: Page, app_server, tmp_path):
    create_account(app_server, "e2e-loader", "admin", "Загрузчик")
    upload = tmp_path / "podpischiki-noyabr.csv"
    upload.write_bytes("Страница;Дата;Подписчики\nvk.com/ds105nsk/;26.11.2026;1 777\n".encode("cp1251"))
    sign_in(page, app_server, "e2e-loader")
    upload_subscribers(page, upload)
    expect(page.get_by_text("новых 0, изменённых 1")).to_be_visible()

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Цели по подписчикам").click()
    wait_for_app(page)
    search = page.get_by_label("Поиск по названию")
    search.fill("сад 105")
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Показано 1 из 620")).to_be_visible()
    table = page.get_by_test_id("stDataFrame").filter(has_text="Подсолнух")
    expect(table).to_contain_text(re.compile(r"1[\s\u00a0\u202f]?777"))  # the figure just uploaded
