"""Russian on every screen: every page, as anonymous, editor and admin, has no visible Latin word
outside a short list of brand and format names (Streamlit's own widget texts included), and
neither have the menus, tooltips and toolbars of its tables, charts, map and date fields, nor
the labels that screen readers read out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import create_account, open_page, sign_in, wait_for_app
from tests.support import stop_app

# Brand and format names that are written in Latin letters in Russian too.
ALLOWED = {
    "Telegram",
    "MAX",
    "CSV",
    "PDF",
    "DOCX",
    "QR",
    "ICS",
    "PNG",
    "SVG",
    "ZIP",
    "SSO",
    "XLSX",
    "TXT",
    "UTF",
    "Windows",
    "Excel",
    "Word",
    "OpenStreetMap",
    "ODbL",
    "ER",  # engagement rate: the press offices' own abbreviation, defined where it is shown
    # Quarters are numbered in Roman numerals in Russian official texts: «IV квартал 2026 г.».
    "I",
    "II",
    "III",
    "IV",
}
URL_OR_EMAIL = re.compile(
    r"(https?://\S+|\b[\w.-]+@[\w.-]+\.\w+|\b(?:www\.|m\.)?[\w-]+\.(?:com|ru|me|рф)\b\S*"
    r"|\bwww\.|\bm\.)",
    re.IGNORECASE,
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# What a person sees: text nodes that are rendered at a readable size (icons drawn from a
# ligature font, 1-pixel «visually hidden» helpers and relabelled texts are not seen as words),
# plus the placeholders of visible inputs.
VISIBLE_TEXT = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!element || !node.textContent.trim()) continue;
    if (element.closest('script, style, noscript, [data-testid=stIconMaterial]')) continue;
    const style = getComputedStyle(element);
    if (style.fontFamily.includes('Material') || parseFloat(style.fontSize) === 0) continue;
    if (!element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    found.push(node.textContent);
  }
  for (const input of document.querySelectorAll('[placeholder]')) {
    if (input.checkVisibility()) found.push(input.getAttribute('placeholder'));
  }
  return found;
}"""


# What a screen reader reads out, and a mouse pointer shows as a tooltip: the labels of the
# elements on screen (the toolbar buttons Streamlit draws over a table or chart included) that
# screen readers see: not hidden from them, and not inside an image (whose own label says it all).
VISIBLE_LABELS = """() => [...document.querySelectorAll('[aria-label], [title], [alt]')]
  .filter(element => element.checkVisibility() && !element.closest('[aria-hidden=true]')
                     && !element.parentElement?.closest('[role=img]'))
  .flatMap(element => ['aria-label', 'title', 'alt'].map(name => element.getAttribute(name)).filter(Boolean))"""


def _latin(texts: list[str], own: set[str]) -> set[str]:
    words = set()
    for text in texts:
        for word in LATIN_WORD.findall(URL_OR_EMAIL.sub(" ", text)):
            if word.strip("'’-") not in ALLOWED | own and not word.lower().startswith("e-mail"):
                words.add(word)
    return words


def latin_words(page: Page, own: set[str] = frozenset()) -> set[str]:
    """Latin words on screen, except `own` (the signed-in person's login, an identifier)."""
    return _latin(page.evaluate(VISIBLE_TEXT), own)


def latin_labels(page: Page, own: set[str] = frozenset()) -> set[str]:
    """Latin words in the labels of what is on screen, except `own`."""
    return _latin(page.evaluate(VISIBLE_LABELS), own)


