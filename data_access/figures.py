"""The per-page figures every screen and the commission report start from: one function, so
that a report and the screen it was printed beside cannot disagree."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from data_access import measurements, queries, rules, summaries
from data_access.filters import PageFilter

# Intermediate columns of queries.page_progress that no screen or report shows.
HELPER_COLUMNS = (
    "day_7",
    "day_30",
    "subscribers_7",
    "subscribers_30",
    "first_subscribers",
    "base_day",
    "base_subscribers",
)


def page_figures(
    engine: Engine, filters: PageFilter, deadline: date, today: date, stale_after_days: int, until: date | None = None
) -> pd.DataFrame:
    """One row per page of the selection with figures, status, forecast, checklist counts and the
    latest VK measurement (posts in 7 days, engagement, government mark; empty where not measured),
    and the day of its first figure (first_day: when a channel opened, as far as the store knows);
    with `until`, as the figures stood on that day (and judged as of that day)."""
    progress = rules.add_outlook(
        queries.page_progress(engine, filters, until), deadline, until or today, stale_after_days
    )
    figures = summaries.with_verification(progress, queries.verification_by_page(engine, filters))
    # Keep what is shown; the intermediate figures only served the rules above. Dates as
    # datetime64 make the frame cheap to copy out of a cache.
    figures = figures.drop(columns=[column for column in HELPER_COLUMNS if column in figures])
    figures = figures.merge(measurements.per_post(measurements.latest(engine)), on="page_id", how="left")
    for column in ("latest_day", "forecast"):
        figures[column] = pd.to_datetime(figures[column])
    return figures
