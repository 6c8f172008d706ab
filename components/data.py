"""Cached loaders between data_access and the pages: the engine once per process, reads per filter.

Every read is keyed by the filter values and by the write counter (revision) of the data it
depends on. A write raises the counter in the same transaction, so the next rerun in any
session, in this process or another app instance, misses the cache and reads fresh data.

Two kinds of cache, chosen by how often a read comes back:
- what most reruns of a page read is _shared: one object per process handed out as a copy-on-write
  view (_private), because every session of every role reads the same few thousand rows on every
  rerun, st.cache_data would unpickle them each time, and Streamlit's hashing of the arguments
  alone costs ≈ 0.3 ms a read. That is the per-page figures of a selection and everything derived
  from them (summaries, KPIs, page tables and pickers, the history series, the map), the checklist
  cells, and the content plan with what is derived from it (the filtered window, its days, tables,
  overdue materials, holidays and city dates) — so a warm rerun redoes no pandas work, it draws;
- everything else is st.cache_data (a private copy per read): small results, read less often.

Read uncached, on purpose: what an administrator checks against the database at the moment
(users list, audit log — pages/users.py and pages/audit.py call data_access directly; small tables,
and a cached copy could trail another instance by the 2-s revision cache) and what a save must
compare with the stored row (check_details below, the versions in data_access's write path).
Writes never go through this module: pages call data_access with get_engine(), and
data_access checks the actor's role and the row versions in the write's own transaction.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import cachetools
import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from components import content as plan
from components import maps, tables, verification
from data_access import (
    accounts,
    clock,
    content_plan,
    figures,
    importers,
    newsroom,
    periods,
    queries,
    report,
    rules,
    search,
    seed,
    summaries,
    territory,
)
from data_access import (
    first_steps as first_steps_module,
)
from data_access.areas import Area, areas_of
from data_access.config import Settings, database_url, is_default_store, load_settings
from data_access.engine import check_connection, make_engine
from data_access.filters import PageFilter
from data_access.vocabulary import (
    STATUS_LAGGING,
    STATUS_NO_DATA,
    STATUS_ON_TRACK,
    STATUS_STALE,
    STATUS_STALLED,
)

# How long a revision read is trusted: other app instances see a write within this time.
REVISION_TTL_SECONDS = 2
# How long a cached read lives at most (its key holds the data revision, so it is never stale).
READ_TTL_SECONDS = 3600


def get_engine() -> Engine:
    """The process-wide engine of the configured store."""
    return _engine_for(database_url())


@st.cache_resource(show_spinner="Открываем базу данных…")
def _engine_for(url: str) -> Engine:
    """One engine per database URL: migrated, and seeded with the demo city if it is the empty
    embedded default store."""
    engine = make_engine(url)
    check_connection(engine)
    seed.initialise(engine)
    if is_default_store(url) and not queries.store_counts(engine)["institutions"]:
        seed.load_demo(engine)
    return engine


@st.cache_resource
def get_settings() -> Settings:
    return load_settings()


def coverage_area() -> str:
    """«city» or «region»: what the store covers (the `territory` setting, else the data set)."""
    dataset = store_facts(revision(Area.REGISTRY, Area.SUBSCRIBERS))["dataset"]  # cached: no query per rerun
    return territory.territory_for(dataset, get_settings())


def known_districts() -> tuple[str, ...]:
    """The districts the registry may name (the city's ten, or the whole region's)."""
    return territory.known_districts(coverage_area())


@st.cache_data(ttl=REVISION_TTL_SECONDS, show_spinner=False)
def revisions() -> dict[str, int]:
    return queries.revisions(get_engine())


def revision(*areas: Area) -> tuple[int, ...]:
    """The write counters of `areas`; pass the result to a cached loader as its cache key. An
    area never written yet counts 0; a name that is no Area is a ValueError, not a cache that
    never refreshes."""
    current = revisions()
    return tuple(current.get(area, 0) for area in areas_of(areas))


def as_of() -> date | None:
    return store_facts(revision(Area.REGISTRY, Area.SUBSCRIBERS))["as_of"]


def first_day() -> date | None:
    """The earliest day with a subscriber figure."""
    return store_facts(revision(Area.REGISTRY, Area.SUBSCRIBERS))["first_day"]


def deadline() -> date:
    """The configured deadline, else the default rule applied to the data's date."""
    configured = get_settings().deadline
    if configured:
        return configured
    return rules.default_deadline(as_of() or today())


