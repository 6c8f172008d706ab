"""Read queries: parameterised SQLAlchemy Core, aggregation in the database, results as DataFrames."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, and_, case, func, literal, or_, select, true
from sqlalchemy.engine import Connection

from data_access.engine import days_before, in_chunks
from data_access.filters import ALL_PAGES, PageFilter
from data_access.models import (
    audit_log,
    checklist_items,
    city_dates,
    content_item_categories,
    content_item_pages,
    content_items,
    daily_totals,
    data_revisions,
    institution_checks,
    institutions,
    page_checks,
    pages,
    store_info,
    subscriber_snapshots,
    users,
)
from data_access.vocabulary import CATEGORIES, FLAGSHIP_TARGET, PLATFORMS, REGULAR_TARGET

# Days over which the pace of growth (and thus the forecast) is measured.
PACE_DAYS = 30


def target_expression():
    """A page's subscriber target in SQL: its override, else 1000 for flagship and 500 otherwise."""
    return func.coalesce(
        pages.c.target_override,
        case((pages.c.is_flagship.is_(True), literal(FLAGSHIP_TARGET)), else_=literal(REGULAR_TARGET)),
    )


def page_item_applies():
    """SQL: the checklist item is marked and scored on the page — a page item (not one of the
    institution's) whose networks include the page's (`platforms` NULL: every network)."""
    networks = literal(",") + checklist_items.c.platforms + literal(",")
    return and_(
        checklist_items.c.scope == "page",
        or_(checklist_items.c.platforms.is_(None), networks.contains(literal(",") + pages.c.platform + literal(","))),
    )


def selected_institutions(filters: PageFilter):
    """SQL: the ids of the institutions that have an active page in the selection."""
    return select(pages.c.institution_id).select_from(_pages_of_institutions()).where(filters.condition()).distinct()


def frame(connection: Connection, statement: Select) -> pd.DataFrame:
    """Run `statement` and return its rows as a DataFrame, built column by column (much faster
    than from row objects for tens of thousands of rows)."""
    result = connection.execute(statement)
    columns = list(result.keys())
    rows = result.fetchall()
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(dict(zip(columns, (list(values) for values in zip(*rows)))), columns=columns)


def data_as_of(engine: Engine) -> date | None:
    """The latest day any subscriber figure exists for: the «as of» date of the dashboard."""
    with engine.connect() as connection:
        return connection.execute(select(func.max(subscriber_snapshots.c.day))).scalar()


def first_data_day(engine: Engine) -> date | None:
    """The earliest day any subscriber figure exists for."""
    with engine.connect() as connection:
        return _as_date(connection.execute(select(func.min(subscriber_snapshots.c.day))).scalar())


def dataset_label(engine: Engine) -> str | None:
    """«demo» while the generated demo city is loaded, else None."""
    with engine.connect() as connection:
        return connection.execute(select(store_info.c.value).where(store_info.c.key == "dataset")).scalar()


def revisions(engine: Engine) -> dict[str, int]:
    """Write counters per data area; cached reads are keyed on them."""
    with engine.connect() as connection:
        rows = connection.execute(select(data_revisions.c.area, data_revisions.c.revision))
        return {area: revision for area, revision in rows}


def filter_options(engine: Engine) -> dict[str, list[str]]:
    """The values the sidebar filters offer, as present in the store."""
    with engine.connect() as connection:
        districts = list(  # read here: a result read after the block would use a connection back in the pool
            connection.execute(
                select(institutions.c.district)
                .where(institutions.c.retired_at.is_(None))
                .distinct()
                .order_by(institutions.c.district)
            ).scalars()
        )
        categories = set(
            connection.execute(
                select(institutions.c.category).where(institutions.c.retired_at.is_(None)).distinct()
            ).scalars()
        )
        platforms = set(connection.execute(select(pages.c.platform).distinct()).scalars())
    return {
        "districts": districts,
        "categories": [code for code in CATEGORIES if code in categories],
        "platforms": [code for code in PLATFORMS if code in platforms],
    }


def _snapshot_of(
    page_id, column: str, before_latest=None, days_back: int = 0, oldest: bool = False, until: date | None = None
):
    """A correlated lookup of one page's snapshot: the newest one (on or before `days_back` days
    before the page's own latest day `before_latest`), or its very first with `oldest`; only
    snapshots up to `until` when given. One index seek on (page_id, day) per page, whatever the
    size of the history, on SQLite and PostgreSQL."""
    snapshot = subscriber_snapshots.alias()
    condition = snapshot.c.page_id == page_id
    if until is not None:
        condition = and_(condition, snapshot.c.day <= until)
    if before_latest is not None:
        condition = and_(condition, snapshot.c.day <= days_before(before_latest, days_back))
    order = snapshot.c.day.asc() if oldest else snapshot.c.day.desc()
    return select(snapshot.c[column]).where(condition).order_by(order).limit(1).scalar_subquery()


