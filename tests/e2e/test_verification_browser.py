"""«Верификация» in Chromium: an editor ticks an item, reloads, and finds it saved and counted."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import create_account, sign_in, wait_for_app

# Column widths fixed by the page: «Пункт» 400 px, «Относится к» 100 px, «Обязательный» 75 px,
# «Состояние» 200 px; every grid row (and the header) is 35 px high.
STATE_COLUMN_MIDDLE = 400 + 100 + 75 + 100
# docs/guide.md: a page item counts on a page of the networks it names (none named: every network).
ON_ITS_NETWORK = (
    "{item}.scope = 'page' AND ({item}.platforms IS NULL OR ',' || {item}.platforms || ',' LIKE '%,' "
    "|| {page}.platform || ',%')"
)
ROW_HEIGHT = 35


def _metric(page: Page, label: str) -> str:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue").inner_text()


def _open_page_checklist(page: Page, name: str) -> None:
    page.get_by_role("tab", name="Чек-лист страницы").click()
    choice = page.get_by_test_id("stSelectbox").filter(has_text="Страница")
    choice.click()
    page.keyboard.type(name)
    page.get_by_role("option", name=name, exact=False).first.click()
    wait_for_app(page)


def test_editor_ticks_an_item_reloads_and_sees_it_saved(page: Page, own_app_server):
    create_account(own_app_server, "e2e-checker", "editor", "Проверяющий")
    # A page that lacks exactly one required item, and where that item stands in its checklist.
    raw = create_engine(own_app_server.database_url)
    with raw.connect() as connection:
        target = connection.execute(
            text(
                "SELECT i.short_name, ci.title, ci.position, p.id, p.platform FROM pages p "  # noqa: S608 (constants)
                "JOIN institutions i ON i.id = p.institution_id "
                "JOIN checklist_items ci ON ci.is_required AND ci.retired_at IS NULL "
                "LEFT JOIN page_checks c ON c.page_id = p.id AND c.item_id = ci.id "
                "WHERE COALESCE(c.state, 'not_done') = 'not_done' AND i.short_name LIKE 'Гимназия%' "
                f"AND {ON_ITS_NETWORK.format(item='ci', page='p')} "
                "AND (SELECT COUNT(*) FROM pages p3 WHERE p3.institution_id = i.id) = 1 "  # its name picks it alone
                "AND p.id IN (SELECT p2.id FROM pages p2 JOIN checklist_items c2 ON c2.is_required "
                "  LEFT JOIN page_checks s2 ON s2.page_id = p2.id AND s2.item_id = c2.id "
                "  WHERE COALESCE(s2.state, 'not_done') = 'not_done' AND "
                f"{ON_ITS_NETWORK.format(item='c2', page='p2')} "
                "  GROUP BY p2.id HAVING COUNT(*) = 1) "
                "ORDER BY p.id LIMIT 1"
            )
        ).one()
        # Its row: the page's own items come first, in their order.
        row = connection.execute(
            text(
                "SELECT COUNT(*) FROM checklist_items ci, pages p WHERE p.id = :page AND ci.retired_at IS NULL "  # noqa: S608
                f"AND ci.position <= :position AND {ON_ITS_NETWORK.format(item='ci', page='p')}"
            ),
            {"position": target.position, "page": target.id},
        ).scalar()
    raw.dispose()

    sign_in(page, own_app_server, "e2e-checker", path="verification")
    verified_before = _metric(page, "Верифицировано")

    _open_page_checklist(page, target.short_name)
    grid = page.get_by_test_id("stDataFrame").filter(visible=True).first
    expect(grid).to_contain_text(target.title)  # the grid has drawn its rows (it keeps them in hidden text)
    grid.dblclick(position={"x": STATE_COLUMN_MIDDLE, "y": row * ROW_HEIGHT + ROW_HEIGHT / 2})
    expect(page.get_by_test_id("portal").locator(".gdg-clip-region")).to_be_visible()  # the cell editor
    page.get_by_role("option", name="выполнено", exact=True).click()
    wait_for_app(page)  # the edit reaches the server before the save button is pressed
    page.get_by_role("button", name="Сохранить чек-лист страницы").click()
    wait_for_app(page)
    expect(page.get_by_text("Сохранено пунктов: 1.")).to_be_visible()

    page.reload()  # a new session: read-only now, straight from the store
    wait_for_app(page)
    # The page now meets every required item: one more verified page in the summary.
    expect(page.get_by_test_id("stMetric").filter(has_text="Верифицировано")).not_to_contain_text(verified_before)
    _open_page_checklist(page, target.short_name)
    expect(page.get_by_text(re.compile(r"Обязательные пункты страницы: (\d+) из \1$"))).to_be_visible()
    saved = create_engine(own_app_server.database_url)
    with saved.connect() as connection:
        state, who = connection.execute(
            text(
                "SELECT c.state, c.updated_by FROM page_checks c JOIN checklist_items ci ON ci.id = c.item_id "
                "WHERE c.page_id = :page AND ci.title = :title"
            ),
            {"page": target.id, "title": target.title},
        ).one()
    saved.dispose()
    assert (state, who) == ("done", "Проверяющий")
    expect(page.get_by_text("Менять чек-лист могут редакторы и администраторы.")).to_be_visible()
