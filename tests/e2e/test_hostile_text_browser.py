"""Hostile text from the data (HTML, a Markdown image with an outside URL, :red[…], KaTeX, icons)
shows literally on every page that shows it, and the browser asks nothing of any other host."""

import shutil
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from data_access import clock
from tests.e2e.conftest import open_page, wait_for_app
from tests.support import start_app, stop_app

PIXEL = "http://pixel.example/p.png"
NAME = f"Сад <b>жир</b> **жир** :red[к] $x$ :material/home: ![p]({PIXEL})"
RUBRIC = f"![p]({PIXEL}) _курсив_"
EDITOR = "**Редактор** :red[x] <i>i</i>"
LITERALS = ["**жир**", ":red[к]", "$x$", ":material/home:", "<b>жир</b>"]


@pytest.fixture
def hostile_server(demo_sqlite_template, tmp_path):
    store = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_sqlite_template, store)
    engine = create_engine(f"sqlite:///{store}")
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE institutions SET short_name = :name, district = district || :mark "
                "WHERE id = (SELECT institution_id FROM pages WHERE id = 4)"
            ),
            {"name": NAME, "mark": " :red[r]"},
        )
        connection.execute(
            text(
                "INSERT INTO content_items (title, rubric, format, publish_at, status, editor, created_at, created_by, "
                "updated_at, updated_by, version) VALUES (:title, :rubric, 'news', '2026-11-26 12:00:00.000000', "
                "'ready', :editor, '2026-11-20', 't', '2026-11-20', 't', 1)"
            ),
            {"title": NAME, "rubric": RUBRIC, "editor": EDITOR},
        )
        connection.execute(text("DELETE FROM daily_totals"))  # the district changed: let the seed's rule rebuild
    engine.dispose()
    from data_access import rollup
    from data_access.engine import make_engine, write_transaction

    rebuilt = make_engine(f"sqlite:///{store}")
    with write_transaction(rebuilt) as connection:
        rollup.rebuild(connection)
    rebuilt.dispose()
    server = start_app(f"sqlite:///{store}", tmp_path / "streamlit.log")
    yield server
    stop_app(server)


def test_hostile_text_shows_literally_and_nothing_is_fetched_from_outside(page: Page, hostile_server):
    outside: list[str] = []

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.context.route("**/*", guard)

    def literal_everywhere(where: str, literals=LITERALS) -> None:
        body = page.locator("[data-testid='stMain']")
        for literal in literals:
            expect(body).to_contain_text(literal)
        assert page.locator("img[src*='pixel.example']").count() == 0, where

    open_page(page, hostile_server, "qr")
    search = page.get_by_label("Поиск", exact=True).and_(page.get_by_test_id("stTextInputField"))
    search.fill("жир")
    search.press("Enter")
    wait_for_app(page)
    choice = page.get_by_role("button", name="жир").first
    expect(choice).to_contain_text("**жир**")
    expect(choice).to_contain_text(":red[r]")  # the district on the search button
    choice.click()
    wait_for_app(page)
    literal_everywhere("qr card")

    open_page(page, hostile_server, "targets")
    search = page.get_by_label("Поиск по названию")
    search.fill("жир")
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Показано 1 из")).to_be_visible()

    open_page(page, hostile_server, "calendar")
    grid = page.locator(".st-key-calendar_month_grid")  # one component; Playwright reads into its shadow root
    expect(grid.get_by_role("button", name="жир")).to_contain_text("12:00 Сад <b>жир</b> **жир** :red[к] $x$")
    expect(grid.locator("b, img, strong")).to_have_count(0)  # set as text, never as markup
    page.get_by_test_id("stButtonGroup").get_by_text("Две недели", exact=True).first.click()
    wait_for_app(page)
    literal_everywhere("week", LITERALS[:3])  # the week list shortens long titles after «$x$»
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("**Редактор** :red[x]")
    expect(main).to_contain_text(f"![p]({PIXEL}) _курсив_")

    open_page(page, hostile_server, "map")  # the map draws without any outside basemap or fonts
    expect(page.get_by_test_id("stDeckGlJsonChart").locator("canvas").first).to_be_visible(
        timeout=20_000
    )  # 5–12 s here
    page.wait_for_load_state("networkidle")  # whatever the drawn map would fetch has been asked for
    open_page(page, hostile_server)
    assert outside == [], f"the browser asked outside hosts: {outside[:5]}"


TRAPS = ("Selected Date: 2020-01-01", "Sort ascending", "No results", "Zoom In")


@pytest.fixture
def trap_server(demo_sqlite_template, tmp_path):
    """The demo with data that reads exactly like Streamlit's own English texts: editors of this
    week's materials (a caption of their own in «Две недели») and an institution's name."""
    store = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_sqlite_template, store)
    engine = create_engine(f"sqlite:///{store}")
    with engine.begin() as connection:
        for number, trap in enumerate(TRAPS, start=1):
            connection.execute(
                text(
                    "INSERT INTO content_items (title, rubric, format, publish_at, status, editor, created_at, "
                    "created_by, "
                    "updated_at, updated_by, version) VALUES (:title, 'Новости', 'news', :at, 'ready', :editor, "
                    "'2026-11-20', 't', '2026-11-20', 't', 1)"
                ),
                {
                    "title": f"Материал-ловушка {number}",
                    "editor": trap,
                    "at": f"{clock.today() + timedelta(days=1)} {9 + number}:00:00.000000",
                },
            )
        connection.execute(
            text(
                "UPDATE institutions SET short_name = 'Sort ascending' "
                "WHERE id = (SELECT institution_id FROM pages WHERE id = 4)"
            )
        )
    engine.dispose()
    server = start_app(f"sqlite:///{store}", tmp_path / "streamlit.log")
    yield server
    stop_app(server)


def test_data_that_reads_like_streamlits_english_is_never_relabelled(page: Page, trap_server):
    open_page(page, trap_server, "calendar")
    page.get_by_test_id("stButtonGroup").get_by_text(
        "Две недели", exact=True
    ).first.click()  # tomorrow: editors as captions
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    for trap in TRAPS:
        expect(main.get_by_text(trap, exact=True).first).to_be_attached()
    assert main.get_by_text("Выбрана дата: 1 января 2020").count() == 0
    assert main.get_by_text("По возрастанию", exact=True).count() == 0
    open_page(page, trap_server, "qr")
    search = page.get_by_label("Поиск", exact=True).and_(page.get_by_test_id("stTextInputField"))
    search.fill("Sort")
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sort ascending").first).to_be_visible()
    # The date field's own announcement is still put into Russian.
    open_page(page, trap_server, "targets")
    page.get_by_test_id("stDateInputField").first.click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    wait_for_app(page)
    announced = page.evaluate(
        "[...document.querySelectorAll('body > [id^=react-aria-description]')].map(element => element.textContent)"
    )
    assert any(text.startswith("Выбрана дата: ") for text in announced), announced
