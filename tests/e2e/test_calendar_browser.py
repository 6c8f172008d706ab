"""«Контент-план» in Chromium: an editor plans, moves and publishes; a colleague's stale save is refused."""

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, text

from data_access import clock
from tests.e2e.conftest import (
    create_account,
    new_material_form,
    select_option,
    set_date,
    sign_in,
    wait_for_app,
)
from tests.support import PHONE_USER_AGENT

TITLE = "Снежный городок у школы № 42"
# Two days of the current month, so that the material stays in the month grid the page opens on.
THIS_MONTH = clock.today()  # the app's «today» (pinned for the test run, see tests/conftest.py)
FIRST_DAY = THIS_MONTH.replace(day=10)
SECOND_DAY = THIS_MONTH.replace(day=12)


def _row(server):
    engine = create_engine(server.database_url)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT id, status, publish_at, version FROM content_items WHERE title = :title"), {"title": TITLE}
        ).one()
    engine.dispose()
    return row


def test_plan_move_publish_and_a_refused_stale_save(page: Page, browser: Browser, own_app_server):
    for login, name in (("e2e-planner", "Планировщик"), ("e2e-colleague", "Коллега")):
        create_account(own_app_server, login, "editor", name)

    sign_in(page, own_app_server, "e2e-planner", path="calendar")
    form = new_material_form(page, TITLE)
    set_date(form, "Дата публикации", f"{FIRST_DAY:%d.%m.%Y}")
    select_option(form, "Статус", "готово")
    form.get_by_role("button", name="Создать").click()
    wait_for_app(page)
    expect(page.get_by_text(f"Материал «{TITLE}» создан")).to_be_visible()
    created = _row(own_app_server)
    assert created.status == "ready" and str(created.publish_at).startswith(FIRST_DAY.isoformat())
    expect(page.get_by_role("button", name=TITLE)).to_be_visible()  # in the month grid

    # Move it to the next day.
    edit = page.locator(f".st-key-calendar_edit_{created.id}_form")
    set_date(edit, "Дата публикации", f"{SECOND_DAY:%d.%m.%Y}")
    edit.get_by_role("button", name="Сохранить").click()
    wait_for_app(page)
    expect(page.get_by_text(f"Материал «{TITLE}» сохранён.")).to_be_visible()
    assert str(_row(own_app_server).publish_at).startswith(SECOND_DAY.isoformat())

    # A colleague opens the same material in another browser session.
    other = browser.new_context(locale="ru-RU", viewport={"width": 1400, "height": 1600}).new_page()
    sign_in(other, own_app_server, "e2e-colleague", path="calendar")
    other.get_by_role("button", name=TITLE).click()
    wait_for_app(other)
    expect(other.get_by_role("heading", name=f"Материал № {created.id}")).to_be_visible()

    # Meanwhile the planner publishes it.
    edit = page.locator(f".st-key-calendar_edit_{created.id}_form")
    select_option(edit, "Статус", "опубликовано")
    edit.get_by_role("button", name="Сохранить").click()
    wait_for_app(page)
    expect(page.get_by_text(f"Материал «{TITLE}» сохранён.")).to_be_visible()
    assert _row(own_app_server).status == "published"

    # The colleague's save over the older version is refused and overwrites nothing.
    stale = other.locator(f".st-key-calendar_edit_{created.id}_form")
    stale.get_by_label("Рубрика").fill("Переписано коллегой")
    stale.get_by_label("Рубрика").press("Enter")
    wait_for_app(other)
    stale.get_by_role("button", name="Сохранить").click()
    wait_for_app(other)
    expect(other.get_by_text("Запись изменил(а) Планировщик в")).to_be_visible()
    final = _row(own_app_server)
    assert final.status == "published" and final.version == created.version + 2
    other.context.close()