def page_progress(engine: Engine, filters: PageFilter = ALL_PAGES, until: date | None = None) -> pd.DataFrame:
    """One row per active page: who it is, its target, its latest figure and the earlier figures
    its growth is measured against: 7 and 30 days before **that page's own** latest figure, so an
    upload for other pages never moves this page's growth, pace or forecast. With `until`, the
    figures as they stood on that day (snapshots after it are ignored).

    Every figure is one index seek per page on (page_id, day), so the cost follows the number of
    pages, not the number of snapshots.
    """
    statement = _progress_statement(filters, until)
    with engine.connect() as connection:
        result = frame(connection, statement)
    if result.empty:
        result = pd.DataFrame(columns=[column.name for column in statement.selected_columns])
    return _progress_frame(result)


def _pages_of_institutions():
    """Pages joined to their institutions (every page has one)."""
    return pages.join(institutions, pages.c.institution_id == institutions.c.id)


def _page_owner() -> tuple:
    """A page's id and whose it is: its institution's id, full and short name, category, district."""
    return (
        pages.c.id.label("page_id"),
        institutions.c.id.label("institution_id"),
        institutions.c.name,
        institutions.c.short_name,
        institutions.c.category,
        institutions.c.district,
    )


def _progress_statement(filters: PageFilter, until: date | None):
    """page_progress's query: the pages (once, as a CTE) and their figures, each one index seek."""
    base = (
        select(
            *_page_owner(),
            institutions.c.lat,
            institutions.c.lon,
            pages.c.platform,
            pages.c.url,
            pages.c.is_flagship,
            target_expression().label("target"),
            _snapshot_of(pages.c.id, "day", until=until).label("latest_day"),
        )
        .select_from(_pages_of_institutions())
        .where(filters.condition())
        # Computed once per page: PostgreSQL would otherwise inline it into every lookup below.
        .cte("base")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    page_id, latest = base.c.page_id, base.c.latest_day
    return select(
        base,
        _snapshot_of(page_id, "subscribers", until=until).label("subscribers"),
        _snapshot_of(page_id, "day", latest, 7).label("day_7"),
        _snapshot_of(page_id, "subscribers", latest, 7).label("subscribers_7"),
        _snapshot_of(page_id, "day", latest, PACE_DAYS).label("day_30"),
        _snapshot_of(page_id, "subscribers", latest, PACE_DAYS).label("subscribers_30"),
        _snapshot_of(page_id, "day", oldest=True, until=until).label("first_day"),
        _snapshot_of(page_id, "subscribers", oldest=True, until=until).label("first_subscribers"),
    ).order_by(page_id)


def _progress_frame(result: pd.DataFrame) -> pd.DataFrame:
    """page_progress's rows typed, with the growth over 7 and 30 days, the days each really spans,
    and the base the pace is measured from."""
    for column in ("latest_day", "day_7", "day_30", "first_day"):
        result[column] = [_as_date(value) for value in result[column]]
        result[column] = result[column].astype(object)
    for column in ("subscribers", "subscribers_7", "subscribers_30", "first_subscribers", "target"):
        result[column] = pd.array(result[column], dtype="Int64")
    result["is_flagship"] = result["is_flagship"].astype(bool)
    result["growth_7"] = result["subscribers"] - result["subscribers_7"]
    result["growth_30"] = result["subscribers"] - result["subscribers_30"]
    # The days each growth really spans: more than 7 (30) after a gap in the page's figures, since
    # it is measured from the newest figure on or before that day.
    for days in (7, PACE_DAYS):
        result[f"growth_{days}_days"] = pd.array(
            [
                (latest - earlier).days if latest is not None and earlier is not None else None
                for latest, earlier in zip(result["latest_day"], result[f"day_{days}"])
            ],
            dtype="Int64",
        )
    # The pace base: the figure 30 days before the latest, or the first figure of a younger page.
    use_first = result["day_30"].isna()
    result["base_day"] = result["day_30"].where(~use_first, result["first_day"])
    result["base_subscribers"] = result["subscribers_30"].where(~use_first, result["first_subscribers"])
    return result


HISTORY_COLUMNS = ("subscribers", "pages", "reported", "at_target")


def _carry_groups_forward(history: pd.DataFrame) -> pd.DataFrame:
    """Give every group a row on every day of the history from its first figure on: a day on
    which none of a category's pages reported still carries the category's last known sum."""
    if history.empty or history["group"].nunique() < 2:
        return history
    parts = {}
    for column in HISTORY_COLUMNS:
        wide = history.pivot(index="day", columns="group", values=column).sort_index()
        parts[column] = (wide.fillna(0) if column == "reported" else wide.ffill()).stack(future_stack=True)
    long = pd.DataFrame(parts).dropna(subset=["subscribers"]).reset_index()
    return long[["day", "group", *HISTORY_COLUMNS]].sort_values(["day", "group"]).reset_index(drop=True)


def _as_date(value):
    """Dates from SQL as `date` (SQLite hands back text for computed columns)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def subscriber_history(
    engine: Engine,
    filters: PageFilter = ALL_PAGES,
    start: date | None = None,
    end: date | None = None,
    by: str = "total",
    page_id: int | None = None,
) -> pd.DataFrame:
    """Daily subscribers of the selection: columns day, group, subscribers, pages, reported, at_target.

    `by` is «total» or «category»: per day, the sum of each page's **last known** figure (a page
    that did not report that day counts with its previous figure), `pages` how many pages had a
    figure by then, `reported` how many reported that very day and `at_target` how many pages'
    last known figure had reached their (current) target. Read as a running sum over the
    daily totals, a few hundred rows a day however many snapshots there are. `by` «page» gives one
    page's own snapshots (`page_id` picks it).
    """
    statement = _page_history(page_id, start, end) if by == "page" else _running_history(filters, end, by)
    with engine.connect() as connection:
        result = frame(connection, statement)
    if result.empty:
        result = pd.DataFrame(columns=["day", "group", *HISTORY_COLUMNS])
    result["day"] = [_as_date(value) for value in result["day"]]
    if by != "page":
        result = _carry_groups_forward(result)
        if start is not None:
            result = result[result["day"] >= start].reset_index(drop=True)
    result["group"] = result["group"].astype(str)
    for column in HISTORY_COLUMNS:
        result[column] = result[column].astype("int64")
    return result


def _page_history(page_id: int | None, start: date | None, end: date | None):
    """One page's own snapshots, as subscriber_history's columns."""
    condition = and_(subscriber_snapshots.c.page_id == page_id)
    if start is not None:
        condition = and_(condition, subscriber_snapshots.c.day >= start)
    if end is not None:
        condition = and_(condition, subscriber_snapshots.c.day <= end)
    return (
        select(
            subscriber_snapshots.c.day,
            literal(str(page_id)).label("group"),
            subscriber_snapshots.c.subscribers,
            literal(1).label("pages"),
            literal(1).label("reported"),
            case((subscriber_snapshots.c.subscribers >= target_expression(), 1), else_=0).label("at_target"),
        )
        .select_from(subscriber_snapshots.join(pages, pages.c.id == subscriber_snapshots.c.page_id))
        .where(condition)
        .order_by(subscriber_snapshots.c.day)
    )


def _running_history(filters: PageFilter, end: date | None, by: str):
    """Running sums over the daily totals of the selection, per day and group (the total or each
    category), from the first day ever up to `end`."""
    group = literal("total") if by == "total" else daily_totals.c.category
    per_day = (
        select(
            daily_totals.c.day,
            group.label("group"),
            func.sum(daily_totals.c.subscriber_change).label("change"),
            func.sum(daily_totals.c.pages_started).label("started"),
            func.sum(daily_totals.c.pages_reported).label("reported"),
            func.sum(daily_totals.c.at_target_change).label("reached"),
        )
        .where(filters.rollup_condition(daily_totals))
        # The total's group is a constant: grouping by it too would make SQLite sort every row.
        .group_by(daily_totals.c.day, *([] if by == "total" else [group]))
        .subquery("per_day")
    )
    # The running sums start at the first day ever; the period is cut afterwards.
    running = select(
        per_day.c.day,
        per_day.c.group,
        func.sum(per_day.c.change).over(partition_by=per_day.c.group, order_by=per_day.c.day).label("subscribers"),
        func.sum(per_day.c.started).over(partition_by=per_day.c.group, order_by=per_day.c.day).label("pages"),
        per_day.c.reported,
        func.sum(per_day.c.reached).over(partition_by=per_day.c.group, order_by=per_day.c.day).label("at_target"),
    ).subquery("running")
    condition = true() if end is None else running.c.day <= end
    return select(running).where(condition).order_by(running.c.day, running.c.group)


def history_total(by_group: pd.DataFrame) -> pd.DataFrame:
    """The «total» history from a grouped one (subscriber_history by «category»): per day the sum
    of every group's carried-forward row, which is what subscriber_history(…, "total") reads
    again from the store. Same columns; group «total»."""
    if by_group.empty:
        return by_group.assign(group=pd.Series(dtype=str)).reset_index(drop=True)
    total = by_group.groupby("day", sort=True)[list(HISTORY_COLUMNS)].sum().reset_index()
    total.insert(1, "group", "total")
    for column in HISTORY_COLUMNS:
        total[column] = total[column].astype("int64")
    return total


_SCORE_COLUMNS = ("required_total", "required_done", "optional_total", "optional_done")


def _score_columns(stored_state) -> tuple:
    """Checklist items applicable (not «не применимо») and done, required and optional, from the
    stored state of each (row, item) cell; a cell with no row yet is «not done», a row with no items
    counts zeros."""
    state = func.coalesce(stored_state, "not_done")
    required = checklist_items.c.is_required.is_(True)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    return (
        count(and_(required, state != "n_a")).label("required_total"),
        count(and_(required, state == "done")).label("required_done"),
        count(and_(~required, state != "n_a")).label("optional_total"),
        count(and_(~required, state == "done")).label("optional_done"),
    )


def _scores(engine: Engine, statement) -> pd.DataFrame:
    with engine.connect() as connection:
        result = frame(connection, statement)
    for column in _SCORE_COLUMNS:
        result[column] = result[column].astype(int)
    return result


def verification_by_page(engine: Engine, filters: PageFilter = ALL_PAGES) -> pd.DataFrame:
    """Per page: applicable and done items, required and optional, of the items marked on pages and
    applying to the page's network (retired items and the institution's items do not count)."""
    statement = (
        select(pages.c.id.label("page_id"), *_score_columns(page_checks.c.state))
        .select_from(
            _pages_of_institutions()
            .join(checklist_items, page_item_applies())
            .outerjoin(
                page_checks,
                and_(page_checks.c.page_id == pages.c.id, page_checks.c.item_id == checklist_items.c.id),
            )
        )
        .where(filters.condition(), checklist_items.c.retired_at.is_(None))
        .group_by(pages.c.id)
        .order_by(pages.c.id)
    )
    return _scores(engine, statement)


def store_counts(engine: Engine) -> dict[str, int]:
    """Row counts of the main tables (for `python -m data_access stats` and the tests)."""
    tables = {
        "institutions": institutions,
        "pages": pages,
        "subscriber_snapshots": subscriber_snapshots,
        "checklist_items": checklist_items,
        "page_checks": page_checks,
        "content_items": content_items,
        "users": users,
        "audit_log": audit_log,
    }
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in tables.items()
        }


# The audit screen shows at most this many of the newest matching rows.
AUDIT_ROWS = 5000


def audit_entries(
    engine: Engine,
    actors: tuple[str, ...] = (),
    entities: tuple[str, ...] = (),
    start: date | None = None,
    end: date | None = None,
    limit: int = AUDIT_ROWS,
) -> pd.DataFrame:
    """The newest audit rows matching the filters (dates are whole days, UTC)."""
    condition: ColumnElement[bool] = true()
    if actors:
        condition = and_(condition, audit_log.c.actor.in_(actors))
    if entities:
        condition = and_(condition, audit_log.c.entity.in_(entities))
    if start is not None:
        condition = and_(condition, audit_log.c.at >= datetime.combine(start, time.min, tzinfo=UTC))
    if end is not None:
        condition = and_(condition, audit_log.c.at < datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC))
    statement = (
        select(
            audit_log.c.id,
            audit_log.c.at,
            audit_log.c.actor,
            audit_log.c.action,
            audit_log.c.entity,
            audit_log.c.entity_id,
            audit_log.c.before,
            audit_log.c.after,
            audit_log.c.details,
        )
        .where(condition)
        .order_by(audit_log.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return frame(connection, statement)


def audit_facets(engine: Engine) -> dict:
    """Who and what appear in the audit log, and its newest moment, for its filters."""
    with engine.connect() as connection:
        actors = list(connection.execute(select(audit_log.c.actor).distinct().order_by(audit_log.c.actor)).scalars())
        entities = list(
            connection.execute(select(audit_log.c.entity).distinct().order_by(audit_log.c.entity)).scalars()
        )
        newest = connection.execute(select(func.max(audit_log.c.at))).scalar()
    return {"actors": actors, "entities": entities, "newest": newest}


def page_checklist(engine: Engine, page_id: int) -> pd.DataFrame:
    """The checklist one page is judged by: the active page items applying to its network, with
    their marks on the page, then its institution's items with the institution's marks (column
    `scope`; no row yet means «not done»)."""
    columns = (
        checklist_items.c.id.label("item_id"),
        checklist_items.c.code,
        checklist_items.c.title,
        checklist_items.c.description,
        checklist_items.c.is_required,
        checklist_items.c.position,
        checklist_items.c.scope,
    )

    def marks(table):
        return (
            func.coalesce(table.c.state, "not_done").label("state"),
            table.c.note,
            table.c.evidence_url,
            table.c.updated_at,
            table.c.updated_by,
            table.c.version,
        )

    on_page = (
        select(*columns, *marks(page_checks))
        .select_from(
            pages.join(checklist_items, page_item_applies()).outerjoin(
                page_checks, and_(page_checks.c.item_id == checklist_items.c.id, page_checks.c.page_id == pages.c.id)
            )
        )
        .where(pages.c.id == page_id, checklist_items.c.retired_at.is_(None))
    )
    of_institution = (
        select(*columns, *marks(institution_checks))
        .select_from(
            pages.join(checklist_items, checklist_items.c.scope == "institution").outerjoin(
                institution_checks,
                and_(
                    institution_checks.c.item_id == checklist_items.c.id,
                    institution_checks.c.institution_id == pages.c.institution_id,
                ),
            )
        )
        .where(pages.c.id == page_id, checklist_items.c.retired_at.is_(None))
    )
    both = on_page.union_all(of_institution).subquery()
    statement = select(both).order_by(both.c.scope.desc(), both.c.position, both.c.item_id)
    with engine.connect() as connection:
        result = frame(connection, statement)
    result["is_required"] = result["is_required"].astype(bool)
    result["version"] = pd.array(result["version"], dtype="Int64")
    return result


def upcoming_content(engine: Engine, page_id: int, category: str, start: datetime, end: datetime) -> pd.DataFrame:
    """Calendar items planned between `start` and `end` for this page or its whole category."""
    for_page = select(content_item_pages.c.item_id).where(content_item_pages.c.page_id == page_id)
    for_category = select(content_item_categories.c.item_id).where(content_item_categories.c.category == category)
    statement = (
        select(
            content_items.c.id,
            content_items.c.title,
            content_items.c.format,
            content_items.c.publish_at,
            content_items.c.status,
            content_items.c.editor,
        )
        .where(
            content_items.c.publish_at >= start,
            content_items.c.publish_at < end,
            content_items.c.status != "cancelled",
            content_items.c.id.in_(for_page.union(for_category)),
        )
        .order_by(content_items.c.publish_at)
    )
    with engine.connect() as connection:
        return frame(connection, statement)


def checklist_item_list(engine: Engine, include_retired: bool = False) -> pd.DataFrame:
    """The checklist items in their order (retired ones last, when asked for)."""
    statement = select(checklist_items).order_by(
        checklist_items.c.retired_at.is_not(None), checklist_items.c.position, checklist_items.c.id
    )
    if not include_retired:
        statement = statement.where(checklist_items.c.retired_at.is_(None))
    with engine.connect() as connection:
        result = frame(connection, statement)
    result["is_required"] = result["is_required"].astype(bool)
    return result


def checklist_states(engine: Engine, filters: PageFilter = ALL_PAGES) -> pd.DataFrame:
    """Every (page, active page item applying to its network) cell of the selection: its state and
    version (a missing row is «not done» with no version). Notes and evidence are read per page
    (page_checklist); the institution's items are in institution_check_states."""
    statement = (
        select(
            pages.c.id.label("page_id"),
            checklist_items.c.id.label("item_id"),
            func.coalesce(page_checks.c.state, "not_done").label("state"),
            page_checks.c.version,
        )
        .select_from(
            _pages_of_institutions()
            .join(checklist_items, page_item_applies())
            .outerjoin(
                page_checks, and_(page_checks.c.page_id == pages.c.id, page_checks.c.item_id == checklist_items.c.id)
            )
        )
        .where(filters.condition(), checklist_items.c.retired_at.is_(None))
        .order_by(pages.c.id, checklist_items.c.position, checklist_items.c.id)
    )
    with engine.connect() as connection:
        result = frame(connection, statement)
    result["version"] = pd.array(result["version"], dtype="Int64")
    return result


