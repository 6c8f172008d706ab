"""Reads of the subscriber figures: the selection's per-page figures and everything the pages
derive from them (summaries, KPIs, page tables and pickers, the history, freshness, the map).

Each is a shared read (components/reads/cache.py) keyed by its arguments, the revisions of FIGURES
and today: a warm rerun of a page redoes no pandas work on the 3465 pages of the region, it draws.
The derived reads call the builders (summaries, tables, maps, verification) on the figures, so the
result on screen is computed once per data revision, not once per rerun.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from components import maps, tables, verification
from components.reads.cache import shared_read
from components.reads.store import as_of, coverage_area, deadline, get_engine, get_settings, today
from data_access import figures, queries, search, summaries
from data_access.areas import Area
from data_access.filters import PageFilter
from data_access.vocabulary import STATUS_LAGGING, STATUS_NO_DATA, STATUS_ON_TRACK, STATUS_STALE, STATUS_STALLED

# What the per-page figures depend on: the pages and targets, the figures, the checklist counts and
# the VK measurements.
FIGURES = (Area.REGISTRY, Area.SUBSCRIBERS, Area.CHECKLIST, Area.MEASUREMENTS)


def page_figures(filters: PageFilter, deadline_day: date | None = None) -> pd.DataFrame:
    """One row per page of the selection with figures, status, forecast, checklist counts and the
    latest VK measurement, against `deadline_day` (None: the configured deadline — the same entry
    as when that day is passed, so a page asking both ways computes the figures once)."""
    return _page_figures(filters, deadline_day or deadline())


@shared_read(*FIGURES, daily=True, entries=64, spinner="Считаем показатели…")
def _page_figures(filters: PageFilter, deadline_day: date) -> pd.DataFrame:
    return figures.page_figures(get_engine(), filters, deadline_day, today(), get_settings().stale_after_days)


@shared_read(*FIGURES, daily=True, entries=64)
def summary(filters: PageFilter, by: str, deadline_day: date | None = None) -> pd.DataFrame:
    """summaries.summarise of the selection's per-page figures by "category" or "district"."""
    return summaries.summarise(page_figures(filters, deadline_day), by)


@shared_read(*FIGURES, daily=True, entries=64)
def summary_table(
    filters: PageFilter, by: str, deadline_day: date | None = None, with_statuses: bool = False
) -> tables.Table:
    """The summary by "category" or "district" as shown on screen and in its CSV (tables.summary_frame);
    `with_statuses` adds every status («По графику», «Отстают», «Нет роста», «Нет свежих данных»,
    «Нет данных»), which add up to «Страниц» with «Достигли цели» on every row."""
    counts = summary(filters, by, deadline_day)
    frame = tables.summary_frame(counts, by)
    if with_statuses:
        frame = frame.assign(
            **{
                "По графику": counts[STATUS_ON_TRACK].to_numpy(),
                "Отстают": counts[STATUS_LAGGING].to_numpy(),
                "Нет роста": counts[STATUS_STALLED].to_numpy(),
                "Нет свежих данных": counts[STATUS_STALE].to_numpy(),
                "Нет данных": counts[STATUS_NO_DATA].to_numpy(),
            }
        )
    return tables.table_of(frame)


@shared_read(*FIGURES, daily=True, entries=32)
def weakest(filters: PageFilter, limit: int, deadline_day: date | None = None) -> tables.PageRows:
    """summaries.weakest_pages of the selection as a table."""
    return tables.page_rows(summaries.weakest_pages(page_figures(filters, deadline_day), limit))


@shared_read(*FIGURES, daily=True, entries=32)
def new_channels(filters: PageFilter, limit: int, deadline_day: date | None = None) -> tables.PageRows:
    """summaries.newest_channels of the selection as a table."""
    return tables.page_rows(summaries.newest_channels(page_figures(filters, deadline_day), limit))