def test_the_month_grid_opens_by_click_and_by_keyboard_and_is_a_list_of_named_days_on_a_phone(
    browser: Browser, app_server
):
    import calendar as month_calendar

    weeks = month_calendar.Calendar().monthdatescalendar(THIS_MONTH.year, THIS_MONTH.month)
    engine = create_engine(app_server.database_url)
    with engine.connect() as connection:
        expected = connection.execute(
            text("SELECT COUNT(*) FROM content_items WHERE date(publish_at) BETWEEN :first AND :last"),
            {"first": weeks[0][0].isoformat(), "last": weeks[-1][-1].isoformat()},
        ).scalar()
    engine.dispose()
    weekdays = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    months = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
    today_name = f"{weekdays[THIS_MONTH.weekday()]}, {THIS_MONTH.day} {months[THIS_MONTH.month - 1]}, сегодня"
    desk = browser.new_context(locale="ru-RU", viewport={"width": 1440, "height": 1000}).new_page()
    desk.goto(f"{app_server.url}/calendar")
    wait_for_app(desk)
    grid = desk.locator(".st-key-calendar_month_grid")
    items = grid.get_by_role("button")
    expect(items).to_have_count(expected)  # every material of the grid's six weeks, one button each
    expect(grid.get_by_role("listitem")).to_have_count(7 * len(weeks))
    items.first.click()
    wait_for_app(desk)
    card = desk.get_by_role("heading", name="Материал №")
    expect(card).to_be_visible()
    first = card.inner_text()
    items.nth(1).focus()
    desk.keyboard.press("Enter")
    wait_for_app(desk)
    expect(card).not_to_have_text(first)  # another material's card
    expect(grid.get_by_text("Пн", exact=True)).to_be_visible()  # the row of weekday names above the columns
    expect(grid.get_by_text(today_name, exact=True)).to_be_hidden()  # a day shows its number only
    desk.context.close()

    phone = browser.new_context(
        locale="ru-RU", viewport={"width": 390, "height": 844}, user_agent=PHONE_USER_AGENT
    ).new_page()
    phone.goto(f"{app_server.url}/calendar")
    wait_for_app(phone)
    grid = phone.locator(".st-key-calendar_month_grid")
    expect(grid.get_by_text(today_name, exact=True)).to_be_visible()  # days stack, each with its full name
    expect(grid.get_by_text("Пн", exact=True)).to_be_hidden()  # no row of weekday names above a list
    phone.context.close()


def test_five_presses_on_five_gymnasium_results_save_exactly_those_five_pages(page: Page, own_app_server):
    """The audience picker is keyed by page id: each press adds the page it names (with its
    network), the pressed page leaves the results, the count says what the chips show, and the
    saved material goes to exactly those pages."""
    import re

    create_account(own_app_server, "e2e-picker", "editor", "Подборщик")
    sign_in(page, own_app_server, "e2e-picker", path="calendar")
    title = "Гимназии: пять страниц поимённо"
    form = new_material_form(page, title)
    search = form.get_by_role("searchbox", name="Добавить страницу")
    search.fill("Гимназия")
    search.press("Enter")
    wait_for_app(page)
    results = form.locator("[class*='st-key-calendar_new_0_add_']:not([class*='_add_all_'])")
    chosen: dict[int, str] = {}
    for _ in range(5):
        first = results.first
        key = re.search(r"st-key-calendar_new_0_add_(\d+)", first.get_attribute("class") or "")
        label = first.get_by_test_id("stMarkdownContainer").inner_text().strip()  # without the «+» icon
        assert key and re.search(r" · (ВКонтакте|Одноклассники|Telegram|MAX) · ", label), label
        first.get_by_role("button").click()
        wait_for_app(page)
        chosen[int(key.group(1))] = label
        expect(form.get_by_role("button", name=label, exact=True)).to_have_count(0)  # no longer offered
    assert len(chosen) == 5
    chips = form.get_by_test_id("stMultiSelect").filter(has_text="Выбранные страницы").locator("[data-tag] [title]")
    expect(chips).to_have_count(5)
    assert sorted(chip.get_attribute("title") for chip in chips.all()) == sorted(chosen.values())
    expect(form.get_by_text("Материал пойдёт на 5 страниц (выбранных отдельно — 5).")).to_be_visible()
    form.get_by_role("button", name="Создать").click()
    wait_for_app(page)
    expect(page.get_by_text(f"Материал «{title}» создан")).to_be_visible()
    engine = create_engine(own_app_server.database_url)
    with engine.connect() as connection:
        saved = set(
            connection.execute(
                text(
                    "SELECT p.page_id FROM content_item_pages p JOIN content_items c ON c.id = p.item_id "
                    "WHERE c.title = :title"
                ),
                {"title": title},
            ).scalars()
        )
    engine.dispose()
    assert saved == set(chosen)
