"""Collectors against a local server that answers like the platforms' APIs (no test reaches the
internet): counts written through the upload path, per-page reasons, retries, the rate limit, the
run lock, and no token in any message or log."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select, text
from werkzeug import Request, Response

from data_access import collect, collectors, schema
from data_access.cli import EXIT_FAILED, EXIT_OK, EXIT_UNAVAILABLE, main
from data_access.config import Settings
from data_access.engine import write_transaction
from data_access.models import audit_log, institutions, pages, subscriber_snapshots

DAY = date(2026, 11, 27)
VK_TOKEN = "vk1.a.SECRET-vk-token-123"
TG_TOKEN = "123456:SECRET-telegram"
MAX_TOKEN = "SECRET-max-token"
OK_KEY, OK_TOKEN, OK_SECRET = "CBAKEY", "SECRET-ok-token", "SECRET-ok-app-secret"
SECRETS = (VK_TOKEN, TG_TOKEN, MAX_TOKEN, OK_TOKEN, OK_SECRET)

PAGES = [
    (1, "vk", "https://vk.com/ds105nsk"),
    (2, "vk", "https://vk.com/club2002"),
    (3, "vk", "https://vk.com/gone_school"),
    (4, "vk", "https://vk.com/banned_club"),
    (5, "vk", "https://vk.com/no_such_page"),
    (6, "telegram", "https://t.me/lyceum9"),
    (7, "telegram", "https://t.me/missing_channel"),
    (8, "max", "https://max.ru/ds105"),
    (9, "max", "https://max.ru/closed_chat"),
    (10, "max", "https://max.ru/nobody"),
    (11, "ok", "https://ok.ru/group/5712"),
    (12, "ok", "https://ok.ru/dk_rassvet"),
    (13, "ok", "https://ok.ru/group/9999"),  # the same group as page 12, under its number
]


@pytest.fixture
def store(empty_engine):
    schema.upgrade(empty_engine)
    with write_transaction(empty_engine) as connection:
        for page_id, platform, url in PAGES:
            connection.execute(
                institutions.insert().values(
                    id=page_id,
                    code=f"i-{page_id}",
                    name=f"Учреждение {page_id}",
                    short_name=f"У{page_id}",
                    category="school",
                    district="Кировский район",
                )
            )
            connection.execute(
                pages.insert().values(id=page_id, institution_id=page_id, platform=platform, url=url, is_flagship=False)
            )
    return empty_engine


VK_GROUPS = {
    # The госметка and VK's blue tick set independently: ds105nsk is a government organisation
    # without the tick, club2002 a confirmed community that is not one.
    "ds105nsk": {
        "id": 1001,
        "screen_name": "ds105nsk",
        "members_count": 512,
        "verified": 0,
        "is_government_organization": True,
        "trust_mark": 0,
    },
    "club2002": {
        "id": 2002,
        "screen_name": "club2002",
        "members_count": 77,
        "verified": 1,
        "is_government_organization": False,
    },
    "gone_school": {"id": 3003, "screen_name": "gone_school", "deactivated": "deleted"},
    "banned_club": {"id": 4004, "screen_name": "banned_club", "deactivated": "banned"},
}


NOW = time.time()
DAY_SECONDS = 86400


def _post(
    number: int, days_ago: float, views: int | None, likes: int, comments: int, reposts: int, pinned: bool = False
) -> dict:
    post = {
        "id": number,
        "owner_id": -1001,
        "date": int(NOW - days_ago * DAY_SECONDS),
        "text": "…",
        "likes": {"count": likes},
        "comments": {"count": comments},
        "reposts": {"count": reposts},
    }
    if views is not None:
        post["views"] = {"count": views}
    if pinned:
        post["is_pinned"] = 1
    return post


# ds105nsk: an old pinned post first, then a post every 1.5 days (5 within the last 7 days); one
# very old post without a view count. club2002 has its wall closed.
WALLS = {
    1001: [_post(1, 200, 900, 40, 5, 3, pinned=True)]
    + [_post(2 + k, k * 1.5, 300 + k, 10 + k % 3, k % 2, 1) for k in range(29)]
    + [_post(99, 400, None, 1, 0, 0)]
}


class FakeApis:
    """The documented requests and answers of VK, OK, Telegram and MAX, with switches for the
    failures the collectors must survive."""

    def __init__(self, server: HTTPServer):
        self.server = server
        self.vk_shape = "list"
        self.vk_errors: list[int] = []  # error codes answered before the real answer
        self.telegram_failures: list[str] = []  # «429», «500», «html», «garbage»
        self.calls: list[str] = []
        self.execute_calls: list[int] = []  # how many wall.get calls each execute request carried
        self.execute_failures = 0  # execute requests answered with a 502 page before the real answer
        server.expect_request("/method/groups.getById", method="POST").respond_with_handler(self.vk)
        server.expect_request("/method/execute", method="POST").respond_with_handler(self.vk_execute)
        server.expect_request("/fb.do", method="POST").respond_with_handler(self.ok)
        server.expect_request(f"/bot{TG_TOKEN}/getChatMemberCount").respond_with_handler(self.telegram)
        server.expect_request("/botWRONG/getChatMemberCount").respond_with_json(
            {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
        )
        for name in ("ds105", "closed_chat", "nobody"):
            server.expect_request(f"/chats/{name}").respond_with_handler(self.max)

    def vk(self, request: Request) -> Response:
        self.calls.append("vk")
        if request.values.get("access_token") != VK_TOKEN:
            return _json({"error": {"error_code": 5, "error_msg": "User authorization failed: invalid access_token"}})
        if self.vk_errors:
            code = self.vk_errors.pop(0)
            return _json({"error": {"error_code": code, "error_msg": "Too many requests per second"}})
        names = request.values["group_ids"].split(",")
        known = [VK_GROUPS[name] for name in names if name in VK_GROUPS]
        if not known:
            return _json(
                {"error": {"error_code": 100, "error_msg": "One of the parameters specified was missing or invalid"}}
            )
        return _json(
            {"response": known} if self.vk_shape == "list" else {"response": {"groups": known, "profiles": []}}
        )

    def vk_execute(self, request: Request) -> Response:
        """execute with a script of wall.get calls: one answer per call, `false` and an entry in
        execute_errors for a wall that cannot be read."""
        self.calls.append("vk_execute")
        if request.values.get("access_token") != VK_TOKEN:
            return _json({"error": {"error_code": 5, "error_msg": "User authorization failed"}})
        if self.execute_failures:
            self.execute_failures -= 1
            return Response("<html>502 Bad Gateway</html>", 502, content_type="text/html")
        calls = re.findall(r'API\.wall\.get\(\{"owner_id":-(\d+),"count":(\d+)\}\)', request.values["code"])
        self.execute_calls.append(len(calls))
        answers, errors = [], []
        for owner, count in calls:
            posts = WALLS.get(int(owner))
            if posts is None:
                answers.append(False)
                errors.append({"method": "wall.get", "error_code": 15, "error_msg": "Access denied: wall is disabled"})
            else:
                answers.append({"count": len(posts), "items": posts[: int(count)]})
        return _json({"response": answers, **({"execute_errors": errors} if errors else {})})

    def ok(self, request: Request) -> Response:
        self.calls.append("ok")
        params = dict(request.values)
        given = params.pop("sig")
        token = params.pop("access_token")
        secret = hashlib.md5((token + OK_SECRET).encode(), usedforsecurity=False).hexdigest()
        expected = hashlib.md5(
            ("".join(f"{k}={params[k]}" for k in sorted(params)) + secret).encode(), usedforsecurity=False
        ).hexdigest()
        if given != expected or params.get("application_key") != OK_KEY:
            return _json({"error_code": 104, "error_msg": "PARAM_SIGNATURE : Invalid signature"})
        if params["method"] == "url.getInfo":
            return _json(
                {"type": "GROUP", "objectId": 9999} if params["url"].endswith("dk_rassvet") else {"type": "USER"}
            )
        groups = {"5712": 340, "9999": 210}
        return _json([{"uid": uid, "members_count": groups[uid]} for uid in params["uids"].split(",") if uid in groups])

    def telegram(self, request: Request) -> Response:
        self.calls.append("telegram")
        if self.telegram_failures:
            failure = self.telegram_failures.pop(0)
            if failure == "429":
                return _json(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": "Too Many Requests: retry after 1",
                        "parameters": {"retry_after": 1},
                    },
                    429,
                )
            if failure == "500":
                return Response("<html><body>502 Bad Gateway</body></html>", 502, content_type="text/html")
            if failure == "html":
                return Response("<html>Технические работы</html>", 200, content_type="text/html")
            return Response('{"ok": tr', 200, content_type="application/json")
        chat = request.args["chat_id"]
        if chat == "@lyceum9":
            return _json({"ok": True, "result": 1234})
        return _json({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}, 400)

    def max(self, request: Request) -> Response:
        self.calls.append("max")
        if request.headers.get("Authorization") != MAX_TOKEN:
            return _json({"code": "verify.token", "message": "Invalid access_token"}, 401)
        name = request.path.rsplit("/", 1)[1]
        if name == "ds105":
            return _json(
                {
                    "chat_id": -71,
                    "type": "chat",
                    "status": "active",
                    "title": "Детский сад № 105",
                    "participants_count": 88,
                }
            )
        if name == "closed_chat":
            return _json({"chat_id": -72, "type": "chat", "status": "closed", "participants_count": 5})
        return _json({"code": "not.found", "message": "Chat not found"}, 404)


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status, content_type="application/json")


@pytest.fixture
def apis(httpserver: HTTPServer) -> FakeApis:
    return FakeApis(httpserver)


def _settings(httpserver: HTTPServer, **changes) -> Settings:
    base = httpserver.url_for("")
    settings = Settings(
        vk_api_url=f"{base}method",
        vk_token=VK_TOKEN,
        ok_api_url=base.rstrip("/"),
        ok_application_key=OK_KEY,
        ok_access_token=OK_TOKEN,
        ok_secret=OK_SECRET,
        telegram_api_url=base.rstrip("/"),
        telegram_bot_token=TG_TOKEN,
        max_api_url=base.rstrip("/"),
        max_token=MAX_TOKEN,
        collect_rps=200,
    )
    return replace(settings, **changes)


def _no_sleep(_seconds: float) -> None:
    return None


def _snapshots(engine) -> dict[int, int]:
    with engine.connect() as connection:
        return dict(
            connection.execute(
                select(subscriber_snapshots.c.page_id, subscriber_snapshots.c.subscribers).where(
                    subscriber_snapshots.c.day == DAY
                )
            ).all()
        )


def _reasons(run: collect.Run) -> dict[int, str]:
    return {
        result.page_id: result.reason or str(result.subscribers)
        for platform in run.platforms
        for result in platform.results
    }


@pytest.mark.parametrize("shape", ["list", "object"])
def test_every_platform_collected_with_a_reason_for_each_failure(store, apis, httpserver, shape, caplog):
    apis.vk_shape = shape
    caplog.set_level(logging.DEBUG)
    run = collect.collect(store, _settings(httpserver), DAY, sleep=_no_sleep)
    assert _reasons(run) == {
        1: "512",
        2: "77",
        3: collectors.DELETED,
        4: collectors.BLOCKED,
        5: collectors.BAD_LINK,
        6: "1234",
        7: collectors.BAD_LINK,
        8: "88",
        9: collectors.CLOSED,
        10: collectors.BAD_LINK,
        11: "340",
        12: "210",
        13: "210",
    }
    assert _snapshots(store) == {1: 512, 2: 77, 6: 1234, 8: 88, 11: 340, 12: 210, 13: 210}
    assert run.written == 7
    marks = {
        result.page_id: (result.government_mark, result.verified) for result in run.platforms[0].results if result.ok
    }
    assert marks == {1: (True, False), 2: (False, True)}
    with store.connect() as connection:
        entry = connection.execute(
            select(audit_log.c.actor, audit_log.c.entity).where(audit_log.c.action == "import")
        ).one()
    assert entry.actor == collect.COLLECTOR.login
    ours = " ".join(record.getMessage() for record in caplog.records if record.name != "werkzeug")  # not the fake API's
    assert "groups.getById" in ours or "fb.do" in ours  # the HTTP library did log its requests…
    for secret in SECRETS:
        assert secret not in ours  # …without a token


def test_a_second_run_the_same_day_changes_nothing_and_a_new_figure_updates(store, apis, httpserver):
    settings = _settings(httpserver)
    collect.collect(store, settings, DAY, sleep=_no_sleep)
    again = collect.collect(store, settings, DAY, sleep=_no_sleep)
    assert again.written == 0
    VK_GROUPS["ds105nsk"]["members_count"] = 515
    try:
        third = collect.collect(store, settings, DAY, ["vk"], sleep=_no_sleep)
    finally:
        VK_GROUPS["ds105nsk"]["members_count"] = 512
    assert third.written == 1 and _snapshots(store)[1] == 515
    with store.connect() as connection:
        assert connection.execute(select(func.count()).select_from(subscriber_snapshots)).scalar() == 7


def test_vk_rate_errors_are_retried(store, apis, httpserver):
    apis.vk_errors = [6, 9, 10]
    run = collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep)
    assert _reasons(run)[1] == "512"
    assert apis.calls.count("vk") >= 4


def test_a_bad_vk_token_stops_vk_and_never_shows_the_token(store, apis, httpserver, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "vk1.a.WRONG-token-456"
    run = collect.collect(store, _settings(httpserver, vk_token=wrong), DAY, ["vk", "telegram"], sleep=_no_sleep)
    vk = run.platforms[0]
    assert "ошибка 5" in vk.failed and not vk.ok
    assert _reasons(run)[6] == "1234"  # another platform goes on
    assert apis.calls.count("vk") == 1  # stopped at once, not retried
    ours = " ".join(record.getMessage() for record in caplog.records if record.name != "werkzeug")
    assert wrong not in ours and wrong not in vk.failed


def test_telegram_survives_429_5xx_html_and_broken_json(store, apis, httpserver):
    apis.telegram_failures = ["429", "500", "html"]
    run = collect.collect(store, _settings(httpserver), DAY, ["telegram"], sleep=_no_sleep)
    assert _reasons(run)[6] == "1234"
    apis.telegram_failures = ["garbage"] * 8
    run = collect.collect(store, _settings(httpserver), DAY, ["telegram"], sleep=_no_sleep)
    assert set(_reasons(run).values()) == {collectors.NO_ANSWER}


def test_a_wrong_telegram_or_max_token_stops_that_platform(store, apis, httpserver):
    run = collect.collect(
        store,
        _settings(httpserver, telegram_bot_token="WRONG", max_token="WRONG"),
        DAY,
        ["telegram", "max"],
        sleep=_no_sleep,
    )
    assert all(platform.failed and not platform.ok for platform in run.platforms)
    assert "WRONG" not in " ".join(platform.failed for platform in run.platforms)


def test_a_slow_answer_is_a_failed_page_not_a_hung_run(store, httpserver, monkeypatch):
    monkeypatch.setattr(collectors, "TIMEOUT_SECONDS", 0.2)

    def slow(_request):
        time.sleep(0.5)
        return _json({"ok": True, "result": 1})

    httpserver.expect_request(f"/bot{TG_TOKEN}/getChatMemberCount").respond_with_handler(slow)
    started = time.perf_counter()
    run = collect.collect(store, _settings(httpserver), DAY, ["telegram"], sleep=_no_sleep)
    assert set(_reasons(run).values()) == {collectors.NO_ANSWER}
    assert time.perf_counter() - started < 10


def test_platforms_without_a_token_are_skipped(store, apis, httpserver):
    run = collect.collect(store, _settings(httpserver, ok_secret="", max_token=""), DAY, sleep=_no_sleep)
    skipped = {platform.platform: platform.skipped for platform in run.platforms if platform.skipped}
    assert skipped == {"ok": "не заданы ключи приложения Одноклассников", "max": "не задан токен бота MAX"}
    assert "ok" not in apis.calls and "max" not in apis.calls
    with pytest.raises(collect.NotConfigured, match="max_token"):
        collect.collect(store, _settings(httpserver, max_token=""), DAY, ["max"], sleep=_no_sleep)


def test_the_rate_limit_spaces_requests():
    limiter = collectors.Limiter(20)
    started = time.perf_counter()
    for _ in range(11):
        limiter.wait()
    assert time.perf_counter() - started >= 0.45


def test_two_runs_never_overlap(store, apis, httpserver):
    with collect.run_lock(store):
        with pytest.raises(collect.AlreadyRunning, match="Сбор уже идёт"):
            collect.collect(store, _settings(httpserver), DAY, sleep=_no_sleep)
    assert collect.collect(store, _settings(httpserver), DAY, ["max"], sleep=_no_sleep).collected == 1


def test_ok_signature_follows_the_documentation():
    params = {"application_key": "A", "method": "group.getInfo", "format": "json", "uids": "1,2"}
    secret = hashlib.md5(b"TOKENSECRET", usedforsecurity=False).hexdigest()
    joined = "application_key=Aformat=jsonmethod=group.getInfouids=1,2"
    assert (
        collectors.ok_signature(params, "TOKEN", "SECRET")
        == hashlib.md5((joined + secret).encode(), usedforsecurity=False).hexdigest()
    )


def test_command_line_exit_codes(store, apis, httpserver, monkeypatch, capsys):
    for name, value in {
        "VK_API_URL": f"{httpserver.url_for('')}method",
        "VK_TOKEN": VK_TOKEN,
        "COLLECT_RPS": "200",
    }.items():
        monkeypatch.setenv(f"GOSPUBLIKI_{name}", value)
    monkeypatch.setattr(collectors, "BACKOFF_SECONDS", 0.0)
    assert main(["collect", "--platform", "vk"], engine_factory=lambda: store) == EXIT_OK
    out = capsys.readouterr()
    assert "ВКонтакте: получено 2 из 5" in out.out and "страница 3: страница удалена" in out.out
    assert VK_TOKEN not in out.out + out.err
    assert main(["collect", "--platform", "max"], engine_factory=lambda: store) == EXIT_UNAVAILABLE
    assert "не задан токен бота MAX (настройка max_token)" in capsys.readouterr().err
    monkeypatch.setenv("GOSPUBLIKI_VK_TOKEN", "vk1.a.WRONG")
    assert main(["collect", "--platform", "vk", "--dry-run"], engine_factory=lambda: store) == EXIT_FAILED


def test_every_run_is_recorded_with_its_failures_and_audited(store, apis, httpserver):
    from data_access.auth import Actor
    from data_access.writes import PermissionDenied

    admin = Actor("ivanova", "Иванова Е. А.", "admin")
    collect.collect(store, _settings(httpserver), DAY, ["max"], sleep=_no_sleep, actor=admin)
    runs = collect.recent_runs(store)
    assert len(runs) == 1
    latest = runs.iloc[0]
    assert (latest["actor"], latest["pages_ok"], latest["pages_failed"], latest["written"]) == (
        "Иванова Е. А.",
        1,
        2,
        1,
    )
    assert {(failure["page_id"], failure["reason"]) for failure in latest["failures"]} == {
        (9, collectors.CLOSED),
        (10, collectors.BAD_LINK),
    }
    assert [platform["platform"] for platform in latest["platforms"]] == ["max"]
    with store.connect() as connection:
        assert (
            connection.execute(select(audit_log.c.actor).where(audit_log.c.action == "collect")).scalar() == "ivanova"
        )
    editor = Actor("petrov", "Петров", "editor")
    with pytest.raises(PermissionDenied):
        collect.collect(store, _settings(httpserver), DAY, ["max"], sleep=_no_sleep, actor=editor)
    assert len(collect.recent_runs(store)) == 1


# --- VK beyond the count: posts, engagement, the verified flag -----------------------------


def _with_checklist(store):
    from data_access import seed

    with write_transaction(store) as connection:
        seed.ensure_checklist_items(connection)
    return store


def _measured(engine) -> dict[int, dict]:
    from data_access.models import page_measurements

    with engine.connect() as connection:
        rows = connection.execute(select(page_measurements).where(page_measurements.c.day == DAY)).mappings().all()
    return {
        row["page_id"]: {
            name: row[name]
            for name in (
                "government_mark",
                "verified",
                "posts_7d",
                "posts_read",
                "views",
                "likes",
                "comments",
                "reposts",
            )
        }
        for row in rows
    }


def _checks(engine) -> dict[tuple[int, str], dict]:
    from data_access.models import checklist_items, page_checks

    with engine.connect() as connection:
        rows = (
            connection.execute(
                select(
                    page_checks.c.page_id,
                    checklist_items.c.code,
                    page_checks.c.state,
                    page_checks.c.note,
                    page_checks.c.updated_by,
                ).join(checklist_items, checklist_items.c.id == page_checks.c.item_id)
            )
            .mappings()
            .all()
        )
    return {(row["page_id"], row["code"]): dict(row) for row in rows}


def _expected_wall(group_id: int) -> dict:
    """What the matching rules of docs/guide.md make of the fake wall, computed here from the posts themselves."""
    read = WALLS[group_id][:30]
    return {
        "posts_7d": sum(post["date"] >= NOW - 7 * DAY_SECONDS for post in read),
        "posts_read": len(read),
        "views": sum(post.get("views", {}).get("count", 0) for post in read),
        "likes": sum(post["likes"]["count"] for post in read),
        "comments": sum(post["comments"]["count"] for post in read),
        "reposts": sum(post["reposts"]["count"] for post in read),
    }


def test_vk_posts_give_cadence_and_engagement_and_settle_the_checklist(store, apis, httpserver):
    from data_access import checklist
    from data_access.auth import Actor

    _with_checklist(store)
    editor = Actor("petrov", "Петров С. В.", "editor")
    with store.connect() as connection:
        mark = connection.execute(text("SELECT id FROM checklist_items WHERE code = 'gov_mark'")).scalar()
    checklist.save_checks(store, editor, [checklist.CheckEdit(2, mark, "n_a", "Не госучреждение")])
    run = collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep)
    measured = _measured(store)
    assert measured[1] == {"government_mark": True, "verified": False, **_expected_wall(1001)}
    assert measured[1]["posts_7d"] == 5  # the pinned post is 200 days old: it does not count
    assert measured[2] == {
        "government_mark": False,
        "verified": True,
        "posts_7d": None,
        "posts_read": None,
        "views": None,
        "likes": None,
        "comments": None,
        "reposts": None,
    }  # its wall is closed
    assert {wall.page_id: wall.reason for wall in run.platforms[0].walls} == {1: "", 2: collectors.CLOSED}
    assert apis.execute_calls == [2]  # both walls in one execute request
    checks = _checks(store)
    assert checks[(1, "gov_mark")]["state"] == "done" and checks[(1, "posting_cadence")]["state"] == "done"
    assert checks[(1, "posting_cadence")]["note"] == "Измерено по ВКонтакте 27.11.2026: 5 публикаций за 7 дней"
    assert checks[(1, "gov_mark")]["updated_by"] == collect.COLLECTOR.label
    assert checks[(2, "gov_mark")]["state"] == "n_a"  # an editor's «не применимо» is left alone
    assert (2, "posting_cadence") not in checks  # not measured: nothing written
    assert run.checks_changed == 2
    again = collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep)
    assert again.checks_changed == 0 and _measured(store) == measured  # one row per page and day
    with store.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM page_measurements")).scalar() == 2
        actors = set(
            connection.execute(
                text("SELECT actor FROM audit_log WHERE entity IN ('page_check', 'page_measurements')")
            ).scalars()
        )
    assert collect.COLLECTOR.login in actors


def test_counts_only_skips_the_posts_but_keeps_the_verified_flag(store, apis, httpserver):
    _with_checklist(store)
    collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep, counts_only=True)
    assert "vk_execute" not in apis.calls
    assert _measured(store)[1]["government_mark"] is True and _measured(store)[1]["posts_7d"] is None
    assert _checks(store)[(1, "gov_mark")]["state"] == "done" and (1, "posting_cadence") not in _checks(store)


def test_a_failing_posts_step_never_costs_a_count(store, apis, httpserver):
    _with_checklist(store)
    apis.execute_failures = 100
    run = collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep)
    assert _snapshots(store) == {1: 512, 2: 77}
    assert {wall.reason for wall in run.platforms[0].walls} == {collectors.NO_ANSWER}
    assert _measured(store)[1]["posts_7d"] is None and _measured(store)[1]["government_mark"] is True
    latest = collect.recent_runs(store).iloc[0]
    assert latest["written"] == 2 and latest["platforms"][0]["walls_ok"] == 0


def test_execute_carries_at_most_25_walls(httpserver, apis):
    client = collectors.Client(200, [VK_TOKEN], _no_sleep)
    vk = collectors.VkCollector(client, httpserver.url_for("/method"), VK_TOKEN, "5.199")
    walls = vk.walls([(page_id, 1001) for page_id in range(60)], _now())
    assert apis.execute_calls == [25, 25, 10]
    assert [wall.page_id for wall in walls] == list(range(60)) and all(wall.posts_7d == 5 for wall in walls)


def _now():
    from datetime import UTC, datetime

    return datetime.fromtimestamp(NOW, UTC)


def test_an_editor_who_read_before_the_measurement_gets_a_conflict(store, apis, httpserver):
    from data_access import checklist, queries
    from data_access.auth import Actor
    from data_access.writes import StaleRecord

    _with_checklist(store)
    seen = queries.page_checklist(store, 1).set_index("code").loc["gov_mark"]  # what the editor's screen holds
    collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep)
    with pytest.raises(StaleRecord, match="Сбор данных"):
        checklist.save_checks(
            store,
            Actor("petrov", "Петров С. В.", "editor"),
            [
                checklist.CheckEdit(
                    1,
                    int(seen["item_id"]),
                    "not_done",
                    version=None if pd.isna(seen["version"]) else int(seen["version"]),
                )
            ],
        )
    assert _checks(store)[(1, "gov_mark")]["state"] == "done"


def test_the_gov_mark_follows_the_government_mark_not_the_blue_tick(store, apis, httpserver):
    """Cells an earlier collector settled from `verified` are corrected and audited; a mark a person
    set after the measurement stays as they set it, and the run's audit row names it."""
    from datetime import UTC, datetime, timedelta

    from data_access.models import checklist_items, page_checks

    _with_checklist(store)
    with write_transaction(store) as connection:
        mark = connection.execute(select(checklist_items.c.id).where(checklist_items.c.code == "gov_mark")).scalar()
        # As the old collector left them: page 1 «не выполнено» (no blue tick), page 2 «выполнено» (tick).
        old = datetime(2026, 11, 20, tzinfo=UTC)
        for page_id, state in ((1, "not_done"), (2, "done")):
            connection.execute(
                page_checks.insert().values(
                    page_id=page_id,
                    item_id=mark,
                    state=state,
                    version=1,
                    updated_at=old,
                    updated_by=collect.COLLECTOR.label,
                )
            )
    collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep)
    checks = _checks(store)
    assert checks[(1, "gov_mark")]["state"] == "done" and checks[(2, "gov_mark")]["state"] == "not_done"
    assert checks[(2, "gov_mark")]["note"] == "Измерено по ВКонтакте 27.11.2026: госметки нет"
    with store.connect() as connection:
        audited = connection.execute(
            text("SELECT COUNT(*) FROM audit_log WHERE entity = 'page_check' AND entity_id IN (:one, :two)"),
            {"one": f"1/{mark}", "two": f"2/{mark}"},
        ).scalar()
    assert audited == 2
    # An editor marks page 2 «выполнено» after the measurement; the next collection (measured
    # earlier than that mark) leaves it and says so in its audit row.
    with write_transaction(store) as connection:
        connection.execute(
            page_checks.update()
            .where(page_checks.c.page_id == 2, page_checks.c.item_id == mark)
            .values(
                state="done",
                updated_by="Петров С. В.",
                version=page_checks.c.version + 1,
                updated_at=datetime.now(UTC) + timedelta(hours=1),
            )
        )
    again = collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep)
    assert again.checks_changed == 0 and _checks(store)[(2, "gov_mark")]["state"] == "done"
    with store.connect() as connection:
        details = connection.execute(
            text("SELECT after FROM audit_log WHERE entity = 'page_measurements' ORDER BY id DESC")
        ).scalar()
    assert f"2/{mark}" in details


