"""Load test: N concurrent real websocket sessions navigate every page of one app instance for a
while; reports errors and latency percentiles (time from a page request to its script finishing).

    .venv/bin/python -m bench.load --sessions 20 --seconds 60              # demo region, started here
    .venv/bin/python -m bench.load --url http://127.0.0.1:8501 --sessions 20 # an instance already running

Each session speaks Streamlit's own protocol (the BackMsg/ForwardMsg protobufs over
/_stcore/stream), like a browser tab, so the server does exactly the work a person would cause.
Only loopback addresses are used; the loop is bounded in time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import defaultdict
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import update_results  # noqa: E402
from tests.support import MAIN_SCREENS as PAGES  # noqa: E402


async def _run_page(socket, path: str, query: str = "") -> tuple[float, bool]:
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = path
    started = time.perf_counter()
    await socket.send(message.SerializeToString())
    failed = False
    while True:
        reply = ForwardMsg()
        reply.ParseFromString(await socket.recv())
        kind = reply.WhichOneof("type")
        if (
            kind == "delta"
            and reply.delta.WhichOneof("type") == "new_element"
            and reply.delta.new_element.WhichOneof("type") == "exception"
        ):
            failed = True
        if kind == "script_finished":
            if reply.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return (
                    time.perf_counter() - started,
                    failed or reply.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
                )


async def _session(url: str, until: float, latencies: dict, errors: list, index: int) -> None:
    host = url.split("://", 1)[1]
    # The route cookie keeps a session on one instance behind nginx (deploy/nginx/gospubliki.conf).
    headers = {"Origin": url, "Cookie": f"gospubliki_route=load-{index}"}
    async with websockets.connect(
        f"ws://{host}/_stcore/stream",
        subprotocols=["streamlit"],
        additional_headers=headers,
        max_size=None,
        open_timeout=30,
    ) as socket:
        order = list(PAGES.items())
        step = index  # sessions start on different pages
        while time.perf_counter() < until:
            title, path = order[step % len(order)]
            step += 1
            try:
                seconds, failed = await asyncio.wait_for(_run_page(socket, path), timeout=120)
            except (TimeoutError, websockets.ConnectionClosed) as error:
                errors.append(f"{title}: {type(error).__name__}")
                return
            latencies[title].append(seconds)
            if failed:
                errors.append(f"{title}: исключение на странице")


async def _load(url: str, sessions: int, seconds: float) -> tuple[dict, list]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(_session(url, until, latencies, errors, index) for index in range(sessions)))
    return latencies, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(latencies: dict, errors: list, sessions: int, seconds: float) -> str:
    lines = [
        f"## Нагрузка: {sessions} одновременных сессий, {seconds:.0f} с, все страницы по кругу",
        "",
        "| страница | прогонов | p50, мс | p90, мс | p99, мс | макс., мс |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    everything = []
    for title in PAGES:
        values = latencies.get(title, [])
        everything += values
        if values:
            lines.append(
                f"| {title} | {len(values)} | {percentile(values, 0.5) * 1000:.0f} | "
                f"{percentile(values, 0.9) * 1000:.0f} | {percentile(values, 0.99) * 1000:.0f} | "
                f"{max(values) * 1000:.0f} |"
            )
    if everything:
        lines.append(
            f"| **все** | {len(everything)} | {percentile(everything, 0.5) * 1000:.0f} | "
            f"{percentile(everything, 0.9) * 1000:.0f} | {percentile(everything, 0.99) * 1000:.0f} | "
            f"{max(everything) * 1000:.0f} |"
        )
    lines += [
        "",
        f"Ошибок: {len(errors)}"
        + (f" ({'; '.join(errors[:5])})" if errors else "")
        + f"; пропускная способность {len(everything) / seconds:.1f} прогонов страниц в секунду.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="адрес запущенного приложения (по умолчанию запускается своё на демо-области)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--scale",
        choices=["city", "region"],
        default="region",
        help="данные запускаемого приложения: город или область (по умолчанию область)",
    )
    args = parser.parse_args()
    server = None
    url = args.url
    if not url:
        from bench.run import build_stores
        from tests.support import start_app

        store = build_stores()[1 if args.scale == "region" else 0]
        server = start_app(store.url, ROOT / "bench" / "out" / "load.log")
        url = server.url
    try:
        latencies, errors = asyncio.run(_load(url, args.sessions, args.seconds))
    finally:
        if server is not None:
            from tests.support import stop_app

            stop_app(server)
    text = report(latencies, errors, args.sessions, args.seconds)
    from bench.run import commit, machine

    where = "область" if args.scale == "region" else "город"
    text = text.replace(
        "## Нагрузка:",
        f"## Нагрузка ({where}, один экземпляр без nginx, коммит {commit()}, {time.strftime('%Y-%m-%d')}; "
        f"{machine()}):",
        1,
    )
    print(text)
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "out" / f"load-{args.scale}.md").write_text(text + "\n", encoding="utf-8")
    update_results(f"load:{args.scale}", text)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
