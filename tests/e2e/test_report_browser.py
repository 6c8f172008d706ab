"""«Отчёт для комиссии» in Chromium: from «Сводка» to the report page, choose a month, download
the DOCX and the PDF and read them back."""

import io
from urllib.parse import parse_qs, urlparse

from docx import Document
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import open_page, wait_for_app


def test_from_the_overview_to_a_downloaded_report(page: Page, app_server):
    open_page(page, app_server)
    page.get_by_role("link", name="Отчёт для комиссии (DOCX, PDF)").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Отчёт для комиссии", exact=True)).to_be_visible()
    page.get_by_test_id("stButtonGroup").get_by_text("Месяц", exact=True).click()
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Какой").click()
    page.get_by_role("option", name="октябрь 2026 г.").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Основные показатели: октябрь 2026 г.")).to_be_visible()
    query = parse_qs(urlparse(page.url).query)
    assert query["report_month"] == ["октябрь 2026 г."]  # the chosen period is in the address to send

    with page.expect_download(timeout=60_000) as docx_download:
        page.get_by_role("button", name="Скачать DOCX").click()
    assert docx_download.value.suggested_filename == "otchet-komissiya-2026-10.docx"
    word = Document(docx_download.value.path())
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert texts[0].startswith("О ходе развития официальных страниц")
    assert any(text.startswith("Период: октябрь 2026 г. (01.10.2026 – 31.10.2026)") for text in texts)
    assert len(word.inline_shapes) == 5

    with page.expect_download(timeout=60_000) as pdf_download:
        page.get_by_role("button", name="Скачать PDF").click()
    reader = PdfReader(io.BytesIO(open(pdf_download.value.path(), "rb").read()))
    assert len(reader.pages) >= 5
    first = reader.pages[0].extract_text()
    assert "ДЕМО-ДАННЫЕ" in first and "октябрь 2026 г." in first
    expect(page.get_by_test_id("stException")).to_have_count(0)
