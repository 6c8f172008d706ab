"""«Загрузка данных» in Chromium: upload, preview, confirm, and the new figure on the targets page."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import create_account, figure_on_targets, sign_in, upload_subscribers


def test_upload_preview_confirm_and_see_it_on_the_targets_page(page: Page, own_app_server, tmp_path):
    create_account(own_app_server, "e2e-loader", "admin", "Загрузчик")
    upload = tmp_path / "podpischiki-noyabr.csv"
    upload.write_bytes("Страница;Дата;Подписчики\nvk.com/ds105nsk/;26.11.2026;1 777\n".encode("cp1251"))
    sign_in(page, own_app_server, "e2e-loader")
    upload_subscribers(page, upload, suspicious=1)  # 1 777 after ≈330 the day before: a jump to confirm
    expect(page.get_by_text("новых 0, изменённых 1")).to_be_visible()

    assert "1777" in figure_on_targets(page, own_app_server, "сад 105", "Подсолнух")  # the figure just uploaded
