"""The first day of a real install: every page, for every role, on a store made by `init` only and
on one with the registry loaded but no figures yet — no exception, and a heading."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components import reads
from data_access import importers, seed
from data_access.auth import COMMAND_LINE
from data_access.engine import make_engine
from tests import shaped_files
from tests.app.conftest import APP
from tests.app.test_every_page import OPEN_TO_VISITORS, SIGNED_IN_PAGES

STAGES = ("init", "registry")


@pytest.fixture(params=STAGES)
def first_day_url(request, empty_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store as a city has it on its first day: `init` only, or with the portal's registry."""
    shaped_files.first_day_store(empty_sqlite_url, request.param)
    monkeypatch.setenv("DATABASE_URL", empty_sqlite_url)
    reads.store.forget_store()
    return empty_sqlite_url


def _open(page_file: str, role: str | None, url: str) -> AppTest:
    from components.auth import ACTOR_KEY
    from data_access import accounts
    from data_access.auth import Actor

    app = AppTest.from_file(APP, default_timeout=60)
    if role:
        engine = make_engine(url)
        if f"{role}-user" not in set(accounts.list_users(engine)["login"]):
            accounts.create_user(
                engine, COMMAND_LINE, accounts.NewUser(f"{role}-user", role, f"Тест {role}", None, "test-password-1")
            )
        engine.dispose()
        app.session_state[ACTOR_KEY] = Actor(f"{role}-user", f"Тест {role}", role, "local")
    app.run()
    app.switch_page(page_file).run()
    return app


@pytest.mark.parametrize("role", [None, "editor", "admin"])
@pytest.mark.parametrize("page_file", SIGNED_IN_PAGES)
def test_every_page_draws_on_the_first_day(page_file, role, first_day_url):
    app = _open(page_file, role, first_day_url)
    assert not app.exception, [exception.value for exception in app.exception]
    if role == "admin" or page_file in OPEN_TO_VISITORS:
        assert app.title or app.header or app.subheader, f"{page_file} shows no heading"


def _ticks(app: AppTest) -> dict[str, bool]:
    steps = [
        element.value
        for element in app.markdown
        if element.value.startswith((":material/check_circle:", ":material/radio_button_unchecked:"))
    ]
    return {text.split("**")[1].split(". ", 1)[1]: text.startswith(":material/check_circle:") for text in steps}


def test_first_steps_tick_as_the_store_fills(empty_sqlite_url, monkeypatch):
    """«Начало работы» on «Сводка» for an administrator: on `init` only, with the registry, with
    pages and a file of figures — the right steps ticked at each stage."""
    from datetime import date

    from data_access import accounts
    from data_access.auth import Actor

    engine = make_engine(empty_sqlite_url)
    seed.initialise(engine)
    monkeypatch.setenv("DATABASE_URL", empty_sqlite_url)

    def shown() -> dict[str, bool]:
        reads.store.forget_store()
        app = _open("pages/overview.py", "admin", empty_sqlite_url)
        assert not app.exception
        return _ticks(app)

    assert shown() == {
        "Сотрудники и роли": False,
        "Реестр учреждений": False,
        "Страницы учреждений": False,
        "Первые цифры подписчиков": False,
        "Сбор цифр с площадок": False,
        "Первый отчёт для комиссии": False,
    }
    plan = importers.plan_registry(
        engine,
        shaped_files.portal_kindergartens(12, junk=False, code_and_page=True),
        "portal.csv",
        default_category="kindergarten",
    )
    importers.apply_registry(engine, COMMAND_LINE, plan)
    accounts.create_user(
        engine, COMMAND_LINE, accounts.NewUser("first-editor", "editor", "Редактор", None, "test-password-1")
    )
    ticks = shown()
    assert ticks["Реестр учреждений"] and ticks["Страницы учреждений"] and ticks["Сотрудники и роли"]
    assert not ticks["Первые цифры подписчиков"]
    rows = "\n".join(f"https://vk.com/ds{9001 + index}nsk;27.11.2026;{100 + index}" for index in range(12))
    figures = importers.plan_subscribers(
        engine, f"Страница;Дата;Подписчики\n{rows}\n".encode(), "cifry.csv", date(2026, 12, 6)
    )
    importers.apply_subscribers(engine, Actor("admin-user", "Тест admin", "admin"), figures)
    ticks = shown()
    assert ticks["Первые цифры подписчиков"] and not ticks["Первый отчёт для комиссии"]
    engine.dispose()


def test_the_figures_template_on_an_empty_store_names_the_step_that_brings_pages(empty_sqlite_url, monkeypatch):
    shaped_files.first_day_store(empty_sqlite_url, "init")
    monkeypatch.setenv("DATABASE_URL", empty_sqlite_url)
    reads.store.forget_store()
    app = _open("pages/imports.py", "admin", empty_sqlite_url)
    captions = " ".join(caption.value for caption in app.caption)
    assert "Страниц в текущем выборе нет" in captions and "«Реестр учреждений»" in captions
    assert "все 0 страниц" not in captions