def _echo(request: Request) -> str:
    """What a careless server sends back: the request's path, query and form — tokens included."""
    return f"{request.full_path} {dict(request.form)} {dict(request.headers)}"


# Answers no platform documents, one set per round; each echoes the request like a careless proxy.
GARBAGE = [
    {
        "vk": lambda r: {"error": {"error_code": "boom", "error_msg": _echo(r)}},
        "ok": lambda r: {"error_code": "boom", "error_msg": _echo(r)},
        "telegram": lambda r: {"ok": False, "error_code": "boom", "description": _echo(r)},
        "max": lambda r: {"participants_count": "boom", "title": _echo(r)},
    },
    {
        "vk": lambda r: {
            "response": [
                {"id": "x", "screen_name": name, "members_count": "boom", "note": _echo(r)}
                for name in r.values.get("group_ids", "").split(",")
            ]
        },
        "ok": lambda r: {
            "groups": [{"uid": "5712", "members_count": {"deep": _echo(r)}}],
            "type": "GROUP",
            "objectId": [],
        },
        "telegram": lambda r: {"ok": True, "result": -5, "echo": _echo(r)},
        "max": lambda r: {"status": ["closed"], "participants_count": 1e300, "echo": _echo(r)},
    },
    {
        "vk": lambda r: {"response": {"groups": {"not": "a list"}}, "echo": _echo(r)},
        "ok": lambda r: ["a", _echo(r)],
        "telegram": lambda r: {"ok": True, "result": "12", "echo": _echo(r)},
        "max": lambda r: [_echo(r)],
    },
    {
        "vk": lambda r: {
            "response": [
                {"id": 1001, "screen_name": "ds105nsk", "members_count": True},
                {"id": None, "screen_name": None, "deactivated": {"x": 1}},
            ],
            "echo": _echo(r),
        },
        "ok": lambda r: {"groups": "nope", "type": "GROUP", "objectId": "5712", "echo": _echo(r)},
        "telegram": lambda r: {"ok": "yes", "result": {"count": 5}, "error_code": None, "echo": _echo(r)},
        "max": lambda r: {"status": None, "participants_count": -1, "echo": _echo(r)},
    },
]


