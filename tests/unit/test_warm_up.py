"""components/warm_up: one background warm-up at a time, one more pass for writes made meanwhile,
none where no server runs (AppTest)."""

import threading
import types

from components import warm_up


class _Streamlit:
    def __init__(self, headers, options):
        self.context = types.SimpleNamespace(headers=headers)
        self._options = options

    def get_option(self, name):
        return self._options.get(name)


def _fake(monkeypatch, headers, **options):
    monkeypatch.setattr(warm_up, "st", _Streamlit(headers, {"server.port": 8601, **options}))
    monkeypatch.setattr(warm_up, "DELAY_SECONDS", 0)
    monkeypatch.setattr(warm_up, "_state", {"running": False, "again": False})


def test_writes_during_a_warm_up_ask_for_one_more_pass_not_one_each(monkeypatch):
    _fake(monkeypatch, {"Host": "example"})
    release = threading.Event()
    runs = []

    def run(command, **_):
        runs.append(command[-1])
        release.wait(10)

    monkeypatch.setattr(warm_up.subprocess, "run", run)
    warm_up.after_write()
    for _ in range(5):  # five more saves while the first warm-up runs
        warm_up.after_write()
    release.set()
    for _ in range(200):
        if not warm_up._state["running"]:
            break
        threading.Event().wait(0.01)
    assert runs == ["http://127.0.0.1:8601", "http://127.0.0.1:8601"]
    assert warm_up._state == {"running": False, "again": False}


def test_nothing_is_started_without_a_server(monkeypatch):
    _fake(monkeypatch, {})
    monkeypatch.setattr(warm_up.subprocess, "run", lambda *_, **__: (_ for _ in ()).throw(AssertionError("started")))
    warm_up.after_write()
    assert warm_up._state["running"] is False


def test_the_instance_is_reached_where_it_listens(monkeypatch):
    _fake(monkeypatch, {"Host": "x"}, **{"server.address": "0.0.0.0", "server.baseUrlPath": "/dash/"})
    assert warm_up.instance_url() == "http://127.0.0.1:8601/dash"
    _fake(monkeypatch, {"Host": "x"}, **{"server.address": "10.0.0.5"})
    assert warm_up.instance_url() == "http://10.0.0.5:8601"
