"""Reads of the newsroom's content plan: its materials in a window, what the calendar shows of them
(days, tables, overdue, the month grid), holidays and city dates, one material, coverage of the
pages and the week's results (see components/reads/cache.py for the caching).

What the calendar shows is built once per data revision, window, calendar filters and sidebar
selection by the builders of components/content.py: a rerun of the month grid redoes no pandas work.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

import pandas as pd

from components import content, tables
from components.reads.cache import frozen, shared_read
from components.reads.figures import page_directory
from components.reads.store import get_engine, today
from data_access import accounts, clock, content_plan, newsroom, queries
from data_access.areas import Area
from data_access.filters import PageFilter

# A material's audience is named through the registry's pages and categories.
PLAN = (Area.CALENDAR, Area.REGISTRY)


@shared_read(*PLAN, entries=32)
def materials(start: datetime | None, end: datetime | None, backlog: bool = False) -> pd.DataFrame:
    """Materials from `start` to `end` with their audience; the ideas without a date with `backlog`."""
    return queries.content_items_frame(get_engine(), start, end, backlog)


@shared_read(*PLAN, entries=128)
def shown(
    start: datetime | None, end: datetime | None, choice: content.ItemFilter, filters: PageFilter
) -> pd.DataFrame:
    """Materials from `start` to `end` (both None: the ideas without a date) matching the
    calendar's filters `choice` and reaching the sidebar's selection (content.filter_items)."""
    items = materials(start, end, start is None)
    reached = None if filters.is_everything else set(page_directory(filters)["page_id"])
    return content.filter_items(items, choice, reached, filters.categories)


@shared_read(*PLAN, entries=64)
def by_day(
    start: datetime, end: datetime, choice: content.ItemFilter, filters: PageFilter
) -> Mapping[date, tuple[Mapping, ...]]:
    """`shown` per publication day (content.by_day), as read-only mappings: shared, not copied."""
    return frozen(content.by_day(shown(start, end, choice, filters)))


@shared_read(*PLAN, entries=64)
def table(
    start: datetime | None, end: datetime | None, choice: content.ItemFilter, filters: PageFilter
) -> tables.Table:
    """`shown` as the calendar's table (content.items_table)."""
    return tables.table_of(content.items_table(shown(start, end, choice, filters)))


@shared_read(*PLAN, daily=True, entries=32)
def overdue(start: datetime, end: datetime, choice: content.ItemFilter, filters: PageFilter) -> tables.Table:
    """The shown materials whose production deadline passed before today, not ready yet."""
    return tables.table_of(content.items_table(content.overdue(shown(start, end, choice, filters), today())))


@shared_read(Area.CALENDAR, entries=4)
def city_dates() -> pd.DataFrame:
    """The editors' city dates (anniversaries, city events) the calendar marks."""
    return queries.city_date_list(get_engine())


@shared_read(Area.CALENDAR, entries=32)
def day_marks(days: tuple[date, ...]) -> Mapping[date, tuple[str, ...]]:
    """Public holidays and the editors' city dates on each of `days` (content.marks_for), read only."""
    holidays = content_plan.holidays_between(days[0], days[-1])
    return frozen(content.marks_for(list(days), holidays, city_dates()))


@shared_read(*PLAN, daily=True, entries=32)
def _month_grid(month: date, choice: content.ItemFilter, filters: PageFilter) -> dict:
    weeks = content.month_weeks(month.year, month.month)
    start, end = content.start_of(weeks[0][0]), content.start_of(weeks[-1][-1] + timedelta(days=1))
    marks = day_marks(tuple(day for week in weeks for day in week))
    return content.month_grid(weeks, month.month, today(), by_day(start, end, choice, filters), marks)


def month_grid(month: date, choice: content.ItemFilter, filters: PageFilter) -> dict:
    """What the month grid draws for the month of `month` (content.month_grid): the shown
    materials per day, holidays and city dates."""
    return _month_grid(month.replace(day=1), choice, filters)


@shared_read(*PLAN, entries=64)
def material(item_id: int) -> dict | None:
    """One material of the content plan (dated or an idea) with its audience; None when it is gone."""
    found = queries.content_items_frame(get_engine(), item_id=item_id)
    return found.iloc[0].to_dict() if not found.empty else None


@shared_read(*PLAN, entries=64)
def item_targets(item_id: int) -> pd.DataFrame:
    """The pages and categories one material is meant for."""
    return queries.content_item_targets(get_engine(), item_id)


@shared_read(*PLAN, entries=32)
def coverage(filters: PageFilter, start: datetime, end: datetime) -> pd.DataFrame:
    """Per page of the selection: the materials from `start` to `end` that reach it (queries.page_coverage)."""
    return queries.page_coverage(get_engine(), filters, start, end)


@shared_read(Area.CALENDAR, daily=True, entries=256)
def upcoming(page_id: int, category: str, days: int = 14) -> pd.DataFrame:
    """Calendar items for the page or its category from today (Novosibirsk time) for `days`."""
    start = datetime.combine(clock.today(), datetime.min.time())
    return queries.upcoming_content(get_engine(), page_id, category, start, start + timedelta(days=days))


@shared_read(Area.CALENDAR, Area.COLLECT, Area.REGISTRY, entries=16, spinner="Сверяем материалы с публикациями…")
def week_results(start: date, end: date) -> pd.DataFrame:
    """Every (material planned in start…end, page it was planned for) with what became of it
    (newsroom.material_pages); fresh after a collection or a change to the plan."""
    return newsroom.material_pages(get_engine(), start, end)


@shared_read(Area.USERS, entries=4)
def editor_names() -> list[str]:
    """Who can be named «Ответственный редактор»: active editors and administrators."""
    return accounts.editor_names(get_engine())
