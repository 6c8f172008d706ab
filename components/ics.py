"""iCalendar (RFC 5545) export of the content plan that Outlook, Яндекс Календарь and Google import.

Every material keeps one UID for life and its version as SEQUENCE, so importing a newer export
updates the events instead of duplicating them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
from icalendar import Calendar, Event

from components.content import audience_text
from components.formatting import text_of
from data_access.clock import CITY_TIMEZONE
from data_access.vocabulary import CONTENT_FORMATS, CONTENT_STATUSES

UID_DOMAIN = "gospubliki.novo-sibirsk.ru"
EVENT_MINUTES = 30
ICS_STATUS = {"cancelled": "CANCELLED", "ready": "CONFIRMED", "published": "CONFIRMED"}


def item_uid(item_id: int) -> str:
    return f"content-item-{int(item_id)}@{UID_DOMAIN}"


def _utc(moment) -> datetime:
    if moment is None or pd.isna(moment):
        return datetime(2000, 1, 1, tzinfo=UTC)
    moment = pd.Timestamp(moment).to_pydatetime()
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def calendar_ics(items: pd.DataFrame, name: str = "Контент-план госпабликов Новосибирска") -> bytes:
    """One VEVENT per dated material (undated ideas have no place in a calendar)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Мэрия Новосибирска//Дашборд госпабликов//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", CITY_TIMEZONE.key)
    for row in items.dropna(subset=["publish_at"]).itertuples():
        start = pd.Timestamp(row.publish_at).to_pydatetime().replace(tzinfo=CITY_TIMEZONE)
        event = Event()
        event.add("uid", item_uid(row.id))
        event.add("dtstamp", _utc(row.updated_at))
        event.add("last-modified", _utc(row.updated_at))
        event.add("sequence", int(row.version))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=EVENT_MINUTES))
        event.add("summary", row.title)
        lines = [
            f"Статус: {CONTENT_STATUSES.get(row.status, row.status)}",
            f"Формат: {CONTENT_FORMATS.get(row.format, row.format)}",
            f"Рубрика: {text_of(row.rubric) or '—'}",
            f"Редактор: {text_of(row.editor) or 'не назначен'}",
            f"Аудитория: {audience_text(row.categories, row.page_count)}",
        ]
        if row.deadline is not None and not pd.isna(row.deadline):
            lines.append(f"Срок подготовки: {row.deadline:%d.%m.%Y}")
        for label, value in (
            ("Пост редакции", getattr(row, "source_post", None)),
            ("Адрес статьи", getattr(row, "source_url", None)),
            ("Хештег", getattr(row, "hashtag", None)),
        ):
            if text_of(value):
                lines.append(f"{label}: {text_of(value)}")
        if text_of(row.notes):
            lines.append(f"Заметки: {text_of(row.notes)}")
        event.add("description", "\n".join(lines))
        event.add("categories", [value for value in (text_of(row.rubric), CONTENT_FORMATS.get(row.format)) if value])
        event.add("status", ICS_STATUS.get(row.status, "TENTATIVE"))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
