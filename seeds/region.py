"""Generate the DEMO region: 3465 invented official pages of the Novosibirsk region with two years of
daily figures (≈2.5 million rows), and the MAX channels institutions opened beside them since
September 2025 (as in the demo city), for load and speed tests. Not real data.

The city part reuses the demo city's generator (same names and places, a longer history); the other
municipal districts and urban okrugs get institutions placed around their administrative centres.
Rows are produced lazily, so the whole set never sits in memory at once.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from data_access.vocabulary import REGION_AREAS
from seeds import generate as city

DEMO_AS_OF = city.DEMO_AS_OF
REGION_PAGES = 3465
REGION_DAYS = 730
SEED = 2023_3465

# Relative number of institutions in each municipal district / urban okrug (vocabulary.REGION_AREAS order).
AREA_SIZES = [
    130,
    70,
    30,
    20,
    230,
    90,
    110,
    90,
    90,
    100,
    90,
    90,
    90,
    80,
    85,
    75,
    80,
    100,
    70,
    65,
    75,
    65,
    55,
    70,
    70,
    60,
    55,
    55,
    50,
    55,
    60,
    45,
    45,
    55,
]
AREAS: list[tuple[str, float, float, int]] = [
    (name, lat, lon, size) for (name, (lat, lon)), size in zip(REGION_AREAS.items(), AREA_SIZES, strict=True)
]
CATEGORY_SHARES = [("kindergarten", 38), ("school", 40), ("culture", 12), ("sport", 4), ("city_hall", 4), ("other", 2)]


def _short(area: str) -> str:
    for prefix in ("городской округ ", "р. п. "):
        if area.startswith(prefix):
            return area[len(prefix) :]
    return area.replace(" район", "")


def _area_sizes() -> list[int]:
    total = REGION_PAGES - sum(city.CATEGORY_COUNTS.values())
    weights = [weight for *_rest, weight in AREAS]
    sizes = [total * weight // sum(weights) for weight in weights]
    for index in range(total - sum(sizes)):
        sizes[index % len(sizes)] += 1
    return sizes


def _name(rng: random.Random, category: str, area: str, number: int) -> tuple[str, str]:
    place = _short(area)
    if category == "kindergarten":
        short = f"Детский сад № {number} «{rng.choice(city.KINDERGARTEN_NAMES)}» ({place})"
        return f"МКДОУ «{short}»", short
    if category == "school":
        short = f"Средняя школа № {number} ({place})"
        return f"МКОУ «{short}»", short
    if category == "culture":
        short = f"Дом культуры «{rng.choice(city.CULTURE_WORDS)}» ({place})"
        return f"МБУК «{short}»", short
    if category == "sport":
        short = f"Спортивная школа «{rng.choice(city.SPORT_NAMES)}» ({place})"
        return f"МБУ ДО «{short}»", short
    if category == "city_hall":
        short = f"Администрация: {place}, отдел № {number}"
        return short, short
    short = f"Молодёжный центр «{rng.choice(city.OTHER_WORDS)}» ({place})"
    return f"МБУ «{short}»", short


def institutions_and_pages(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """The demo city's institutions and pages plus those of the rest of the region."""
    city_rng = random.Random(city.SEED)
    institutions = city._institutions(city_rng)
    pages = city._pages(city_rng, institutions)
    next_id = len(institutions) + 1
    for (area, lat, lon, _weight), size in zip(AREAS, _area_sizes()):
        numbers: dict[str, int] = {}
        for _ in range(size):
            category = city._weighted(rng, CATEGORY_SHARES)[0]
            numbers[category] = numbers.get(category, 0) + 1
            name, short = _name(rng, category, area, numbers[category])
            code = f"r{next_id}"
            institutions.append(
                {
                    "id": next_id,
                    "code": code,
                    "name": name,
                    "short_name": short,
                    "category": category,
                    "district": area,
                    "address": f"Новосибирская область, {area}",
                    "lat": round(lat + max(-0.12, min(0.12, rng.gauss(0, 0.04))), 6),
                    "lon": round(lon + max(-0.2, min(0.2, rng.gauss(0, 0.07))), 6),
                    "website": "",
                    "_flagship": category == "city_hall" or rng.random() < 0.06,
                }
            )
            platform = city._weighted(rng, [("vk", 90), ("ok", 7), ("telegram", 3)])[0]
            host = {"vk": "vk.com", "ok": "ok.ru/group", "telegram": "t.me"}[platform]
            pages.append(
                {
                    "id": next_id,
                    "institution_id": next_id,
                    "platform": platform,
                    "url": f"https://{host}/{code}_nso",
                    "is_flagship": institutions[-1]["_flagship"],
                    "target_override": "",
                }
            )
            next_id += 1
    return institutions, pages + _max_channels(institutions, next_id)


