"""The city's clock: Novosibirsk time zone and «today» as people in the city mean it.

Every «today» in the project (freshness, future dates in uploads, the demo's placement) comes
from here, so a server running in UTC does not move the day boundary seven hours.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

CITY_TIMEZONE = ZoneInfo("Asia/Novosibirsk")


def now() -> datetime:
    """The current moment in Novosibirsk (time-zone aware)."""
    return datetime.now(CITY_TIMEZONE)


def today() -> date:
    """Today's date in Novosibirsk."""
    return now().date()
