"""Pure builders of the content calendar: filtering, month grid, overdue, load, cadence, tables."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from components.formatting import markdown_text, text_of
from components.tables import page_names
from data_access.content_plan import POSTS_PER_WEEK
from data_access.periods import MONTHS, MONTHS_GENITIVE
from data_access.vocabulary import (
    CATEGORIES,
    CONTENT_FORMATS,
    CONTENT_STATUSES,
    category_label,
    platform_label,
)

# Streamlit's Markdown colour names per status: the legend, the two-week list and the month grid.
MATERIAL_STATUS_COLORS = {
    "idea": "gray",
    "in_progress": "blue",
    "review": "violet",
    "ready": "orange",
    "published": "green",
    "cancelled": "red",
}
FINISHED = {"ready", "published", "cancelled"}
WEEKDAYS = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]


def week_name(monday: date, today: date) -> str:
    """«Эта неделя», «Следующая неделя» or just «Неделя», for the two-week view."""
    this = today - timedelta(days=today.weekday())
    return {this: "Эта неделя", this + timedelta(days=7): "Следующая неделя"}.get(monday, "Неделя")


@dataclass(frozen=True)
class ItemFilter:
    statuses: tuple[str, ...] = ()
    rubrics: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


def filter_items(
    items: pd.DataFrame,
    choice: ItemFilter,
    selected_pages: set[int] | None = None,
    selected_categories: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Items matching the calendar's own filters and reaching the sidebar's selection of pages:
    an item reaches it through one of its chosen pages or through a whole category of it."""
    mask = pd.Series(True, index=items.index)
    if choice.statuses:
        mask &= items["status"].isin(choice.statuses)
    if choice.rubrics:
        mask &= items["rubric"].isin(choice.rubrics)
    if choice.formats:
        mask &= items["format"].isin(choice.formats)
    if choice.editors:
        mask &= items["editor"].isin(choice.editors)
    if choice.categories:
        mask &= items["categories"].map(lambda codes: bool(set(codes) & set(choice.categories)))
    if selected_pages is not None:
        reach_categories = set(selected_categories) or set(CATEGORIES)
        mask &= pd.Series(
            [
                bool(set(codes) & reach_categories) or bool(set(ids) & selected_pages) or (not codes and not ids)
                for codes, ids in zip(items["categories"], items["page_ids"])
            ],
            index=items.index,
        )
    return items[mask]