@pytest.mark.parametrize("round_", range(len(GARBAGE)))
def test_garbage_from_every_platform_fails_pages_not_the_run_and_leaks_no_token(
    store, httpserver, round_, caplog, capsys, monkeypatch
):
    answers = GARBAGE[round_]

    def handler(platform):
        return lambda request: Response(
            json.dumps(answers[platform](request), ensure_ascii=False), 200, content_type="application/json"
        )

    for path in ("/method/groups.getById", "/method/execute"):
        httpserver.expect_request(path, method="POST").respond_with_handler(handler("vk"))
    httpserver.expect_request("/fb.do", method="POST").respond_with_handler(handler("ok"))
    httpserver.expect_request(f"/bot{TG_TOKEN}/getChatMemberCount").respond_with_handler(handler("telegram"))
    httpserver.expect_request(re.compile("^/chats/.*")).respond_with_handler(handler("max"))
    settings = _settings(httpserver)
    for name, value in {
        "VK_API_URL": settings.vk_api_url,
        "VK_TOKEN": VK_TOKEN,
        "OK_API_URL": settings.ok_api_url,
        "OK_APPLICATION_KEY": OK_KEY,
        "OK_ACCESS_TOKEN": OK_TOKEN,
        "OK_SECRET": OK_SECRET,
        "TELEGRAM_API_URL": settings.telegram_api_url,
        "TELEGRAM_BOT_TOKEN": TG_TOKEN,
        "MAX_API_URL": settings.max_api_url,
        "MAX_TOKEN": MAX_TOKEN,
        "COLLECT_RPS": "200",
    }.items():
        monkeypatch.setenv(f"GOSPUBLIKI_{name}", value)
    monkeypatch.setattr(collectors, "BACKOFF_SECONDS", 0.0)
    caplog.set_level(logging.DEBUG)
    code = main(["collect"], engine_factory=lambda: store)
    out = capsys.readouterr()
    assert code in (EXIT_OK, EXIT_FAILED) and "Traceback" not in out.out + out.err
    with store.connect() as connection:
        runs = connection.execute(text("SELECT pages_ok, pages_failed, platforms, failures FROM collection_runs")).all()
        audit = " ".join(str(value) for row in connection.execute(select(audit_log)) for value in row)
        written = connection.execute(select(subscriber_snapshots.c.subscribers)).scalars().all()
    assert len(runs) == 1  # the run is recorded
    recorded = json.loads(runs[0].platforms)
    assert {platform["platform"] for platform in recorded} == {"vk", "ok", "telegram", "max"}
    assert runs[0].pages_ok + runs[0].pages_failed == len(PAGES)
    assert all(isinstance(value, int) and value >= 0 for value in written)  # nothing but a real count
    logged = " ".join(
        record.getMessage() + (record.exc_text or "") for record in caplog.records if record.name != "werkzeug"
    )
    everything = " ".join([out.out, out.err, logged, audit, runs[0].platforms, runs[0].failures])
    for secret in SECRETS:
        assert secret not in everything and secret.replace(":", "%3A") not in everything