MAX_SEED = SEED + 17


def _max_channels(institutions: list[dict], next_id: int) -> list[dict]:
    """Channels in MAX beside the institutions' pages, opened as in the demo city (the same share
    per category, more of them the later it is, a rush each September), from a stream of their own."""
    rng = random.Random(MAX_SEED)
    channels = []
    for institution in institutions:
        if rng.random() >= city.MAX_SHARE[institution["category"]]:
            continue
        channels.append(city.max_channel(institution, next_id, city._max_opening(rng)))
        next_id += 1
    return channels


def snapshot_count(pages: list[dict]) -> int:
    """How many figures snapshots() yields: every day for a page, from its opening for a channel."""
    return sum(
        min(REGION_DAYS, (city.DEMO_AS_OF - page["_opened"]).days + 1) if "_opened" in page else REGION_DAYS
        for page in pages
    )


def _channel_history(page: dict, category: str, days: list[date], shift: timedelta) -> list[tuple[date, int]]:
    """A MAX channel's daily figures from the day it opened (shifted with the rest of the demo)."""
    rng = random.Random(MAX_SEED * 100_000 + page["id"])
    current = rng.uniform(5, 40)
    daily = rng.uniform(0.15, 1.2) * (1.6 if category in ("school", "city_hall") else 1.0)
    history = []
    for day in days:
        if day < page["_opened"] + shift:
            continue
        mean = daily * city._seasonality(category, day)
        current = max(0.0, current + rng.gauss(mean, math.sqrt(mean + 0.25)))
        history.append((day, int(round(current))))
    return history


def snapshots(
    rng: random.Random, institutions: list[dict], pages: list[dict], as_of: date = city.DEMO_AS_OF
) -> Iterator[dict]:  # the loader passes the day before today
    """Two years of daily figures for every page, page after page (a generator)."""
    days = [as_of - timedelta(days=REGION_DAYS - 1 - i) for i in range(REGION_DAYS)]
    categories = {row["id"]: row["category"] for row in institutions}
    for page in pages:
        category = categories[page["institution_id"]]
        if "_opened" in page:  # a MAX channel: figures from the day it opened
            for day, value in _channel_history(page, category, days, as_of - city.DEMO_AS_OF):
                yield {"page_id": page["id"], "day": day, "subscribers": value}
            continue
        values = city._history(rng, page, category, days)
        for day, value in zip(days, values):
            yield {"page_id": page["id"], "day": day, "subscribers": value}


def page_checks(rng: random.Random, institutions: list[dict], pages: list[dict]) -> list[dict]:
    """As in the city: each page's own marks, and the institution's main page records its MAX channel."""
    main, channels = pages[: len(institutions)], pages[len(institutions) :]
    owners = {institution["id"]: institution for institution in institutions}
    rows = city._page_checks(rng, institutions, main)
    rows += city._page_checks(rng, [owners[channel["institution_id"]] for channel in channels], channels)
    return rows + [
        {
            "page_id": channel["institution_id"],
            "item_code": "max_channel",
            "state": "done",
            "note": "",
            "evidence_url": channel["url"],
            "updated_by": city.STAFF[0],
            "updated_at": datetime.combine(channel["_opened"], time(12, 0)).isoformat(timespec="minutes"),
        }
        for channel in channels
    ]


def content(rng: random.Random, institutions: list[dict], pages: list[dict]) -> tuple[list, list, list]:
    return city._content(rng, institutions, pages[: len(institutions)])
