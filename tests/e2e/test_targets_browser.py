"""«Цели по подписчикам» in Chromium, and deep links right after a server start."""

import csv
import io

from playwright.sync_api import Page, expect

from components import formatting as fmt
from tests.e2e.conftest import open_page, open_tab, wait_for_app
from tests.independent import active_pages
from tests.support import PHONE_USER_AGENT


def test_targets_page_draws_charts_and_downloads_the_filtered_table(page: Page, app_server):
    open_page(page, app_server, "targets")
    expect(page.locator("h1")).to_have_text("Цели по подписчикам")
    # One tab drawn at a time: the pages first; the category fill; subscriber history, pages at
    # target over time and weekly growth.
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    open_tab(page, "По категориям")
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)
    open_tab(page, "История")
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(3)
    open_tab(page, "Страницы")
    search = page.get_by_label("Поиск по названию")
    search.fill("гимназия")
    search.press("Enter")
    wait_for_app(page)
    caption = page.get_by_text("Показано ")
    expect(caption).not_to_contain_text(
        f"Показано {active_pages(app_server.database_url)} из"
    )  # the search has been applied
    shown = int(caption.inner_text().split()[1])
    with page.expect_download() as download:
        page.locator(".st-key-targets_pages_csv").get_by_role("button").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read()), delimiter=";"))
    with page.expect_download() as workbook:
        page.locator(".st-key-targets_pages_csv_xlsx").get_by_role("button").click()
    _check_workbook(workbook.value.path(), shown)
    assert rows[0][0] == "Учреждение" and "Прогноз достижения" in rows[0]
    assert len(rows) - 1 == shown > 0
    assert all("Гимназия" in row[0] for row in rows[1:])
    header = rows[0]
    posts, rate = header.index("Публикаций за 7 дней"), header.index("Вовлечённость (ER), %")
    vk_rows = [row for row in rows[1:] if row[header.index("Соцсеть")] == "ВКонтакте"]
    assert vk_rows and all(row[posts].isdigit() and row[rate] for row in vk_rows)  # the demo measured every VK page


def test_posting_and_engagement_section_is_drawn_with_its_definition(page: Page, app_server):
    open_page(page, app_server, "targets")
    open_tab(page, "Публикации и вовлечённость")
    expect(page.get_by_test_id("stMetric").filter(has_text="Измерено страниц ВКонтакте")).to_contain_text(" из ")
    expect(page.get_by_text("ER (вовлечённость по просмотрам) = (лайки + комментарии + репосты)")).to_be_visible()


def test_deep_links_right_after_a_server_start_go_through_the_router(page: Page, own_app_server):
    # The very first request of a fresh server is a bookmark to an admin page, anonymously.
    open_page(page, own_app_server, "users")
    expect(page.get_by_text("Пользователи", exact=True)).to_have_count(0)
    expect(page.get_by_test_id("stSidebar").get_by_text("Фильтры", exact=True)).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name="Журнал изменений")).to_have_count(0)
    open_page(page, own_app_server, "targets")
    expect(page.locator("h1")).to_have_text("Цели по подписчикам")
    expect(page.get_by_test_id("stSidebar").get_by_text("Фильтры", exact=True)).to_be_visible()


def _check_workbook(path, shown: int) -> None:
    """The XLSX of «Цели» as openpyxl reads it: the selection and the date on top, the header
    frozen, numbers as numbers, days as dates, shares with a percent format, the rows of the screen."""
    from datetime import datetime

    from openpyxl import load_workbook

    with open(path, "rb") as file:  # Playwright saves a download under a name without its extension
        sheet = load_workbook(io.BytesIO(file.read())).active
    assert sheet["A1"].value.startswith("Госпаблики Новосибирска — ") and sheet["A2"].value.startswith("Данные на ")
    at = next(row[0].row for row in sheet.iter_rows(max_row=10) if row[0].value == "Учреждение")
    header = [cell.value for cell in sheet[at]]
    assert at <= 5 and sheet.freeze_panes == f"A{at + 1}"
    rows = list(sheet.iter_rows(min_row=at + 1))
    assert len(rows) == shown
    column = {name: index for index, name in enumerate(header)}
    first = rows[0]
    assert isinstance(first[column["Подписчики"]].value, int)
    assert first[column["Прогресс"]].number_format == "0.0%" and 0 <= first[column["Прогресс"]].value <= 1
    assert isinstance(first[column["Дата цифры"]].value, datetime)
    assert first[column["Дата цифры"]].number_format == "DD.MM.YYYY"


