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

TITLE = "Снежный городок у школы № 42"
# Two days of the current month, so that the material stays in the month grid the page opens on.
THIS_MONTH = clock.today()  # the app's «today» (pinned for the test run, see tests/conftest.py)
FIRST_DAY = THIS_MONTH.replace(day=10)
SECOND_DAY = THIS_MONTH.replace(day=12)


def _row(server):
    engine = create_engine(server.database_url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT id, status, publish_at, version FROM content_items WHERE title = :title"),
                                 {"title": TITLE}).one()
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
