"""AppTest of «Загрузка данных» and «Реестр учреждений»: preview, refusal, confirm, roles."""

from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, metric_values, open_as, page_titles, rows, scalar
from tests.conftest import ROOT
from tests.independent import active_pages

FIXTURES = ROOT / "tests" / "fixtures" / "imports"


def test_only_admins_get_the_pages(open_app, sign_in):
    editor = AppTest.from_file(APP, default_timeout=60)
    sign_in(editor, "editor")
    editor.run()
    assert "Загрузка данных" not in page_titles(editor) and "Реестр учреждений" not in page_titles(editor)
    admin = open_as(sign_in, "admin", "pages/imports.py")
    assert {"Загрузка данных", "Реестр учреждений"} <= set(page_titles(admin))


def test_a_bad_file_is_explained_and_nothing_is_written(open_app, sign_in, store_url):
    app = open_as(sign_in, "admin", "pages/imports.py")
    before = scalar(store_url, "SELECT SUM(subscribers) FROM subscriber_snapshots")
    app.file_uploader(key="imports_subscribers_file").upload(
        "bad_dates.csv", (FIXTURES / "bad_dates.csv").read_bytes(), "text/csv"
    ).run()
    assert not app.exception
    assert "Файл не будет загружен, проблем: 3" in app.error[0].value
    problems = next(frame.value for frame in app.dataframe if "Что не так" in frame.value.columns)
    assert list(problems["Строка"]) == [2, 3, 4] and list(problems["Значение"])[2] == "01.01.2099"
    assert not [button for button in app.button if button.key == "imports_subscribers_apply"]
    assert scalar(store_url, "SELECT SUM(subscribers) FROM subscriber_snapshots") == before


def test_preview_confirm_and_history(open_app, sign_in, store_url):
    app = open_as(sign_in, "admin", "pages/imports.py")
    app.file_uploader(key="imports_subscribers_file").upload(
        "ok.csv", (FIXTURES / "ok_utf8_semicolon.csv").read_bytes(), "text/csv"
    ).run()
    metrics = metric_values(app)
    assert (metrics["Новых"], metrics["Изменённых"]) == ("1", "1")
    preview = next(frame.value for frame in app.dataframe if "Стало" in frame.value.columns)
    assert set(preview["Запись"]) == {"новая", "изменена"}
    assert f"Файл обновляет 2 из {active_pages(store_url)} страниц реестра" in " ".join(
        caption.value for caption in app.caption
    )
    next(button for button in app.button if button.key == "imports_subscribers_apply").click().run()
    assert not app.exception and "загружен: новых 1, изменённых 1" in app.success[0].value
    assert (
        scalar(store_url, "SELECT subscribers FROM subscriber_snapshots WHERE page_id = 4 AND day = '2026-11-20'")
        == 340
    )
    history = next(frame.value for frame in app.dataframe if "Файл" in frame.value.columns)
    assert history.iloc[0]["Файл"] == "ok.csv" and history.iloc[0]["Новых"] == 1


def test_an_admin_undoes_an_import_from_the_history(open_app, sign_in, store_url):
    app = open_as(sign_in, "admin", "pages/imports.py")
    cells = (
        "SELECT page_id, day, subscribers FROM subscriber_snapshots WHERE page_id IN (4, 5) "
        "AND day >= '2026-11-20' ORDER BY page_id, day"
    )
    before = rows(store_url, cells)
    app.file_uploader(key="imports_subscribers_file").upload(
        "ok.csv", (FIXTURES / "ok_utf8_semicolon.csv").read_bytes(), "text/csv"
    ).run()
    next(button for button in app.button if button.key == "imports_subscribers_apply").click().run()
    assert rows(store_url, cells) != before
    number = scalar(store_url, "SELECT MAX(id) FROM imports")
    choice = app.selectbox(key="imports_undo_choice")
    assert choice.options[0].startswith(f"№ {number} · ") and "ok.csv" in choice.options[0]
    assert app.button(key="imports_undo").disabled  # nothing chosen, not confirmed
    choice.set_value(number).run()
    app.checkbox(key="imports_undo_sure").check().run()
    app.button(key="imports_undo").click().run()
    assert not app.exception and f"Загрузка № {number} «ok.csv» отменена" in app.success[0].value
    assert rows(store_url, cells) == before
    history = next(frame.value for frame in app.dataframe if "Отменена" in frame.value.columns)
    assert history.iloc[0]["№"] == number and history.iloc[0]["Отменена"] != ""
    assert scalar(store_url, "SELECT COUNT(*) FROM audit_log WHERE action = 'undo_import'") == 1
    assert any(caption.value.startswith("Отменять нечего") for caption in app.caption)  # the demo's only one


