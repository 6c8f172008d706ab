"""The figures of the report for the city council's oversight commission, for one period and one
selection: gathered from the same queries and rules the screens use (figures.page_figures,
queries.subscriber_history, …), so a report and the screen beside it cannot disagree.

Plain data, no formatting: components/report_document.py turns it into DOCX and PDF.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from data_access import figures, newsroom, queries, rules, summaries
from data_access.clock import CITY_TIMEZONE
from data_access.collectors import BLOCKED, DELETED
from data_access.config import Settings
from data_access.content_plan import POSTS_PER_WEEK
from data_access.filters import PageFilter, describe
from data_access.models import collection_runs, imports
from data_access.periods import Period
from data_access.vocabulary import CATEGORIES, CONTENT_FORMATS

# How many pages the «who grew most» and «who is furthest behind» lists name.
TOP_PAGES = 10
# How many of the least served pages the newsroom section lists by name (the count covers all).
THIN_PAGES_LISTED = 20


class NoDataForPeriod(ValueError):
    """The store has no subscriber figures up to the end of the period."""


@dataclass(frozen=True)
class Figure:
    """One key figure: its value at the end of the previous period (`before`), at the end of this
    period (`now`), and the change over this and over the previous period. None: not known."""

    name: str
    kind: str  # «count» or «share»
    before: float | None
    now: float | None
    change: float | None
    previous_change: float | None
    note: str = ""


@dataclass(frozen=True)
class ReportData:
    period: Period
    previous: Period
    selection: PageFilter
    selection_text: str
    region: bool
    demo: bool
    today: date
    as_of: date  # the newest figure of the whole store
    end: date  # the day the figures stand at: the period's end, or the newest figure if earlier
    deadline: date
    stale_after_days: int
    pages: pd.DataFrame  # one row per page at `end` (figures.page_figures)
    kpi: summaries.Kpis
    freshness: summaries.Freshness
    key_figures: list[Figure]
    trend: pd.DataFrame  # day, group, subscribers, pages, reported, at_target (per category, over the period)
    total_trend: pd.DataFrame  # the same for the whole selection
    category_trend: pd.DataFrame  # per category: figures at the start and the end of the period
    by_category: pd.DataFrame  # summaries.summarise at `end`
    by_district: pd.DataFrame  # the same per district, ranked
    top_growth: pd.DataFrame
    furthest_behind: pd.DataFrame
    new_pages: int  # pages whose first figure came in the period (not ranked by growth)
    item_completion: pd.DataFrame
    checks_done: int
    checks_done_before: int
    published: pd.DataFrame  # published materials × category reached
    coverage: pd.DataFrame  # per page: published materials reaching it in the elapsed part of the period
    coverage_weeks: float
    sources: Sources
    centre: ContentCentre

    @property
    def is_partial(self) -> bool:
        """The period is not over, or its last days have no figures yet."""
        return self.end < self.period.end


@dataclass(frozen=True)
class ContentCentre:
    """«Работа контент-центра»: the period's materials against the posts they became (newsroom.py),
    and — an association, not a cause — the subscriber growth of pages that published at least
    half of the materials planned for them against pages that published less."""

    materials: pd.DataFrame  # newsroom.by_material
    silent: pd.DataFrame  # newsroom.pages_publishing_none
    readable_pairs: int
    published_pairs: int
    unread_pairs: int
    # (pages, median growth in % of the figure before the period) for each group; None if empty
    publishing: tuple[int, float | None]
    rarely: tuple[int, float | None]


def _centre(
    engine: Engine, page_ids: set[int], start: date, end: date, at_end: pd.DataFrame, at_start: pd.DataFrame
) -> ContentCentre:
    rows = newsroom.material_pages(engine, start, end)
    rows = rows[rows["page_id"].isin(page_ids)]
    materials = newsroom.by_material(rows)
    readable = rows[rows["readable"].astype(bool)]
    before = at_start.set_index("page_id")["subscribers"]
    now = at_end.set_index("page_id")["subscribers"]
    groups: dict[bool, list[float]] = {True: [], False: []}
    if not readable.empty:
        per_page = readable.groupby("page_id")["posts"].apply(lambda values: float((values > 0).mean()))
        for page_id, share in per_page.items():
            then, later = before.get(page_id), now.get(page_id)
            if then is None or later is None or pd.isna(then) or pd.isna(later) or not then:
                continue
            groups[share >= 0.5].append(100 * (float(later) - float(then)) / float(then))

    def summary(values: list[float]) -> tuple[int, float | None]:
        return len(values), (float(pd.Series(values).median()) if values else None)

    return ContentCentre(
        materials,
        newsroom.pages_publishing_none(rows),
        len(readable),
        int((readable["posts"] > 0).sum()),
        len(rows) - len(readable),
        summary(groups[True]),
        summary(groups[False]),
    )


@dataclass(frozen=True)
class Collection:
    """The platform collections of one network in the period: how many runs read it, first and last day."""

    platform: str
    runs: int
    first: date
    last: date


@dataclass(frozen=True)
class Sources:
    """Where the period's figures came from, for «Источники»: the platform collections, the file
    imports, and the pages of the selection that the latest collection found gone from their
    platform (reason -> count: «страница удалена», «страница заблокирована»)."""

    collections: tuple[Collection, ...]
    imports: int
    last_import: date | None
    unavailable: dict[str, int]
    unavailable_day: date | None


def _sources(engine: Engine, page_ids: set[int], start: date, end: date) -> Sources:
    with engine.connect() as connection:
        runs = connection.execute(
            select(collection_runs.c.day, collection_runs.c.platforms, collection_runs.c.failures)
            .where(
                and_(collection_runs.c.dry_run.is_(False), collection_runs.c.day >= start, collection_runs.c.day <= end)
            )
            .order_by(collection_runs.c.day, collection_runs.c.id)
        ).all()
        loaded, last = connection.execute(
            select(func.count(), func.max(imports.c.at)).where(
                and_(
                    imports.c.kind == "subscribers",
                    imports.c.at >= _utc_start(start),
                    imports.c.at < _utc_start(end + timedelta(days=1)),
                )
            )
        ).one()
    read: dict[str, list[date]] = {}
    for day, platforms, _failures in runs:
        for platform in json.loads(platforms):
            if not platform.get("skipped") and not platform.get("failed") and platform.get("ok"):
                read.setdefault(platform["platform"], []).append(day)
    unavailable: dict[str, int] = {}
    unavailable_day = None
    if runs:
        unavailable_day = runs[-1][0]
        for failure in json.loads(runs[-1][2]):
            if failure.get("reason") in (DELETED, BLOCKED) and failure.get("page_id") in page_ids:
                unavailable[failure["reason"]] = unavailable.get(failure["reason"], 0) + 1
    last_day = None if last is None else (last if isinstance(last, datetime) else datetime.fromisoformat(str(last)))
    return Sources(
        collections=tuple(Collection(platform, len(days), min(days), max(days)) for platform, days in read.items()),
        imports=int(loaded or 0),
        last_import=None
        if last_day is None
        else (last_day.replace(tzinfo=last_day.tzinfo or UTC).astimezone(CITY_TIMEZONE).date()),
        unavailable=unavailable,
        unavailable_day=unavailable_day,
    )


def _local_start(day: date) -> datetime:
    """Midnight in Novosibirsk as the content plan stores times (wall clock, no zone)."""
    return datetime.combine(day, time.min)


def _utc_start(day: date) -> datetime:
    """Midnight in Novosibirsk as a moment (for columns stored in UTC)."""
    return datetime.combine(day, time.min, CITY_TIMEZONE).astimezone(UTC)


def _change(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


def _count_figure(
    name: str, history: pd.DataFrame, column: str, days: tuple[date, date, date], note: str = ""
) -> Figure:
    """`days`: the end of the period before the previous one, of the previous one, of this one."""
    earliest, before, now = (summaries.value_on(history, day, column) for day in days)
    return Figure(name, "count", before, now, _change(now, before), _change(before, earliest), note)


def _share_figure(name: str, counts: Figure, whole: int, note: str = "") -> Figure:
    def share(value):
        return None if value is None or not whole else value / whole

    earliest = (
        None if counts.before is None or counts.previous_change is None else counts.before - counts.previous_change
    )
    before, now = share(counts.before), share(counts.now)
    return Figure(name, "share", before, now, _change(now, before), _change(before, share(earliest)), note)


def _ranked_districts(summary: pd.DataFrame) -> pd.DataFrame:
    ranked = summary.sort_values(["share_at_target", "fill", "district"], ascending=[False, False, True])
    return ranked.reset_index(drop=True).assign(rank=lambda frame: range(1, len(frame) + 1))


def _category_trend(history: pd.DataFrame, start_day: date, end_day: date) -> pd.DataFrame:
    rows = []
    for group, series in history.groupby("group", sort=False):
        then = {column: summaries.value_on(series, start_day, column) for column in ("subscribers", "at_target")}
        now = {column: summaries.value_on(series, end_day, column) for column in ("subscribers", "at_target")}
        rows.append(
            {
                "category": group,
                "subscribers_before": then["subscribers"],
                "subscribers": now["subscribers"],
                "at_target_before": then["at_target"],
                "at_target": now["at_target"],
            }
        )
    frame = pd.DataFrame(
        rows, columns=["category", "subscribers_before", "subscribers", "at_target_before", "at_target"]
    )
    return summaries.in_category_order(frame)


def _growth(at_end: pd.DataFrame, at_start: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Per page with a figure before the period: its figure then and at the end, and the growth."""
    before = at_start.set_index("page_id")["subscribers"]
    frame = at_end[["page_id", "short_name", "category", "district", "platform", "subscribers"]].copy()
    frame["subscribers_before"] = frame["page_id"].map(before)
    known = frame.dropna(subset=["subscribers", "subscribers_before"]).copy()
    new_pages = int((frame["subscribers"].notna() & frame["subscribers_before"].isna()).sum())
    known["growth"] = (known["subscribers"] - known["subscribers_before"]).astype(int)
    known = known.sort_values(["growth", "short_name"], ascending=[False, True]).head(TOP_PAGES)
    return known.reset_index(drop=True), new_pages


