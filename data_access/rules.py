"""The mission's rules as pure functions: subscriber targets, pace, status and forecast.

No SQL here: queries hand over per-page figures, these functions decide what they mean, so the
rules can be tested on hand-made histories and every page uses the same ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from data_access.vocabulary import (
    DEFAULT_STALE_AFTER_DAYS,
    STATUS_LAGGING,
    STATUS_NO_DATA,
    STATUS_ON_TRACK,
    STATUS_REACHED,
    STATUS_STALE,
    STATUS_STALLED,
)

# Fewer days than this before the end of the year: the default deadline moves to next year's end.
MIN_DAYS_TO_YEAR_END = 60


def default_deadline(as_of: date) -> date:
    """31 December of the data's year, or of the next year when that is less than 60 days away."""
    year_end = date(as_of.year, 12, 31)
    if (year_end - as_of).days < MIN_DAYS_TO_YEAR_END:
        return date(as_of.year + 1, 12, 31)
    return year_end


@dataclass(frozen=True)
class PageOutlook:
    status: str
    daily_growth: float | None
    forecast: date | None
    needed_weekly_growth: float | None


def outlook(
    subscribers: int | None,
    target: int,
    latest_day: date | None,
    base_subscribers: int | None,
    base_day: date | None,
    deadline: date,
    today: date | None = None,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
) -> PageOutlook:
    """Status and forecast of one page from its latest figure and an earlier one (the pace base).

    Everything is measured from the page's own latest figure. The pace is the average daily
    change between the two snapshots, whatever the gap between them, so missing days in the
    history do not distort it. A page that has not reached its target and whose latest figure is
    more than `stale_after_days` older than `today` is «нет свежих данных»: its pace says nothing
    about now, so it gets no forecast and is never counted as on track. A page that has reached
    its target stays «достигнута» (that is a fact of its latest figure).
    """
    if subscribers is None or latest_day is None:
        return PageOutlook(STATUS_NO_DATA, None, None, None)
    remaining = target - subscribers
    days_left = max((deadline - latest_day).days, 1)
    needed = round(remaining / days_left * 7, 1) if remaining > 0 else None
    daily = None
    if base_subscribers is not None and base_day is not None and base_day < latest_day:
        daily = (subscribers - base_subscribers) / (latest_day - base_day).days
    if remaining <= 0:
        return PageOutlook(STATUS_REACHED, daily, latest_day, None)
    if today is not None and (today - latest_day).days > stale_after_days:
        return PageOutlook(STATUS_STALE, daily, None, needed)
    if daily is None or daily <= 0:
        return PageOutlook(STATUS_STALLED, daily, None, needed)
    forecast = latest_day + timedelta(days=math.ceil(remaining / daily))
    status = STATUS_ON_TRACK if forecast <= deadline else STATUS_LAGGING
    return PageOutlook(status, daily, forecast, needed)


def add_outlook(
    progress: pd.DataFrame, deadline: date, today: date | None = None, stale_after_days: int = DEFAULT_STALE_AFTER_DAYS
) -> pd.DataFrame:
    """Add status, daily pace, forecast date and needed weekly growth to a per-page frame.

    Expects the columns of data_access.queries.page_progress: subscribers, target, latest_day,
    base_subscribers, base_day.
    """
    result = progress.copy()
    outlooks = [
        outlook(
            None if pd.isna(row.subscribers) else int(row.subscribers),
            int(row.target),
            None if pd.isna(row.latest_day) else row.latest_day,
            None if pd.isna(row.base_subscribers) else int(row.base_subscribers),
            None if pd.isna(row.base_day) else row.base_day,
            deadline,
            today,
            stale_after_days,
        )
        for row in result[["subscribers", "target", "latest_day", "base_subscribers", "base_day"]].itertuples(
            index=False
        )
    ]
    result["status"] = [item.status for item in outlooks]
    result["daily_growth"] = pd.array([item.daily_growth for item in outlooks], dtype="Float64")
    result["forecast"] = [item.forecast for item in outlooks]
    result["needed_weekly_growth"] = pd.array([item.needed_weekly_growth for item in outlooks], dtype="Float64")
    result["progress"] = (result["subscribers"].fillna(0) / result["target"]).clip(upper=1.0)
    result["age_days"] = pd.array(
        [None if today is None or pd.isna(day) else (today - day).days for day in result["latest_day"]], dtype="Int64"
    )
    # «Без свежих данных» everywhere means this: the latest figure is older than the limit, whatever
    # the status (a page at its target keeps that status, but its figure is still old).
    result["stale_figure"] = (result["age_days"] > stale_after_days).fillna(False).astype(bool)
    return result


def completeness(required_done: int, required_total: int) -> float:
    """Verification score of a page: the share of its applicable required items that are done.
    Optional items and items marked «not applicable» do not count; with nothing applicable the
    page is complete."""
    return required_done / required_total if required_total else 1.0
