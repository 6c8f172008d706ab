"""In Chromium, on stores of their own: the portal's registry file loaded as downloaded, and the
«Цели» CSV after a partial upload equal to an independent computation."""

import csv
import io
import re
import shutil
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from data_access import importers
from data_access.auth import COMMAND_LINE
from data_access.engine import make_engine
from tests import shaped_files
from tests.conftest import DEMO_TODAY
from tests.e2e.conftest import create_account, open_page, sign_in, wait_for_app
from tests.independent import active_pages, expected_pages
from tests.support import start_app, stop_app

TODAY = date.fromisoformat(DEMO_TODAY)


@pytest.fixture
def own_server(demo_sqlite_template, tmp_path):
    store = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_sqlite_template, store)
    server = start_app(f"sqlite:///{store}", tmp_path / "streamlit.log")
    yield server
    stop_app(server)


def test_the_portal_registry_loads_through_the_browser(page: Page, own_server, tmp_path):
    create_account(own_server, "e2e-registry", "admin", "Реестр")
    portal = tmp_path / "portal-detskie-sady.csv"
    portal.write_bytes(shaped_files.portal_kindergartens())
    sign_in(page, own_server, "e2e-registry")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Загрузка данных").click()
    wait_for_app(page)
    page.get_by_role("tab", name="Реестр учреждений").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").nth(1).set_input_files(str(portal))
    wait_for_app(page)
    expect(page.get_by_text("Файл не будет загружен, проблем: 1")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").filter(has_text="в файле нет столбца категории")).to_have_count(1)
    page.get_by_test_id("stSelectbox").filter(has_text="Категория для всех строк файла").click()
    page.get_by_role("option", name="Детские сады").click()
    wait_for_app(page)
    expect(page.get_by_text("Строк, похожих на мусор: 2")).to_be_visible()
    page.get_by_text(re.compile(r"^Пропустить строки, похожие на мусор")).click()
    wait_for_app(page)
    expect(page.get_by_text("Без координат: 11")).to_be_visible()
    page.get_by_role("button", name="Загрузить реестр: 11 новых, 0 изменённых").click()
    wait_for_app(page)
    expect(page.get_by_text("Реестр из «portal-detskie-sady.csv» загружен")).to_be_visible()
    engine = make_engine(own_server.database_url)
    with engine.connect() as connection:
        names = (
            connection.execute(text("SELECT short_name FROM institutions WHERE code LIKE 'auto-%' ORDER BY short_name"))
            .scalars()
            .all()
        )
    engine.dispose()
    assert len(names) == 11 and "Детский сад № 9001 «Улыбка»" in names


def test_the_targets_csv_after_a_partial_upload_equals_an_independent_computation(page: Page, own_server):
    engine = make_engine(own_server.database_url)
    with engine.connect() as connection:
        chosen = connection.execute(text("SELECT url FROM pages ORDER BY id DESC LIMIT 10")).scalars().all()
    body = "Страница;Дата;Подписчики\n" + "".join(f"{url};{TODAY:%d.%m.%Y};777\n" for url in chosen)
    plan = importers.plan_subscribers(engine, body.encode(), "week.csv", TODAY)
    importers.apply_subscribers(engine, COMMAND_LINE, plan, confirm_suspicious=True)
    engine.dispose()
    expected = expected_pages(own_server.database_url, TODAY)

    open_page(page, own_server, "targets")
    expect(
        page.get_by_text(f"данные на 27 ноября 2026 — 10 из {active_pages(own_server.database_url)} страниц")
    ).to_be_visible()
    with page.expect_download() as download:
        page.locator(".st-key-targets_pages_csv").get_by_role("button").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read()), delimiter=";"))
    assert len(rows) == active_pages(own_server.database_url)

    def number(cell):
        return None if cell == "" else float(cell.replace(",", ".")) if "," in cell else int(cell)

    wrong = []
    for row in rows:
        want = expected[row["Страница"]]
        got = {
            "subscribers": number(row["Подписчики"]),
            "day": row["Дата цифры"] or None,
            "growth_7": number(row["Рост за 7 дней"]),
            "growth_30": number(row["Рост за 30 дней"]),
            "status": row["Статус"],
            "forecast": row["Прогноз достижения"],
            "needed": number(row["Нужно в неделю"]),
        }
        want = {**want, "day": want["day"].strftime("%d.%m.%Y") if want["day"] else None}  # docs/guide.md: ДД.ММ.ГГГГ
        wrong += [(row["Страница"], key, got[key], want[key]) for key in got if got[key] != want[key]]
    assert not wrong, f"{len(wrong)} cells differ, e.g. {wrong[:5]}"