def gather(
    engine: Engine, selection: PageFilter, period: Period, settings: Settings, today: date, region: bool = False
) -> ReportData:
    """Everything the report says, for `selection` and `period`. NoDataForPeriod when the store
    has no figures up to the period's end."""
    as_of = _data_for(engine, period)
    previous = period.previous()
    end = min(period.end, as_of)
    deadline = settings.deadline or rules.default_deadline(as_of)
    stale_after = settings.stale_after_days
    # The period that reaches the newest figures is judged exactly as the screens judge today.
    until = None if end >= as_of else end
    pages = figures.page_figures(engine, selection, deadline, today, stale_after, until=until)
    at_start = queries.page_progress(engine, selection, until=period.start - timedelta(days=1))
    kpi = summaries.kpis(pages)
    since = previous.start - timedelta(days=1)
    by_category = queries.subscriber_history(engine, selection, since, end, "category")
    total = queries.history_total(by_category)
    days = (previous.start - timedelta(days=1), period.start - timedelta(days=1), end)
    key_figures, checks_done, checks_done_before = _key_figures(engine, selection, period, total, days, kpi)
    top_growth, new_pages = _growth(pages, at_start)
    elapsed_end = min(period.end, today)
    page_ids = {int(page_id) for page_id in pages["page_id"]}
    return ReportData(
        period=period,
        previous=previous,
        selection=selection,
        selection_text=describe(selection, region),
        region=region,
        demo=(queries.dataset_label(engine) or "").endswith("demo"),
        today=today,
        as_of=as_of,
        end=end,
        deadline=deadline,
        stale_after_days=stale_after,
        pages=pages,
        kpi=kpi,
        freshness=summaries.freshness(pages),
        key_figures=key_figures,
        trend=by_category[by_category["day"] >= period.start].reset_index(drop=True),
        total_trend=total[total["day"] >= period.start].reset_index(drop=True),
        category_trend=_category_trend(by_category, days[1], end),
        by_category=summaries.summarise(pages, "category"),
        by_district=_ranked_districts(summaries.summarise(pages, "district")),
        top_growth=top_growth,
        furthest_behind=summaries.weakest_pages(pages, TOP_PAGES),
        new_pages=new_pages,
        item_completion=queries.item_completion(engine, selection),
        checks_done=checks_done,
        checks_done_before=checks_done_before,
        published=queries.published_materials(
            engine, selection, _local_start(period.start), _local_start(period.end + timedelta(days=1))
        ),
        coverage=_coverage(engine, selection, period.start, elapsed_end),
        coverage_weeks=max((elapsed_end - period.start).days + 1, 1) / 7,
        sources=_sources(engine, page_ids, period.start, end),
        centre=_centre(engine, page_ids, period.start, end, pages, at_start),
    )