def _institution_cells():
    """Every (institution, institution item) pair with its mark, if any: the checklist's
    institution cells (no mark: «not done»)."""
    return institutions.join(checklist_items, checklist_items.c.scope == "institution").outerjoin(
        institution_checks,
        and_(
            institution_checks.c.institution_id == institutions.c.id,
            institution_checks.c.item_id == checklist_items.c.id,
        ),
    )


def institution_check_states(engine: Engine, filters: PageFilter = ALL_PAGES) -> pd.DataFrame:
    """Every (institution of the selection, active institution item) cell: its state and version
    (no row: «not done», no version)."""
    statement = (
        select(
            institutions.c.id.label("institution_id"),
            checklist_items.c.id.label("item_id"),
            func.coalesce(institution_checks.c.state, "not_done").label("state"),
            institution_checks.c.version,
        )
        .select_from(_institution_cells())
        .where(institutions.c.id.in_(selected_institutions(filters)), checklist_items.c.retired_at.is_(None))
        .order_by(institutions.c.id, checklist_items.c.position, checklist_items.c.id)
    )
    with engine.connect() as connection:
        result = frame(connection, statement)
    result["version"] = pd.array(result["version"], dtype="Int64")
    return result


def verification_by_institution(engine: Engine, filters: PageFilter = ALL_PAGES) -> pd.DataFrame:
    """Per institution of the selection: its institution items applicable and done, required and
    optional (an institution with none gets zeros)."""
    statement = (
        select(institutions.c.id.label("institution_id"), *_score_columns(institution_checks.c.state))
        .select_from(
            institutions.outerjoin(
                checklist_items, and_(checklist_items.c.scope == "institution", checklist_items.c.retired_at.is_(None))
            ).outerjoin(
                institution_checks,
                and_(
                    institution_checks.c.institution_id == institutions.c.id,
                    institution_checks.c.item_id == checklist_items.c.id,
                ),
            )
        )
        .where(institutions.c.id.in_(selected_institutions(filters)))
        .group_by(institutions.c.id)
        .order_by(institutions.c.id)
    )
    return _scores(engine, statement)


