"""Benchmark of the collectors: every page of the region demo (3465 pages) collected from a local
server that answers like the VK, OK, Telegram and MAX APIs with a real API's latency, at the
default pace (3 requests a second per platform, 25 for MAX), VK's posts step included (execute with 25
wall.get calls a request). Writes its section of bench/RESULTS.md.

    .venv/bin/python -m bench.collect      # needs bench/out/region.sqlite3 (bench.run or bench.report builds it)
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import sys
import threading
import time
from datetime import date
from pathlib import Path

from werkzeug import Request, Response
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import update_results  # noqa: E402
from bench.run import OUT, build_stores, commit, machine  # noqa: E402

LATENCY_SECONDS = 0.08
# Every post of the fake walls: a paragraph as long as a real institution's post.
POST_TEXT = (
    "Сегодня в нашем учреждении прошёл открытый урок для родителей. Дети показали, чему научились за "
    "четверть, а педагоги рассказали о планах на зимние каникулы. Спасибо всем, кто пришёл!"
)
TARGET_SECONDS = 120


def _count(name: str) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest()[:4], 16) % 900 + 50


@Request.application
def fake_api(request: Request) -> Response:
    """Answers like the four APIs (shapes as documented), after a real API's latency."""
    time.sleep(LATENCY_SECONDS)
    path = request.path
    if path.endswith("/execute"):  # the posts step: one wall of 30 posts per wall.get call in the script
        owners = re.findall(r'"owner_id":(-?\d+)', request.values["code"])
        now = int(time.time())
        body = {
            "response": [
                {
                    "count": 30,
                    "items": [
                        {
                            "id": number + 1,
                            "owner_id": int(owner),
                            "date": now - number * 40_000,
                            "text": POST_TEXT,
                            "views": {"count": 400},
                            "likes": {"count": 12},
                            "comments": {"count": 2},
                            "reposts": {"count": 1},
                        }
                        for number in range(30)
                    ],
                }
                for owner in owners
            ]
        }
    elif path.endswith("/groups.getById"):
        names = request.values["group_ids"].split(",")
        body = {
            "response": [
                {"id": index, "screen_name": name, "members_count": _count(name)} for index, name in enumerate(names, 1)
            ]
        }
    elif path.endswith("/fb.do"):
        if request.values["method"] == "url.getInfo":
            body = {
                "type": "GROUP",
                "objectId": int(hashlib.sha256(request.values["url"].encode()).hexdigest()[:12], 16),
            }
        else:
            body = [{"uid": uid, "members_count": _count(uid)} for uid in request.values["uids"].split(",")]
    elif path.endswith("/getChatMemberCount"):
        body = {"ok": True, "result": _count(request.values["chat_id"])}
    else:
        body = {"chat_id": 1, "type": "chat", "status": "active", "participants_count": _count(path)}
    return Response(json.dumps(body), content_type="application/json")


def _text(engine, settings, run, seconds: float) -> str:
    """The «Сбор цифр с площадок» section of bench/RESULTS.md."""
    from data_access.vocabulary import PLATFORMS

    lines = [
        f"## Сбор цифр с площадок (коммит {commit()}, {date.today():%Y-%m-%d})",
        "",
        f"{machine()}. Демо-область, локальный сервер, отвечающий как API площадок, с задержкой "
        f"{LATENCY_SECONDS * 1000:.0f} мс на ответ; темп по умолчанию — {settings.collect_rps:g} запроса в секунду "
        f"на площадку, MAX — {settings.max_rps:g} (его документация разрешает 30); площадки опрашиваются "
        "параллельно, Telegram и MAX — до 8 запросов разом в пределах своего темпа.",
        "",
        "| площадка | страниц | получено | публикации прочитаны | запросов | время |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for platform in run.platforms:
        walls = sum(wall.ok for wall in platform.walls) if platform.platform == "vk" else "—"
        lines.append(
            f"| {PLATFORMS[platform.platform]} | {len(platform.results)} | {len(platform.ok)} | {walls} | "
            f"{platform.requests} | {platform.seconds:.1f} с |"
        )
    from sqlalchemy import text as sql

    with engine.connect() as connection:
        kept, matched = connection.execute(sql("SELECT COUNT(*), COUNT(material_id) FROM posts")).one()
    lines += [
        "",
        f"Публикаций сохранено и сопоставлено с материалами контент-плана: {kept:,} (совпало с "
        f"материалами — {matched:,}).".replace(",", "\u00a0"),
    ]
    lines += [
        "",
        f"Весь прогон с записью ({run.written} цифр, затем измерения ВКонтакте; публикации ВКонтакте "
        f"читаются в потоке ВКонтакте, пока остальные площадки ещё считают): {seconds:.1f} с — "
        + ("в пределах цели 2 минуты." if seconds < TARGET_SECONDS else "**цель 2 минуты не достигнута**."),
    ]
    return "\n".join(lines)


def main() -> None:
    from data_access import collect, queries
    from data_access.config import Settings
    from data_access.engine import make_engine

    _city, region = build_stores()
    store = OUT / "collect.sqlite3"
    shutil.copyfile(region.url.removeprefix("sqlite:///"), store)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, fake_api, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    settings = Settings(
        vk_api_url=f"{base}/method",
        vk_token="bench",
        ok_api_url=base,
        ok_application_key="bench",
        ok_access_token="bench",
        ok_secret="bench",
        telegram_api_url=base,
        telegram_bot_token="bench",
        max_api_url=base,
        max_token="bench",
    )
    engine = make_engine(f"sqlite:///{store}")
    day = queries.data_as_of(engine)
    started = time.perf_counter()
    run = collect.collect(engine, settings, day)
    seconds = time.perf_counter() - started
    server.shutdown()
    text = _text(engine, settings, run, seconds)
    print(text)
    update_results("collect", text)


if __name__ == "__main__":
    main()
