"""One collection run: every active page of the configured platforms asked for today's count, the
counts written through the upload write path as the «Сбор данных» system actor, one snapshot per
page per day (a second run the same day updates, never duplicates). Unless asked for counts only,
a second step reads the last posts of each counted VK page (cadence, engagement) — in VK's own
thread, while the other platforms are still counting — and they are kept with VK's «verified»
flag as the day's measurements in a transaction of their own after the counts are written, so
the step's failure never costs a count. Two runs never overlap."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select, text

from data_access import collectors, importers, measurements, wall_posts
from data_access.areas import Area
from data_access.auth import COMMAND_LINE, Actor
from data_access.collectors import Client, Result, Target, Wall
from data_access.config import Settings
from data_access.models import collection_runs, institutions, pages
from data_access.vocabulary import PLATFORMS, ROLE_ADMIN
from data_access.writes import StaleRecord, change, require_role, utc_now

log = logging.getLogger(__name__)
COLLECTOR = Actor("collector", "Сбор данных", ROLE_ADMIN, "system")
LOCK_KEY = 620_0017


PLATFORM_BROKE = (
    "площадка ответила так, что прочитать ответ не удалось (подробности — в журнале сервера, без "
    "токенов); остальные площадки собраны"
)


class AlreadyRunning(Exception):
    """Another collection run holds the lock."""


class NotConfigured(Exception):
    """No platform has what it needs (or a platform was asked for that is not configured)."""


@dataclass
class PlatformRun:
    platform: str
    skipped: str = ""  # why the platform was not asked (no token)
    failed: str = ""  # why it stopped (a rejected token)
    results: list[Result] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    collector: Any = field(default=None, repr=False)  # the platform's collector (collectors.py) once asked
    walls: list[Wall] = field(default_factory=list)  # VK: the posts step
    walls_failed: str = ""  # why the posts step stopped

    @property
    def ok(self) -> list[Result]:
        return [result for result in self.results if result.ok]


@dataclass
class Run:
    day: date
    platforms: list[PlatformRun]
    written: int = 0
    dry_run: bool = False
    checks_changed: int = 0  # checklist cells the measurements settled

    @property
    def collected(self) -> int:
        return sum(len(platform.ok) for platform in self.platforms)


# The settings each platform needs (named in command-line messages; the screen says it in words).
SETTING_NAMES = {
    "vk": "vk_token",
    "ok": "ok_application_key, ok_access_token, ok_secret",
    "telegram": "telegram_bot_token",
    "max": "max_token",
}


def configured(settings: Settings) -> dict[str, str]:
    """platform -> «» when it can be collected, else the reason it cannot (never a secret)."""
    return {
        "vk": "" if settings.vk_token else "не задан токен ВКонтакте",
        "ok": ""
        if settings.ok_application_key and settings.ok_access_token and settings.ok_secret
        else "не заданы ключи приложения Одноклассников",
        "telegram": "" if settings.telegram_bot_token else "не задан токен бота Telegram",
        "max": "" if settings.max_token else "не задан токен бота MAX",
    }


def missing_text(platform: str, reason: str) -> str:
    """A reason with the setting to fill in, for the command line and the logs."""
    return f"{reason} (настройка {SETTING_NAMES[platform]})"


def _collector(platform: str, settings: Settings, sleep: Callable[[float], None]):
    secrets = (
        settings.vk_token,
        settings.ok_access_token,
        settings.ok_secret,
        settings.ok_application_key,
        settings.telegram_bot_token,
        settings.max_token,
    )
    client = Client(settings.max_rps if platform == "max" else settings.collect_rps, secrets, sleep)
    if platform == "vk":
        return collectors.VkCollector(client, settings.vk_api_url, settings.vk_token, settings.vk_api_version)
    if platform == "ok":
        return collectors.OkCollector(
            client, settings.ok_api_url, settings.ok_application_key, settings.ok_access_token, settings.ok_secret
        )
    if platform == "telegram":
        return collectors.TelegramCollector(client, settings.telegram_api_url, settings.telegram_bot_token)
    return collectors.MaxCollector(client, settings.max_api_url, settings.max_token)


def active_targets(engine: Engine, platform: str) -> list[Target]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(pages.c.id, pages.c.url)
            .select_from(pages.join(institutions, institutions.c.id == pages.c.institution_id))
            .where(pages.c.platform == platform, pages.c.retired_at.is_(None), institutions.c.retired_at.is_(None))
            .order_by(pages.c.id)
        ).all()
    return [Target(page_id, url) for page_id, url in rows]


@contextmanager
def run_lock(engine: Engine) -> Iterator[None]:
    """One run at a time: an advisory lock on PostgreSQL (held by a connection for the run), a
    file lock beside the SQLite file (or in the temp folder for one in memory)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar():
                raise AlreadyRunning("Сбор уже идёт (его запустили в другом окне или по расписанию).")
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                connection.commit()
        return
    database = engine.url.database or ""
    if database and database != ":memory:":
        path = Path(database).with_suffix(".collect.lock")
    else:
        digest = hashlib.sha256(str(engine.url).encode()).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"gospubliki-collect-{digest}.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning("Сбор уже идёт (его запустили в другом окне или по расписанию).") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def collect(
    engine: Engine,
    settings: Settings,
    day: date,
    platforms: list[str] | None = None,
    dry_run: bool = False,
    progress: Callable[[float, str], None] | None = None,
    sleep: Callable[[float], None] | None = None,
    actor: Actor = COMMAND_LINE,
    counts_only: bool = False,
) -> Run:
    """Collect and (unless `dry_run`) write today's counts, then (unless `counts_only`) VK's posts
    step; every run is recorded (collection_runs and the audit log, in the name of `actor`, who
    must be an administrator). NotConfigured when nothing can be asked; AlreadyRunning when another
    run holds the lock."""
    import time

    require_role(engine, actor, ROLE_ADMIN, "сбор цифр с площадок")
    started_at = utc_now()
    status = configured(settings)
    wanted = platforms or list(PLATFORMS)
    _refuse_unconfigured(status, platforms, wanted)
    run = Run(day, [], dry_run=dry_run)
    report = progress or (lambda _share, _text: None)

    def one(platform: str) -> PlatformRun:
        return _ask(engine, settings, platform, status[platform], sleep or time.sleep, counts_only)

    with run_lock(engine):
        # The platforms side by side: each keeps its own pace, none waits for another's. Progress
        # is told from this thread only (a Streamlit progress bar cannot be drawn from a worker).
        report(0.0, "Опрашиваем площадки: " + ", ".join(PLATFORMS[platform] for platform in wanted))
        done: dict[str, PlatformRun] = {}
        with ThreadPoolExecutor(max_workers=len(wanted)) as pool:
            futures = {pool.submit(one, platform): platform for platform in wanted}
            for future in as_completed(futures):
                current = future.result()
                done[current.platform] = current
                report(len(done) / len(wanted), _progress_text(current))
        run.platforms = [done[platform] for platform in wanted]
        if not dry_run:
            _write(engine, settings, run)
        _record(engine, actor, run, started_at)
    return run