def check_details(
    engine: Engine, cells: list[tuple[int, int]], institution: bool = False
) -> dict[tuple[int, int], dict]:
    """Note and evidence link of the given (page, item) cells — (institution, item) cells with
    `institution` — to keep them when only the state changes."""
    table = institution_checks if institution else page_checks
    owner = table.c.institution_id if institution else table.c.page_id
    details: dict[tuple[int, int], dict] = {}
    wanted = set(cells)
    with engine.connect() as connection:
        for chunk in in_chunks(sorted({unit for unit, _ in cells})):
            rows = connection.execute(
                select(owner.label("unit"), table.c.item_id, table.c.note, table.c.evidence_url).where(owner.in_(chunk))
            )
            for row in rows:
                if (row.unit, row.item_id) in wanted:
                    details[(row.unit, row.item_id)] = {"note": row.note, "evidence_url": row.evidence_url}
    return details


def content_items_frame(
    engine: Engine,
    start: datetime | None = None,
    end: datetime | None = None,
    backlog: bool = False,
    item_id: int | None = None,
) -> pd.DataFrame:
    """Calendar items planned in [start, end) (or the undated backlog; or the one material
    `item_id`, dated or not), with their audience: categories (tuple of codes), explicit pages,
    and on how many of those it is published."""
    explicit = (
        select(
            content_item_pages.c.item_id,
            func.count().label("page_count"),
            func.count(content_item_pages.c.published_at).label("published_count"),
        )
        .group_by(content_item_pages.c.item_id)
        .subquery()
    )
    condition: ColumnElement[bool] = (
        content_items.c.publish_at.is_(None) if backlog else content_items.c.publish_at.is_not(None)
    )
    if start is not None:
        condition = and_(condition, content_items.c.publish_at >= start)
    if end is not None:
        condition = and_(condition, content_items.c.publish_at < end)
    if item_id is not None:
        condition = content_items.c.id == item_id
    statement = (
        select(
            content_items,
            func.coalesce(explicit.c.page_count, 0).label("page_count"),
            func.coalesce(explicit.c.published_count, 0).label("published_count"),
        )
        .select_from(content_items.outerjoin(explicit, explicit.c.item_id == content_items.c.id))
        .where(condition)
        .order_by(content_items.c.publish_at, content_items.c.id)
    )
    with engine.connect() as connection:
        result = frame(connection, statement)
        audience_query = select(content_item_categories.c.item_id, content_item_categories.c.category).order_by(
            content_item_categories.c.category
        )
        links_query = select(content_item_pages.c.item_id, content_item_pages.c.page_id)
        if item_id is not None:
            audience_query = audience_query.where(content_item_categories.c.item_id == item_id)
            links_query = links_query.where(content_item_pages.c.item_id == item_id)
        audience = connection.execute(audience_query).all()
        page_links = connection.execute(links_query).all()
    categories: dict[int, list[str]] = {}
    for material, category in audience:
        categories.setdefault(material, []).append(category)
    linked: dict[int, list[int]] = {}
    for material, page_id in page_links:
        linked.setdefault(material, []).append(page_id)
    result["categories"] = [tuple(categories.get(material, ())) for material in result["id"]]
    result["page_ids"] = [tuple(sorted(linked.get(material, ()))) for material in result["id"]]
    for column in ("rubric", "editor", "notes"):  # optional texts: empty, never NaN, for every builder
        result[column] = [value if isinstance(value, str) else "" for value in result[column]]
    return result


