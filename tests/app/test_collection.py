"""AppTest of «Сбор данных»: sources without secrets, the last runs and failures, «Собрать сейчас»."""

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import create_engine, text

from tests.app.conftest import open_as, page_titles

MAX_TOKEN = "SECRET-max-token-for-apptest"


@pytest.fixture
def max_api(httpserver: HTTPServer, monkeypatch, store_url):
    monkeypatch.setenv("GOSPUBLIKI_MAX_API_URL", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("GOSPUBLIKI_MAX_TOKEN", MAX_TOKEN)
    engine = create_engine(store_url)
    with engine.begin() as connection:
        institution = connection.execute(text("SELECT id FROM institutions ORDER BY id")).first()[0]
        for name in ("ds105_max", "gone_max"):
            connection.execute(text(
                "INSERT INTO pages (institution_id, platform, url, is_flagship, created_at, updated_at, version) "
                "VALUES (:id, 'max', :url, :no, :now, :now, 1)"),
                {"id": institution, "url": f"https://max.ru/{name}", "no": False, "now": "2026-11-20 10:00:00"})
    engine.dispose()
    httpserver.expect_request("/chats/ds105_max", headers={"Authorization": MAX_TOKEN}).respond_with_json(
        {"chat_id": -1, "type": "chat", "status": "active", "participants_count": 321})
    httpserver.expect_request("/chats/gone_max").respond_with_json({"code": "not.found", "message": "Chat not found"},
                                                                   status=404)
    return httpserver


def test_only_admins_see_the_page(sign_in):
    editor = open_as(sign_in, "editor", "pages/overview.py")
    assert "Сбор данных" not in page_titles(editor)
    admin = open_as(sign_in, "admin", "pages/collection.py")
    assert admin.title[0].value == "Сбор данных"


def test_collect_now_writes_the_count_and_shows_the_failure(sign_in, max_api, store_url):
    app = open_as(sign_in, "admin", "pages/collection.py")
    sources = app.dataframe[0].value.set_index("Площадка")
    assert sources.loc["MAX", "Настроена"] == "да" and sources.loc["ВКонтакте", "Чего не хватает"] == "не задан токен ВКонтакте"
    assert "Сборов ещё не было." in [info.value for info in app.info]
    app.button(key="collection_now").click().run()
    assert not app.exception
    assert any("Сбор закончен: получено цифр 1, записано 1." in success.value for success in app.success)
    runs = app.dataframe[1].value
    assert list(runs[["Получено", "Не получено", "Записано"]].iloc[0]) == [1, 1, 1]
    failed = app.dataframe[2].value
    assert list(failed["Причина"]) == ["неверная ссылка"] and list(failed["Ссылка"]) == ["https://max.ru/gone_max"]
    engine = create_engine(store_url)
    with engine.connect() as connection:
        stored = connection.execute(text(
            "SELECT s.subscribers FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id "
            "WHERE p.url = 'https://max.ru/ds105_max'")).scalar()
    engine.dispose()
    assert stored == 321
    everything = " ".join(str(element.value) for element in app.main if hasattr(element, "value"))
    assert MAX_TOKEN not in everything
