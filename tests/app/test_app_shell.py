"""The router: first start on the embedded store, an unreachable database, the navigation."""

from streamlit.testing.v1 import AppTest

from components import formatting as fmt
from components import reads
from data_access import config
from tests.app.conftest import APP, metric_values
from tests.independent import active_pages
from tests.support import free_port


def test_first_start_on_the_embedded_store_loads_the_demo_city(tmp_path, monkeypatch):

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GOSPUBLIKI_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setattr(config, "DEFAULT_SQLITE_PATH", tmp_path / "data" / "gospubliki.sqlite3")
    reads.store.forget_store()
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception
    assert metric_values(app)["Страниц"] == fmt.number(
        active_pages(f"sqlite:///{tmp_path / 'data' / 'gospubliki.sqlite3'}")
    )
    assert (tmp_path / "data" / "gospubliki.sqlite3").exists()


def test_unreachable_database_is_a_message_not_a_traceback(monkeypatch):

    port = free_port()
    monkeypatch.setenv("DATABASE_URL", f"postgresql://secret-user:pw@127.0.0.1:{port}/secret-db")
    reads.store.forget_store()
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    message = app.error[0].value
    assert "не может открыть базу данных" in message
    for detail in ("secret-user", "secret-db", str(port), "127.0.0.1", "Database"):
        assert detail not in message  # details are for the server log, not for visitors
    assert not app.metric


def test_losing_the_database_mid_session_is_the_same_one_line(open_app, store_url, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from data_access import queries

    app = open_app()
    assert app.metric

    def gone(*args, **kwargs):
        raise OperationalError("SELECT …", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(queries, "page_progress", gone)
    reads.cache.clear_reads()
    app.switch_page("pages/targets.py").run()
    assert not app.exception
    assert "не может открыть базу данных" in app.error[0].value and "server closed" not in app.error[0].value


def test_pages_are_declared_once_and_every_session_navigates_on_its_own(open_app, sign_in, monkeypatch):
    import streamlit as st

    from components import shell

    declared = []
    original = st.Page

    def counting(*args, **kwargs):
        declared.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(shell, "_DECLARED", {})
    monkeypatch.setattr(st, "Page", counting)
    visitor = open_app("pages/targets.py")
    first = len(declared)
    assert first >= 14 and "pages/overview.py" in declared  # every page of the menu, once
    admin = AppTest.from_file(APP, default_timeout=60)
    sign_in(admin, "admin")
    admin.run()
    admin.switch_page("pages/registry.py").run()
    visitor.run()
    # The second session and the reruns declared no page again; the only new declarations are the
    # admin's own menu entries (the same files, titled without «нет доступа»).
    assert sorted(declared[first:]) == [
        "pages/audit.py",
        "pages/collection.py",
        "pages/imports.py",
        "pages/profile.py",
        "pages/registry.py",
        "pages/users.py",
    ]
    assert not admin.exception and admin.title[0].value == "Реестр учреждений"
    assert not visitor.exception and visitor.title[0].value == "Цели по подписчикам"
    assert "нет доступа" not in " ".join(visitor.title.values)