def content_item_targets(engine: Engine, item_id: int) -> pd.DataFrame:
    """The explicitly chosen pages of one material, with names and publication marks."""
    statement = (
        select(
            content_item_pages.c.page_id,
            institutions.c.short_name,
            institutions.c.district,
            pages.c.platform,
            pages.c.url,
            content_item_pages.c.published_at,
            content_item_pages.c.published_by,
        )
        .select_from(
            content_item_pages.join(pages, pages.c.id == content_item_pages.c.page_id).join(
                institutions, institutions.c.id == pages.c.institution_id
            )
        )
        .where(content_item_pages.c.item_id == item_id)
        .order_by(institutions.c.short_name)
    )
    with engine.connect() as connection:
        return frame(connection, statement)


def _reach(items: Select | None = None):
    """(item_id, page_id): every page a material is meant for, chosen explicitly or through its
    whole category; only for the materials `items` selects (ids) when given, which keeps the
    union small (SQLite would otherwise build it for every material ever planned)."""
    explicit = select(content_item_pages.c.item_id, content_item_pages.c.page_id)
    by_category = select(content_item_categories.c.item_id, pages.c.id.label("page_id")).select_from(
        content_item_categories.join(institutions, institutions.c.category == content_item_categories.c.category).join(
            pages, pages.c.institution_id == institutions.c.id
        )
    )
    if items is not None:
        explicit = explicit.where(content_item_pages.c.item_id.in_(items))
        by_category = by_category.where(content_item_categories.c.item_id.in_(items))
    return explicit.union(by_category).subquery("reach")