def _refuse_unconfigured(status: dict[str, str], platforms: list[str] | None, wanted: list[str]) -> None:
    """NotConfigured when a platform asked for by name lacks what it needs, or when none does."""
    if platforms:
        missing = [platform for platform in platforms if status.get(platform)]
        if missing:
            raise NotConfigured(
                "; ".join(f"{PLATFORMS[platform]}: {missing_text(platform, status[platform])}" for platform in missing)
            )
    elif all(status[platform] for platform in wanted):
        raise NotConfigured(
            "Ни одна площадка не настроена: "
            + "; ".join(f"{PLATFORMS[platform]} — {missing_text(platform, status[platform])}" for platform in wanted)
        )


def _ask(
    engine: Engine,
    settings: Settings,
    platform: str,
    missing: str,
    sleep: Callable[[float], None],
    counts_only: bool,
) -> PlatformRun:
    """One platform's counts (and, for VK, its posts step): a platform that fails gets its reason
    on every page and the run goes on."""
    import time

    if missing:
        return PlatformRun(platform, skipped=missing)
    targets = active_targets(engine, platform)
    collector = _collector(platform, settings, sleep)
    current = PlatformRun(platform, collector=collector)
    started = time.perf_counter()
    try:
        current.results = collector.collect(targets)
    except collectors.FatalError as error:
        current.failed = collector.client.redact(str(error))
        current.results = [Result(target.page_id, platform, reason=current.failed) for target in targets]
    except Exception:  # an answer nobody foresaw: this platform fails with a reason, the run goes on
        log.exception("%s: collection failed", platform)  # tokens redacted by collectors._Redact
        current.failed = PLATFORM_BROKE
        current.results = [Result(target.page_id, platform, reason=PLATFORM_BROKE) for target in targets]
    current.requests = collector.client.requests
    current.seconds = time.perf_counter() - started
    if platform == "vk" and current.ok and not counts_only:
        # Read while the other platforms are still counting; kept only after the counts are written.
        _read_walls(current)
    return current


def _progress_text(current: PlatformRun) -> str:
    label = PLATFORMS[current.platform]
    if current.skipped:
        return f"{label}: пропущено — {current.skipped}"
    walls = f", публикации прочитаны у {sum(wall.ok for wall in current.walls)}" if current.walls else ""
    return f"{label}: получено {len(current.ok)} из {len(current.results)}{walls}"