def clear_read_caches() -> None:
    """Forget every cached read (not the engine): the next run reads the store again."""
    st.cache_data.clear()
    for read in _SHARED:
        read.clear()


def _private(value):
    """A caller's own view of a shared cached result. pandas copy-on-write makes a shallow copy
    of a frame independent of the original at the first change, so a page that adds or changes a
    column never alters what other sessions read; it costs microseconds, where st.cache_data
    unpickles a whole frame on every read. A frozen dataclass gets its frames, lists and dicts
    copied the same way; an Arrow table cannot be changed. A tables.Table or PageRows comes as its
    reader_copy: its frames shallow-copied the same way, its Arrow table and digest shared."""
    if isinstance(value, (tables.Table, tables.PageRows)):
        return value.reader_copy()
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)
    if isinstance(value, (list, dict)):
        return value.copy()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        own = {
            field.name: _private(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if isinstance(getattr(value, field.name), (pd.DataFrame, list, dict))
        }
        return dataclasses.replace(value, **own) if own else value
    return value


_SHARED: list = []  # every _shared read, for clear_read_caches
_FRONT_LOCK = threading.Lock()
_MISSING = object()


@st.cache_resource(show_spinner=False)
def _fronts() -> dict[str, cachetools.TTLCache]:
    """The front cache of each _shared read, by read name. Kept as a cache resource itself so
    that st.cache_resource.clear() (a test switching stores) empties the fronts with the rest."""
    return {}


def _shared(max_entries: int, show_spinner: bool | str = False):
    """Keep a read once per process and hand out _private views of it.

    st.cache_resource computes each key once for all sessions (the others wait, under the
    spinner); in front of it a cachetools TTL cache answers the repeated reads of a rerun by the
    arguments' own hash (PageFilter, dates, revision tuples), without Streamlit's hashing of them
    (≈ 0.3 ms a read, dozens of reads a rerun). The read must return a frame, a Table, PageRows or
    a frozen dataclass: what every session shares (lists and dicts in it are read only)."""

    def wrap(read):
        computed = st.cache_resource(ttl=READ_TTL_SECONDS, max_entries=max_entries, show_spinner=show_spinner)(read)
        name = f"{read.__module__}.{read.__qualname__}"

        @functools.wraps(read)
        def load(*args):
            fronts = _fronts()
            with _FRONT_LOCK:
                front = fronts.get(name)
                if front is None:
                    front = fronts[name] = cachetools.TTLCache(max_entries, READ_TTL_SECONDS)
                value = front.get(args, _MISSING)
            if value is _MISSING:
                value = computed(*args)
                with _FRONT_LOCK:
                    front[args] = value
            return _private(value)

        def clear() -> None:
            with _FRONT_LOCK:
                _fronts().pop(name, None)
            computed.clear()

        load.clear = clear
        _SHARED.append(load)
        return load

    return wrap


# The date of the data, the data set and the filter options: read by app.py and several times by
# every page (the option lists are shared: read only).
@_shared(max_entries=8)
def store_facts(revision: tuple[int, ...]) -> dict:
    engine = get_engine()
    return {
        "as_of": queries.data_as_of(engine),
        "first_day": queries.first_data_day(engine),
        "dataset": queries.dataset_label(engine),
        "options": queries.filter_options(engine),
    }


@_shared(max_entries=4)
def first_steps(revision: tuple[int, ...]) -> tuple[first_steps_module.Step, ...]:
    return tuple(first_steps_module.steps(get_engine(), get_settings()))


def load_first_steps() -> tuple[first_steps_module.Step, ...]:
    """«Начало работы»: the steps of a new install with their state (None on the demo data sets)."""
    if store_facts(revision(Area.REGISTRY, Area.SUBSCRIBERS))["dataset"]:
        return ()
    return first_steps(revision(Area.REGISTRY, Area.SUBSCRIBERS, Area.USERS, Area.COLLECT))


# The per-page figures and what is derived from them are read on most reruns of most pages.
@_shared(max_entries=64, show_spinner="Считаем показатели…")
def page_figures(
    filters: PageFilter, deadline: date, today: date, stale_after_days: int, revision: tuple[int, ...]
) -> pd.DataFrame:
    return figures.page_figures(get_engine(), filters, deadline, today, stale_after_days)


def _history(filters: PageFilter, start: date | None, end: date | None, by: str, page_id: int | None) -> pd.DataFrame:
    """The selection's daily history, read for a derived result (itself cached by revision)."""
    return queries.subscriber_history(get_engine(), filters, start, end, by, page_id)


def _status_summary_table(pages: pd.DataFrame, by: str) -> pd.DataFrame:
    """summaries.summarise as a table with every status (for «Цели»): «Достигли цели», «По графику»,
    «Отстают», «Нет роста», «Нет свежих данных», «Нет данных» add up to «Страниц» on every row."""
    summary = summaries.summarise(pages, by)
    return tables.summary_frame(summary, by).assign(
        **{
            "По графику": summary[STATUS_ON_TRACK].to_numpy(),
            "Отстают": summary[STATUS_LAGGING].to_numpy(),
            "Нет роста": summary[STATUS_STALLED].to_numpy(),
            "Нет свежих данных": summary[STATUS_STALE].to_numpy(),
            "Нет данных": summary[STATUS_NO_DATA].to_numpy(),
        }
    )


def _freshness_rows(pages: pd.DataFrame, wanted: tuple[str, str | None]) -> tables.Table:
    query, status = wanted
    shown = search.matching(pages, query)
    if status:
        shown = shown[shown["status"] == status]
    return tables.table_of(tables.freshness_frame(summaries.oldest_first(shown)))


def _picker_search(pages: pd.DataFrame, query: str, limit: int) -> tables.PagePicker:
    """The first `limit` pages of a search, best first (search.search); with no query, the first
    `limit` in name order. `found` counts every page the query matches."""
    if not query.strip():
        return tables.page_picker(pages.sort_values("short_name").head(limit), found=len(pages))
    return tables.page_picker(
        search.search(pages, query, limit), in_name_order=False, found=len(search.matching(pages, query))
    )


def _matching_rows(pages: pd.DataFrame, wanted: tuple[str, tuple[str, ...]]) -> tables.PageRows:
    query, statuses = wanted
    shown = search.matching(pages, query)
    if statuses:
        shown = shown[shown["status"].isin(statuses)]
    return tables.page_rows(shown.sort_values(["progress", "short_name"]))


# What is derived from the selection's per-page figures, each computed once per data revision,
# selection and argument: a rerun reads the result instead of redoing pandas work on 3465 rows.
_DERIVED = {
    "summary": summaries.summarise,
    "summary_table": lambda pages, by: tables.table_of(tables.summary_frame(summaries.summarise(pages, by), by)),
    "status_summary_table": lambda pages, by: tables.table_of(_status_summary_table(pages, by)),
    "weakest": lambda pages, limit: tables.page_rows(summaries.weakest_pages(pages, limit)),
    "new_channels": lambda pages, limit: tables.page_rows(summaries.newest_channels(pages, limit)),
    "rows": _matching_rows,
    "kpis": lambda pages, _: summaries.kpis(pages),
    "outlook": lambda pages, _: summaries.outlook(pages),
    "picker": lambda pages, _: tables.page_picker(pages),
    "picker_search": lambda pages, wanted: _picker_search(pages, *wanted),
    "unplaced": lambda pages, _: tables.table_of(maps.unplaced(pages)),
    "verification_scores": lambda pages, _: verification.scores_of(pages),
    "verification_groups": lambda pages, by: tables.table_of(
        verification.group_scores(pages, verification.scores_of(pages), by)
    ),
    "history": lambda pages, wanted: summaries.history_series(_history(*wanted), pages, wanted[-2], wanted[-1]),
    "freshness": lambda pages, _: summaries.freshness(pages),
    "fresh": summaries.fresh_pages,
    "age_bands": lambda pages, _: summaries.pages_by_age(pages),
    "freshness_rows": _freshness_rows,
    "posting": lambda pages, _: summaries.posting(pages),
}


@_shared(max_entries=256)
def _derived(
    kind: str,
    argument,
    filters: PageFilter,
    deadline: date,
    today: date,
    stale_after_days: int,
    revision: tuple[int, ...],
):
    return _DERIVED[kind](page_figures(filters, deadline, today, stale_after_days, revision), argument)


def _figures_key(filters: PageFilter, deadline_day: date | None) -> tuple:
    return (
        filters,
        deadline_day or deadline(),
        today(),
        get_settings().stale_after_days,
        revision(Area.REGISTRY, Area.SUBSCRIBERS, Area.CHECKLIST, Area.MEASUREMENTS),
    )


def load_summary(filters: PageFilter, by: str, deadline_day: date | None = None) -> pd.DataFrame:
    """summaries.summarise of the selection's per-page figures by "category" or "district"."""
    return _derived("summary", by, *_figures_key(filters, deadline_day))


def load_summary_table(
    filters: PageFilter, by: str, deadline_day: date | None = None, with_statuses: bool = False
) -> tables.Table:
    """The summary by "category" or "district" as shown on screen and in its CSV (tables.summary_frame);
    `with_statuses` adds how many pages are on track, lagging and stalled."""
    return _derived(
        "status_summary_table" if with_statuses else "summary_table", by, *_figures_key(filters, deadline_day)
    )


def load_weakest(filters: PageFilter, limit: int, deadline_day: date | None = None) -> tables.PageRows:
    """summaries.weakest_pages of the selection as a table, once per data revision, selection and limit."""
    return _derived("weakest", limit, *_figures_key(filters, deadline_day))


def load_new_channels(filters: PageFilter, limit: int, deadline_day: date | None = None) -> tables.PageRows:
    """summaries.newest_channels of the selection as a table."""
    return _derived("new_channels", limit, *_figures_key(filters, deadline_day))


def load_page_rows(
    filters: PageFilter, deadline_day: date | None, query: str = "", statuses: tuple[str, ...] = ()
) -> tables.PageRows:
    """The selection's pages whose names match `query` and whose status is one of `statuses` (all
    when empty), least progress first, as a table."""
    return _derived("rows", (query, tuple(statuses)), *_figures_key(filters, deadline_day))


def load_kpis(filters: PageFilter, deadline_day: date | None = None) -> summaries.Kpis:
    return _derived("kpis", None, *_figures_key(filters, deadline_day))


def load_outlook(filters: PageFilter, deadline_day: date | None = None) -> summaries.Outlook:
    """The selection's pages per status and the weekly growth the ones behind need."""
    return _derived("outlook", None, *_figures_key(filters, deadline_day))


def load_page_picker(filters: PageFilter, deadline_day: date | None = None) -> tables.PagePicker:
    """The selection's pages in name order with their labels, for a selectbox."""
    return _derived("picker", None, *_figures_key(filters, deadline_day))


def load_page_search(
    filters: PageFilter, query: str, limit: int, deadline_day: date | None = None
) -> tables.PagePicker:
    """At most `limit` pages of the selection matching `query`, best first, for a picker over a
    selection too long to send whole (components/page_picker.py)."""
    return _derived("picker_search", (query, limit), *_figures_key(filters, deadline_day))


def load_unplaced(filters: PageFilter) -> tables.Table:
    """Institutions of the selection the map cannot show: no coordinates (maps.unplaced)."""
    return _derived("unplaced", None, *_figures_key(filters, None))


def load_verification_scores(filters: PageFilter) -> pd.DataFrame:
    """Per page of the selection: required items applicable and done, score, missing (verification.scores_of)."""
    return _derived("verification_scores", None, *_figures_key(filters, None))


def load_verification_groups(filters: PageFilter, by: str) -> tables.Table:
    """Verified pages and average score of the selection per "category" or "district"
    (verification.group_scores)."""
    return _derived("verification_groups", by, *_figures_key(filters, None))


def load_history_series(
    filters: PageFilter,
    start: date | None,
    end: date | None,
    series: str,
    page_id: int | None = None,
    deadline_day: date | None = None,
) -> summaries.HistorySeries:
    """The history block of a selection for `series` ("total", "category" or "page") from `start` (None: from
    the first figure) to `end`, with today's targets and page counts; `page_id` for one page."""
    return _derived(
        "history",
        (filters, start, end, series, page_id if series == "page" else None),
        *_figures_key(filters, deadline_day),
    )


def load_freshness(filters: PageFilter, deadline_day: date | None = None) -> summaries.Freshness:
    return _derived("freshness", None, *_figures_key(filters, deadline_day))


def load_fresh_count(filters: PageFilter) -> int:
    """Pages of the selection whose latest figure is within the freshness limit (summaries.fresh_pages)."""
    return _derived("fresh", get_settings().stale_after_days, *_figures_key(filters, None))


def load_age_bands(filters: PageFilter) -> pd.DataFrame:
    """Pages of the selection per age band of their latest figure (summaries.pages_by_age)."""
    return _derived("age_bands", None, *_figures_key(filters, None))


def load_freshness_rows(filters: PageFilter, query: str = "", status: str | None = None) -> tables.Table:
    """The «Свежесть данных» table: pages matching `query` (with `status`, if given), without
    figures first, then the oldest figures first."""
    return _derived("freshness_rows", (query, status), *_figures_key(filters, None))


def load_posting(filters: PageFilter, deadline_day: date | None = None) -> summaries.Posting:
    """How the selection's VK pages post and engage (their latest measurements)."""
    return _derived("posting", None, *_figures_key(filters, deadline_day))


def load_page_figures(filters: PageFilter, deadline_day: date | None = None) -> pd.DataFrame:
    """One row per page of the selection with figures, status, forecast, checklist counts and the
    latest VK measurement."""
    return page_figures(*_figures_key(filters, deadline_day))


@_shared(max_entries=64)
def _changes(filters: PageFilter, as_of: date, revision: tuple[int, ...]) -> tuple[summaries.Change, summaries.Change]:
    recent = _history(filters, as_of - timedelta(days=30), as_of, "total", None)
    return summaries.changes(recent, as_of, "subscribers"), summaries.changes(recent, as_of, "at_target")


def load_changes(filters: PageFilter) -> dict[str, summaries.Change]:
    """How the selection's subscribers and pages at target ("subscribers", "at_target") moved
    over the 7 and 30 days up to the data's date (summaries.changes of its history)."""
    day = as_of()
    if day is None:
        return {"subscribers": summaries.Change(None, None), "at_target": summaries.Change(None, None)}
    subscribers, at_target = _changes(filters, day, revision(Area.REGISTRY, Area.SUBSCRIBERS))
    return {"subscribers": subscribers, "at_target": at_target}


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=256, show_spinner=False)
def page_checklist(page_id: int, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.page_checklist(get_engine(), page_id)


@_shared(max_entries=256)
def institution_channels(institution_id: int, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.institution_channels(get_engine(), institution_id)


def load_institution_channels(institution_id: int) -> pd.DataFrame:
    """Every active page of an institution with its network and latest figure (for its card)."""
    return institution_channels(institution_id, revision(Area.REGISTRY, Area.SUBSCRIBERS))


def load_page_checklist(page_id: int) -> pd.DataFrame:
    return page_checklist(page_id, revision(Area.CHECKLIST))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=256, show_spinner=False)
def upcoming(page_id: int, category: str, start: datetime, end: datetime, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.upcoming_content(get_engine(), page_id, category, start, end)


def load_upcoming(page_id: int, category: str, days: int = 14) -> pd.DataFrame:
    """Calendar items for the page or its category from today (Novosibirsk time) for `days`."""
    today = datetime.combine(clock.today(), datetime.min.time())
    return upcoming(page_id, category, today, today + timedelta(days=days), revision(Area.CALENDAR))


@st.cache_resource(show_spinner=False, max_entries=8)
def district_boundaries(path: str, modified: float) -> dict:
    """The outlines file read once per process and version (a shared, read-only dict: a map run
    that only checks the file is still there must not unpickle 100 KB of coordinates)."""
    return maps.load_boundaries(Path(path))


def _boundaries_key() -> tuple[tuple, str | None]:
    """(path, modified) of the usable district outlines file (the configured one, else the city's
    own shipped with the project), or ((), reason) when it is not usable."""
    path = get_settings().districts_geojson or maps.SHIPPED_BOUNDARIES
    try:
        key = (str(path), Path(path).stat().st_mtime)
        district_boundaries(*key)
        return key, None
    except (OSError, maps.BoundaryFileError) as error:
        return (), str(error)


@_shared(max_entries=64)
def _map_deck(
    view: str,
    color_by: str,
    highlight: int | None,
    screen: str | None,
    tile_url: str | None,
    boundaries_key: tuple,
    filters: PageFilter,
    deadline: date,
    today: date,
    stale_after_days: int,
    revision: tuple[int, ...],
) -> maps.BuiltDeck:
    pages = page_figures(filters, deadline, today, stale_after_days, revision)
    boundaries = district_boundaries(*boundaries_key) if boundaries_key else None
    labels = maps.district_labels(pages)
    if view == "areas":
        region = coverage_area() == "region"
        # In the region the city is one circle: its outlines would only sit under it.
        deck = maps.areas_deck(
            maps.area_summary(pages, coverage_area()),
            labels,
            None if region else boundaries,
            tile_url,
            width_px=maps.SCREEN_WIDTHS.get(screen) if screen else None,
        )
    else:
        deck = maps.institutions_deck(
            maps.institution_points(pages, color_by), labels, boundaries, tile_url, highlight=highlight
        )
    return maps.built(deck)


def load_map_deck(
    filters: PageFilter, view: str, color_by: str, highlight: int | None, screen: str | None = None
) -> tuple[maps.BuiltDeck, str | None]:
    """The map of the selection — «areas» or institution «points» coloured by `color_by`, the
    institution `highlight` ringed — as the JSON st.pydeck_chart sends, built once per data
    revision and choice; with the reason the district outlines are missing, if they are.
    `screen` («phone» or «wide») fits the areas view to that screen's map; without it one view
    serves both (maps.fit_view)."""
    key, problem = _boundaries_key()
    highlight = highlight if view == "points" else None
    return _map_deck(
        view, color_by, highlight, screen, get_settings().map_tile_url, key, *_figures_key(filters, None)
    ), problem


@_shared(max_entries=32, show_spinner="Загружаем чек-листы…")
def checklist_states(filters: PageFilter, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.checklist_states(get_engine(), filters)


def load_checklist_states(filters: PageFilter) -> pd.DataFrame:
    return checklist_states(filters, revision(Area.REGISTRY, Area.CHECKLIST))


@_shared(max_entries=32)
def institution_check_states(filters: PageFilter, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.institution_check_states(get_engine(), filters)


def load_institution_check_states(filters: PageFilter) -> pd.DataFrame:
    """Every (institution of the selection, institution item) cell: state and version."""
    return institution_check_states(filters, revision(Area.REGISTRY, Area.CHECKLIST))


@_shared(max_entries=32)
def institution_scores(filters: PageFilter, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.verification_by_institution(get_engine(), filters)


def load_institution_scores(filters: PageFilter) -> pd.DataFrame:
    """Per institution of the selection: its required institution items applicable and done."""
    return institution_scores(filters, revision(Area.REGISTRY, Area.CHECKLIST))


@_shared(max_entries=8)
def checklist_items(include_retired: bool, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.checklist_item_list(get_engine(), include_retired)


def load_checklist_items(include_retired: bool = False) -> pd.DataFrame:
    return checklist_items(include_retired, revision(Area.CHECKLIST))


@_shared(max_entries=32)
def content(start: datetime | None, end: datetime | None, backlog: bool, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.content_items_frame(get_engine(), start, end, backlog)


def load_content(start: datetime | None, end: datetime | None, backlog: bool = False) -> pd.DataFrame:
    return content(start, end, backlog, revision(Area.CALENDAR, Area.REGISTRY))


def _shown_content(
    start: datetime | None,
    end: datetime | None,
    choice: plan.ItemFilter,
    filters: PageFilter,
    revision: tuple[int, ...],
) -> pd.DataFrame:
    """The window's materials that match the calendar's own filters and reach the selection."""
    items = content(start, end, start is None, revision)
    # revision is ("calendar", "registry"): the directory's own key is the registry's alone
    reached = None if filters.is_everything else set(page_directory(filters, revision[1:])["page_id"])
    return plan.filter_items(items, choice, reached, filters.categories)


# What the content plan shows of a window, each built once per data revision, window, calendar
# filters and selection (a rerun of the month grid redoes no pandas work).
_PLAN = {
    "items": lambda shown, _: shown,
    "by_day": lambda shown, _: plan.by_day(shown),
    "table": lambda shown, _: tables.table_of(plan.items_table(shown)),
    "overdue": lambda shown, today: tables.table_of(plan.items_table(plan.overdue(shown, today))),
}


@_shared(max_entries=128)
def _plan_view(
    kind: str,
    argument,
    start: datetime | None,
    end: datetime | None,
    choice: plan.ItemFilter,
    filters: PageFilter,
    revision: tuple[int, ...],
):
    return _PLAN[kind](_shown_content(start, end, choice, filters, revision), argument)


def _plan_key(start: datetime | None, end: datetime | None, choice: plan.ItemFilter, filters: PageFilter) -> tuple:
    return start, end, choice, filters, revision(Area.CALENDAR, Area.REGISTRY)


def load_shown_content(
    start: datetime | None, end: datetime | None, choice: plan.ItemFilter, filters: PageFilter
) -> pd.DataFrame:
    """Materials from `start` to `end` (both None: the ideas without a date) matching the
    calendar's filters `choice` and reaching the sidebar's selection (content.filter_items)."""
    return _plan_view("items", None, *_plan_key(start, end, choice, filters))


def load_content_by_day(
    start: datetime, end: datetime, choice: plan.ItemFilter, filters: PageFilter
) -> dict[date, list[dict]]:
    """load_shown_content per publication day (content.by_day); the records are shared: read only."""
    return _plan_view("by_day", None, *_plan_key(start, end, choice, filters))


def load_content_table(
    start: datetime | None, end: datetime | None, choice: plan.ItemFilter, filters: PageFilter
) -> tables.Table:
    """load_shown_content as the calendar's table (content.items_table)."""
    return _plan_view("table", None, *_plan_key(start, end, choice, filters))


def load_overdue(start: datetime, end: datetime, choice: plan.ItemFilter, filters: PageFilter) -> tables.Table:
    """The shown materials whose production deadline passed before today, not ready yet."""
    return _plan_view("overdue", today(), *_plan_key(start, end, choice, filters))


@_shared(max_entries=32)
def _day_marks(days: tuple[date, ...], revision: tuple[int, ...]) -> dict[date, list[str]]:
    holidays = content_plan.holidays_between(days[0], days[-1])
    return plan.marks_for(list(days), holidays, city_date_list(revision))


def load_day_marks(days: list[date]) -> dict[date, list[str]]:
    """Public holidays and the editors' city dates on each of `days` (content.marks_for); the
    lists are shared: read only."""
    return _day_marks(tuple(days), revision(Area.CALENDAR))


@_shared(max_entries=32)
def _month_grid(
    month: date,
    today: date,
    start: datetime,
    end: datetime,
    choice: plan.ItemFilter,
    filters: PageFilter,
    revision: tuple[int, ...],
) -> dict:
    weeks = plan.month_weeks(month.year, month.month)
    per_day = _plan_view("by_day", None, start, end, choice, filters, revision)
    marks = _day_marks(tuple(day for week in weeks for day in week), revision[:1])
    return plan.month_grid(weeks, month.month, today, per_day, marks)


def load_month_grid(month: date, choice: plan.ItemFilter, filters: PageFilter) -> dict:
    """What the month grid draws for the month of `month` (content.month_grid): the shown
    materials per day, holidays and city dates, built once per data revision, month, filters and
    selection; shared: read only."""
    weeks = plan.month_weeks(month.year, month.month)
    window = plan.start_of(weeks[0][0]), plan.start_of(weeks[-1][-1] + timedelta(days=1))
    return _month_grid(month.replace(day=1), today(), *_plan_key(*window, choice, filters))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=64, show_spinner=False)
def material(item_id: int, revision: tuple[int, ...]) -> dict | None:
    found = queries.content_items_frame(get_engine(), item_id=item_id)
    return found.iloc[0].to_dict() if not found.empty else None


def load_material(item_id: int) -> dict | None:
    """One material of the content plan (dated or an idea) with its audience; None when it is gone."""
    return material(item_id, revision(Area.CALENDAR, Area.REGISTRY))


@_shared(max_entries=32)
def coverage(filters: PageFilter, start: datetime, end: datetime, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.page_coverage(get_engine(), filters, start, end)


def load_coverage(filters: PageFilter, start: datetime, end: datetime) -> pd.DataFrame:
    return coverage(filters, start, end, revision(Area.CALENDAR, Area.REGISTRY))


@_shared(max_entries=4)
def city_date_list(revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.city_date_list(get_engine())


def load_city_dates() -> pd.DataFrame:
    return city_date_list(revision(Area.CALENDAR))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=64, show_spinner=False)
def item_targets(item_id: int, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.content_item_targets(get_engine(), item_id)


def load_item_targets(item_id: int) -> pd.DataFrame:
    return item_targets(item_id, revision(Area.CALENDAR, Area.REGISTRY))


def today() -> date:
    """Today in Novosibirsk."""
    return clock.today()


@_shared(max_entries=32)
def item_completion(filters: PageFilter, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.item_completion(get_engine(), filters)


def load_item_completion(filters: PageFilter) -> pd.DataFrame:
    return item_completion(filters, revision(Area.REGISTRY, Area.CHECKLIST))


def check_details(keys: list[tuple[int, int]], institution: bool = False) -> dict:
    """Note and confirmation link of each (page_id, item_id) cell — (institution_id, item_id) with
    `institution` — as stored now: read uncached at the moment of saving, so that an edit that
    changes only the state keeps what is there."""
    return queries.check_details(get_engine(), keys, institution)


@_shared(max_entries=32)
def page_directory(filters: PageFilter, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.page_directory(get_engine(), filters)


def load_page_directory(filters: PageFilter) -> pd.DataFrame:
    """Names, categories, districts and links of the selection's pages (no figures)."""
    return page_directory(filters, revision(Area.REGISTRY))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=4, show_spinner=False)
def registry_rows(include_retired: bool, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.registry_frame(get_engine(), include_retired=include_retired)


def load_registry(include_retired: bool = False) -> pd.DataFrame:
    """Every institution with its pages (and the versions an edit starts from), for the registry."""
    return registry_rows(include_retired, revision(Area.REGISTRY))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=4, show_spinner=False)
def recent_imports(revision: tuple[int, ...]) -> pd.DataFrame:
    return importers.recent_imports(get_engine())


def load_recent_imports() -> pd.DataFrame:
    """The latest file imports, newest first (every import moves the subscribers or registry revision)."""
    return recent_imports(revision(Area.SUBSCRIBERS, Area.REGISTRY))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=4, show_spinner=False)
def editor_names(revision: tuple[int, ...]) -> list[str]:
    return accounts.editor_names(get_engine())


def load_editor_names() -> list[str]:
    """Who can be named «Ответственный редактор»: active editors and administrators."""
    return editor_names(revision(Area.USERS))


@_shared(max_entries=16, show_spinner="Собираем цифры отчёта…")
def report_figures(
    filters: PageFilter, period: periods.Period, today: date, revision: tuple[int, ...]
) -> report.ReportData:
    return report.gather(get_engine(), filters, period, get_settings(), today, region=coverage_area() == "region")


def _report_key(filters: PageFilter, period: periods.Period) -> tuple:
    # Checklist and calendar writes move the report as well as figures and registry.
    return filters, period, today(), revision(Area.REGISTRY, Area.SUBSCRIBERS, Area.CHECKLIST, Area.CALENDAR)


def load_report_figures(filters: PageFilter, period: periods.Period) -> report.ReportData:
    """The commission report's figures for the selection and period (report.NoDataForPeriod when
    there are none)."""
    return report_figures(*_report_key(filters, period))


@_shared(max_entries=16)
def report_key_figures(
    filters: PageFilter, period: periods.Period, today: date, revision: tuple[int, ...]
) -> tables.Table:
    from components import report as document

    table = document.key_figures_table(report_figures(filters, period, today, revision), notes_apart=True)
    return tables.table_of(pd.DataFrame(list(table.rows), columns=list(table.columns)))


def load_report_key_figures(filters: PageFilter, period: periods.Period) -> tables.Table:
    """The report's table of key figures as the page shows it (the same rows as in the DOCX and PDF)."""
    return report_key_figures(*_report_key(filters, period))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=8, show_spinner=False)
def report_document(filters: PageFilter, period: periods.Period, today: date, revision: tuple[int, ...]):
    # python-docx and vl-convert load only when a report is asked for, not with every page.
    from components import report as document

    return document.build(report_figures(filters, period, today, revision))  # charts rendered once for both files


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=16, show_spinner=False)
def report_file(
    filters: PageFilter, period: periods.Period, kind: str, today: date, revision: tuple[int, ...]
) -> bytes:
    from components import report as document

    built = report_document(filters, period, today, revision)
    return document.pdf_bytes(built) if kind == "pdf" else document.docx_bytes(built)


def load_report_file(filters: PageFilter, period: periods.Period, kind: str) -> bytes:
    """The report as «docx» or «pdf» bytes, built once per data revision, selection and period."""
    filters, period, day, revision_now = _report_key(filters, period)
    return report_file(filters, period, kind, day, revision_now)


@_shared(max_entries=32)
def platform_coverage(filters: PageFilter, revision: tuple[int, ...]) -> pd.DataFrame:
    return queries.platform_coverage(get_engine(), filters)


def load_platform_coverage(filters: PageFilter) -> pd.DataFrame:
    """Per institution: which of VK, OK, Telegram and MAX it has a page on."""
    return platform_coverage(filters, revision(Area.REGISTRY))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=4, show_spinner=False)
def collection_runs(revision: tuple[int, ...]) -> pd.DataFrame:
    from data_access import collect

    return collect.recent_runs(get_engine())


def load_collection_runs() -> pd.DataFrame:
    """The latest collector runs, newest first (every run moves the «collect» revision)."""
    return collection_runs(revision(Area.COLLECT))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=16, show_spinner="Сверяем материалы с публикациями…")
def week_material_pages(start: date, end: date, revision: tuple[int, ...]) -> pd.DataFrame:
    return newsroom.material_pages(get_engine(), start, end)


def load_week_results(start: date, end: date) -> pd.DataFrame:
    """Every (material planned in start…end, page it was planned for) with what became of it
    (newsroom.material_pages); fresh after a collection or a change to the plan."""
    return week_material_pages(start, end, revision(Area.CALENDAR, Area.COLLECT, Area.REGISTRY))