def test_the_rate_limit_holds_in_every_one_second_window():
    limiter = collectors.Limiter(3)
    moments = []
    for _ in range(10):
        limiter.wait()
        moments.append(limiter._recent[-1])  # when the limiter let the request go (not when this thread ran again)
    for index, moment in enumerate(moments):
        in_window = [other for other in moments[index:] if other - moment <= 1.0]
        assert len(in_window) <= 3, [round(other - moments[0], 3) for other in moments]


def test_the_posts_are_kept_and_matched_to_the_materials_planned_for_the_page(store, apis, httpserver, monkeypatch):
    from datetime import datetime as moment

    from data_access.clock import CITY_TIMEZONE

    planned = moment.fromtimestamp(NOW - 2 * DAY_SECONDS, CITY_TIMEZONE).replace(tzinfo=None, microsecond=0)
    body = (
        "В Новосибирске открылась запись в летние оздоровительные лагеря. Заявления принимаются через портал "
        "Госуслуг до 15 апреля. Путёвки получат дети от 7 до 15 лет."
    )
    with store.begin() as connection:
        for number, (source_post, source_url, hashtag, text_) in enumerate(
            (
                ("https://vk.com/wall-777_10", None, None, None),
                (None, "https://nsknews.info/lager", None, None),
                (None, None, "#ЛетоНСК", None),
                (None, None, None, body),
            ),
            start=1,
        ):
            connection.execute(
                text(
                    "INSERT INTO content_items (id, title, format, publish_at, status, source_post, source_url, "
                    "hashtag, body, "
                    "created_at, updated_at, version) VALUES (:id, :title, 'news', :at, 'published', :post, :url, "
                    ":tag, "
                    ":body, :at, :at, 1)"
                ),
                {
                    "id": number,
                    "title": f"Материал {number}",
                    "at": planned,
                    "post": source_post,
                    "url": source_url,
                    "tag": hashtag,
                    "body": text_,
                },
            )
            connection.execute(
                text("INSERT INTO content_item_pages (item_id, page_id) VALUES (:item, 1)"), {"item": number}
            )

    def post(number, **extra):
        return {**_post(number, 1.5, 100 * number, number, 1, 0), **extra}

    wall = [
        post(1, copy_history=[{"owner_id": -777, "id": 10, "text": "оригинал"}]),
        post(2, text="Подробности", attachments=[{"type": "link", "link": {"url": "https://www.nsknews.info/lager/"}}]),
        post(3, text="Запись в лагеря открыта! #летонск"),
        post(4, text="Друзья! " + body + " #Новосибирск"),
        post(5, text="Утренник в нашем саду прошёл весело"),
        {**post(6, text="#ЛетоНСК"), "date": int(NOW - 30 * DAY_SECONDS)},
    ]  # long before the plan
    monkeypatch.setitem(WALLS, 1001, wall)
    run = collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep)
    assert run.collected == 2
    with store.connect() as connection:
        kept = {row.post_id: row for row in connection.execute(text("SELECT * FROM posts WHERE page_id = 1"))}
        sums = dict(
            connection.execute(
                text("SELECT material_id, SUM(views) FROM posts WHERE material_id IS NOT NULL GROUP BY material_id")
            ).all()
        )
    assert set(kept) == {1, 2, 3, 4, 5, 6}
    assert {number: (row.material_id, row.match_rule) for number, row in kept.items()} == {
        1: (1, "repost"),
        2: (2, "link"),
        3: (3, "hashtag"),
        4: (4, "text"),
        5: (None, None),
        6: (None, None),
    }
    assert kept[1].link == "https://vk.com/wall-1001_1"
    assert sums == {material: 100 * material for material in (1, 2, 3, 4)}  # the server's own views


