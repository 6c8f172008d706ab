"""Summaries of the per-page figures: KPIs, per category or district, the weakest pages.

Pure pandas over one row per page (at most a few thousand rows): the heavy aggregation over
millions of snapshots already happened in SQL, and every summary here is built from the same
per-page rows, so the numbers on a screen always add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from data_access.measurements import CADENCE_MIN_POSTS
from data_access.rules import completeness
from data_access.vocabulary import (
    CATEGORIES,
    STATUS_LAGGING,
    STATUS_NO_DATA,
    STATUS_ON_TRACK,
    STATUS_REACHED,
    STATUS_STALE,
    STATUS_STALLED,
    category_label,
    plural,
)

STATUS_ORDER = [STATUS_STALLED, STATUS_LAGGING, STATUS_ON_TRACK, STATUS_REACHED, STATUS_STALE, STATUS_NO_DATA]


@dataclass(frozen=True)
class Kpis:
    """Headline numbers. A share with nothing to divide (no flagship pages in the selection) is
    None, shown as «—», never 0 %."""

    pages: int
    subscribers: int
    target_sum: int
    at_target: int
    share_at_target: float | None
    flagship_pages: int
    flagship_at_target: int
    flagship_share_at_target: float | None
    other_pages: int
    other_at_target: int
    other_share_at_target: float | None
    verified_pages: int
    verified_share: float | None
    with_figures: int
    stale: int
    without_figures: int


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Freshness:
    """How current the figures of a selection are: the newest day any page reported, how many
    pages are at that day, the newest day among the others, and how many pages have a figure
    older than the freshness limit («без свежих данных», at target or not)."""

    pages: int
    with_figures: int
    newest_day: date | None
    at_newest: int
    others_newest_day: date | None
    stale: int
    without_figures: int


def fresh_pages(pages: pd.DataFrame, stale_after_days: int) -> int:
    """Pages whose latest figure is at most `stale_after_days` old (reached pages included)."""
    return int((pages["age_days"] <= stale_after_days).fillna(False).sum()) if len(pages) else 0


def freshness(pages: pd.DataFrame) -> Freshness:
    """`pages` is page_progress + add_outlook: one row per page with its own latest_day."""
    days = pd.to_datetime(pages["latest_day"]) if len(pages) else pd.Series(dtype="datetime64[ns]")
    reported = days.dropna()
    if reported.empty:
        return Freshness(len(pages), 0, None, 0, None, 0, len(pages))
    newest = reported.max()
    others = reported[reported < newest]
    return Freshness(
        pages=len(pages),
        with_figures=len(reported),
        newest_day=newest.date(),
        at_newest=int((reported == newest).sum()),
        others_newest_day=others.max().date() if not others.empty else None,
        stale=int(pages["stale_figure"].sum())
        if "stale_figure" in pages
        else int((pages["status"] == STATUS_STALE).sum()),
        without_figures=len(pages) - len(reported),
    )


def with_verification(progress: pd.DataFrame, verification: pd.DataFrame) -> pd.DataFrame:
    """Join the per-page checklist counts and mark pages whose required items are all done."""
    merged = progress.merge(verification, on="page_id", how="left")
    for column in ("required_total", "required_done", "optional_total", "optional_done"):
        merged[column] = merged[column].fillna(0).astype(int)
    merged["verified"] = merged["required_done"] >= merged["required_total"]
    merged["verification_score"] = [
        completeness(done, total) for done, total in zip(merged["required_done"], merged["required_total"])
    ]
    return merged


def kpis(pages: pd.DataFrame) -> Kpis:
    """Headline numbers; `pages` is page_progress + add_outlook + with_verification."""
    reached = pages["status"] == STATUS_REACHED
    flagship = pages["is_flagship"].astype(bool)
    count = len(pages)
    verified = int(pages["verified"].sum()) if "verified" in pages else 0
    with_figures = int(pages["subscribers"].notna().sum())
    return Kpis(
        pages=count,
        subscribers=int(pages["subscribers"].fillna(0).sum()),
        target_sum=int(pages["target"].sum()),
        at_target=int(reached.sum()),
        share_at_target=_share(int(reached.sum()), count),
        flagship_pages=int(flagship.sum()),
        flagship_at_target=int((reached & flagship).sum()),
        flagship_share_at_target=_share(int((reached & flagship).sum()), int(flagship.sum())),
        other_pages=int((~flagship).sum()),
        other_at_target=int((reached & ~flagship).sum()),
        other_share_at_target=_share(int((reached & ~flagship).sum()), int((~flagship).sum())),
        verified_pages=verified,
        verified_share=_share(verified, count) if "verified" in pages else None,
        with_figures=with_figures,
        stale=int((pages["status"] == STATUS_STALE).sum()),
        without_figures=count - with_figures,
    )


@dataclass(frozen=True)
class Outlook:
    """Pages of a selection per status, and the median weekly growth the lagging and stalled ones
    need to reach their targets by the deadline (None when there are none)."""

    reached: int
    on_track: int
    lagging: int
    stalled: int
    stale: int
    no_data: int
    needed_weekly: float | None

    @property
    def will_miss(self) -> int:
        return self.lagging + self.stalled

    @property
    def unknown(self) -> int:
        return self.stale + self.no_data


def outlook(pages: pd.DataFrame) -> Outlook:
    """`pages` is page_progress + add_outlook."""
    counts = pages["status"].value_counts()
    behind = pages.loc[pages["status"].isin([STATUS_LAGGING, STATUS_STALLED]), "needed_weekly_growth"]
    return Outlook(
        **{
            name: int(counts.get(status, 0))
            for name, status in (
                ("reached", STATUS_REACHED),
                ("on_track", STATUS_ON_TRACK),
                ("lagging", STATUS_LAGGING),
                ("stalled", STATUS_STALLED),
                ("stale", STATUS_STALE),
                ("no_data", STATUS_NO_DATA),
            )
        },
        needed_weekly=float(behind.median()) if not behind.empty else None,
    )


def summarise(pages: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per category or district: pages, subscribers, target, statuses, shares."""
    if pages.empty:
        return pd.DataFrame(
            columns=[
                by,
                "pages",
                "subscribers",
                "target_sum",
                "at_target",
                "share_at_target",
                "fill",
                "subscriber_ratio",
                *STATUS_ORDER,
                "verified_share",
            ]
        )
    frame = pages.assign(
        _reached=pages["status"] == STATUS_REACHED,
        _subscribers=pages["subscribers"].fillna(0).astype(int),
    )
    grouped = frame.groupby(by, sort=False)
    result = pd.DataFrame(
        {
            "pages": grouped.size(),
            "subscribers": grouped["_subscribers"].sum(),
            "target_sum": grouped["target"].sum().astype(int),
            "at_target": grouped["_reached"].sum().astype(int),
        }
    )
    statuses = pd.crosstab(frame[by], frame["status"]).reindex(columns=STATUS_ORDER, fill_value=0)
    result = result.join(statuses)
    result["share_at_target"] = result["at_target"] / result["pages"]
    # How full the target is in total: capped per page, so one huge page cannot hide the others
    # («Заполнение цели»); and the plain ratio of all subscribers to all targets beside it.
    capped = frame.assign(_capped=frame[["_subscribers", "target"]].min(axis=1))
    result["fill"] = capped.groupby(by, sort=False)["_capped"].sum() / result["target_sum"]
    result["subscriber_ratio"] = result["subscribers"] / result["target_sum"]
    if "verified" in frame:
        result["verified_share"] = grouped["verified"].mean()
    result = result.reset_index()
    if by == "category":
        return in_category_order(result)
    return result.sort_values(by).reset_index(drop=True)