def month_weeks(year: int, month: int) -> list[list[date]]:
    """The weeks (Monday first) covering a month, including the neighbouring months' days."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def month_title(year: int, month: int) -> str:
    return f"{MONTHS[month - 1].capitalize()} {year}"


def by_day(items: pd.DataFrame) -> dict[date, list[dict]]:
    """The dated materials as records per publication day, in publication order (one pass over the
    frame: a calendar grid of 35 days does not slice it 35 times)."""
    dated = items.dropna(subset=["publish_at"]).sort_values("publish_at", kind="stable")
    per_day: dict[date, list[dict]] = {}
    for row in dated.to_dict("records"):
        per_day.setdefault(pd.Timestamp(row["publish_at"]).date(), []).append(row)
    return per_day


def month_grid(
    weeks: list[list[date]],
    month: int,
    today: date,
    per_day: Mapping[date, Sequence[Mapping]],
    marks: Mapping[date, Sequence[str]],
) -> dict:
    """What the month grid (components/month_grid.py) draws, as plain JSON: per day its number,
    its full name for a phone and for screen readers («Пт, 4 декабря, сегодня»), whether it
    belongs to the neighbouring month, its holidays and city dates, and its materials — id, the
    compact line of item_label, the status colour and a tooltip with status and editor. Titles
    and names stay plain text: the component sets them as text, never as markup."""
    days = []
    for week in weeks:
        for day in week:
            name = f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS_GENITIVE[day.month - 1]}"
            days.append(
                {
                    "day": day.day,
                    "name": name + (", сегодня" if day == today else ""),
                    "outside": day.month != month,
                    "today": day == today,
                    "marks": list(marks.get(day, [])),
                    "items": [
                        {
                            "id": int(row["id"]),
                            "text": item_label(row),
                            "color": MATERIAL_STATUS_COLORS[row["status"]],
                            "about": f"{CONTENT_STATUSES[row['status']]} · "
                            f"{text_of(row['editor']) or 'редактор не назначен'}",
                        }
                        for row in per_day.get(day, [])
                    ],
                }
            )
    return {"weekdays": WEEKDAYS, "days": days}


def overdue(items: pd.DataFrame, today: date) -> pd.DataFrame:
    """Materials whose production deadline has passed while they are not ready yet."""
    late = items[items["deadline"].notna() & ~items["status"].isin(FINISHED)]
    # A boolean mask even when nothing is late: an empty object Series would select columns, not rows.
    return late[late["deadline"].map(lambda day: day < today).astype(bool)].sort_values("deadline")


def editor_load(items: pd.DataFrame, first: date, weeks: int) -> pd.DataFrame:
    """Materials per editor per week (Monday) for `weeks` weeks from the Monday `first`, not
    counting cancelled ones."""
    active = items[(items["status"] != "cancelled") & items["publish_at"].notna()]
    days = pd.to_datetime(active["publish_at"]).dt.date
    active = active[days.between(first, first + timedelta(days=7 * weeks - 1))]
    if active.empty:
        return pd.DataFrame(columns=["Редактор"])
    mondays = pd.to_datetime(active["publish_at"]).dt.date.map(lambda day: day - timedelta(days=day.weekday()))
    every_week = [first + timedelta(days=7 * number) for number in range(weeks)]
    table = pd.crosstab(active["editor"].fillna("не назначен"), mondays).reindex(columns=every_week, fill_value=0)
    table.columns = [f"с {week:%d.%m}" for week in every_week]
    table = table.reset_index().rename(columns={"editor": "Редактор"})
    table["Всего"] = table.drop(columns="Редактор").sum(axis=1)
    return table.sort_values("Всего", ascending=False).reset_index(drop=True)


def under_served(coverage: pd.DataFrame, weeks: float) -> pd.DataFrame:
    """Pages that get fewer than POSTS_PER_WEEK materials a week in the window."""
    needed = POSTS_PER_WEEK * weeks
    return coverage[coverage["materials"] < needed]


def pages_table(coverage: pd.DataFrame, with_materials: bool) -> pd.DataFrame:
    """Pages of a coverage frame as shown and downloaded: page, its network (an institution's VK
    page and its MAX channel are two rows), district and, if asked, materials."""
    table = pd.DataFrame(
        {
            "Страница": coverage["short_name"],
            "Соцсеть": coverage["platform"].map(platform_label),
            "Район": coverage["district"],
        }
    )
    if with_materials:
        table["Материалов"] = coverage["materials"]
    return table.reset_index(drop=True)


def unserved(coverage: pd.DataFrame) -> pd.DataFrame:
    """The pages of a coverage frame that got no material of the newsroom."""
    return coverage[coverage["materials"] == 0]


def day_heading(day: date, weekday: int, today: date, marks: Sequence[str]) -> str:
    """A day's heading in the two-week view (markdown): «**Пн, 07.12**», highlighted when it is
    today, with the day's holidays and city dates in red."""
    heading = f"**{WEEKDAYS[weekday]}, {day:%d.%m}**"
    if day == today:
        heading = f":blue-background[{heading}] (сегодня)"
    if marks:
        heading += " — " + "; ".join(f":red[{markdown_text(mark)}]" for mark in marks)
    return heading


def city_date_names(city_dates: pd.DataFrame) -> dict[int, str]:
    """Each city date's id -> «2026-12-07 · its title», for the picker of a date to remove."""
    return dict(zip(city_dates["id"], city_dates["day"].map(str) + " · " + city_dates["title"]))


