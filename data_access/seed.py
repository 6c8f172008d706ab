"""Load reference data (checklist items) and the generated demo city from seeds/ into the store."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from data_access import clock, rollup
from data_access.engine import bulk_insert, reset_sequences, write_transaction
from data_access.models import (
    checklist_items,
    city_dates,
    content_item_categories,
    content_item_pages,
    content_items,
    institutions,
    page_checks,
    page_measurements,
    pages,
    store_info,
    subscriber_snapshots,
    utc_now,
)
from data_access.schema import upgrade
from data_access.writes import bump_revisions

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
DEMO_DIR = SEEDS_DIR / "demo"
CHECKLIST_FILE = SEEDS_DIR / "checklist_items.csv"
CITY_DATES_FILE = SEEDS_DIR / "city_dates.csv"
DATA_AREAS = ("registry", "subscribers", "checklist", "calendar", "users", "measurements")
SEED_ACTOR = "seed"


class SeedRefused(Exception):
    """The store already holds other data; demo data is loaded only into an empty store."""


@dataclass(frozen=True)
class SeedResult:
    loaded: bool
    message: str


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _none_if_empty(value: str) -> str | None:
    return value if value != "" else None


def _as_bool(value: str) -> bool:
    return value.strip().lower() == "true"


def _timestamp(value: str, shift: timedelta = timedelta(0)) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC) + shift


@dataclass(frozen=True)
class Placement:
    """Where the generated demo lands in time. Its files are dated around a fixed day (the
    generator's DEMO_AS_OF); loaded, the figures end yesterday and the content plan sits around
    this week (moved by whole weeks, so weekdays and weekends stay where they were), whatever
    day the demo is loaded on. The shape of the data does not change."""

    figures: timedelta
    content: timedelta

    @classmethod
    def for_day(cls, today: date, anchor: date) -> Placement:
        figures = (today - timedelta(days=1)) - anchor
        return cls(figures=figures, content=timedelta(days=figures.days // 7 * 7))


def _demo_placement(today: date | None) -> Placement:
    from seeds import generate

    return Placement.for_day(today or clock.today(), generate.DEMO_AS_OF)


def ensure_checklist_items(connection: Connection) -> int:
    """Load the current verification rules when the store has no checklist items yet."""
    existing = connection.execute(select(func.count()).select_from(checklist_items)).scalar_one()
    if existing:
        return 0
    rows = [
        {
            "code": row["code"],
            "title": row["title"],
            "description": row["description"],
            "is_required": _as_bool(row["is_required"]),
            "position": int(row["position"]),
            "updated_at": utc_now(),
            "updated_by": SEED_ACTOR,
            "version": 1,
        }
        for row in _rows(CHECKLIST_FILE)
    ]
    connection.execute(checklist_items.insert(), rows)
    bump_revisions(connection, "checklist")
    return len(rows)


def ensure_city_dates(connection: Connection) -> int:
    """Load the notable city dates when the store has none yet (editors add more in the app)."""
    if connection.execute(select(func.count()).select_from(city_dates)).scalar_one():
        return 0
    rows = [
        {"day": date.fromisoformat(row["day"]), "recurring": _as_bool(row["recurring"]), "title": row["title"],
         "note": _none_if_empty(row["note"]), "updated_at": utc_now(), "updated_by": SEED_ACTOR, "version": 1}
        for row in _rows(CITY_DATES_FILE)
    ]
    connection.execute(city_dates.insert(), rows)
    bump_revisions(connection, "calendar")
    return len(rows)


def initialise(engine: Engine) -> None:
    """Migrate to the current schema and load the reference data (checklist items, city dates)."""
    upgrade(engine)
    with write_transaction(engine) as connection:
        ensure_checklist_items(connection)
        ensure_city_dates(connection)


def _snapshots(path: Path, shift: timedelta) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for page_id, day, subscribers in reader:
            yield {"page_id": int(page_id), "day": date.fromisoformat(day) + shift, "subscribers": int(subscribers)}


def _material(row: dict, shift: timedelta, now: datetime) -> dict:
    return {
        "id": int(row["id"]), "title": row["title"], "rubric": _none_if_empty(row["rubric"]), "format": row["format"],
        "publish_at": datetime.fromisoformat(row["publish_at"]) + shift if row["publish_at"] else None,
        "deadline": date.fromisoformat(row["deadline"]) + shift if row["deadline"] else None,
        "status": row["status"], "editor": _none_if_empty(row["editor"]), "notes": _none_if_empty(row["notes"]),
        "created_at": now, "created_by": SEED_ACTOR, "updated_at": now, "updated_by": SEED_ACTOR, "version": 1,
    }


def _check(row: dict, item_ids: dict[str, int], shift: timedelta) -> dict:
    return {"page_id": int(row["page_id"]), "item_id": item_ids[row["item_code"]], "state": row["state"],
            "note": _none_if_empty(row["note"]), "evidence_url": _none_if_empty(row["evidence_url"]),
            "updated_at": _timestamp(row["updated_at"], shift), "updated_by": row["updated_by"], "version": 1}


def _measurement(row: dict, shift: timedelta) -> dict:
    counts = {name: int(row[name]) for name in ("posts_7d", "posts_read", "views", "likes", "comments", "reposts")}
    return {"page_id": int(row["page_id"]), "day": date.fromisoformat(row["day"]) + shift,
            "measured_at": _timestamp(row["measured_at"], shift), "verified": _as_bool(row["verified"]), **counts}


def _audience_page(row: dict, shift: timedelta) -> dict:
    return {"item_id": int(row["item_id"]), "page_id": int(row["page_id"]),
            "published_at": _timestamp(row["published_at"], shift),
            "published_by": SEED_ACTOR if row["published_at"] else None}


def load_demo(engine: Engine, directory: Path = DEMO_DIR, today: date | None = None) -> SeedResult:
    """Load the demo city into an empty store, placed so that its figures end the day before
    `today` (default: today in Novosibirsk); a second run changes nothing."""
    initialise(engine)
    with write_transaction(engine) as connection:
        dataset = connection.execute(select(store_info.c.value).where(store_info.c.key == "dataset")).scalar()
        if dataset == "demo":
            return SeedResult(False, "Демо-данные уже загружены, ничего не изменено.")
        if connection.execute(select(func.count()).select_from(institutions)).scalar_one():
            raise SeedRefused(
                "В базе уже есть учреждения, демо-данные загружаются только в пустую базу. "
                "/ The store already holds institutions; demo data only goes into an empty store."
            )
        _load(connection, directory, _demo_placement(today))
    return SeedResult(True, "Демо-данные загружены.")


def _load(connection: Connection, directory: Path, placement: Placement) -> None:
    now = utc_now()
    connection.execute(
        institutions.insert(),
        [
            {
                "id": int(row["id"]),
                "code": row["code"],
                "name": row["name"],
                "short_name": row["short_name"],
                "category": row["category"],
                "district": row["district"],
                "address": _none_if_empty(row["address"]),
                "lat": float(row["lat"]) if row["lat"] else None,
                "lon": float(row["lon"]) if row["lon"] else None,
                "website": _none_if_empty(row["website"]),
                "created_at": now,
                "updated_at": now,
                "updated_by": SEED_ACTOR,
                "version": 1,
            }
            for row in _rows(directory / "institutions.csv")
        ],
    )
    connection.execute(
        pages.insert(),
        [
            {
                "id": int(row["id"]),
                "institution_id": int(row["institution_id"]),
                "platform": row["platform"],
                "url": row["url"],
                "is_flagship": _as_bool(row["is_flagship"]),
                "target_override": int(row["target_override"]) if row["target_override"] else None,
                "created_at": now,
                "updated_at": now,
                "updated_by": SEED_ACTOR,
                "version": 1,
            }
            for row in _rows(directory / "pages.csv")
        ],
    )
    bulk_insert(connection, subscriber_snapshots, _snapshots(directory / "subscribers.csv.gz", placement.figures))
    item_ids = dict(connection.execute(select(checklist_items.c.code, checklist_items.c.id)).all())
    connection.execute(page_checks.insert(), [
        _check(row, item_ids, placement.figures)
        for row in _rows(directory / "page_checks.csv") if row["item_code"] in item_ids])
    connection.execute(content_items.insert(), [
        _material(row, placement.content, now) for row in _rows(directory / "content_items.csv")])
    category_rows = [{"item_id": int(row["item_id"]), "category": row["category"]}
                     for row in _rows(directory / "content_item_categories.csv")]
    if category_rows:
        connection.execute(content_item_categories.insert(), category_rows)
    page_rows = [_audience_page(row, placement.content) for row in _rows(directory / "content_item_pages.csv")]
    if page_rows:
        connection.execute(content_item_pages.insert(), page_rows)
    measured = _rows(directory / "page_measurements.csv") if (directory / "page_measurements.csv").exists() else []
    if measured:
        connection.execute(page_measurements.insert(), [_measurement(row, placement.figures) for row in measured])

    reset_sequences(connection, [institutions, pages, content_items])
    rollup.rebuild(connection)
    connection.execute(
        store_info.insert(),
        [
            {"key": "dataset", "value": "demo"},
            {"key": "seeded_at", "value": now.isoformat(timespec="seconds")},
        ],
    )
    bump_revisions(connection, *DATA_AREAS)


def load_region(engine: Engine, progress: Callable[[str], None] | None = None,
                today: date | None = None) -> SeedResult:
    """Load the generated demo region (3465 pages, two years of daily figures) into an empty store."""
    import random

    from seeds import region

    report = progress or (lambda _text: None)
    initialise(engine)
    with write_transaction(engine) as connection:
        dataset = connection.execute(select(store_info.c.value).where(store_info.c.key == "dataset")).scalar()
        if dataset == "region-demo":
            return SeedResult(False, "Демо-данные области уже загружены, ничего не изменено.")
        if connection.execute(select(func.count()).select_from(institutions)).scalar_one():
            raise SeedRefused(
                "В базе уже есть учреждения, демо-данные области загружаются только в пустую базу. "
                "/ The store already holds institutions; demo data only goes into an empty store."
            )
        rng = random.Random(region.SEED)
        report("Учреждения и страницы…")
        institution_rows, page_rows = region.institutions_and_pages(rng)
        now = utc_now()
        connection.execute(institutions.insert(), [
            {key: value for key, value in row.items() if not key.startswith("_")}
            | {"address": row["address"] or None, "website": row["website"] or None, "created_at": now,
               "updated_at": now, "updated_by": SEED_ACTOR, "version": 1}
            for row in institution_rows])
        connection.execute(pages.insert(), [
            {**row, "target_override": int(row["target_override"]) if row["target_override"] else None,
             "created_at": now, "updated_at": now, "updated_by": SEED_ACTOR, "version": 1}
            for row in page_rows])
        total = len(page_rows) * region.REGION_DAYS

        def counted(rows):
            for number, row in enumerate(rows, start=1):
                if number % 250_000 == 0:
                    report(f"Снимки подписчиков: {number:,} из {total:,}".replace(",", " "))
                yield row

        placement = _demo_placement(today)
        as_of = region.DEMO_AS_OF + placement.figures
        bulk_insert(connection, subscriber_snapshots,
                    counted(region.snapshots(rng, institution_rows, page_rows, as_of)))
        report("Чек-листы и контент-план…")
        item_ids = dict(connection.execute(select(checklist_items.c.code, checklist_items.c.id)).all())
        connection.execute(page_checks.insert(), [
            _check(row, item_ids, placement.figures)
            for row in region.page_checks(rng, institution_rows, page_rows) if row["item_code"] in item_ids])
        items, categories, targets = region.content(rng, institution_rows, page_rows)
        connection.execute(content_items.insert(), [_material(row, placement.content, now) for row in items])
        if categories:
            connection.execute(content_item_categories.insert(), categories)
        if targets:
            connection.execute(content_item_pages.insert(), [_audience_page(row, placement.content) for row in targets])
        reset_sequences(connection, [institutions, pages, content_items])
        report("Суммы по дням…")
        rollup.rebuild(connection)
        connection.execute(store_info.insert(), [{"key": "dataset", "value": "region-demo"},
                                                 {"key": "seeded_at", "value": now.isoformat(timespec="seconds")}])
        bump_revisions(connection, *DATA_AREAS)
    return SeedResult(True, f"Демо-данные области загружены: страниц {len(page_rows)}, "
                            f"снимков {total:,}.".replace(",", "\u00a0"))
