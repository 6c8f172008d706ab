"""Load through the real nginx: 1 and then 2 app instances (scripts/serve.sh) on one PostgreSQL
with the demo city, in one run; and a planning meeting on «Контент-план».

    .venv/bin/python -m bench.proxy                 # ≈ 6 minutes; writes its section of bench/RESULTS.md
    .venv/bin/python -m bench.proxy --seconds 30    # shorter saturation runs
    .venv/bin/python -m bench.proxy --baseline none # without the old code's instance

The old code (--baseline, by default the last commit before the rerun work of issue #18) is
checked out into bench/out/ with `git worktree` and measured first, one instance on its own copy of
the demo city, with the same script and the same machine: the ratio of runs per second is then
from one run, not from two days.

Saturation: 20 sessions navigate every page without pause for --seconds against each setup. The
planning meeting: 15 sessions open «Контент-план» within 5 s, then each switches the view every
10 s for two minutes; its p95 is compared with one session's warm «Контент-план» measured in the
same run. The load generator is this process (asyncio, Streamlit's own protocol over WebSockets);
its CPU time is reported, so that it is seen not to be what limits the server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import update_results  # noqa: E402
from bench.load import _load, _run_page, percentile  # noqa: E402
from bench.run import commit, machine  # noqa: E402
from tests.support import PostgresServer, free_port  # noqa: E402

CALENDAR = "calendar"
# The code as it was before reruns reused their work (issue #18 was measured against it).
BASELINE = "db686d5"
MEETING_SESSIONS = 15
MEETING_SECONDS = 120
MEETING_STEP = 10


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _checkout(revision: str) -> Path:
    """A work tree of `revision` under bench/out/ (made once, reused)."""
    tree = ROOT / "bench" / "out" / f"baseline-{revision}"
    if not tree.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--force", str(tree), revision],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return tree


def _serve(database_url: str, instances: int, log: Path, tree: Path = ROOT) -> tuple[subprocess.Popen, str]:
    port, first = free_port(), free_port()
    while abs(first - port) <= instances:
        first = free_port()
    process = subprocess.Popen(
        [
            str(tree / "scripts" / "serve.sh"),
            "--instances",
            str(instances),
            "--port",
            str(port),
            "--first-port",
            str(first),
        ],
        cwd=tree,
        env={**os.environ, "DATABASE_URL": database_url, "VENV": str(ROOT / ".venv")},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return process, url
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"serve.sh did not start, see {log}")
        time.sleep(0.5)


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


async def _warm_up(url: str, sessions: int) -> None:
    """Every page once per route, so that the measured minute starts with warm caches everywhere."""
    await _load(url, sessions, 1.0)


async def _one_session_calendar(url: str, repeat: int = 7) -> float:
    host = url.split("://", 1)[1]
    async with websockets.connect(
        f"ws://{host}/_stcore/stream",
        subprotocols=["streamlit"],
        additional_headers={"Origin": url, "Cookie": "gospubliki_route=single"},
        max_size=None,
        open_timeout=30,
    ) as socket:
        await _run_page(socket, CALENDAR)
        timings = [(await _run_page(socket, CALENDAR))[0] for _ in range(repeat)]
    return statistics.median(timings)


async def _meeting(url: str) -> tuple[list[float], int]:
    """15 people open the calendar within 5 s, then each acts every 10 s for two minutes."""
    host = url.split("://", 1)[1]
    latencies: list[float] = []
    errors = 0
    views = ["Две недели", "Месяц", "Таблица"]

    async def person(index: int) -> None:
        nonlocal errors
        await asyncio.sleep(random.Random(index).uniform(0, 5))
        async with websockets.connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers={"Origin": url, "Cookie": f"gospubliki_route=meeting-{index}"},
            max_size=None,
            open_timeout=30,
        ) as socket:
            started = time.perf_counter()
            step = 0
            while time.perf_counter() - started < MEETING_SECONDS:
                query = f"calendar_view={views[step % len(views)]}" if step else ""
                try:
                    seconds, failed = await asyncio.wait_for(_run_page(socket, CALENDAR, query), timeout=120)
                except (TimeoutError, websockets.ConnectionClosed):
                    errors += 1
                    return
                latencies.append(seconds)
                errors += failed
                step += 1
                await asyncio.sleep(max(0.0, MEETING_STEP - seconds))

    await asyncio.gather(*(person(index) for index in range(MEETING_SESSIONS)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--baseline",
        default=BASELINE,
        help=f"коммит старого кода для сравнения одного экземпляра (по умолчанию {BASELINE}; none — без него)",
    )
    args = parser.parse_args()
    baseline = (
        None
        if args.baseline == "none"
        else subprocess.run(
            ["git", "rev-parse", "--short", args.baseline], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    server = PostgresServer.start()
    try:
        print("… демо-город в PostgreSQL", flush=True)
        database_url = _demo_city(server, "bench_proxy", ROOT)
        setups = [(instances, commit(), ROOT, database_url) for instances in (1, 2)]
        if baseline:
            tree = _checkout(baseline)
            print(f"… старый код ({baseline}) и его демо-город", flush=True)
            setups.insert(0, (1, baseline, tree, _demo_city(server, "bench_proxy_baseline", tree)))
        rows, meeting = [], {}
        for setup in setups:
            row, found = _measure(setup, args, out)
            rows.append(row)
            meeting.update(found)
    finally:
        server.stop()
    old = rows.pop(0) if baseline else None
    text = _text(args, old, rows, **meeting).replace("%", " %")
    print(text)
    update_results("proxy", text)


def _demo_city(server: PostgresServer, name: str, tree: Path) -> str:
    """A new database `name` on `server` with the demo city seeded by the code in `tree`; its URL."""
    import psycopg

    with psycopg.connect(server.admin_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # a fixed name of this script's own
    url = server.url(name)
    subprocess.run(
        [sys.executable, "-m", "data_access", "seed"],
        env={**os.environ, "DATABASE_URL": url},
        cwd=tree,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return url


def _measure(setup: tuple, args: argparse.Namespace, out: Path) -> tuple[dict, dict]:
    """One setup (instances, code, tree, store) under load behind nginx: its row, and — for one
    instance of the current code — the planning meeting and one session's «Контент-план»."""
    instances, code, tree, url_of_store = setup
    print(f"… {instances} экз. ({code}): {args.sessions} сессий, {args.seconds:.0f} с", flush=True)
    process, url = _serve(url_of_store, instances, out / f"serve-{code}-{instances}.log", tree)
    try:
        asyncio.run(_warm_up(url, args.sessions))
        cpu, started = _cpu(), time.perf_counter()
        latencies, errors = asyncio.run(_load(url, args.sessions, args.seconds))
        wall, used = time.perf_counter() - started, _cpu() - cpu
        runs = [value for values in latencies.values() for value in values]
        row = {
            "instances": instances,
            "code": code,
            "runs": len(runs),
            "rate": len(runs) / wall,
            "p50": percentile(runs, 0.5),
            "p95": percentile(runs, 0.95),
            "errors": len(errors),
            "cpu": used / wall,
        }
        found = {}
        if instances == 1 and tree == ROOT:
            found["single"] = asyncio.run(_one_session_calendar(url))
            found["meeting"], found["meeting_errors"] = asyncio.run(_meeting(url))
        return row, found
    finally:
        _stop(process)