def city_dates_table(city_dates: pd.DataFrame) -> pd.DataFrame:
    """The editors' city dates as shown on «Памятные даты»."""
    return pd.DataFrame(
        {
            "Дата": city_dates["day"].map(lambda day: f"{day:%d.%m.%Y}"),
            "Каждый год": city_dates["recurring"].astype(bool),
            "Событие": city_dates["title"],
            "Заметка": city_dates["note"].fillna(""),
        }
    )


def audience_text(categories: tuple[str, ...], page_count: int) -> str:
    parts = [category_label(code) for code in categories]
    if page_count:
        parts.append(f"{page_count} стр.")
    return ", ".join(parts) if parts else "все страницы"


# Columns of items_table kept for the CSV and the .ics, not drawn on screen (long, and only for matching).
SOURCE_COLUMNS = ("Пост редакции", "Адрес статьи", "Хештег", "Текст материала")


def screen_columns(table: pd.DataFrame) -> list[str]:
    return [column for column in table.columns if column not in SOURCE_COLUMNS]


def items_table(items: pd.DataFrame) -> pd.DataFrame:
    """The calendar as a table (what the CSV download writes)."""
    return pd.DataFrame(
        {
            "№": items["id"],
            "Дата": items["publish_at"].map(lambda moment: "" if pd.isna(moment) else f"{moment:%d.%m.%Y %H:%M}"),
            "Материал": items["title"],
            "Рубрика": items["rubric"].fillna(""),
            "Формат": items["format"].map(lambda code: CONTENT_FORMATS.get(code, code)),
            "Статус": items["status"].map(lambda code: CONTENT_STATUSES.get(code, code)),
            "Редактор": items["editor"].fillna(""),
            "Срок подготовки": items["deadline"].map(lambda day: "" if pd.isna(day) else f"{day:%d.%m.%Y}"),
            "Аудитория": [
                audience_text(codes, count) for codes, count in zip(items["categories"], items["page_count"])
            ],
            "Опубликовано": [
                f"{done} из {count}" if count else ""
                for done, count in zip(items["published_count"], items["page_count"])
            ],
            **{
                label: (items[column].fillna("") if column in items else "")
                for label, column in (
                    ("Пост редакции", "source_post"),
                    ("Адрес статьи", "source_url"),
                    ("Хештег", "hashtag"),
                    ("Текст материала", "body"),
                )
            },
        }
    ).reset_index(drop=True)


def item_label(row) -> str:
    """A compact line for the month grid: «10:30 Фотоотчёт: субботник»."""
    moment = row["publish_at"]
    time_text = "" if pd.isna(moment) else f"{moment:%H:%M} "
    title = row["title"] if len(row["title"]) <= 48 else row["title"][:47] + "…"
    return f"{time_text}{title}"


def marks_for(days: list[date], holidays: dict[date, str], city_dates: pd.DataFrame) -> dict[date, list[str]]:
    """Holidays and city dates falling on each of `days` (recurring city dates match every year),
    with one pass over the city dates: a month grid asks for 35 days."""
    on_date: dict[tuple[int, int], list] = {}
    for row in city_dates.itertuples():
        on_date.setdefault((row.day.month, row.day.day), []).append(row)
    return {
        day: ([holidays[day]] if day in holidays else [])
        + [row.title for row in on_date.get((day.month, day.day), []) if row.recurring or row.day == day]
        for day in days
    }


def start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def publication_marks(targets: pd.DataFrame) -> pd.DataFrame:
    """A material's chosen pages with «Опубликовано» ticks, keyed by page id (however the editor sorts)."""
    return pd.DataFrame(
        {
            "Страница": page_names(targets) + " · " + targets["district"],
            "Ссылка": targets["url"],
            "Опубликовано": targets["published_at"].notna(),
        }
    ).set_axis(targets["page_id"].to_numpy())


def changed_marks(before: pd.DataFrame, after: pd.DataFrame) -> dict[int, bool]:
    """page id -> the new «Опубликовано» tick, for the rows where the person changed it."""
    return {
        int(page_id): bool(after.loc[page_id, "Опубликовано"])
        for page_id in before.index
        if bool(after.loc[page_id, "Опубликовано"]) != bool(before.loc[page_id, "Опубликовано"])
    }