def page_coverage(
    engine: Engine, filters: PageFilter, start: datetime, end: datetime, published_only: bool = False
) -> pd.DataFrame:
    """Per page of the selection: how many non-cancelled materials planned or published in
    [start, end) reach it (chosen explicitly or through its whole category), and the latest
    such material's time; only the published ones with `published_only`."""
    status = (content_items.c.status == "published") if published_only else (content_items.c.status != "cancelled")
    reach = _reach(
        select(content_items.c.id).where(status, content_items.c.publish_at >= start, content_items.c.publish_at < end)
    )
    served = (
        select(reach.c.page_id, func.count().label("materials"), func.max(content_items.c.publish_at).label("last_at"))
        .select_from(reach.join(content_items, content_items.c.id == reach.c.item_id))
        .where(status, content_items.c.publish_at >= start, content_items.c.publish_at < end)
        .group_by(reach.c.page_id)
        .subquery("served")
    )
    statement = (
        select(
            pages.c.id.label("page_id"),
            institutions.c.short_name,
            pages.c.platform,
            institutions.c.category,
            institutions.c.district,
            func.coalesce(served.c.materials, 0).label("materials"),
            served.c.last_at,
        )
        .select_from(_pages_of_institutions().outerjoin(served, served.c.page_id == pages.c.id))
        .where(filters.condition())
        .order_by(func.coalesce(served.c.materials, 0), institutions.c.short_name)
    )
    with engine.connect() as connection:
        return frame(connection, statement)