def _text(
    args: argparse.Namespace, old: dict | None, rows: list[dict], single: float, meeting: list, meeting_errors: int
) -> str:
    """The «Через nginx» section of bench/RESULTS.md."""
    one, two = rows
    lines = [
        f"## Через nginx: 1 и 2 экземпляра (коммит {commit()}, {time.strftime('%Y-%m-%d')})",
        "",
        f"{machine()}. Демо-город в PostgreSQL, `scripts/serve.sh`, настоящий nginx; {args.sessions} сессий "
        f"без пауз, {args.seconds:.0f} с на каждую установку, все страницы по кругу; генератор нагрузки — "
        "отдельный процесс (его процессорное время — в последнем столбце, доля одного ядра).",
        "",
        "| код | экземпляров | прогонов страниц | в секунду | p50, мс | p95, мс | ошибок | ЦП генератора |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in ([old] if old else []) + rows:
        lines.append(
            f"| {row['code']}{' (старый)' if row is old else ''} | {row['instances']} | {row['runs']} | "
            f"{row['rate']:.2f} | {row['p50'] * 1000:.0f} | {row['p95'] * 1000:.0f} | {row['errors']} | "
            f"{row['cpu']:.0%} |"
        )
    p95 = percentile(meeting, 0.95) if meeting else float("nan")
    lines += [""]
    if old:
        lines += [
            f"Один экземпляр, нынешний код / старый ({old['code']}): **{one['rate'] / old['rate']:.2f}×** "
            "прогонов в секунду"
            + (" (цель ≥ 4×: столько дала работа над перезапусками)." if old["code"] == BASELINE[:7] else "."),
            "",
        ]
    lines += [
        f"Два экземпляра / один: **{two['rate'] / one['rate']:.2f}×** прогонов в секунду (цель ≥ 1,7×).",
        "",
        f"Планёрка (один экземпляр): {MEETING_SESSIONS} сессий открывают «Контент-план» за 5 с, затем каждая "
        f"меняет вид раз в {MEETING_STEP} с две минуты: {len(meeting)} прогонов, ошибок {meeting_errors}, "
        f"p50 {percentile(meeting, 0.5) * 1000:.0f} мс, p95 {p95 * 1000:.0f} мс; одна сессия, тёплый "
        f"«Контент-план» — {single * 1000:.0f} мс; p95 / одна сессия = **{p95 / single:.2f}×** (цель ≤ 3×).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