def test_on_a_phone_the_pages_are_cards_that_fit_and_on_a_desktop_a_table(browser, app_server):
    for width, height in ((390, 844), (1440, 900)):
        phone = {"user_agent": PHONE_USER_AGENT} if width < 600 else {}
        context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": height}, **phone)
        page = context.new_page()
        open_page(page, app_server, "targets")
        wide, phone = page.locator(".st-key-wide_targets_pages"), page.locator(".st-key-phone_targets_pages")
        if width == 1440:
            expect(wide.get_by_test_id("stDataFrame")).to_be_visible()
            expect(phone).to_have_count(0)  # only the version for the device is drawn
            context.close()
            continue
        expect(wide).to_have_count(0)
        buttons = phone.get_by_role("button", name="Карточка")
        expect(buttons).to_have_count(10)
        first = phone.get_by_test_id("stMarkdown").first  # the first card's name and figures
        first.scroll_into_view_if_needed()
        box = first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # nothing to scroll sideways for
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        text = first.inner_text()
        assert " · " in text and " из " in text  # name · network, then status · N из target
        name = text.split("\n")[0].split(" · ")[0]
        buttons.first.click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name=name).first).to_be_visible()
        context.close()


def test_a_list_longer_than_a_thousand_pages_is_loaded_lazily_and_a_search_opens_cards(
    page: Page, demo_sqlite_template, tmp_path
):
    """A region's list (more than widgets.LAZY_ROWS rows) goes to the browser a screenful at a time;
    every row is still there, and a search narrows it to rows that open the institution card."""
    import shutil

    from sqlalchemy import create_engine, text

    from tests.support import start_app, stop_app

    store = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_sqlite_template, store)
    engine = create_engine(f"sqlite:///{store}")
    with engine.begin() as connection:  # a second network page for 300 institutions: more than 1 000 rows
        connection.execute(
            text(
                "INSERT INTO pages (institution_id, platform, url, is_flagship, created_at, updated_at, version) "
                "SELECT institution_id, 'max', 'https://max.ru/lazy' || id, 0, created_at, updated_at, 1 "
                "FROM pages WHERE retired_at IS NULL ORDER BY id LIMIT 300"
            )
        )
        total = connection.execute(text("SELECT count(*) FROM pages WHERE retired_at IS NULL")).scalar_one()
    engine.dispose()
    assert total > 1000
    server = start_app(f"sqlite:///{store}", tmp_path / "streamlit.log")
    try:
        page.set_viewport_size({"width": 1440, "height": 1000})
        open_page(page, server, "targets")
        expect(page.get_by_text("Строк больше 1 000: таблица подгружает их по мере прокрутки")).to_be_visible()
        grid = page.locator(".st-key-wide_targets_pages [role=grid]")
        expect(grid).to_have_attribute("aria-rowcount", str(total + 1))  # all rows, and the header
        # Only the first widgets.LAZY_CHUNK_ROWS rows came with the page; scrolled to its end, the table
        # asks for the last chunk and draws its rows.
        page.locator(".st-key-wide_targets_pages .dvn-scroller").evaluate("s => { s.scrollTop = s.scrollHeight; }")
        last = grid.locator(f"tr[aria-rowindex='{total + 1}'] td").first
        expect(last).not_to_have_text("", timeout=15_000)
        search = page.get_by_label("Поиск по названию")
        search.fill("гимназия")
        search.press("Enter")
        wait_for_app(page)
        expect(page.get_by_text("Щёлкните строку таблицы")).to_be_visible()
        table = page.locator(".st-key-wide_targets_pages").get_by_test_id("stDataFrame")
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the selection box of the first row
        wait_for_app(page)
        expect(page.locator(".st-key-targets_pages_card_box").get_by_text("Чек-лист страницы:")).to_be_visible()

        # The map's picker does not send a thousand labels: a search first, then its best matches.
        open_page(page, server, "map")
        expect(page.get_by_text(f"В списке первые 50 из {fmt.number(total)} страниц по названию")).to_be_visible()
        search = page.get_by_label("Найти учреждение", exact=True)
        search.fill("гимназия")
        search.press("Enter")
        wait_for_app(page)
        expect(page.get_by_text("Найдено:")).to_be_visible()
        page.get_by_test_id("stSelectbox").filter(has_text="Выберите из найденного").click()
        options = page.get_by_role("option")
        expect(options.first).to_contain_text("Гимназия")
        options.first.click()
        wait_for_app(page)
        expect(page.locator(".st-key-map_card_box").get_by_role("heading").first).to_contain_text("Гимназия")
    finally:
        stop_app(server)