def test_a_material_given_its_hashtag_later_claims_the_posts_already_kept(store, apis, httpserver, monkeypatch):
    from datetime import datetime as moment

    from data_access import content_plan
    from data_access.auth import Actor
    from data_access.clock import CITY_TIMEZONE
    from data_access.content_plan import Material

    planned = moment.fromtimestamp(NOW - 2 * DAY_SECONDS, CITY_TIMEZONE).replace(tzinfo=None, second=0, microsecond=0)
    monkeypatch.setitem(WALLS, 1001, [{**_post(1, 1.5, 100, 1, 0, 0), "text": "Наши новости #ЗимаНСК"}])
    collect.collect(store, _settings(httpserver), DAY, ["vk"], sleep=_no_sleep)
    editor = Actor("alekseeva", "Алексеева Н.", "editor")
    item_id = content_plan.create_material(
        store, editor, Material(title="Зима", publish_at=planned, status="ready", page_ids=(1,))
    )

    def claimed():
        with store.connect() as connection:
            return connection.execute(text("SELECT material_id, match_rule FROM posts WHERE page_id = 1")).one()

    assert tuple(claimed()) == (None, None)
    with store.connect() as connection:
        version = connection.execute(text("SELECT version FROM content_items WHERE id = :id"), {"id": item_id}).scalar()
    content_plan.update_material(
        store,
        editor,
        item_id,
        version,
        Material(title="Зима", publish_at=planned, status="ready", page_ids=(1,), hashtag="#ЗимаНСК"),
    )
    assert tuple(claimed()) == (item_id, "hashtag")  # no new collection needed


def test_max_keeps_its_own_documented_pace_and_the_others_collect_rps():
    from data_access.config import load_settings

    settings = load_settings(environ={"GOSPUBLIKI_COLLECT_RPS": "2", "GOSPUBLIKI_MAX_RPS": "20"}, secrets={})
    assert (settings.collect_rps, settings.max_rps) == (2.0, 20.0)
    assert load_settings(environ={}, secrets={}).max_rps == 25.0  # below MAX's documented 30 requests a second
    for platform, rate in (("vk", 2.0), ("ok", 2.0), ("telegram", 2.0), ("max", 20.0)):
        assert collect._collector(platform, settings, _no_sleep).client.limiter.rate == rate
