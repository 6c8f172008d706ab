"""The daily totals (subscribers per day and per category, district, network and flagship flag of
the active pages) that history charts read: rebuilt inside the same transaction as every write
that changes figures or the registry, so they can never disagree with the snapshots."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from data_access.models import daily_totals, institutions, pages, subscriber_snapshots

GROUPING = (subscriber_snapshots.c.day, institutions.c.category, institutions.c.district, pages.c.platform,
            pages.c.is_flagship)


def rebuild(connection: Connection, days: Iterable[date] | None = None) -> None:
    """Recompute the totals of `days` (all days when None) from the snapshots."""
    source = (
        select(*GROUPING, func.sum(subscriber_snapshots.c.subscribers), func.count())
        .select_from(subscriber_snapshots.join(pages, pages.c.id == subscriber_snapshots.c.page_id)
                     .join(institutions, institutions.c.id == pages.c.institution_id))
        .where(pages.c.retired_at.is_(None), institutions.c.retired_at.is_(None))
        .group_by(*GROUPING)
    )
    columns = ["day", "category", "district", "platform", "is_flagship", "subscribers", "pages"]
    if days is None:
        connection.execute(delete(daily_totals))
        connection.execute(insert(daily_totals).from_select(columns, source))
        return
    chosen = sorted(set(days))
    for start in range(0, len(chosen), 500):
        chunk = chosen[start:start + 500]
        connection.execute(delete(daily_totals).where(daily_totals.c.day.in_(chunk)))
        connection.execute(insert(daily_totals).from_select(
            columns, source.where(subscriber_snapshots.c.day.in_(chunk))))
