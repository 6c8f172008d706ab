"""«Загрузка данных» in Chromium: upload, preview, confirm, and the new figure on the targets page."""

import re

from playwright.sync_api import Page, expect

from data_access import accounts
from data_access.auth import COMMAND_LINE
from data_access.engine import make_engine
from tests.e2e.conftest import open_page, wait_for_app


def test_upload_preview_confirm_and_see_it_on_the_targets_page(page: Page, app_server, tmp_path):
    engine = make_engine(app_server.database_url)
    accounts.create_user(engine, COMMAND_LINE, accounts.NewUser("e2e-loader", "admin", "Загрузчик", None,
                                                                "e2e-password-1"))
    engine.dispose()
    upload = tmp_path / "podpischiki-noyabr.csv"
    upload.write_bytes("Страница;Дата;Подписчики\nvk.com/ds105nsk/;26.11.2026;1 777\n".encode("cp1251"))

    open_page(page, app_server)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Вход для сотрудников").click()
    sidebar.get_by_label("Логин").fill("e2e-loader")
    sidebar.get_by_label("Пароль").fill("e2e-password-1")
    sidebar.get_by_role("button", name="Войти", exact=True).click()
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Загрузка данных").click()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(upload))
    wait_for_app(page)
    expect(page.get_by_test_id("stMetric").filter(has_text="Изменённых")).to_contain_text("1")
    expect(page.get_by_test_id("stDataFrame").filter(has_text="Станет")).to_be_visible()
    page.get_by_role("button", name="Загрузить: 0 новых и 1 изменённых").click()
    wait_for_app(page)
    expect(page.get_by_text("Файл «podpischiki-noyabr.csv» загружен")).to_be_visible()

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Цели по подписчикам").click()
    wait_for_app(page)
    search = page.get_by_label("Поиск по названию")
    search.fill("сад 105")
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Показано 1 из 620")).to_be_visible()
    table = page.get_by_test_id("stDataFrame").filter(has_text="Подсолнух")
    expect(table).to_contain_text(re.compile(r"1[\s\u00a0\u202f]?777"))  # the figure just uploaded
