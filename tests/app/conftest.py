"""AppTest fixtures: the app pointed at a fresh copy of the demo store, caches emptied."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from components import reads
from components.auth import ACTOR_KEY
from data_access import accounts
from data_access.auth import COMMAND_LINE, Actor
from data_access.engine import make_engine
from tests.conftest import ROOT
from tests.support import patch_apptest

APP = str(ROOT / "app.py")


@pytest.fixture(scope="session", autouse=True)
def _apptest_adjustments():
    """tests.support.patch_apptest for the whole AppTest suite."""
    undo = patch_apptest()
    yield
    undo()


@pytest.fixture
def store_url(demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", demo_sqlite_url)
    reads.store.forget_store()
    return demo_sqlite_url


@pytest.fixture
def open_app(store_url: str) -> Callable[..., AppTest]:
    """Run the app and optionally switch to a page: open_app("pages/targets.py")."""

    def _open(page: str | None = None) -> AppTest:
        app = AppTest.from_file(APP, default_timeout=60)
        app.run()
        assert not app.exception, app.exception
        if page:
            app.switch_page(page)
            app.run()
        return app

    return _open


def open_tab(app: AppTest, key: str, label: str) -> AppTest:
    """Open the tab `label` of the tabs `key` (widgets.lazy_tabs draws only the open one) and rerun."""
    app.session_state[key] = label
    app.run()
    assert not app.exception, app.exception
    return app


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def page_titles(app: AppTest) -> list[str]:
    """Titles of the pages st.navigation offered in the last run (AppTest's page registry)."""
    return [info["page_name"] for info in app._registered_pages.values()]


@pytest.fixture
def sign_in(store_url: str) -> Iterator[Callable[..., Actor]]:
    """Create an account with `role` in the test store and sign `app`'s session in as it."""
    engine = make_engine(store_url)

    def _sign_in(app: AppTest, role: str, login: str | None = None) -> Actor:
        login = login or f"{role}-user"
        accounts.create_user(
            engine, COMMAND_LINE, accounts.NewUser(login, role, f"Тест {role}", None, "test-password-1")
        )
        actor = Actor(login, f"Тест {role}", role, "local")
        app.session_state[ACTOR_KEY] = actor
        return actor

    yield _sign_in
    engine.dispose()


def chart_specs(app: AppTest) -> list[tuple[dict, list[pd.DataFrame]]]:
    """Every Altair chart of the last run: its Vega-Lite spec and its data sets as DataFrames
    (Streamlit ships the data beside the spec, Arrow-encoded)."""
    charts = []
    for element in app.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        frames = [pa.ipc.open_stream(dataset.data.data).read_all().to_pandas() for dataset in element.proto.datasets]
        charts.append((spec, frames))
    return charts


def rows(url: str, statement: str, **parameters) -> list:
    """Rows straight from the store, to compare a page with."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text(statement), parameters).all()
    engine.dispose()
    return found


def scalar(url: str, statement: str, **parameters):
    """One value straight from the store, to compare a page with."""
    found = rows(url, statement, **parameters)
    return found[0][0] if found else None


def open_as(sign_in: Callable[..., Actor], role: str, page: str) -> AppTest:
    """The app signed in with `role`, switched to `page`."""
    app = AppTest.from_file(APP, default_timeout=60)
    sign_in(app, role)
    app.run()
    app.switch_page(page).run()
    assert not app.exception
    return app


def rewrite_store(url: str, change: Callable) -> None:
    """Change the store behind the app's back with raw SQL (`change(connection)`, one
    transaction), the way another process would, then raise the revisions and drop this
    process's caches so the next run reads it."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        change(connection)
        connection.execute(text("UPDATE data_revisions SET revision = revision + 1"))
    engine.dispose()
    reads.cache.clear_reads()


def component(app: AppTest, name: str):
    """The st.components.v2 element `name` of the last run (AppTest shows it as an unknown element)."""
    return next(element for element in app.get("bidi_component") if element.proto.component_name == name)


def component_data(app: AppTest, name: str):
    """The JSON data the page gave component `name`."""
    return json.loads(component(app, name).proto.json)


def fire(app: AppTest, name: str, event: str, value) -> AppTest:
    """Rerun as the browser does when component `name` sets trigger `event` to `value`
    (setTriggerValue in its JavaScript): the other widgets keep their values."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    states = app._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(component(app, name).proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": event, "value": value}])
    return app._run(states)
