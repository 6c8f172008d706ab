"""The router: first start on the embedded store, an unreachable database, the navigation."""

from streamlit.testing.v1 import AppTest

from components import data
from components import formatting as fmt
from data_access import config
from tests.app.conftest import APP, metric_values
from tests.independent import active_pages
from tests.support import free_port


def test_first_start_on_the_embedded_store_loads_the_demo_city(tmp_path, monkeypatch):
    import streamlit as st

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GOSPUBLIKI_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setattr(config, "DEFAULT_SQLITE_PATH", tmp_path / "data" / "gospubliki.sqlite3")
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception
    assert metric_values(app)["Страниц"] == fmt.number(active_pages(f"sqlite:///{tmp_path / 'data' / 'gospubliki.sqlite3'}"))
    assert (tmp_path / "data" / "gospubliki.sqlite3").exists()


def test_unreachable_database_is_a_message_not_a_traceback(monkeypatch):
    import streamlit as st

    port = free_port()
    monkeypatch.setenv("DATABASE_URL", f"postgresql://secret-user:pw@127.0.0.1:{port}/secret-db")
    st.cache_data.clear()
    st.cache_resource.clear()
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
    data.clear_read_caches()
    app.switch_page("pages/targets.py").run()
    assert not app.exception
    assert "не может открыть базу данных" in app.error[0].value and "server closed" not in app.error[0].value
