"""Benchmark: does signing in stall other people's saves? 16 threads try to sign in as fast as the
app lets them — half with unknown logins, half guessing a real account's password (each attempt
hashes a password, ≈0.1 s of scrypt, and a failure costs its 1 s pause, as in the app) — while an
editor saves a change through the one write path; the editor's save time is compared with the
same saves on a quiet store, in one run, on SQLite. Writes its section of bench/RESULTS.md.

    .venv/bin/python -m bench.sign_in
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import update_results  # noqa: E402
from bench.run import commit, machine  # noqa: E402
from data_access import accounts, auth, schema  # noqa: E402
from data_access.auth import Actor, LoginFailed  # noqa: E402
from data_access.engine import make_engine  # noqa: E402
from data_access.models import users  # noqa: E402
from data_access.writes import change  # noqa: E402

LOOPS = 16
SAVES = 200
ADMIN = Actor("bench", "Замер", "admin", "cli")


def _save(engine, number: int) -> float:
    """One editor's save through writes.change (role check, audit row, revision): seconds."""
    started = time.perf_counter()
    with change(engine, ADMIN, "editor", "замер", ["users"]) as current:
        current.connection.execute(
            users.update().where(users.c.login == "editor").values(display_name=f"Редактор {number}")
        )
    return time.perf_counter() - started


def _saves(engine) -> list[float]:
    """SAVES saves, one every 50 ms as a person clicks (the same pauses quiet and under load)."""
    times = []
    for number in range(SAVES):
        times.append(_save(engine, number))
        time.sleep(0.05)
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite3")
        schema.upgrade(engine)
        accounts.create_user(engine, ADMIN, accounts.NewUser("editor", "editor", password="editor-password-1"))
        accounts.create_user(engine, ADMIN, accounts.NewUser("target", "viewer", password="target-password-1"))
        quiet = _saves(engine)
        stop = threading.Event()
        attempts = [0] * LOOPS

        def hammer(index: int) -> None:
            while not stop.is_set():
                try:
                    auth.authenticate(engine, f"nobody-{index}" if index % 2 else "target", f"guess-{attempts[index]}")
                except LoginFailed:
                    attempts[index] += 1

        threads = [threading.Thread(target=hammer, args=(index,), daemon=True) for index in range(LOOPS)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        started = time.perf_counter()
        loaded = _saves(engine)
        seconds = time.perf_counter() - started
        stop.set()
        for thread in threads:
            thread.join(10)
        engine.dispose()
    ms = 1000
    text = "\n".join(
        [
            "## Вход под нагрузкой: сохранение редактора, пока 16 потоков подбирают пароли (`python -m bench.sign_in`)",
            "",
            f"Коммит {commit()}, {machine()}, SQLite. {LOOPS} потоков без остановки пытаются войти: половина — под "
            "несуществующими логинами, половина подбирает пароль настоящей записи (каждая попытка — хеш scrypt и, "
            f"как в приложении, секундная пауза после неудачи), за {seconds:.0f} с — {sum(attempts)} попыток; редактор "
            f"тем временем {SAVES} раз сохраняет правку через `writes.change`. Тихо — те же сохранения без "
            "входов, в том же прогоне.",
            "",
            "| сохранение редактора | медиана, мс | p95, мс |",
            "|---|---:|---:|",
            f"| тихо | {statistics.median(quiet) * ms:.1f} | {_p95(quiet) * ms:.1f} |",
            f"| под {LOOPS} потоками входа | {statistics.median(loaded) * ms:.1f} | {_p95(loaded) * ms:.1f} |",
            f"| отношение | {statistics.median(loaded) / statistics.median(quiet):.2f} | "
            f"{_p95(loaded) / _p95(quiet):.2f} |",
            "",
            "Пароль проверяется до того, как открывается пишущая транзакция; в ней — только счётчик неудач и строка "
            "журнала, а неизвестный логин не пишет ничего. Цель — p95 под нагрузкой не больше трёх тихих.",
        ]
    )
    update_results("sign_in", text)
    print(text)


if __name__ == "__main__":
    main()