def test_registry_page_adds_and_retires_an_institution(open_app, sign_in, store_url):
    app = open_as(sign_in, "admin", "pages/registry.py")
    assert len(app.dataframe[0].value) == active_pages(store_url)
    with create_engine(store_url).connect() as connection:
        twins = connection.execute(
            text(
                "SELECT district, short_name, COUNT(*) FROM institutions WHERE retired_at IS NULL "
                "GROUP BY district, short_name HAVING COUNT(*) > 1"
            )
        ).all()
    assert twins  # the demo's two «КЦСОН» in one district
    warning = " ".join(element.value for element in app.warning)
    assert all(f"{district}: «{name}» — {count} учреждения" in warning for district, name, count in twins)
    prefix = "registry_new_0"
    app.text_input(key=f"{prefix}_code").input("ds-999")
    app.text_input(key=f"{prefix}_name").input("МБДОУ «Детский сад № 999»")
    app.selectbox(key=f"{prefix}_district").select("Кировский район")
    app.text_input(key="registry_new_page_0_url").input("vk.com/ds999nsk/")
    next(button for button in app.button if button.label == "Добавить").click().run()
    assert not app.exception and "добавлено" in app.success[0].value
    assert scalar(store_url, "SELECT url FROM pages WHERE url LIKE '%ds999%'") == "https://vk.com/ds999nsk"
    app.text_input(key="registry_new_1_code").input("ds-998")
    app.text_input(key="registry_new_1_name").input("Сад")
    app.selectbox(key="registry_new_1_district").select("Кировский район")
    app.text_input(key="registry_new_page_1_url").input("facebook.com/x")
    next(button for button in app.button if button.label == "Добавить").click().run()
    assert "vk.com, ok.ru, t.me или max.ru" in app.error[0].value
    assert scalar(store_url, "SELECT COUNT(*) FROM institutions WHERE code = 'ds-998'") == 0


def test_an_institution_without_a_page_gets_its_link_later(open_app, sign_in, store_url):
    app = open_as(sign_in, "admin", "pages/registry.py")
    prefix = "registry_new_0"
    app.text_input(key=f"{prefix}_code").input("ds-997")
    app.text_input(key=f"{prefix}_name").input("МБДОУ «Детский сад № 997»")
    app.selectbox(key=f"{prefix}_district").select("Ленинский район")
    next(button for button in app.button if button.label == "Добавить").click().run()
    assert not app.exception and "добавлено" in app.success[0].value
    assert (
        scalar(
            store_url,
            "SELECT COUNT(*) FROM pages p JOIN institutions i ON i.id = p.institution_id WHERE i.code = 'ds-997'",
        )
        == 0
    )
    table = app.dataframe[0].value
    row = int(table.index[table["Код"] == "ds-997"][0])
    # The table is selectable: choose the new institution's row as a click would.
    app.session_state["registry_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    app.run()
    app.text_input(key="registry_add_page_0_url").input("https://vk.com/ds997nsk")
    next(button for button in app.button if button.label == "Добавить страницу").click().run()
    assert not app.exception and "Страница добавлена" in app.success[0].value
    assert (
        scalar(
            store_url,
            "SELECT p.url FROM pages p JOIN institutions i ON i.id = p.institution_id WHERE i.code = 'ds-997'",
        )
        == "https://vk.com/ds997nsk"
    )