def in_category_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in the vocabulary's order of categories (kindergartens first, «other» last)."""
    order = {code: index for index, code in enumerate(CATEGORIES)}
    return frame.sort_values("category", key=lambda column: column.map(order)).reset_index(drop=True)


# A channel is new while its first figure is at most this many days before the data's date.
NEW_CHANNEL_DAYS = 90
NEW_CHANNEL_RULE = (
    f"Новый канал — первая цифра страницы не раньше чем за {NEW_CHANNEL_DAYS} дней до даты данных "
    f"(пока у самой базы история короче {NEW_CHANNEL_DAYS} дней, новых каналов не выделяется: "
    "первые цифры всех страниц — это начало учёта, а не открытие каналов)."
)


def new_channels(pages: pd.DataFrame) -> pd.Series:
    """Per page: whether it is a channel opened lately (NEW_CHANNEL_RULE) — a MAX channel opened
    last month has not had the time an established page had, and is not who needs help first."""
    if pages.empty or "first_day" not in pages:
        return pd.Series(False, index=pages.index)
    first = pd.to_datetime(pages["first_day"])
    as_of, start = pd.to_datetime(pages["latest_day"]).max(), first.min()
    if pd.isna(as_of) or pd.isna(start) or (as_of - start).days <= NEW_CHANNEL_DAYS:
        return pd.Series(False, index=pages.index)
    return (first > as_of - pd.Timedelta(days=NEW_CHANNEL_DAYS)).fillna(False)


