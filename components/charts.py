"""Altair chart builders: data in, alt.Chart out, in Russian; no Streamlit calls."""

from __future__ import annotations

from typing import Any, TypeVar

import altair as alt
import pandas as pd

from data_access.periods import MONTHS
from data_access.summaries import AGE_BANDS, STATUS_ORDER
from data_access.vocabulary import STATUS_COLORS, STATUSES, category_label, plural

# d3 locale: decimal comma, no-break space between thousands, Russian month names.
# A chart as drawn: a single chart or layers of them.
Drawn = TypeVar("Drawn", bound=alt.TopLevelMixin)

RUSSIAN_LOCALE: dict[str, Any] = {
    "number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"]},
    "time": {
        "dateTime": "%A, %e %B %Y г. %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["", ""],
        "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
        "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
        "months": list(MONTHS),
        "shortMonths": ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
    },
}

STATUS_DOMAIN = [STATUSES[code] for code in reversed(STATUS_ORDER)]
STATUS_RANGE = ["#{:02x}{:02x}{:02x}".format(*STATUS_COLORS[code]) for code in reversed(STATUS_ORDER)]


def _legend() -> alt.Legend:
    """A legend under the chart, in as many columns (one to three) as the plot's width holds:
    Vega-Lite cuts off legend columns that do not fit instead of wrapping them, and on a phone
    three columns of Russian labels (up to 140 px each) are wider than the plot."""
    return alt.Legend(orient="bottom", columns=alt.expr("max(1, min(3, floor(width / 170)))"), labelLimit=140)


def _label_limit(widest: int) -> alt.ExprRef:
    """How wide the labels of a bar chart's groups may be: `widest` pixels, but on screen at most
    40 % of the chart's width, so that on a phone the bars keep the rest (a longer label ends in
    «…»; the tooltip has it in full). Drawn without a page around it (the report's PNG), the
    container has no size and `widest` applies."""
    return alt.expr(f"containerSize()[0] > 0 ? min({widest}, containerSize()[0] * 0.4) : {widest}")


def _russian(chart: Drawn) -> Drawn:
    """Russian number and date formats. For screen readers the chart is its title: Vega's own
    descriptions of every mark, axis and title are English and name the frame's internal columns."""
    title = getattr(chart, "title", None)
    if isinstance(title, str) and title:
        chart = chart.properties(title=alt.TitleParams(text=title, aria=False), description=title)
    return chart.configure(locale=RUSSIAN_LOCALE, aria=False).configure_view(stroke=None)


def _age_kind(limit: int | None, stale_after_days: int) -> str:
    """A band of ages (up to `limit` days; None: pages with no figure) as the chart colours it."""
    if limit is None:
        return "нет цифр"
    return "свежие" if limit <= stale_after_days else "несвежие"


def _status_scale() -> alt.Scale:
    return alt.Scale(domain=STATUS_DOMAIN, range=STATUS_RANGE)


def status_by_group_chart(summary: pd.DataFrame, by: str, title: str) -> alt.TopLevelMixin:
    """Stacked bars of pages per status for each category or district (100 % = all its pages)."""
    label = summary[by].map(category_label) if by == "category" else summary[by]
    long = (
        summary.assign(group=label)
        .melt(id_vars=["group", "pages"], value_vars=STATUS_ORDER, var_name="status", value_name="count")
        .assign(
            status_label=lambda frame: frame["status"].map(STATUSES),
            share=lambda frame: frame["count"] / frame["pages"].where(frame["pages"] > 0, 1),
            order=lambda frame: frame["status"].map({code: i for i, code in enumerate(reversed(STATUS_ORDER))}),
        )
    )
    long = long[long["count"] > 0]
    chart = (
        alt.Chart(long, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None, sort=list(label), axis=alt.Axis(labelLimit=_label_limit(220))),
            x=alt.X("sum(count):Q", stack="normalize", title="доля страниц", axis=alt.Axis(format="%")),
            color=alt.Color("status_label:N", title="Статус", scale=_status_scale(), legend=_legend()),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("group:N", title="Группа"),
                alt.Tooltip("status_label:N", title="Статус"),
                alt.Tooltip("count:Q", title="Страниц"),
                alt.Tooltip("share:Q", title="Доля", format=".1%"),
            ],
        )
        .properties(height=alt.Step(30))
    )
    return _russian(chart)