def visit_every_page(page: Page, own: set[str], unfold: bool = False) -> dict[str, set[str]]:
    """Click through the whole navigation; per page title, the Latin words seen or read out.
    `unfold`: on a phone the menu folds away after each move, so it is opened before the next."""
    nav = page.get_by_test_id("stSidebarNav")
    if unfold and not nav.is_visible():
        page.get_by_test_id("stExpandSidebarButton").click()
        nav.wait_for()
    titles = [text.strip().split("\n")[-1] for text in nav.get_by_role("link").all_inner_texts()]
    seen = {}
    for title in titles:
        if unfold and not nav.is_visible():
            page.get_by_test_id("stExpandSidebarButton").click()
            nav.wait_for()
        nav.get_by_role("link", name=title, exact=True).click()
        wait_for_app(page)  # and no skeletons: charts and grids are drawn
        seen[title] = latin_words(page, own) | latin_labels(page, own)
    return seen


@pytest.mark.parametrize("role", [None, "editor", "admin"])
def test_no_english_on_any_page(page: Page, app_server, role):
    login = f"ru{role}" if role else None
    if role is None:
        open_page(page, app_server)
    else:
        create_account(app_server, login, role, "Проверкина Анна")
        sign_in(page, app_server, login)
        # The signed-in menu is complete once its last section is drawn.
        expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Мой профиль")).to_be_visible()
    seen = visit_every_page(page, {login} if login else set())
    assert len(seen) >= (7 if role is None else 8)
    assert {title: words for title, words in seen.items() if words} == {}


def test_the_uploader_and_dropdowns_speak_russian(page: Page, app_server):
    create_account(app_server, "ruuploader", "admin", "Загрузкина Вера")
    sign_in(page, app_server, "ruuploader")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Загрузка данных").click()
    wait_for_app(page)
    dropzone = page.get_by_test_id("stFileUploaderDropzone").first
    expect(dropzone).to_be_visible()
    # The relabelled texts are drawn by the style sheet, so they are not in the DOM text.
    labels = dropzone.evaluate("""zone => [getComputedStyle(zone.querySelector('button p'), '::after').content,
        getComputedStyle(zone.querySelector('[data-testid=stFileUploaderDropzoneInstructions]'), '::after').content]""")
    assert labels[0] == '"Выбрать файл"' and "перетащите" in labels[1] and "МБ" in labels[1]
    assert latin_words(page, {"ruuploader"}) == set()
    assert latin_labels(page, {"ruuploader"}) == set()
    # An open multiselect offers no «Select all».
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").nth(1).locator("input").click()
    expect(page.get_by_role("option").first).to_be_visible()
    assert latin_words(page, {"ruuploader"}) == set()
    assert not page.get_by_role("option", name=re.compile("Select")).count()


def test_an_address_that_names_no_page_opens_the_overview_with_a_russian_notice(page: Page, app_server):
    # After the server's first run: until then Streamlit serves pages/ by itself (components/page.py).
    open_page(page, app_server, "targets")
    open_page(page, app_server, "no-such-page")
    expect(page.get_by_text("По этому адресу страницы нет — открыта страница «Сводка».")).to_be_visible()
    expect(page.get_by_role("heading", name="Сводка", exact=True)).to_be_visible()
    expect(page).to_have_url(f"{app_server.url}/")
    page.wait_for_timeout(500)  # Streamlit's own dialog would have opened by now
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert latin_words(page) == set()


def test_when_the_server_stops_answering_its_dialog_speaks_russian(page: Page, own_app_server):
    open_page(page, own_app_server, "qr")
    # A fresh server's first run is Streamlit's own pages/ mode, which page.start() turns into a
    # run through app.py: the relabeller is in the page once that run has drawn it.
    page.wait_for_function("() => window.gospublikiRussian !== undefined")
    # Streamlit fetches an element's code when it first draws one: a server that stops while a chunk
    # is on its way leaves «Failed to fetch dynamically imported module …» on the page, a different
    # story from the one told here. Every chunk of this page is in before the server stops.
    page.wait_for_load_state("networkidle")
    stop_app(own_app_server)  # a restart or a lost network, as the browser sees it
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=30_000)
    # Streamlit's English title and text are shrunk to nothing; the style sheet draws the Russian ones.
    expect(dialog.locator("h2[data-ru]")).to_have_count(1)
    title, text = dialog.locator("h2").evaluate(
        "title => [getComputedStyle(title, '::after').content, getComputedStyle(title.nextElementSibling, "
        "'::after').content]"
    )
    assert title == '"Нет связи с сервером"'
    assert "подключится сама" in text and "администратору" in text
    assert latin_words(page) == set()