def city_date_list(engine: Engine) -> pd.DataFrame:
    with engine.connect() as connection:
        return frame(connection, select(city_dates).order_by(city_dates.c.day))


def registry_frame(engine: Engine, include_retired: bool = False) -> pd.DataFrame:
    """One row per page with its institution, versions and retirement marks (for the admin)."""
    statement = (
        select(
            institutions.c.id.label("institution_id"),
            institutions.c.code,
            institutions.c.name,
            institutions.c.short_name,
            institutions.c.category,
            institutions.c.district,
            institutions.c.address,
            institutions.c.lat,
            institutions.c.lon,
            institutions.c.website,
            institutions.c.version.label("institution_version"),
            institutions.c.retired_at.label("institution_retired_at"),
            pages.c.id.label("page_id"),
            pages.c.platform,
            pages.c.url,
            pages.c.is_flagship,
            pages.c.target_override,
            pages.c.version.label("page_version"),
            pages.c.retired_at.label("page_retired_at"),
        )
        .select_from(institutions.outerjoin(pages, pages.c.institution_id == institutions.c.id))
        .order_by(institutions.c.short_name, pages.c.id)
    )
    if not include_retired:
        statement = statement.where(institutions.c.retired_at.is_(None))
    with engine.connect() as connection:
        return frame(connection, statement)


def _item_counts_on_pages(filters: PageFilter):
    """Per page item: on how many pages of the selection it applies and is done."""
    state = func.coalesce(page_checks.c.state, "not_done")
    return (
        select(
            checklist_items.c.id,
            func.sum(case((state != "n_a", 1), else_=0)).label("applies"),
            func.sum(case((state == "done", 1), else_=0)).label("done"),
        )
        .select_from(
            _pages_of_institutions()
            .join(checklist_items, page_item_applies())
            .outerjoin(
                page_checks, and_(page_checks.c.page_id == pages.c.id, page_checks.c.item_id == checklist_items.c.id)
            )
        )
        .where(filters.condition(), checklist_items.c.retired_at.is_(None))
        .group_by(checklist_items.c.id)
    )


def _item_counts_on_institutions(filters: PageFilter):
    """Per institution item: on how many institutions with a page in the selection it applies and is done."""
    marked = func.coalesce(institution_checks.c.state, "not_done")
    return (
        select(
            checklist_items.c.id,
            func.sum(case((marked != "n_a", 1), else_=0)).label("applies"),
            func.sum(case((marked == "done", 1), else_=0)).label("done"),
        )
        .select_from(_institution_cells())
        .where(institutions.c.id.in_(selected_institutions(filters)), checklist_items.c.retired_at.is_(None))
        .group_by(checklist_items.c.id)
    )


def item_completion(engine: Engine, filters: PageFilter = ALL_PAGES) -> pd.DataFrame:
    """Per active checklist item, in its own unit: a page item — on how many pages of the selection
    it applies (their network, not «не применимо») and is done; an institution item — the same over
    the institutions that have a page in the selection. Column `scope` says which."""
    counts = _item_counts_on_pages(filters).union_all(_item_counts_on_institutions(filters)).subquery()
    statement = (
        select(
            checklist_items.c.id,
            checklist_items.c.title,
            checklist_items.c.is_required,
            checklist_items.c.position,
            checklist_items.c.scope,
            checklist_items.c.platforms,
            func.coalesce(counts.c.applies, 0).label("applies"),
            func.coalesce(counts.c.done, 0).label("done"),
        )
        .select_from(checklist_items.outerjoin(counts, counts.c.id == checklist_items.c.id))
        .where(checklist_items.c.retired_at.is_(None))
        .order_by(checklist_items.c.position, checklist_items.c.id)
    )
    with engine.connect() as connection:
        result = frame(connection, statement)
    result["is_required"] = result["is_required"].astype(bool)
    for column in ("applies", "done"):
        result[column] = result[column].astype(int)
    result["share_done"] = [
        done / applies if applies else 1.0 for done, applies in zip(result["done"], result["applies"])
    ]
    return result