def _coverage(engine: Engine, selection: PageFilter, start: date, end: date) -> pd.DataFrame:
    """Published materials per page from `start` to `end` (the period's elapsed days), local days."""
    return queries.page_coverage(
        engine, selection, _local_start(start), _local_start(end + timedelta(days=1)), published_only=True
    )


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _data_for(engine: Engine, period: Period) -> date:
    """The date of the newest figures; NoDataForPeriod when the store has none, or none for `period`."""
    as_of = queries.data_as_of(engine)
    if as_of is None:
        raise NoDataForPeriod("В базе нет ни одной цифры подписчиков: отчёт строить не из чего.")
    first_day = queries.first_data_day(engine) or as_of
    if period.end < first_day:
        raise NoDataForPeriod(f"За {period.label} цифр нет: первые цифры подписчиков — за {first_day:%d.%m.%Y}.")
    if period.start > as_of:
        raise NoDataForPeriod(f"За {period.label} цифр ещё нет: последние цифры подписчиков — за {as_of:%d.%m.%Y}.")
    return as_of


def _key_figures(
    engine: Engine, selection: PageFilter, period: Period, total: pd.DataFrame, days: tuple, kpi
) -> tuple[list[Figure], int, int]:
    """The report's key figures at the three days (before the previous period, before this one,
    its end), and the checklist marks set done in the period and in the previous one."""
    previous = period.previous()
    flagship = queries.subscriber_history(
        engine, replace(selection, flagship_only=True), previous.start - timedelta(days=1), days[2], "total"
    )
    at_target = _count_figure(
        "Страниц у цели", total, "at_target", days, "последняя известная цифра не меньше цели страницы"
    )
    flagship_at_target = _count_figure("Флагманских страниц у цели", flagship, "at_target", days)
    others = Figure(
        "Остальных страниц у цели",
        "count",
        _difference(at_target.before, flagship_at_target.before),
        _difference(at_target.now, flagship_at_target.now),
        _difference(at_target.change, flagship_at_target.change),
        _difference(at_target.previous_change, flagship_at_target.previous_change),
    )
    start_moment, end_moment = _utc_start(period.start), _utc_start(period.end + timedelta(days=1))
    checks_done = queries.checks_marked_done(engine, selection, start_moment, end_moment)
    checks_done_before = queries.checks_marked_done(engine, selection, _utc_start(previous.start), start_moment)
    key_figures = [
        _count_figure(
            "Страниц с цифрами подписчиков", total, "pages", days, f"из {kpi.pages} страниц выбора в реестре"
        ),
        _count_figure("Подписчиков (сумма по страницам)", total, "subscribers", days),
        at_target,
        _share_figure("Доля страниц у цели", at_target, kpi.pages),
        flagship_at_target,
        _share_figure("Доля флагманских у цели", flagship_at_target, kpi.flagship_pages),
        others,
        _share_figure("Доля остальных у цели", others, kpi.other_pages),
        Figure(
            "Доля верифицированных страниц",
            "share",
            None,
            kpi.verified_share,
            None,
            None,
            "на дату отчёта: чек-лист хранит текущее состояние",
        ),
        Figure(
            "Пунктов чек-листа отмечено выполненными",
            "count",
            None,
            None,
            checks_done,
            checks_done_before,
            "за период, по дате последнего изменения отметки",
        ),
    ]
    return key_figures, checks_done, checks_done_before


