"""Daily use in Chromium: tables that show what matters, links that reopen a view, phones."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import open_page, open_tab, wait_for_app
from tests.support import PHONE_USER_AGENT

HELP_FIRST = "Кому+помочь+в+первую+очередь"  # the tab of «Сводка», as its address names it
DECISIVE = ["Учреждение", "Подписчики", "Прогресс", "Статус", "Прогноз достижения", "Нужно в неделю"]


def rendered_headers(grid) -> list[str]:
    """The column headers the grid has drawn: Streamlit's grid keeps an accessible copy of just
    the cells in view (it is virtualised), so a column scrolled off to the right is not there."""
    return grid.evaluate("g => [...g.querySelectorAll('th[role=columnheader]')].map(h => h.textContent)")


def test_the_laggards_table_shows_the_decisive_columns_at_1440(page: Page, app_server):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_page(page, app_server, f"?overview_section={HELP_FIRST}")
    grid = page.get_by_test_id("stDataFrame").filter(has_text="Прогноз достижения").first
    grid.scroll_into_view_if_needed()
    expect(grid).to_be_visible()
    headers = rendered_headers(grid)
    assert headers[: len(DECISIVE)] == DECISIVE
    columns = int(grid.locator("table[role=grid]").get_attribute("aria-colcount"))
    # Filtered to one category, the category column says the same on every row: not shown.
    open_page(page, app_server, f"?category=Детские+сады&overview_section={HELP_FIRST}")
    grid = page.get_by_test_id("stDataFrame").filter(has_text="Прогноз достижения").first
    grid.scroll_into_view_if_needed()
    expect(grid).to_be_visible()
    assert "Категория" not in rendered_headers(grid)
    assert int(grid.locator("table[role=grid]").get_attribute("aria-colcount")) == columns - 1


def test_a_row_click_opens_the_institution_card(page: Page, app_server):
    page.set_viewport_size({"width": 1440, "height": 1600})
    open_page(page, app_server, "targets")
    grid = page.get_by_test_id("stDataFrame").filter(has_text="Прогноз достижения").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the selection box of the first row
    wait_for_app(page)
    card = page.locator(".st-key-targets_pages_card_box")
    expect(card).to_be_visible()
    expect(card.get_by_test_id("stImage")).to_be_visible()  # the page's QR code
    expect(card.get_by_text("Чек-лист страницы:")).to_be_visible()


def test_a_copied_link_opens_the_same_selection_and_view(browser: Browser, app_server):
    context = browser.new_context(viewport={"width": 1440, "height": 1200}, locale="ru-RU")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.url)
    page = context.new_page()
    open_page(page, app_server, "targets")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").nth(1).locator("input").click()
    page.get_by_role("option", name="Кировский район").click()
    wait_for_app(page)
    page.keyboard.press("Escape")
    open_tab(page, "История")
    page.get_by_test_id("stRadio").get_by_text("по категориям").click()
    wait_for_app(page)
    caption = page.get_by_text("Кировский район · данные на")
    expect(caption).to_be_visible()
    sidebar.get_by_role("button", name="Скопировать ссылку").click()
    expect(sidebar.get_by_text("Ссылка скопирована")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    query = parse_qs(urlsplit(link).query)
    assert urlsplit(link).path.endswith("/targets")
    assert query["district"] == ["Кировский район"] and query["targets_series"] == ["по категориям"]
    assert query["targets_section"] == ["История"]
    # A colleague opens it in a fresh browser session: the same selection and the same view.
    other = browser.new_context(viewport={"width": 1440, "height": 1200}, locale="ru-RU").new_page()
    other.goto(link)
    wait_for_app(other)
    expect(other.get_by_text("Кировский район · данные на")).to_be_visible()
    expect(other.get_by_test_id("stRadio").get_by_role("radio", name="по категориям")).to_be_checked()
    kpis = [metric.inner_text() for metric in page.get_by_test_id("stMetric").all()]
    expect(other.get_by_test_id("stMetric")).to_have_count(len(kpis))  # wait until every KPI is drawn
    expect(other.get_by_test_id("stMetric").last).to_contain_text(kpis[-1].split("\n")[0])

    def squeezed(texts):
        return ["".join(text.split()) for text in texts]

    assert squeezed(other.get_by_test_id("stMetric").all_inner_texts()) == squeezed(kpis)
    context.close()
    other.context.close()


def test_qr_codes_on_a_phone(browser: Browser, app_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="ru-RU",
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_USER_AGENT,
    )
    page = context.new_page()
    open_page(page, app_server, "qr")
    expect(page.get_by_test_id("stSidebar")).not_to_be_in_viewport()  # folded away on a phone
    search = page.get_by_role("searchbox", name="Поиск")
    search.fill("МБДОУ 105")
    wait_for_app(page)
    page.get_by_role("button", name="Детский сад № 105").first.click()
    wait_for_app(page)
    image = page.get_by_test_id("stImage").first
    expect(image).to_be_visible()
    box = image.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the code fits the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    expect(page.get_by_role("button", name="PNG для печати (300 dpi)")).to_be_visible()
    # A page link finds the page too.
    search.fill("vk.com/ds105nsk")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Детский сад № 105").first).to_be_visible()
    context.close()


def test_the_content_plan_looks_two_weeks_ahead_with_ics(page: Page, app_server):
    page.set_viewport_size({"width": 1440, "height": 1600})
    open_page(page, app_server, "calendar")
    page.get_by_test_id("stButtonGroup").get_by_text("Две недели", exact=True).first.click()
    wait_for_app(page)
    expect(page.get_by_text("Эта неделя", exact=False).first).to_be_visible()
    expect(page.get_by_text("Следующая неделя", exact=False).first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Календарь (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert open(download.value.path(), "rb").read().startswith(b"BEGIN:VCALENDAR")


def test_the_map_shows_district_totals_with_the_osm_credit(page: Page, app_server):
    page.set_viewport_size({"width": 1440, "height": 1200})
    open_page(page, app_server, "map?map_view=по+районам")
    expect(page.get_by_test_id("stDeckGlJsonChart").locator("canvas").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("© участники OpenStreetMap, ODbL", exact=False)).to_be_visible()
    expect(page.get_by_text("половина страниц и больше у цели")).to_be_visible()
    chart = page.get_by_test_id("stDeckGlJsonChart").bounding_box()
    assert chart["width"] > 900  # full width, not half