@shared_read(*FIGURES, daily=True, entries=128)
def page_rows(
    filters: PageFilter, deadline_day: date | None, query: str = "", statuses: tuple[str, ...] = ()
) -> tables.PageRows:
    """The selection's pages whose names match `query` and whose status is one of `statuses` (all
    when empty), least progress first, as a table."""
    shown = search.matching(page_figures(filters, deadline_day), query)
    if statuses:
        shown = shown[shown["status"].isin(statuses)]
    return tables.page_rows(shown.sort_values(["progress", "short_name"]))


@shared_read(*FIGURES, daily=True, entries=64)
def kpis(filters: PageFilter, deadline_day: date | None = None) -> summaries.Kpis:
    return summaries.kpis(page_figures(filters, deadline_day))


@shared_read(*FIGURES, daily=True, entries=64)
def outlook(filters: PageFilter, deadline_day: date | None = None) -> summaries.Outlook:
    """The selection's pages per status and the weekly growth the ones behind need."""
    return summaries.outlook(page_figures(filters, deadline_day))


@shared_read(*FIGURES, daily=True, entries=32)
def page_picker(filters: PageFilter, deadline_day: date | None = None) -> tables.PagePicker:
    """The selection's pages in name order with their labels, for a selectbox."""
    return tables.page_picker(page_figures(filters, deadline_day))


@shared_read(*FIGURES, daily=True, entries=128)
def page_search(filters: PageFilter, query: str, limit: int, deadline_day: date | None = None) -> tables.PagePicker:
    """At most `limit` pages of the selection matching `query`, best first (search.search); with
    no query, the first `limit` in name order. `found` counts every page the query matches. For a
    picker over a selection too long to send whole (components/page_picker.py)."""
    pages = page_figures(filters, deadline_day)
    if not query.strip():
        return tables.page_picker(pages.sort_values("short_name").head(limit), found=len(pages))
    return tables.page_picker(
        search.search(pages, query, limit), in_name_order=False, found=len(search.matching(pages, query))
    )


@shared_read(*FIGURES, daily=True, entries=64)
def history_series(
    filters: PageFilter,
    start: date | None,
    end: date | None,
    series: str,
    page_id: int | None = None,
    deadline_day: date | None = None,
) -> summaries.HistorySeries:
    """The history block of a selection for `series` ("total", "category" or "page") from `start` (None: from
    the first figure) to `end`, with today's targets and page counts; `page_id` for one page."""
    page_id = page_id if series == "page" else None
    daily = queries.subscriber_history(get_engine(), filters, start, end, series, page_id)
    return summaries.history_series(daily, page_figures(filters, deadline_day), series, page_id)


@shared_read(Area.REGISTRY, Area.SUBSCRIBERS, entries=64)
def _changes(filters: PageFilter, day: date) -> tuple[summaries.Change, summaries.Change]:
    recent = queries.subscriber_history(get_engine(), filters, day - timedelta(days=30), day, "total", None)
    return summaries.changes(recent, day, "subscribers"), summaries.changes(recent, day, "at_target")


def changes(filters: PageFilter) -> dict[str, summaries.Change]:
    """How the selection's subscribers and pages at target ("subscribers", "at_target") moved
    over the 7 and 30 days up to the data's date (summaries.changes of its history)."""
    day = as_of()
    if day is None:
        return {"subscribers": summaries.Change(None, None), "at_target": summaries.Change(None, None)}
    subscribers, at_target = _changes(filters, day)
    return {"subscribers": subscribers, "at_target": at_target}


@shared_read(*FIGURES, daily=True, entries=64)
def freshness(filters: PageFilter, deadline_day: date | None = None) -> summaries.Freshness:
    return summaries.freshness(page_figures(filters, deadline_day))


@shared_read(*FIGURES, daily=True, entries=32)
def fresh_count(filters: PageFilter) -> int:
    """Pages of the selection whose latest figure is within the freshness limit (summaries.fresh_pages)."""
    return summaries.fresh_pages(page_figures(filters), get_settings().stale_after_days)


@shared_read(*FIGURES, daily=True, entries=32)
def age_bands(filters: PageFilter) -> pd.DataFrame:
    """Pages of the selection per age band of their latest figure (summaries.pages_by_age)."""
    return summaries.pages_by_age(page_figures(filters))