def share_at_target_chart(
    summary: pd.DataFrame, by: str, title: str, average: float | None = None
) -> alt.TopLevelMixin:
    """Horizontal bars: share of pages at target per group, best first, with the overall average."""
    frame = summary.assign(group=summary[by].map(category_label) if by == "category" else summary[by])[
        ["group", "share_at_target", "pages", "at_target"]
    ]
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#2e8b57")
        .encode(
            y=alt.Y("group:N", title=None, sort="-x", axis=alt.Axis(labelLimit=_label_limit(220))),
            x=alt.X(
                "share_at_target:Q",
                title="доля страниц, достигших цели",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, max(0.05, float(frame["share_at_target"].max() or 0) * 1.15)]),
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Группа"),
                alt.Tooltip("at_target:Q", title="Достигли цели"),
                alt.Tooltip("pages:Q", title="Страниц"),
                alt.Tooltip("share_at_target:Q", title="Доля", format=".1%"),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=4, color="#1b2430").encode(
        text=alt.Text("share_at_target:Q", format=".0%")
    )
    layers = [bars, labels]
    if average is not None:
        rule = (
            alt.Chart(pd.DataFrame({"average": [average]}))
            .mark_rule(color="#555", strokeDash=[4, 3])
            .encode(x="average:Q", tooltip=[alt.Tooltip("average:Q", title="В среднем", format=".1%")])
        )
        layers.append(rule)
    chart = alt.layer(*layers, title=title).properties(height=alt.Step(26))
    return _russian(chart)


def day_axis(days: pd.Series) -> alt.Axis:
    """Dates along a history: day and month over a few months («14.10»), else month and year."""
    span = (days.max() - days.min()).days if len(days) else 0
    return alt.Axis(format="%d.%m" if span <= 120 else "%b %Y")


def history_chart(history: pd.DataFrame, targets: dict[str, int], title: str) -> alt.TopLevelMixin:
    """Subscribers over time per group (line) with each group's target (dashed line)."""
    frame = history.assign(day=pd.to_datetime(history["day"]))
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("day:T", title=None, axis=day_axis(frame["day"])),
            y=alt.Y("subscribers:Q", title="подписчиков", scale=alt.Scale(zero=False)),
            color=alt.Color("label:N", title=None, legend=_legend()),
            tooltip=[
                alt.Tooltip("day:T", title="Дата", format="%d.%m.%Y"),
                alt.Tooltip("label:N", title="Ряд"),
                alt.Tooltip("subscribers:Q", title="Подписчиков", format=",d"),
            ],
        )
    )
    layers = [lines]
    if targets:
        target_frame = pd.DataFrame({"label": list(targets), "target": list(targets.values())})
        layers.append(
            alt.Chart(target_frame)
            .mark_rule(strokeDash=[6, 4], strokeWidth=1.5)
            .encode(
                y="target:Q",
                color=alt.Color("label:N", legend=None),
                tooltip=[alt.Tooltip("label:N", title="Ряд"), alt.Tooltip("target:Q", title="Цель", format=",d")],
            )
        )
    chart = alt.layer(*layers, title=title).properties(height=320)
    return _russian(chart)