def thin_pages(data: ReportData) -> pd.DataFrame:
    """Pages that got fewer than POSTS_PER_WEEK published materials a week in the elapsed period,
    fewest first (columns of queries.page_coverage plus per_week)."""
    coverage = data.coverage.assign(per_week=data.coverage["materials"] / data.coverage_weeks)
    thin = coverage[coverage["per_week"] < POSTS_PER_WEEK]
    return thin.sort_values(["materials", "short_name"]).reset_index(drop=True)


def monthly_output(published: pd.DataFrame, period: Period, by: str) -> pd.DataFrame:
    """Materials published per month of the period (rows) by `by` («format» or «category»): each
    material counted once per column it belongs to, and once in «total»."""
    months = period.months()
    frame = published.assign(
        month=pd.to_datetime(published["publish_at"]).dt.to_period("M").dt.to_timestamp().dt.date
        if len(published)
        else pd.Series(dtype=object)
    )
    table = (
        frame.drop_duplicates(["item_id", by]).groupby(["month", by]).size().unstack(fill_value=0)
        if len(frame)
        else pd.DataFrame()
    )
    order = list(CATEGORIES if by == "category" else CONTENT_FORMATS)
    table = table.reindex(months, fill_value=0)
    table = table[sorted(table.columns, key=lambda code: order.index(code) if code in order else len(order))]
    table.index.name = "month"
    totals = frame.drop_duplicates("item_id").groupby("month").size() if len(frame) else pd.Series(dtype=int)
    table["total"] = totals.reindex(months, fill_value=0).to_numpy()
    return table.astype(int)