@shared_read(*FIGURES, daily=True, entries=64)
def freshness_rows(filters: PageFilter, query: str = "", status: str | None = None) -> tables.Table:
    """The «Свежесть данных» table: pages matching `query` (with `status`, if given), without
    figures first, then the oldest figures first."""
    shown = search.matching(page_figures(filters), query)
    if status:
        shown = shown[shown["status"] == status]
    return tables.table_of(tables.freshness_frame(summaries.oldest_first(shown)))


@shared_read(*FIGURES, daily=True, entries=32)
def posting(filters: PageFilter, deadline_day: date | None = None) -> summaries.Posting:
    """How the selection's VK pages post and engage (their latest measurements)."""
    return summaries.posting(page_figures(filters, deadline_day))


@shared_read(*FIGURES, daily=True, entries=32)
def verification_scores(filters: PageFilter) -> pd.DataFrame:
    """Per page of the selection: required items applicable and done, score, missing (verification.scores_of)."""
    return verification.scores_of(page_figures(filters))


@shared_read(*FIGURES, daily=True, entries=32)
def verification_groups(filters: PageFilter, by: str) -> tables.Table:
    """Verified pages and average score of the selection per "category" or "district"
    (verification.group_scores)."""
    pages = page_figures(filters)
    return tables.table_of(verification.group_scores(pages, verification.scores_of(pages), by))


@shared_read(Area.REGISTRY, Area.SUBSCRIBERS, entries=256)
def institution_channels(institution_id: int) -> pd.DataFrame:
    """Every active page of an institution with its network and latest figure (for its card)."""
    return queries.institution_channels(get_engine(), institution_id)


@shared_read(Area.REGISTRY, entries=32)
def page_directory(filters: PageFilter) -> pd.DataFrame:
    """Names, categories, districts and links of the selection's pages (no figures)."""
    return queries.page_directory(get_engine(), filters)


@shared_read(Area.REGISTRY, entries=32)
def platform_coverage(filters: PageFilter) -> pd.DataFrame:
    """Per institution: which of VK, OK, Telegram and MAX it has a page on."""
    return queries.platform_coverage(get_engine(), filters)


@shared_read(*FIGURES, daily=True, entries=32)
def unplaced(filters: PageFilter) -> tables.Table:
    """Institutions of the selection the map cannot show: no coordinates (maps.unplaced)."""
    return tables.table_of(maps.unplaced(page_figures(filters)))


@functools.lru_cache(maxsize=8)
def _district_outlines(path: str, modified: float) -> dict:
    """The outlines file read once per process and version; used only inside map_deck below."""
    return maps.load_boundaries(Path(path))


def _outlines_key() -> tuple[tuple, str | None]:
    """(path, modified) of the usable district outlines file (the configured one, else the city's
    own shipped with the project), or ((), reason) when it is not usable."""
    path = get_settings().districts_geojson or maps.SHIPPED_BOUNDARIES
    try:
        key = (str(path), Path(path).stat().st_mtime)
        _district_outlines(*key)
        return key, None
    except (OSError, maps.BoundaryFileError) as error:
        return (), str(error)


@shared_read(*FIGURES, daily=True, entries=64)
def _map_deck(
    filters: PageFilter, view: str, color_by: str, highlight: int | None, screen: str | None, outlines: tuple
) -> maps.BuiltDeck:
    pages = page_figures(filters)
    boundaries = _district_outlines(*outlines) if outlines else None
    labels = maps.district_labels(pages)
    tile_url = get_settings().map_tile_url
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


def map_deck(
    filters: PageFilter, view: str, color_by: str, highlight: int | None, screen: str | None = None
) -> tuple[maps.BuiltDeck, str | None]:
    """The map of the selection — «areas» or institution «points» coloured by `color_by`, the
    institution `highlight` ringed — as the JSON st.pydeck_chart sends, built once per data
    revision and choice; with the reason the district outlines are missing, if they are.
    `screen` («phone» or «wide») fits the areas view to that screen's map; without it one view
    serves both (maps.fit_view)."""
    outlines, problem = _outlines_key()
    return _map_deck(filters, view, color_by, highlight if view == "points" else None, screen, outlines), problem