def weekly_growth_chart(weekly: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Net subscriber change per week: green bars up, red bars down; a week still under way is
    pale and says how many of its days are counted, so it does not read as a slump."""
    frame = weekly.assign(
        week=pd.to_datetime(weekly["week"]),
        direction=weekly["growth"] >= 0,
        note=[
            "неделя не закончилась: " + week_days(days) if partial else "вся неделя"
            for days, partial in zip(weekly["days"], weekly["partial"])
        ],
    )
    chart = (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X("week:T", title="неделя (начало)", axis=alt.Axis(format="%d.%m")),
            y=alt.Y("growth:Q", title="прирост за неделю"),
            color=alt.Color(
                "direction:N", scale=alt.Scale(domain=[True, False], range=["#2e8b57", "#d64541"]), legend=None
            ),
            opacity=alt.Opacity("partial:N", scale=alt.Scale(domain=[False, True], range=[1.0, 0.35]), legend=None),
            tooltip=[
                alt.Tooltip("week:T", title="Неделя с", format="%d.%m.%Y"),
                alt.Tooltip("growth:Q", title="Прирост", format="+,d"),
                alt.Tooltip("note:N", title="Учтено"),
            ],
        )
        .properties(height=220)
    )
    return _russian(chart)


def week_days(days: int) -> str:
    return f"{days} {plural(days, 'день', 'дня', 'дней')} из 7"


def at_target_history_chart(history: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Pages at target over time per group (columns day, label, at_target, share)."""
    frame = history.assign(day=pd.to_datetime(history["day"]))
    chart = (
        alt.Chart(frame, title=title)
        .mark_line(strokeWidth=2, interpolate="step-after")
        .encode(
            x=alt.X("day:T", title=None, axis=day_axis(frame["day"])),
            y=alt.Y("at_target:Q", title="страниц у цели"),
            color=alt.Color("label:N", title=None, legend=_legend()),
            tooltip=[
                alt.Tooltip("day:T", title="Дата", format="%d.%m.%Y"),
                alt.Tooltip("label:N", title="Ряд"),
                alt.Tooltip("at_target:Q", title="Страниц у цели", format=",d"),
                alt.Tooltip("share:Q", title="Доля страниц ряда", format=".1%"),
            ],
        )
        .properties(height=280)
    )
    return _russian(chart)


def target_fill_chart(summary: pd.DataFrame, by: str, title: str) -> alt.TopLevelMixin:
    """Progress to target per group: the target as a pale bar, subscribers counted towards it
    (each page capped at its own target) as a dark bar, and the share filled as a label."""
    frame = summary.assign(
        group=summary[by].map(category_label) if by == "category" else summary[by],
        counted=(summary["fill"] * summary["target_sum"]).round().astype(int),
    )[["group", "target_sum", "counted", "subscribers", "fill"]]
    base = alt.Chart(frame).encode(
        y=alt.Y("group:N", title=None, sort=list(frame["group"]), axis=alt.Axis(labelLimit=_label_limit(220)))
    )
    tooltip = [
        alt.Tooltip("group:N", title="Группа"),
        alt.Tooltip("subscribers:Q", title="Подписчиков", format=",d"),
        alt.Tooltip("counted:Q", title="В зачёт цели", format=",d"),
        alt.Tooltip("target_sum:Q", title="Цель (сумма)", format=",d"),
        alt.Tooltip("fill:Q", title="Заполнение", format=".1%"),
    ]
    target = base.mark_bar(color="#dfe6f2").encode(x=alt.X("target_sum:Q", title="подписчиков"), tooltip=tooltip)
    counted = base.mark_bar(color="#1f5fbf").encode(x="counted:Q", tooltip=tooltip)
    labels = base.mark_text(align="left", dx=4, color="#1b2430").encode(
        x="target_sum:Q", text=alt.Text("fill:Q", format=".0%"), tooltip=tooltip
    )
    chart = alt.layer(target, counted, labels, title=title).properties(height=alt.Step(30))
    return _russian(chart)


def item_completion_chart(completion: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Per checklist item: the share of pages where it is done (required items dark, optional pale)."""
    frame = completion.assign(kind=completion["is_required"].map({True: "обязательный", False: "рекомендуемый"}))
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("title:N", title=None, sort=list(frame["title"]), axis=alt.Axis(labelLimit=_label_limit(360))),
            x=alt.X("share_done:Q", title="доля страниц", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["обязательный", "рекомендуемый"], range=["#1f5fbf", "#9db8e3"]),
                legend=_legend(),
            ),
            tooltip=[
                alt.Tooltip("title:N", title="Пункт"),
                alt.Tooltip("done:Q", title="Выполнено"),
                alt.Tooltip("applies:Q", title="Применимо"),
                alt.Tooltip("share_done:Q", title="Доля", format=".1%"),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=4).encode(
        text=alt.Text("share_done:Q", format=".0%"), color=alt.value("#1b2430")
    )
    return _russian(alt.layer(bars, labels, title=title).properties(height=alt.Step(24)))


def age_bands_chart(bands: pd.DataFrame, stale_after_days: int, title: str) -> alt.TopLevelMixin:
    """Pages per age of their latest figure; bands older than the freshness limit in the
    «нет свежих данных» colour, pages with no figure in grey."""
    upper = {label: limit for label, limit in AGE_BANDS}
    frame = bands.assign(kind=[_age_kind(upper[band], stale_after_days) for band in bands["band"]])
    colours = alt.Scale(
        domain=["свежие", "несвежие", "нет цифр"],
        range=[
            STATUS_RANGE[STATUS_DOMAIN.index(STATUSES["on_track"])],
            STATUS_RANGE[STATUS_DOMAIN.index(STATUSES["stale"])],
            STATUS_RANGE[STATUS_DOMAIN.index(STATUSES["no_data"])],
        ],
    )
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                "band:N",
                title=None,
                sort=list(frame["band"]),
                axis=alt.Axis(labelLimit=_label_limit(220), labelPadding=6),
            ),
            x=alt.X("pages:Q", title="страниц"),
            color=alt.Color("kind:N", title=None, scale=colours, legend=_legend()),
            tooltip=[alt.Tooltip("band:N", title="Последняя цифра"), alt.Tooltip("pages:Q", title="Страниц")],
        )
    )
    labels = bars.mark_text(align="left", dx=4, color="#1b2430").encode(text="pages:Q")
    return _russian(alt.layer(bars, labels, title=title).properties(height=alt.Step(26)))
