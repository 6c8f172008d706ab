"""AppTest: what each role is offered, signing in, the users and audit pages, version safety."""

from streamlit.testing.v1 import AppTest

from data_access.auth import ANONYMOUS
from tests.app.conftest import APP, open_as, page_titles

ADMIN_PAGES = {"Пользователи", "Журнал изменений"}


def test_anonymous_sees_monitoring_only_and_a_login_form(open_app):
    app = open_app()
    assert not ADMIN_PAGES & set(page_titles(app))
    assert "Мой профиль" not in page_titles(app)
    assert app.sidebar.text_input(key="auth_sidebar_login") is not None
    assert not [button for button in app.sidebar.button if button.label == "Выйти"]


def test_a_page_the_role_may_not_use_answers_its_address_in_russian(open_app):
    app = open_app()
    assert "Реестр учреждений — нет доступа" in page_titles(app)  # a hidden route, not in the menu
    app.switch_page("pages/registry.py").run()
    assert not app.exception
    assert "доступна роли «администратор»" in app.error[0].value
    assert not app.title  # nothing of the page itself is drawn


def test_viewer_gets_no_admin_pages(open_app, sign_in):
    app = AppTest.from_file(APP, default_timeout=60)
    sign_in(app, "viewer")
    app.run()
    assert not app.exception
    titles = set(page_titles(app))
    assert "Сводка" in titles and "Мой профиль" in titles and not ADMIN_PAGES & titles


def test_signing_in_through_the_sidebar_form(open_app, sign_in):
    app = AppTest.from_file(APP, default_timeout=60)
    sign_in(app, "admin", login="boss")
    app.session_state["auth_actor"] = ANONYMOUS  # the account exists, the session is not signed in
    app.run()
    app.sidebar.text_input(key="auth_sidebar_login").input("boss")
    app.sidebar.text_input(key="auth_sidebar_password").input("wrong-password")
    submit = next(button for button in app.sidebar.button if button.label == "Войти")
    submit.click().run()
    assert "Неверный логин или пароль" in app.sidebar.error[0].value
    app.sidebar.text_input(key="auth_sidebar_password").input("test-password-1")
    next(button for button in app.sidebar.button if button.label == "Войти").click().run()
    assert not app.exception
    assert ADMIN_PAGES <= set(page_titles(app))
    assert any("Тест admin" in markdown.value for markdown in app.sidebar.markdown)


def test_admin_creates_a_user_and_the_audit_page_shows_it(open_app, sign_in):
    app = AppTest.from_file(APP, default_timeout=60)
    sign_in(app, "admin")
    app.run()
    app.switch_page("pages/users.py").run()
    assert not app.exception
    assert "admin-user" in list(app.dataframe[0].value["Логин"])
    app.text_input[0].input("kuznetsova")
    app.text_input[1].input("Кузнецова О. Н.")
    app.selectbox(key="users_add_role").select("editor")
    app.text_input[3].input("temporary-pass-1")
    next(button for button in app.button if button.label == "Создать").click().run()
    assert not app.exception
    assert "kuznetsova" in list(app.dataframe[0].value["Логин"])
    app.switch_page("pages/audit.py").run()
    log = app.dataframe[0].value
    assert ((log["Номер"] == "kuznetsova") & (log["Действие"] == "создание")).any()
    assert "temporary-pass-1" not in log.to_csv()


def test_two_admins_editing_the_same_user_cannot_overwrite_each_other(open_app, sign_in):
    first = AppTest.from_file(APP, default_timeout=60)
    sign_in(first, "admin", login="first-admin")
    first.run()
    second = AppTest.from_file(APP, default_timeout=60)
    sign_in(second, "admin", login="second-admin")
    second.run()
    for app in (first, second):
        app.switch_page("pages/users.py").run()
        app.selectbox(key="users_edit_login").select("first-admin").run()
    # Both opened «first-admin» for editing; the second admin saves first.
    second_form = [box for box in second.text_input if box.label == "Имя для журнала"][-1]
    second_form.input("Изменено вторым")
    next(button for button in second.button if button.label == "Сохранить").click().run()
    assert not second.exception and second.success
    first_form = [box for box in first.text_input if box.label == "Имя для журнала"][-1]
    first_form.input("Изменено первым")
    next(button for button in first.button if button.label == "Сохранить").click().run()
    assert not first.exception
    assert "Запись изменил(а) Тест admin" in first.error[0].value
    names = dict(zip(first.dataframe[0].value["Логин"], first.dataframe[0].value["Имя"]))
    assert names["first-admin"] == "Изменено вторым"


def test_when_reading_needs_a_login_only_the_login_page_is_offered(store_url, monkeypatch, sign_in):
    monkeypatch.setenv("GOSPUBLIKI_READ_REQUIRES_LOGIN", "true")
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert page_titles(app) == ["Вход"]
    assert not app.metric and app.title[0].value == "Вход"
    viewer = AppTest.from_file(APP, default_timeout=60)
    sign_in(viewer, "viewer")
    viewer.run()
    assert "Сводка" in page_titles(viewer) and viewer.metric


def test_my_profile_asks_for_the_current_password(open_app, sign_in, store_url):
    from data_access import auth
    from data_access.engine import make_engine

    app = open_as(sign_in, "viewer", "pages/profile.py")
    form = app.text_input
    form[0].input("wrong-current-1")
    form[1].input("brand-new-password-1")
    form[2].input("brand-new-password-1")
    next(button for button in app.button if button.label == "Сменить пароль").click().run()
    assert not app.exception and "Текущий пароль указан неверно" in app.error[0].value
    app.text_input[0].input("test-password-1")
    app.text_input[1].input("brand-new-password-1")
    app.text_input[2].input("brand-new-password-1")
    next(button for button in app.button if button.label == "Сменить пароль").click().run()
    assert "Пароль изменён" in app.success[0].value
    engine = make_engine(store_url)
    assert auth.authenticate(engine, "viewer-user", "brand-new-password-1", delay=0).role == "viewer"
    engine.dispose()


def test_the_audit_log_names_a_marked_page_with_its_network(open_app, sign_in, store_url):
    from sqlalchemy import text

    from data_access import checklist
    from data_access.auth import Actor
    from data_access.engine import make_engine

    engine = make_engine(store_url)
    with engine.connect() as connection:
        page_id, short_name, item_id, title = connection.execute(
            text(
                "SELECT p.id, i.short_name, ci.id, ci.title FROM pages p JOIN institutions i ON i.id = "
                "p.institution_id "
                "JOIN checklist_items ci ON ci.code = 'design' WHERE p.platform = 'max' "
                "AND NOT EXISTS (SELECT 1 FROM page_checks c WHERE c.page_id = p.id AND c.item_id = ci.id) "
                "ORDER BY p.id LIMIT 1"
            )
        ).one()
    checklist.save_checks(
        engine, Actor("audit-editor", "Редактор", "editor"), [checklist.CheckEdit(page_id, item_id, "done")]
    )
    engine.dispose()
    app = open_as(sign_in, "admin", "pages/audit.py")
    log = app.dataframe[0].value
    row = log[log["Номер"] == f"{page_id}/{item_id}"].iloc[0]
    assert row["Объект"] == "чек-лист страницы" and row["Что именно"] == f"{short_name} · MAX — «{title}»"