def _write(engine: Engine, settings: Settings, run: Run) -> None:
    """Write the run's counts as an import, then what VK measured and the posts it read."""
    day = run.day
    counts = [
        (result.page_id, day, result.subscribers)
        for platform in run.platforms
        for result in platform.ok
        if result.subscribers is not None
    ]
    if counts:
        plan = importers.plan_counts(engine, counts, f"сбор {day:%d.%m.%Y}", settings)
        importers.apply_subscribers(engine, COLLECTOR, plan, confirm_suspicious=True)
        run.written = len(plan.new) + len(plan.updated)
    vk = next((platform for platform in run.platforms if platform.platform == "vk" and platform.ok), None)
    if vk is None:
        return
    try:
        run.checks_changed = measurements.save(engine, COLLECTOR, day, utc_now(), _measured(vk))
    except StaleRecord:
        # An editor saved one of the settled cells this very moment: read the versions again.
        run.checks_changed = measurements.save(engine, COLLECTOR, day, utc_now(), _measured(vk))
    try:  # the posts themselves, matched to the newsroom's materials; never at a count's cost
        wall_posts.save(engine, COLLECTOR, [wall for wall in vk.walls if wall.ok], utc_now())
    except Exception:
        log.exception("VK posts could not be kept")


def _read_walls(vk: PlatformRun) -> None:
    """The posts step: never raises (a failure here must not cost a count), says why it stopped."""
    import time

    started = time.perf_counter()
    before = vk.collector.client.requests
    pages = [(result.page_id, result.group_id) for result in vk.ok if result.group_id]
    try:
        vk.walls = vk.collector.walls(pages, utc_now())
    except collectors.FatalError as error:
        vk.walls_failed = vk.collector.client.redact(str(error))
    except Exception:  # whatever happens here, the counts stay written and the run is recorded
        log.exception("VK posts step failed")
        vk.walls_failed = "публикации не прочитаны из-за внутренней ошибки (подробности — в журнале сервера)"
    vk.requests += vk.collector.client.requests - before
    vk.seconds += time.perf_counter() - started


def _measured(vk: PlatformRun) -> list[measurements.Measurement]:
    """The day's measurement of every counted VK page: its flag, and its posts where they were read."""
    walls = {wall.page_id: wall for wall in vk.walls if wall.ok}
    posts = [name for name in measurements.MEASURED_FIELDS if name not in measurements.FLAG_FIELDS]
    return [
        measurements.Measurement(
            result.page_id,
            verified=result.verified,
            government_mark=result.government_mark,
            trust_mark=result.trust_mark,
            **{name: getattr(walls[result.page_id], name) for name in posts} if result.page_id in walls else {},
        )
        for result in vk.ok
    ]


def _record(engine: Engine, actor: Actor, run: Run, started_at) -> None:
    failures = [
        {"page_id": result.page_id, "platform": result.platform, "reason": result.reason}
        for platform in run.platforms
        for result in platform.results
        if not result.ok
    ]
    platforms = [
        {
            "platform": platform.platform,
            "skipped": platform.skipped,
            "failed": platform.failed,
            "pages": len(platform.results),
            "ok": len(platform.ok),
            "requests": platform.requests,
            "seconds": round(platform.seconds, 1),
            "walls": len(platform.walls),
            "walls_ok": sum(wall.ok for wall in platform.walls),
            "walls_failed": platform.walls_failed,
        }
        for platform in run.platforms
    ]
    with change(engine, actor, ROLE_ADMIN, "сбор цифр с площадок", [Area.COLLECT]) as current:
        run_id = current.connection.execute(
            collection_runs.insert()
            .values(
                started_at=started_at,
                finished_at=utc_now(),
                actor=actor.label[:200],
                day=run.day,
                dry_run=run.dry_run,
                pages_ok=run.collected,
                pages_failed=len(failures),
                written=run.written,
                platforms=json.dumps(platforms, ensure_ascii=False),
                failures=json.dumps(failures, ensure_ascii=False),
            )
            .returning(collection_runs.c.id)
        ).scalar_one()
        current.audit(
            "collect",
            "collection",
            run_id,
            None,
            {
                "day": run.day.isoformat(),
                "dry_run": run.dry_run,
                "ok": run.collected,
                "failed": len(failures),
                "written": run.written,
                "checklist_changed": run.checks_changed,
            },
        )


def recent_runs(engine: Engine, limit: int = 20) -> pd.DataFrame:
    """The latest collection runs, newest first (platform summaries and failures as parsed JSON)."""
    with engine.connect() as connection:
        rows = (
            connection.execute(
                select(collection_runs)
                .order_by(collection_runs.c.started_at.desc(), collection_runs.c.id.desc())
                .limit(limit)
            )
            .mappings()
            .all()
        )
    frame = pd.DataFrame([dict(row) for row in rows], columns=[column.name for column in collection_runs.columns])
    frame["platforms"] = [json.loads(value) for value in frame["platforms"]]
    frame["failures"] = [json.loads(value) for value in frame["failures"]]
    return frame