def newest_channels(pages: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """The new channels (new_channels) short of their target, least progress first."""
    fresh = pages[new_channels(pages) & (pages["status"] != STATUS_REACHED)]
    return fresh.sort_values(["progress", "first_day"]).head(limit).reset_index(drop=True)


def weakest_pages(pages: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """Established pages (not new channels) furthest from their target that are not moving:
    stalled first, then lagging, each by how much of the target is still missing."""
    behind = pages[pages["status"].isin([STATUS_STALLED, STATUS_LAGGING]) & ~new_channels(pages)].copy()
    behind["_order"] = behind["status"].map({STATUS_STALLED: 0, STATUS_LAGGING: 1})
    behind["missing"] = (behind["target"] - behind["subscribers"].fillna(0)).astype(int)
    behind = behind.sort_values(["_order", "progress", "missing"], ascending=[True, True, False])
    return behind.drop(columns="_order").head(limit).reset_index(drop=True)


def weekly_growth(history: pd.DataFrame) -> pd.DataFrame:
    """Net change of the series per calendar week (Monday start): last figure of the week minus
    the last figure of the week before. Expects one group (columns day, subscribers). `days` is
    how many days of the week the history covers: a last week still under way is `partial`, so a
    chart can tell it from a slump."""
    if history.empty:
        return pd.DataFrame(columns=["week", "growth", "days", "partial"])
    series = history.assign(day=pd.to_datetime(history["day"])).set_index("day")["subscribers"].sort_index()
    weekly = series.resample("W-SUN").last().dropna()
    growth = weekly.diff().dropna()
    starts = growth.index - pd.Timedelta(days=6)
    last_day = series.index.max()
    days = [int(min(7, (last_day - start).days + 1)) for start in starts]
    return pd.DataFrame(
        {
            "week": starts.date,
            "growth": growth.astype(int).to_numpy(),
            "days": days,
            "partial": [count < 7 for count in days],
        }
    )


@dataclass(frozen=True)
class Change:
    """How a figure of the selection moved: over the last 7 and the last 30 days (None when the
    history does not reach that far back)."""

    week: int | None
    month: int | None


def changes(history: pd.DataFrame, as_of: date, column: str) -> Change:
    """`column` of a one-group history on `as_of` minus its value 7 and 30 days earlier (each
    day's value is the carried-forward figure of that day, as on the history chart)."""
    now = value_on(history, as_of, column)

    def since(days: int) -> int | None:
        then = value_on(history, as_of - timedelta(days=days), column)
        return None if now is None or then is None else now - then

    return Change(since(7), since(30))


def value_on(history: pd.DataFrame, day: date, column: str) -> int | None:
    """`column` of a one-group history as it stood on `day` (its last row on or before that day);
    None when the history starts later."""
    known = history[history["day"] <= day] if len(history) else history
    if known.empty:
        return None
    return int(known.sort_values("day")[column].iloc[-1])


def at_target_history(history: pd.DataFrame, pages_now: dict[str, int]) -> pd.DataFrame:
    """Pages at their target per day and group, with their share of the group's pages today
    (so the last point equals the «Достигли цели» figure of the screen)."""
    frame = history[["day", "group", "at_target"]].copy()
    whole = frame["group"].map(pages_now)
    frame["share"] = (frame["at_target"] / whole).where(whole > 0)
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class HistorySeries:
    """What the history block draws for one series and period: the subscribers per day with the
    legend `label` of each line, each label's target, pages at target per day with their share
    (not for one page), the net change per week (not per category), and on how many days not
    every page of the series reported."""

    history: pd.DataFrame
    targets: dict[str, int]
    at_target: pd.DataFrame | None
    weekly: pd.DataFrame | None
    partial_days: int


def history_series(
    history: pd.DataFrame, pages: pd.DataFrame, series: str, page_id: int | None = None
) -> HistorySeries:
    """`history` is queries.subscriber_history by `series` ("total", "category" or "page" with
    `page_id`); `pages` the selection's per-page figures (today's targets and page counts)."""
    if series == "page":
        chosen = pages.set_index("page_id").loc[page_id]
        frame = history.assign(label=chosen["short_name"])
        targets = {chosen["short_name"]: int(chosen["target"])}
        pages_now = None
    elif series == "category":
        frame = history.assign(label=history["group"].map(category_label))
        pages_now = pages.groupby("category").size().to_dict()
        targets = {
            category_label(code): int(total) for code, total in pages.groupby("category")["target"].sum().items()
        }
    else:
        frame = history.assign(label="весь выбор")
        pages_now = {"total": len(pages)}
        targets = {"весь выбор": int(pages["target"].sum())}
    if frame.empty:
        return HistorySeries(frame, targets, None, None, 0)
    reached = (
        at_target_history(frame, pages_now).assign(label=frame["label"].to_numpy()) if pages_now is not None else None
    )
    partial = frame.loc[frame["reported"] < frame["pages"], "day"].nunique() if pages_now is not None else 0
    return HistorySeries(frame, targets, reached, weekly_growth(frame) if series != "category" else None, int(partial))


def no_laggards_text(kpi: Kpis) -> str:
    """What an empty «who needs help» list means: only what is known, never «all on track» for
    pages whose figures are missing or old."""
    if kpi.with_figures == 0:
        return "Отстающих не видно, потому что цифр подписчиков для этих страниц ещё нет."
    unknown = kpi.stale + kpi.without_figures
    if unknown:
        return (
            f"Среди страниц со свежими цифрами отстающих нет. О {unknown} "
            f"{plural(unknown, 'странице', 'страницах', 'страницах')} судить нельзя: "
            f"без свежих данных — {kpi.stale}, без цифр — {kpi.without_figures}."
        )
    return "Все выбранные страницы достигли цели или идут по графику."


# Age bands of a page's latest figure, in days (upper bound included); None: no figure at all.
AGE_BANDS: list[tuple[str, int | None]] = [
    ("сегодня или вчера", 1),
    ("2–7 дней", 7),
    ("8–14 дней", 14),
    ("15–30 дней", 30),
    ("31–90 дней", 90),
    ("больше 90 дней", 10**6),
    ("нет цифр", None),
]


def age_band(age_days) -> str:
    """The AGE_BANDS label for a page whose latest figure is `age_days` old (NA: no figure)."""
    if age_days is None or pd.isna(age_days):
        return AGE_BANDS[-1][0]
    return next(label for label, upper in AGE_BANDS[:-1] if age_days <= upper)


def pages_by_age(pages: pd.DataFrame) -> pd.DataFrame:
    """How many pages fall in each age band, every band listed (columns band, pages, order)."""
    bands = pages["age_days"].map(age_band) if len(pages) else pd.Series(dtype=object)
    counts = bands.value_counts()
    return pd.DataFrame(
        {
            "band": [label for label, _ in AGE_BANDS],
            "pages": [int(counts.get(label, 0)) for label, _ in AGE_BANDS],
            "order": list(range(len(AGE_BANDS))),
        }
    )


def oldest_first(pages: pd.DataFrame) -> pd.DataFrame:
    """Pages without figures first, then by the age of their latest figure, oldest first."""
    return (
        pages.assign(_age=pages["age_days"].astype("Float64").fillna(float("inf")))
        .sort_values(["_age", "short_name"], ascending=[False, True])
        .drop(columns="_age")
    )


def platform_counts(coverage: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per category or district: institutions, and how many of them have a page on each platform
    (columns by, institutions, and one per platform code)."""
    from data_access.vocabulary import PLATFORMS

    columns = [by, "institutions", *PLATFORMS]
    if coverage.empty:
        return pd.DataFrame(columns=columns)
    grouped = coverage.groupby(by, sort=False)
    result = grouped[list(PLATFORMS)].sum().astype(int)
    result.insert(0, "institutions", grouped.size())
    result = result.reset_index()
    return in_category_order(result) if by == "category" else result.sort_values(by).reset_index(drop=True)


@dataclass(frozen=True)
class Posting:
    """How the VK pages of a selection post and engage, from their latest measurements."""

    vk_pages: int
    measured: int  # VK pages whose posts were read
    regular: int  # of them, posting at least CADENCE_MIN_POSTS times in 7 days
    median_posts: float | None
    median_engagement: float | None  # the median page's ER (a share)
    newest: date | None  # the day of the newest measurement


def posting(pages: pd.DataFrame) -> Posting:
    vk = pages[pages["platform"] == "vk"]
    measured = vk[vk["posts_7d"].notna()]
    rates = measured["engagement_rate"].dropna().astype(float)
    return Posting(
        vk_pages=len(vk),
        measured=len(measured),
        regular=int((measured["posts_7d"] >= CADENCE_MIN_POSTS).sum()),
        median_posts=float(measured["posts_7d"].astype(float).median()) if len(measured) else None,
        median_engagement=float(rates.median()) if len(rates) else None,
        newest=pd.Timestamp(measured["posts_day"].max()).date() if len(measured) else None,
    )
