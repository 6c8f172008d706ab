"""The daily totals that history charts read instead of millions of snapshots.

Per day and per (category, district, network, flagship) of the active pages they hold the
*change* of the carried-forward sum: each snapshot counts as its value minus the same page's
previous value (its whole value when it is the page's first). A running sum over the days then
gives, for every day, the sum of each page's last known figure, so a day on which only some pages
reported is not a cliff. `at_target_change` does the same for the number of pages at their target:
+1 on the day a page's figure reaches its (current) target, -1 on the day it falls below again.
They are rebuilt inside the same transaction as every write that changes
figures or the registry, so they can never disagree with the snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import and_, bindparam, case, delete, func, insert, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BindParameter

from data_access.engine import in_chunks
from data_access.models import daily_totals, institutions, pages, subscriber_snapshots
from data_access.queries import target_expression

KEY_COLUMNS = ("day", "category", "district", "platform", "is_flagship")
VALUE_COLUMNS = ("subscriber_change", "pages_started", "pages_reported", "at_target_change")
NO_CHANGE = (0,) * len(VALUE_COLUMNS)
COLUMNS = [*KEY_COLUMNS, *VALUE_COLUMNS]
# Above this many days a rebuild reads the whole history once (a window function) instead of
# looking up each snapshot's predecessor.
FULL_REBUILD_DAYS = 60


def rebuild(connection: Connection, days: Iterable[date] | None = None) -> None:
    """Recompute the totals of `days` (all days when None) from the snapshots."""
    chosen = None if days is None else sorted(set(days))
    if chosen is None or len(chosen) > FULL_REBUILD_DAYS:
        _rebuild_all(connection)
        return
    snapshot = subscriber_snapshots
    earlier = subscriber_snapshots.alias("earlier")
    previous = (
        select(earlier.c.subscribers)
        .where(earlier.c.page_id == snapshot.c.page_id, earlier.c.day < snapshot.c.day)
        .order_by(earlier.c.day.desc())
        .limit(1)
        .scalar_subquery()
    )
    grouping = (snapshot.c.day, institutions.c.category, institutions.c.district, pages.c.platform, pages.c.is_flagship)
    target = target_expression()
    source = (
        select(
            *grouping,
            func.sum(snapshot.c.subscribers - func.coalesce(previous, 0)),
            func.sum(case((previous.is_(None), 1), else_=0)),
            func.count(),
            func.sum(_at_target(snapshot.c.subscribers, target) - _at_target(previous, target)),
        )
        .select_from(
            snapshot.join(pages, pages.c.id == snapshot.c.page_id).join(
                institutions, institutions.c.id == pages.c.institution_id
            )
        )
        .where(pages.c.retired_at.is_(None), institutions.c.retired_at.is_(None))
        .group_by(*grouping)
    )
    for chunk in in_chunks(chosen):
        connection.execute(delete(daily_totals).where(daily_totals.c.day.in_(chunk)))
        connection.execute(insert(daily_totals).from_select(COLUMNS, source.where(snapshot.c.day.in_(chunk))))


def _at_target(subscribers, target):
    """1 when a figure reaches the target, else 0 (also for no figure at all)."""
    return case((subscribers >= target, 1), else_=0)


def _windowed_totals(*conditions):
    """Daily-totals rows of the active pages matching `conditions`: each snapshot against the same
    page's previous one (LAG over the page's own history), grouped by day and group."""
    snapshot = subscriber_snapshots
    ordered = (
        select(
            snapshot.c.day,
            institutions.c.category,
            institutions.c.district,
            pages.c.platform,
            pages.c.is_flagship,
            snapshot.c.subscribers,
            target_expression().label("target"),
            func.lag(snapshot.c.subscribers)
            .over(partition_by=snapshot.c.page_id, order_by=snapshot.c.day)
            .label("previous"),
        )
        .select_from(
            snapshot.join(pages, pages.c.id == snapshot.c.page_id).join(
                institutions, institutions.c.id == pages.c.institution_id
            )
        )
        .where(pages.c.retired_at.is_(None), institutions.c.retired_at.is_(None), *conditions)
        .subquery("ordered")
    )
    grouping = [ordered.c[name] for name in KEY_COLUMNS]
    return select(
        *grouping,
        func.sum(ordered.c.subscribers - func.coalesce(ordered.c.previous, 0)),
        func.sum(case((ordered.c.previous.is_(None), 1), else_=0)),
        func.count(),
        func.sum(
            _at_target(ordered.c.subscribers, ordered.c.target) - _at_target(ordered.c.previous, ordered.c.target)
        ),
    ).group_by(*grouping)


def _rebuild_all(connection: Connection) -> None:
    connection.execute(delete(daily_totals))
    connection.execute(insert(daily_totals).from_select(COLUMNS, _windowed_totals()))


def days_touched(connection: Connection, written: Iterable[tuple[int, date]]) -> set[date]:
    """The days whose totals change when the snapshots `written` (page, day) were added or
    changed: their own days and, per page, the day of its next snapshot (whose change from the
    previous figure is now measured against the new one)."""
    keys = sorted(set(written))
    touched = {day for _page, day in keys}
    later = subscriber_snapshots.alias("later")
    for chunk in in_chunks(keys):
        following = (
            select(func.min(later.c.day))
            .where(and_(later.c.page_id == subscriber_snapshots.c.page_id, later.c.day > subscriber_snapshots.c.day))
            .scalar_subquery()
        )
        statement = select(following).where(
            tuple_(subscriber_snapshots.c.page_id, subscriber_snapshots.c.day).in_(chunk)
        )
        touched.update(day for day in connection.execute(statement).scalars() if day is not None)
    return touched


def _contributions(connection: Connection, page_ids: list[int]) -> dict[tuple, tuple[int, ...]]:
    """What the active pages among `page_ids` add to each daily-totals row (each page's own
    history, so a window over just these pages is exact)."""
    found: dict[tuple, tuple[int, ...]] = {}
    for chunk in in_chunks(page_ids):
        rows = connection.execute(_windowed_totals(subscriber_snapshots.c.page_id.in_(chunk)))
        for row in rows:
            key, values = tuple(row[: len(KEY_COLUMNS)]), row[len(KEY_COLUMNS) :]
            old = found.get(key, NO_CHANGE)
            found[key] = tuple(a + int(b) for a, b in zip(old, values))
    return found


@contextmanager
def pages_moving(connection: Connection, page_ids: Iterable[int]) -> Iterator[None]:
    """Keep the totals in step while the pages `page_ids` change category, district, network,
    flagship flag or retirement inside the block: their contributions are taken out of their old
    rows and added to their new ones, without reading the rest of the history."""
    chosen = sorted(set(page_ids))
    before = _contributions(connection, chosen)
    yield
    after = _contributions(connection, chosen)
    differences = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, NO_CHANGE), after.get(key, NO_CHANGE)
        difference = tuple(b - a for a, b in zip(old, new))
        if any(difference):
            differences[key] = difference
    if not differences:
        return
    existing: set[tuple] = set()
    days = sorted({key[0] for key in differences})
    groups = [sorted({key[position] for key in differences}) for position in range(1, len(KEY_COLUMNS))]
    group_condition = and_(*(daily_totals.c[name].in_(values) for name, values in zip(KEY_COLUMNS[1:], groups)))
    for chunk in in_chunks(days):
        existing.update(
            tuple(row)
            for row in connection.execute(
                select(*(daily_totals.c[name] for name in KEY_COLUMNS)).where(
                    daily_totals.c.day.in_(chunk), group_condition
                )
            )
        )
    keys: dict[str, BindParameter] = {name: bindparam(f"key_{name}") for name in KEY_COLUMNS}
    updates = [
        {
            **{f"key_{name}": value for name, value in zip(KEY_COLUMNS, key)},
            **{f"add_{name}": value for name, value in zip(VALUE_COLUMNS, difference)},
        }
        for key, difference in differences.items()
        if key in existing
    ]
    if updates:
        connection.execute(
            daily_totals.update()
            .where(and_(*(daily_totals.c[name] == keys[name] for name in KEY_COLUMNS)))
            .values({name: daily_totals.c[name] + bindparam(f"add_{name}") for name in VALUE_COLUMNS}),
            updates,
        )
    inserts = [
        dict(zip(KEY_COLUMNS + VALUE_COLUMNS, key + difference))
        for key, difference in differences.items()
        if key not in existing
    ]
    if inserts:
        connection.execute(insert(daily_totals), inserts)
    for chunk in in_chunks(days):  # rows no page reports into any more
        connection.execute(
            delete(daily_totals).where(
                daily_totals.c.day.in_(chunk), group_condition, daily_totals.c.pages_reported <= 0
            )
        )
