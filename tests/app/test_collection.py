"""AppTest of «Сбор данных»: sources without secrets, the last runs and failures, «Собрать сейчас»."""

import json
import re

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import create_engine, text
from werkzeug import Request, Response

from tests.app.conftest import open_as, page_titles, scalar

MAX_TOKEN = "SECRET-max-token-for-apptest"


@pytest.fixture
def max_api(httpserver: HTTPServer, monkeypatch, store_url):
    monkeypatch.setenv("GOSPUBLIKI_MAX_API_URL", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("GOSPUBLIKI_MAX_TOKEN", MAX_TOKEN)
    monkeypatch.setenv("GOSPUBLIKI_COLLECT_RPS", "200")  # the demo city's own MAX channels are asked too
    engine = create_engine(store_url)
    with engine.begin() as connection:
        institution = connection.execute(text("SELECT id FROM institutions ORDER BY id")).first()[0]
        for name in ("ds105_max", "gone_max"):
            connection.execute(
                text(
                    "INSERT INTO pages (institution_id, platform, url, is_flagship, created_at, updated_at, version) "
                    "VALUES (:id, 'max', :url, :no, :now, :now, 1)"
                ),
                {"id": institution, "url": f"https://max.ru/{name}", "no": False, "now": "2026-11-20 10:00:00"},
            )
    engine.dispose()

    def chat(request: Request) -> Response:
        name = request.path.rsplit("/", 1)[-1]
        if request.headers.get("Authorization") != MAX_TOKEN:
            return Response(json.dumps({"code": "verify.token", "message": "Invalid access_token"}), status=401)
        if name == "gone_max":
            return Response(json.dumps({"code": "not.found", "message": "Chat not found"}), status=404)
        count = 321 if name == "ds105_max" else 40
        return Response(
            json.dumps({"chat_id": -1, "type": "channel", "status": "active", "participants_count": count}),
            content_type="application/json",
        )

    httpserver.expect_request(re.compile(r"^/chats/[^/]+$")).respond_with_handler(chat)
    return httpserver


def _max_channels(store_url: str) -> int:
    engine = create_engine(store_url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT COUNT(*) FROM pages WHERE platform = 'max'")).scalar()
    engine.dispose()
    return count


def test_only_admins_see_the_page(sign_in):
    editor = open_as(sign_in, "editor", "pages/overview.py")
    assert "Сбор данных" not in page_titles(editor)
    admin = open_as(sign_in, "admin", "pages/collection.py")
    assert admin.title[0].value == "Сбор данных"


def test_collect_now_writes_the_count_and_shows_the_failure(sign_in, max_api, store_url):
    app = open_as(sign_in, "admin", "pages/collection.py")
    sources = app.dataframe[0].value.set_index("Площадка")
    assert (
        sources.loc["MAX", "Настроена"] == "да"
        and sources.loc["ВКонтакте", "Чего не хватает"] == "не задан токен ВКонтакте"
    )
    assert "Сборов ещё не было." in [info.value for info in app.info]
    channels = _max_channels(store_url)  # the demo's channels and the two added above
    app.button(key="collection_now").click().run()
    assert not app.exception
    collected = channels - 1
    assert any(
        f"Сбор закончен: получено цифр {collected}, записано {collected}." in success.value for success in app.success
    ), [success.value for success in app.success]
    runs = app.dataframe[1].value
    assert list(runs[["Получено", "Не получено", "Записано"]].iloc[0]) == [collected, 1, collected]
    failed = app.dataframe[2].value
    assert list(failed["Причина"]) == ["неверная ссылка"] and list(failed["Ссылка"]) == ["https://max.ru/gone_max"]
    assert (
        scalar(
            store_url,
            "SELECT s.subscribers FROM subscriber_snapshots s JOIN pages p ON p.id = s.page_id "
            "WHERE p.url = 'https://max.ru/ds105_max'",
        )
        == 321
    )
    everything = " ".join(str(element.value) for element in app.main if hasattr(element, "value"))
    assert MAX_TOKEN not in everything