def _russian_on_screen(page: Page) -> None:
    assert latin_words(page) == set()
    assert latin_labels(page) == set()


def _open_column_menu(page: Page, table, item: str) -> None:
    """Open the menu of the first column of `table` whose menu has `item`: a column's «⋮» is drawn
    at the right end of its header cell under the pointer, inside the grid's canvas, so the
    header row is tried from the left (a click beside it only sorts the column)."""
    box = table.bounding_box()
    menu = page.get_by_test_id("stDataFrameColumnMenu")
    for dx in range(60, int(box["width"]), 10):
        page.mouse.click(box["x"] + dx, box["y"] + 18)
        if menu.count() and menu.get_by_role("menuitem", name=item).count():
            return
        page.keyboard.press("Escape")
    raise AssertionError(f"no column menu with «{item}» opened")


def test_a_tables_toolbar_menus_and_search_speak_russian(page: Page, app_server):
    open_page(page, app_server, "targets?targets_section=По+категориям")
    page.wait_for_function("() => window.gospublikiRussian !== undefined")
    table = page.get_by_test_id("stDataFrame").first
    table.scroll_into_view_if_needed()
    table.hover()
    toolbar = page.get_by_test_id("stElementToolbar").filter(has=page.get_by_role("button", name="Поиск")).first
    expect(toolbar.get_by_role("button", name="Во весь экран")).to_be_visible()
    # Streamlit's own CSV (comma-separated: one column in Russian Excel) is hidden; ours is under the table.
    expect(toolbar.locator('button[aria-label="Download as CSV"]')).to_be_hidden()
    toolbar.get_by_role("button", name="Показать или скрыть столбцы").hover()
    expect(page.get_by_test_id("stTooltipContent").last).to_have_text("Показать или скрыть столбцы")
    toolbar.get_by_role("button", name="Показать или скрыть столбцы").click()
    expect(page.get_by_test_id("stDataFrameColumnVisibilityMenu").get_by_text("Выбрать все")).to_be_visible()
    _russian_on_screen(page)
    page.keyboard.press("Escape")

    table.hover()
    toolbar.get_by_role("button", name="Поиск").click()
    page.keyboard.type("Школы")
    expect(table.get_by_test_id("search-result-area")).to_have_text("1 совпадение")
    expect(table.get_by_role("button", name="Закрыть поиск")).to_be_attached()
    _russian_on_screen(page)
    page.keyboard.press("Escape")

    _open_column_menu(page, table, "Формат")  # a column of numbers
    menu = page.get_by_test_id("stDataFrameColumnMenu")
    expect(menu.get_by_role("menuitem", name="По возрастанию")).to_be_visible()
    _russian_on_screen(page)
    menu.get_by_role("menuitem", name="Статистика").hover()
    expect(page.get_by_test_id("stDataFrameStatisticsMenu").get_by_text("Значений", exact=True)).to_be_visible()
    _russian_on_screen(page)
    menu.get_by_role("menuitem", name="Формат").hover()
    expect(page.get_by_role("menuitem", name="Автоматически")).to_be_visible()
    _russian_on_screen(page)


def test_a_charts_toolbar_offers_no_raw_data_and_speaks_russian(page: Page, app_server):
    open_page(page, app_server, "targets?targets_section=По+категориям")
    page.wait_for_function("() => window.gospublikiRussian !== undefined")
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    # For a screen reader the chart is its title (Vega's English descriptions of marks are off).
    expect(chart).to_have_attribute("aria-label", "Заполнение цели по категориям")
    chart.hover()
    toolbar = page.get_by_test_id("stElementToolbar").filter(has=page.get_by_role("button", name="Скачать PNG")).first
    expect(toolbar.get_by_role("button", name="Во весь экран")).to_be_visible()
    # «Show data» would show the chart's internal columns; the spec is for developers.
    expect(toolbar.locator('button[aria-label="Show data"]')).to_be_hidden()
    expect(toolbar.locator('button[aria-label="Copy Vega-Lite spec"]')).to_be_hidden()
    toolbar.get_by_role("button", name="Скачать PNG").hover()
    expect(page.get_by_test_id("stTooltipContent").last).to_have_text("Скачать PNG")
    _russian_on_screen(page)


