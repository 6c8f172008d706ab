"""What a person sees and clicks on «Сводка», in Chromium."""

import base64
import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from components import formatting as fmt
from tests.e2e.conftest import open_page, open_tab, wait_for_app
from tests.independent import active_pages
from tests.support import PHONE_USER_AGENT


def test_every_page_in_the_navigation_opens_without_error(page: Page, app_server):
    open_page(page, app_server)
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    # A link's text is its icon's name and its title on separate lines.
    titles = [links.nth(index).inner_text().strip().split("\n")[-1] for index in range(links.count())]
    if not titles:  # Streamlit hides the navigation while there is a single page
        expect(page.locator("h1").first).to_have_text("Сводка")
        return
    assert "Сводка" in titles
    for title in titles:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
        wait_for_app(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.locator("h1").first).to_be_visible()


def test_overview_shows_kpis_charts_and_tables(page: Page, app_server):
    open_page(page, app_server)
    expect(page.locator("h1")).to_have_text("Сводка")
    expect(page.get_by_test_id("stMetric")).to_have_count(6)
    everyone = fmt.number(active_pages(app_server.database_url))
    expect(page.get_by_test_id("stMetric").first).to_contain_text(everyone)
    # One tab drawn at a time: categories, districts, then who to help and the new channels.
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)
    open_tab(page, "Районы")
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)
    open_tab(page, "Кому помочь в первую очередь")
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"overview_section="))  # the open tab is in the address
    open_tab(page, "Категории")
    # The demo label is visible to every visitor.
    expect(page.get_by_text("демо-данные")).to_be_visible()
    # The favicon and the logo are the project's own files, sent inline (no request to anyone).
    assets = Path(__file__).resolve().parents[2] / "components" / "assets"
    expect(page.locator("link[rel='shortcut icon']")).to_have_attribute(
        "href", "data:image/png;base64," + base64.b64encode((assets / "favicon.png").read_bytes()).decode()
    )
    expect(page.get_by_test_id("stSidebarLogo")).to_have_attribute(
        "src", "data:image/svg+xml;base64," + base64.b64encode((assets / "logo.svg").read_bytes()).decode()
    )
    # A chart really drew its marks.
    expect(page.get_by_test_id("stVegaLiteChart").first.locator("svg .mark-rect path").first).to_be_attached()


def test_district_csv_downloads_what_the_table_shows(page: Page, app_server):
    open_page(page, app_server)
    open_tab(page, "Районы")
    buttons = page.get_by_test_id("stDownloadButton")
    expect(buttons).to_have_count(2)  # an XLSX and a CSV under the table
    with page.expect_download() as download:
        page.locator(".st-key-overview_csv_districts").get_by_role("button").click()
    assert download.value.suggested_filename.startswith("svodka-rajony-")
    raw = open(download.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Район", "Страниц", "Подписчиков"]
    assert len(rows) == 11
    assert sum(int(row[1]) for row in rows[1:]) == active_pages(app_server.database_url)


def test_filters_in_the_sidebar_change_the_figures(page: Page, app_server):
    open_page(page, app_server)
    page.get_by_test_id("stSidebar").get_by_text("Только флагманские страницы").click()
    wait_for_app(page)
    first_metric = page.get_by_test_id("stMetric").first
    expect(first_metric).not_to_contain_text(fmt.number(active_pages(app_server.database_url)))
    expect(page.get_by_text("только флагманские").first).to_be_visible()


def test_on_a_phone_the_sidebar_starts_folded_and_no_english_menu_shows(browser, app_server):
    for width, height, collapsed in ((390, 844, "true"), (1440, 900, "false")):
        phone = {"user_agent": PHONE_USER_AGENT} if width < 600 else {}
        context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": height}, **phone)
        page = context.new_page()
        open_page(page, app_server)
        expect(page.locator("h1")).to_have_text("Сводка")
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", collapsed)
        if collapsed == "true":
            expect(page.locator("h1")).to_be_in_viewport()  # the content, not the sidebar, is what one sees
        expect(page.get_by_test_id("stMainMenu")).to_have_count(0)  # its items are English-only
        for english in ("Print", "Record a screencast", "Made with Streamlit"):
            expect(page.get_by_text(english, exact=True)).to_have_count(0)
        context.close()


def test_on_a_phone_every_legend_entry_and_every_bar_is_on_screen(browser, app_server):
    from data_access.vocabulary import STATUSES

    context = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844}, user_agent=PHONE_USER_AGENT)
    page = context.new_page()

    def inside_the_screen(locator) -> None:
        box = locator.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (locator, box)

    open_page(page, app_server)
    chart = page.get_by_test_id("stVegaLiteChart").first  # the statuses per category
    chart.scroll_into_view_if_needed()
    for label in STATUSES.values():  # Vega-Lite cut off legend columns wider than the plot
        inside_the_screen(chart.locator("g.role-legend text", has_text=label).first)
    open_page(page, app_server, "verification")
    chart = page.get_by_test_id("stVegaLiteChart").first  # the share of pages per checklist item
    chart.scroll_into_view_if_needed()
    bars = chart.locator("g.mark-rect path")
    expect(bars.first).to_be_attached()
    widths = [bars.nth(index).bounding_box()["width"] for index in range(bars.count())]
    assert min(widths) > 20, widths  # the item names left room for the bars (they took it all before)
    context.close()
