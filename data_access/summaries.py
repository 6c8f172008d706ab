"""Summaries of the per-page figures: KPIs, per category or district, the weakest pages.

Pure pandas over one row per page (at most a few thousand rows): the heavy aggregation over
millions of snapshots already happened in SQL, and every summary here is built from the same
per-page rows, so the numbers on a screen always add up.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access.rules import completeness
from data_access.vocabulary import (
    CATEGORIES,
    STATUS_LAGGING,
    STATUS_NO_DATA,
    STATUS_ON_TRACK,
    STATUS_REACHED,
    STATUS_STALLED,
)

STATUS_ORDER = [STATUS_STALLED, STATUS_LAGGING, STATUS_ON_TRACK, STATUS_REACHED, STATUS_NO_DATA]


@dataclass(frozen=True)
class Kpis:
    pages: int
    subscribers: int
    target_sum: int
    at_target: int
    share_at_target: float
    flagship_pages: int
    flagship_share_at_target: float
    other_pages: int
    other_share_at_target: float
    verified_pages: int
    verified_share: float


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


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
    flagship = pages["is_flagship"]
    count = len(pages)
    return Kpis(
        pages=count,
        subscribers=int(pages["subscribers"].fillna(0).sum()),
        target_sum=int(pages["target"].sum()),
        at_target=int(reached.sum()),
        share_at_target=_share(int(reached.sum()), count),
        flagship_pages=int(flagship.sum()),
        flagship_share_at_target=_share(int((reached & flagship).sum()), int(flagship.sum())),
        other_pages=int((~flagship).sum()),
        other_share_at_target=_share(int((reached & ~flagship).sum()), int((~flagship).sum())),
        verified_pages=int(pages["verified"].sum()) if "verified" in pages else 0,
        verified_share=_share(int(pages["verified"].sum()), count) if "verified" in pages else 0.0,
    )


def summarise(pages: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per category or district: pages, subscribers, target, statuses, shares."""
    if pages.empty:
        return pd.DataFrame(
            columns=[by, "pages", "subscribers", "target_sum", "at_target", "share_at_target",
                     "fill", *STATUS_ORDER, "verified_share"]
        )
    frame = pages.assign(
        _reached=pages["status"] == STATUS_REACHED,
        _subscribers=pages["subscribers"].fillna(0).astype(int),
    )
    grouped = frame.groupby(by, sort=False)
    result = pd.DataFrame({
        "pages": grouped.size(),
        "subscribers": grouped["_subscribers"].sum(),
        "target_sum": grouped["target"].sum().astype(int),
        "at_target": grouped["_reached"].sum().astype(int),
    })
    statuses = pd.crosstab(frame[by], frame["status"]).reindex(columns=STATUS_ORDER, fill_value=0)
    result = result.join(statuses)
    result["share_at_target"] = result["at_target"] / result["pages"]
    # How full the target is in total: capped per page, so one huge page cannot hide the others.
    capped = frame.assign(_capped=frame[["_subscribers", "target"]].min(axis=1))
    result["fill"] = capped.groupby(by, sort=False)["_capped"].sum() / result["target_sum"]
    if "verified" in frame:
        result["verified_share"] = grouped["verified"].mean()
    result = result.reset_index()
    if by == "category":
        order = {code: index for index, code in enumerate(CATEGORIES)}
        result = result.sort_values(by, key=lambda column: column.map(order))
    else:
        result = result.sort_values(by)
    return result.reset_index(drop=True)


def weakest_pages(pages: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """Pages furthest from their target that are not moving: stalled first, then lagging,
    each by how much of the target is still missing."""
    behind = pages[pages["status"].isin([STATUS_STALLED, STATUS_LAGGING])].copy()
    behind["_order"] = behind["status"].map({STATUS_STALLED: 0, STATUS_LAGGING: 1})
    behind["missing"] = (behind["target"] - behind["subscribers"].fillna(0)).astype(int)
    behind = behind.sort_values(["_order", "progress", "missing"], ascending=[True, True, False])
    return behind.drop(columns="_order").head(limit).reset_index(drop=True)


def normalise_text(text: str) -> str:
    """Lower case, ё → е, quotes and «№» dropped, spaces collapsed: how people search."""
    text = str(text).lower().replace("ё", "е")
    for char in "«»\"'“”„№":
        text = text.replace(char, " ")
    return " ".join(text.split())


def search_pages(pages: pd.DataFrame, query: str) -> pd.DataFrame:
    """Pages whose short or full name contains every word of `query` (case, ё/е, quotes ignored)."""
    words = normalise_text(query).split()
    if not words:
        return pages
    haystack = (pages["short_name"].fillna("") + " " + pages["name"].fillna("")).map(normalise_text)
    mask = pd.Series(True, index=pages.index)
    for word in words:
        mask &= haystack.str.contains(word, regex=False)
    return pages[mask]


def complete_days(history: pd.DataFrame, share: float = 0.95) -> pd.DataFrame:
    """Drop days on which fewer pages reported than usual (e.g. a weekly upload not yet in), so
    that sums over the selection do not dip just because figures are missing."""
    if history.empty:
        return history
    usual = history.groupby("group")["pages"].transform("max")
    return history[history["pages"] >= usual * share].reset_index(drop=True)


def weekly_growth(history: pd.DataFrame) -> pd.DataFrame:
    """Net change of the series per calendar week (Monday start): last figure of the week minus
    the last figure of the week before. Expects one group (columns day, subscribers)."""
    if history.empty:
        return pd.DataFrame(columns=["week", "growth"])
    series = history.assign(day=pd.to_datetime(history["day"])).set_index("day")["subscribers"].sort_index()
    weekly = series.resample("W-SUN").last().dropna()
    growth = weekly.diff().dropna()
    return pd.DataFrame({
        "week": (growth.index - pd.Timedelta(days=6)).date,
        "growth": growth.astype(int).to_numpy(),
    })
