"""The city's clock: Novosibirsk time zone and «today» as people in the city mean it.

Every «today» in the project (freshness, future dates in uploads, the demo's placement) comes
from here, so a server running in UTC does not move the day boundary seven hours.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

CITY_TIMEZONE = ZoneInfo("Asia/Novosibirsk")
# Pins «today» (ISO date) for a reproducible demo or test run; unset in normal use.
TODAY_VARIABLE = "GOSPUBLIKI_TODAY"


def now() -> datetime:
    """The current moment in Novosibirsk (time-zone aware)."""
    return datetime.now(CITY_TIMEZONE)


def today() -> date:
    """Today's date in Novosibirsk, or the pinned date of GOSPUBLIKI_TODAY."""
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError as error:
            raise ValueError(f"{TODAY_VARIABLE}: «{pinned}» — не дата ГГГГ-ММ-ДД") from error
    return now().date()


def local_now() -> datetime:
    """The wall-clock time in Novosibirsk without a zone (as the content plan stores its times),
    on the pinned day when GOSPUBLIKI_TODAY is set."""
    moment = now().replace(tzinfo=None)
    return datetime.combine(today(), moment.time())