def institution_channels(engine: Engine, institution_id: int) -> pd.DataFrame:
    """Every active page of one institution: its network, link and latest figure (None: none yet)."""
    statement = (
        select(
            pages.c.id.label("page_id"),
            pages.c.platform,
            pages.c.url,
            _snapshot_of(pages.c.id, "subscribers").label("subscribers"),
        )
        .where(pages.c.institution_id == institution_id, pages.c.retired_at.is_(None))
        .order_by(pages.c.id)
    )
    with engine.connect() as connection:
        result = frame(connection, statement)
    result["subscribers"] = pd.array(result["subscribers"], dtype="Int64")
    return result


def page_directory(engine: Engine, filters: PageFilter = ALL_PAGES) -> pd.DataFrame:
    """Who each active page of the selection belongs to: names, category, district, network, link
    (no figures: for lookups like the QR page)."""
    statement = (
        select(
            *_page_owner(),
            pages.c.platform,
            pages.c.url,
        )
        .select_from(_pages_of_institutions())
        .where(filters.condition())
        .order_by(pages.c.id)
    )
    with engine.connect() as connection:
        return frame(connection, statement)


def published_materials(engine: Engine, filters: PageFilter, start: datetime, end: datetime) -> pd.DataFrame:
    """Materials published in [start, end) that reach at least one page of the selection: one
    row per material and institution category it reached (columns item_id, publish_at, format,
    category)."""
    published = select(content_items.c.id).where(
        content_items.c.status == "published", content_items.c.publish_at >= start, content_items.c.publish_at < end
    )
    reach = _reach(published)
    statement = (
        select(
            content_items.c.id.label("item_id"),
            content_items.c.publish_at,
            content_items.c.format,
            institutions.c.category,
        )
        .select_from(
            reach.join(content_items, content_items.c.id == reach.c.item_id)
            .join(pages, pages.c.id == reach.c.page_id)
            .join(institutions, institutions.c.id == pages.c.institution_id)
        )
        .where(filters.condition())
        .distinct()
        .order_by(content_items.c.publish_at, content_items.c.id, institutions.c.category)
    )
    with engine.connect() as connection:
        return frame(connection, statement)


def checks_marked_done(engine: Engine, filters: PageFilter, start: datetime, end: datetime) -> int:
    """Checklist marks that are «done» and were last changed in [start, end): of the selection's
    pages (items applying to them) and of the institutions that have a page in the selection."""
    on_pages = (
        select(func.count())
        .select_from(
            page_checks.join(pages, pages.c.id == page_checks.c.page_id)
            .join(institutions, institutions.c.id == pages.c.institution_id)
            .join(checklist_items, and_(checklist_items.c.id == page_checks.c.item_id, page_item_applies()))
        )
        .where(
            filters.condition(),
            checklist_items.c.retired_at.is_(None),
            page_checks.c.state == "done",
            page_checks.c.updated_at >= start,
            page_checks.c.updated_at < end,
        )
    )
    on_institutions = (
        select(func.count())
        .select_from(institution_checks.join(checklist_items, checklist_items.c.id == institution_checks.c.item_id))
        .where(
            institution_checks.c.institution_id.in_(selected_institutions(filters)),
            checklist_items.c.retired_at.is_(None),
            institution_checks.c.state == "done",
            institution_checks.c.updated_at >= start,
            institution_checks.c.updated_at < end,
        )
    )
    with engine.connect() as connection:
        return int(connection.execute(on_pages).scalar() or 0) + int(connection.execute(on_institutions).scalar() or 0)


def platform_coverage(engine: Engine, filters: PageFilter = ALL_PAGES) -> pd.DataFrame:
    """Per active institution of the selection (its platform filter ignored: the point is which
    networks exist): one 0/1 column per platform — whether it has an active page there."""
    everywhere = replace(filters, platforms=())
    statement = (
        select(
            institutions.c.id.label("institution_id"),
            institutions.c.short_name,
            institutions.c.category,
            institutions.c.district,
            *(func.max(case((pages.c.platform == code, 1), else_=0)).label(code) for code in PLATFORMS),
        )
        .select_from(institutions.join(pages, pages.c.institution_id == institutions.c.id))
        .where(everywhere.condition())
        .group_by(institutions.c.id, institutions.c.short_name, institutions.c.category, institutions.c.district)
        .order_by(institutions.c.short_name)
    )
    with engine.connect() as connection:
        result = frame(connection, statement)
    for code in PLATFORMS:
        result[code] = result[code].astype(int).astype(bool) if len(result) else pd.Series(dtype=bool)
    return result
