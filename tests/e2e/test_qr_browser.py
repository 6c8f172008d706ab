"""«QR-коды» in Chromium: search as you type, choose, download the PNG and the poster."""

import io

import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from tests.e2e.conftest import open_page, wait_for_app


def _pages_of(server, name: str) -> int:
    engine = create_engine(server.database_url)
    with engine.connect() as connection:
        count = connection.execute(
            text(
                "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id WHERE i.short_name = :name"
            ),
            {"name": name},
        ).scalar()
    engine.dispose()
    return count


def test_search_choose_and_download_png_and_poster(page: Page, app_server):
    open_page(page, app_server, "qr")
    page.get_by_role("searchbox", name="Поиск").press_sequentially("гимназия 1", delay=40)
    first = page.get_by_role("button", name="Гимназия № 1 · Дзержинский район · ВКонтакте")  # and its MAX channel
    expect(first).to_be_visible()  # appears while typing: no Enter pressed
    first.click()
    wait_for_app(page)
    card = page.locator(".st-key-qr_card")
    expect(card.get_by_role("heading", name="Гимназия № 1")).to_be_visible()
    # A code for each of its pages: its VK page and its MAX channel.
    expect(card.get_by_test_id("stImage")).to_have_count(_pages_of(app_server, "Гимназия № 1"))
    assert "?page=" in page.url  # the card has its own address to send

    with page.expect_download() as png_download:
        card.get_by_role("button", name="PNG для печати (300 dpi)").first.click()
    png = Image.open(png_download.value.path())
    url = zxingcpp.read_barcodes(png.convert("L"))[0].text
    assert url.startswith("https://") and png.width >= 700
    expect(card).to_contain_text(url)

    with page.expect_download() as poster_download:
        card.get_by_role("button", name="Плакат A4 (PDF)").first.click()
    assert poster_download.value.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(open(poster_download.value.path(), "rb").read()))
    text = reader.pages[0].extract_text()
    assert "Гимназия № 1" in text and "Подписывайтесь на наш официальный" in text and url in text


def test_the_direct_link_opens_the_card(page: Page, app_server):
    open_page(page, app_server, "qr?page=4")
    expect(page.locator(".st-key-qr_card").get_by_test_id("stImage")).to_be_visible()
