"""Load reference data (checklist items) and the generated demo city from seeds/ into the store."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from data_access import checklist, clock, rollup, wall_posts
from data_access.areas import Area
from data_access.engine import bulk_insert, reset_sequences, write_transaction
from data_access.models import (
    checklist_items,
    city_dates,
    content_item_categories,
    content_item_pages,
    content_items,
    institution_checks,
    institutions,
    page_checks,
    page_measurements,
    pages,
    posts,
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
DATA_AREAS = tuple(Area)
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


def _gzip_rows(path: Path) -> list[dict[str, str]]:
    """A compressed CSV of the demo (absent in older demo folders: no rows)."""
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
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
            "scope": row["scope"],
            "platforms": row["platforms"] or None,
            "updated_at": utc_now(),
            "updated_by": SEED_ACTOR,
            "version": 1,
        }
        for row in _rows(CHECKLIST_FILE)
    ]
    connection.execute(checklist_items.insert(), rows)
    bump_revisions(connection, Area.CHECKLIST)
    return len(rows)


def ensure_city_dates(connection: Connection) -> int:
    """Load the notable city dates when the store has none yet (editors add more in the app)."""
    if connection.execute(select(func.count()).select_from(city_dates)).scalar_one():
        return 0
    rows = [
        {
            "day": date.fromisoformat(row["day"]),
            "recurring": _as_bool(row["recurring"]),
            "title": row["title"],
            "note": _none_if_empty(row["note"]),
            "updated_at": utc_now(),
            "updated_by": SEED_ACTOR,
            "version": 1,
        }
        for row in _rows(CITY_DATES_FILE)
    ]
    connection.execute(city_dates.insert(), rows)
    bump_revisions(connection, Area.CALENDAR)
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
        "id": int(row["id"]),
        "title": row["title"],
        "rubric": _none_if_empty(row["rubric"]),
        "format": row["format"],
        "publish_at": datetime.fromisoformat(row["publish_at"]) + shift if row["publish_at"] else None,
        "deadline": date.fromisoformat(row["deadline"]) + shift if row["deadline"] else None,
        "status": row["status"],
        "editor": _none_if_empty(row["editor"]),
        "notes": _none_if_empty(row["notes"]),
        "source_post": _none_if_empty(row.get("source_post", "")),
        "hashtag": _none_if_empty(row.get("hashtag", "")),
        "created_at": now,
        "created_by": SEED_ACTOR,
        "updated_at": now,
        "updated_by": SEED_ACTOR,
        "version": 1,
    }


def _check(row: dict, item_ids: dict[str, int], shift: timedelta) -> dict:
    return {
        "page_id": int(row["page_id"]),
        "item_id": item_ids[row["item_code"]],
        "state": row["state"],
        "note": _none_if_empty(row["note"]),
        "evidence_url": _none_if_empty(row["evidence_url"]),
        "updated_at": _timestamp(row["updated_at"], shift),
        "updated_by": row["updated_by"],
        "version": 1,
    }


def _measurement(row: dict, shift: timedelta) -> dict:
    counts = {name: int(row[name]) for name in ("posts_7d", "posts_read", "views", "likes", "comments", "reposts")}
    return {
        "page_id": int(row["page_id"]),
        "day": date.fromisoformat(row["day"]) + shift,
        "measured_at": _timestamp(row["measured_at"], shift),
        "verified": _as_bool(row["verified"]),
        "government_mark": _as_bool(row["government_mark"]),
        **counts,
    }


def _post(row: dict, shift: timedelta, now: datetime) -> dict:
    """A demo post placed with the content plan (its material's time moved by the same weeks)."""
    posted_at = datetime.fromisoformat(row["posted_at"]).replace(tzinfo=UTC) + shift
    return {
        "page_id": int(row["page_id"]),
        "post_id": int(row["post_id"]),
        "posted_at": posted_at,
        "day": posted_at.astimezone(clock.CITY_TIMEZONE).date(),
        **{name: int(row[name]) for name in ("views", "likes", "comments", "reposts")},
        "link": f"https://vk.com/wall{row['owner_id']}_{row['post_id']}",
        "text": row["text"],
        "copied": row["copied"],
        "links": row["links"],
        "read_at": now,
        "material_id": None,
        "match_rule": None,
    }


def _audience_page(row: dict, shift: timedelta) -> dict:
    return {
        "item_id": int(row["item_id"]),
        "page_id": int(row["page_id"]),
        "published_at": _timestamp(row["published_at"], shift),
        "published_by": SEED_ACTOR if row["published_at"] else None,
    }


def _number(value) -> float | None:
    return None if value in ("", None) else float(value)


def _flag(value) -> bool:
    return value if isinstance(value, bool) else _as_bool(value)


def _institution(row: dict, now: datetime) -> dict:
    """An institution row of a demo data set (the city's CSV or the generated region) as stored."""
    return {
        "id": int(row["id"]),
        "code": row["code"],
        "name": row["name"],
        "short_name": row["short_name"],
        "category": row["category"],
        "district": row["district"],
        "address": _none_if_empty(row["address"]),
        "lat": _number(row["lat"]),
        "lon": _number(row["lon"]),
        "website": _none_if_empty(row["website"]),
        "created_at": now,
        "updated_at": now,
        "updated_by": SEED_ACTOR,
        "version": 1,
    }


def _page(row: dict, now: datetime) -> dict:
    return {
        "id": int(row["id"]),
        "institution_id": int(row["institution_id"]),
        "platform": row["platform"],
        "url": row["url"],
        "is_flagship": _flag(row["is_flagship"]),
        "target_override": int(row["target_override"]) if row["target_override"] else None,
        "created_at": now,
        "updated_at": now,
        "updated_by": SEED_ACTOR,
        "version": 1,
    }


@dataclass
class DemoSet:
    """The rows of a demo data set, as read from seeds/demo/ or generated for the region."""

    dataset: str  # store_info's «dataset»: «demo» or «region-demo»
    institutions: list[dict]
    pages: list[dict]
    snapshots: Iterable[dict]  # page_id, day, subscribers — already placed in time
    # Read when their turn comes, after the snapshots: the region draws them all from one random
    # stream, in this order.
    checks: Callable[[], Iterable[dict]]
    content: Callable[[], tuple[list[dict], ...]]  # materials, categories, audience pages
    measurements: list[dict]
    posts: Callable[[], Iterable[dict]] = lambda: ()  # the VK posts the collector would have kept


def _refuse_unless_empty(connection: Connection, dataset: str, what: str) -> SeedResult | None:
    """«already loaded» when the store holds this data set; SeedRefused when it holds other institutions."""
    if connection.execute(select(store_info.c.value).where(store_info.c.key == "dataset")).scalar() == dataset:
        return SeedResult(False, f"{what} уже загружены, ничего не изменено.")
    if connection.execute(select(func.count()).select_from(institutions)).scalar_one():
        raise SeedRefused(
            f"В базе уже есть учреждения, {what.lower()} загружаются только в пустую базу. "
            "/ The store already holds institutions; demo data only goes into an empty store."
        )
    return None


def _insert(
    connection: Connection, demo: DemoSet, placement: Placement, report: Callable[[str], None] = lambda _text: None
) -> None:
    """Write a demo data set into an empty store, in the caller's transaction."""
    now = utc_now()
    connection.execute(institutions.insert(), [_institution(row, now) for row in demo.institutions])
    connection.execute(pages.insert(), [_page(row, now) for row in demo.pages])
    bulk_insert(connection, subscriber_snapshots, demo.snapshots)
    report("Чек-листы и контент-план…")
    items = {
        row.code: row
        for row in connection.execute(select(checklist_items.c.code, checklist_items.c.id, checklist_items.c.scope))
    }
    marks = [
        (row, _check(row, {code: item.id for code, item in items.items()}, placement.figures))
        for row in demo.checks()
        if row["item_code"] in items
    ]
    connection.execute(page_checks.insert(), [mark for row, mark in marks if items[row["item_code"]].scope == "page"])
    owners = {int(row["id"]): int(row["institution_id"]) for row in demo.pages}
    institution_marks = checklist.institution_marks(
        [
            {**mark, "institution_id": owners[mark["page_id"]]}
            for row, mark in marks
            if items[row["item_code"]].scope == "institution"
        ]
    )
    if institution_marks:
        connection.execute(institution_checks.insert(), institution_marks)
    materials, categories, audience_pages = demo.content()
    connection.execute(content_items.insert(), [_material(row, placement.content, now) for row in materials])
    if categories:
        connection.execute(
            content_item_categories.insert(),
            [{"item_id": int(row["item_id"]), "category": row["category"]} for row in categories],
        )
    if audience_pages:
        connection.execute(
            content_item_pages.insert(), [_audience_page(row, placement.content) for row in audience_pages]
        )
    if demo.measurements:
        connection.execute(
            page_measurements.insert(), [_measurement(row, placement.figures) for row in demo.measurements]
        )
    kept = [_post(row, placement.content, now) for row in demo.posts()]
    if kept:
        report("Публикации страниц…")
        bulk_insert(connection, posts, iter(kept))
        wall_posts.rematch(connection, min(row["day"] for row in kept), max(row["day"] for row in kept))
    reset_sequences(connection, [institutions, pages, content_items])
    report("Суммы по дням…")
    rollup.rebuild(connection)
    connection.execute(
        store_info.insert(),
        [{"key": "dataset", "value": demo.dataset}, {"key": "seeded_at", "value": now.isoformat(timespec="seconds")}],
    )
    bump_revisions(connection, *DATA_AREAS)


def load_demo(engine: Engine, directory: Path = DEMO_DIR, today: date | None = None) -> SeedResult:
    """Load the demo city into an empty store, placed so that its figures end the day before
    `today` (default: today in Novosibirsk); a second run changes nothing."""
    initialise(engine)
    with write_transaction(engine) as connection:
        refused = _refuse_unless_empty(connection, "demo", "Демо-данные")
        if refused:
            return refused
        placement = _demo_placement(today)
        measured = directory / "page_measurements.csv"
        _insert(
            connection,
            DemoSet(
                "demo",
                list(_rows(directory / "institutions.csv")),
                list(_rows(directory / "pages.csv")),
                _snapshots(directory / "subscribers.csv.gz", placement.figures),
                lambda: _rows(directory / "page_checks.csv"),
                lambda: tuple(
                    list(_rows(directory / name))
                    for name in ("content_items.csv", "content_item_categories.csv", "content_item_pages.csv")
                ),
                list(_rows(measured)) if measured.exists() else [],
                lambda: _gzip_rows(directory / "posts.csv.gz"),
            ),
            placement,
        )
    return SeedResult(True, "Демо-данные загружены.")


def load_region(engine: Engine, progress: Callable[[str], None] | None = None, today: date | None = None) -> SeedResult:
    """Load the generated demo region (3465 pages and the MAX channels opened beside them, two years
    of daily figures) into an empty store."""
    import random

    from seeds import region

    report = progress or (lambda _text: None)
    initialise(engine)
    with write_transaction(engine) as connection:
        refused = _refuse_unless_empty(connection, "region-demo", "Демо-данные области")
        if refused:
            return refused
        rng = random.Random(region.SEED)
        report("Учреждения и страницы…")
        institution_rows, page_rows = region.institutions_and_pages(rng)
        total = region.snapshot_count(page_rows)

        def counted(rows):
            for number, row in enumerate(rows, start=1):
                if number % 250_000 == 0:
                    report(f"Снимки подписчиков: {number:,} из {total:,}".replace(",", " "))
                yield row

        placement = _demo_placement(today)
        as_of = region.DEMO_AS_OF + placement.figures
        _insert(
            connection,
            DemoSet(
                "region-demo",
                [{key: value for key, value in row.items() if not key.startswith("_")} for row in institution_rows],
                page_rows,
                counted(region.snapshots(rng, institution_rows, page_rows, as_of)),
                lambda: region.page_checks(rng, institution_rows, page_rows),
                lambda: region.content(rng, institution_rows, page_rows),
                [],
            ),
            placement,
            report,
        )
    return SeedResult(
        True, f"Демо-данные области загружены: страниц {len(page_rows)}, снимков {total:,}.".replace(",", "\u00a0")
    )