def test_the_map_and_a_date_field_speak_russian(page: Page, app_server):
    open_page(page, app_server, "map")
    page.wait_for_function("() => window.gospublikiRussian !== undefined")
    zoom = page.get_by_test_id("stDeckGlJsonChartZoomButton")
    # The map's controls come with its first draw, which in software WebGL on a busy machine can take
    # longer than an assertion's 5 s (docs/guide.md, «Карта»); then their labels must be Russian.
    expect(zoom.locator("[title]").first).to_be_attached(timeout=30_000)
    expect(zoom.locator('[title="Приблизить"]')).to_have_count(1)
    expect(zoom.locator('[title="Отдалить"]')).to_have_count(1)
    _russian_on_screen(page)

    open_page(page, app_server, "targets")
    expect(page.get_by_role("spinbutton", name="день, Срок достижения цели")).to_be_visible()
    page.get_by_test_id("stDateInputCalendarButton").first.click()
    calendar = page.get_by_test_id("stDateInputCalendar")
    expect(calendar.get_by_role("button", name="Предыдущий месяц")).to_be_visible()
    _russian_on_screen(page)


def test_empty_date_fields_and_a_dropdown_with_no_match_speak_russian(page: Page, app_server):
    from tests.e2e.conftest import new_material_form

    create_account(app_server, "rudates", "editor", "Датова Ирина")
    sign_in(page, app_server, "rudates", path="calendar")
    form = new_material_form(page, "Проверка пустых полей")
    expect(form.get_by_test_id("stDateInput").first).to_contain_text("дд")
    assert "yyyy" not in form.get_by_test_id("stDateInput").first.inner_text()
    box = form.get_by_role("combobox", name="Категории целиком")
    box.click()
    page.keyboard.type("zzzz")
    expect(page.get_by_test_id("stMultiSelectDropdown")).to_contain_text("Ничего не найдено")
    assert "No results" not in page.get_by_test_id("stMultiSelectDropdown").inner_text()
    page.keyboard.press("Escape")


def test_an_element_whose_code_does_not_arrive_says_so_in_russian(page: Page, app_server):
    # The network drops just as the page asks for the code of its multiselects (the sidebar's
    # filters): Streamlit shows «TypeError: Failed to fetch dynamically imported module …» there.
    page.route("**/static/js/Multiselect.*.js", lambda route: route.abort())
    page.goto(app_server.url)
    page.wait_for_function("() => window.gospublikiRussian !== undefined")
    failed = page.get_by_test_id("stSidebar").locator("[data-testid=stAlertContentError][data-ru]")
    expect(failed.first).to_be_visible()
    assert failed.count() == 3  # «Категория», «Район», «Соцсеть»
    # The style sheet that draws the Russian text arrives with the same run, possibly a moment later.
    said = failed.first.evaluate_handle(
        """alert => new Promise(done => { const read = () => {
             const text = getComputedStyle(alert, '::after').content;
             if (text !== 'none') done(text); else setTimeout(read, 50); }; read(); })"""
    ).json_value()
    assert "не загрузилась" in said and "Обновите страницу" in said
    expect(failed.first.locator("pre")).to_be_hidden()  # the stack
    assert latin_words(page) == set()
    # The app's own error alerts are never relabelled: only Streamlit's error element is.
    assert page.locator("[data-testid=stAlertContentError][data-ru] [data-testid=stMarkdownContainer]").count() == 0
