"""Which districts the store's registry may name: the city's ten, or the whole region's, and the
nearest known name for a typo («Дзержинскй район» → «Дзержинский район»)."""

from __future__ import annotations

import difflib

from sqlalchemy import Engine, select

from data_access import parsing
from data_access.config import Settings
from data_access.models import store_info
from data_access.vocabulary import CITY_DISTRICTS, REGION_AREAS

CITY = "city"
REGION = "region"


def territory_for(dataset: str | None, settings: Settings) -> str:
    """The `territory` setting, else «region» for the generated region demo, else «city»."""
    if settings.territory:
        return settings.territory
    return REGION if dataset == "region-demo" else CITY


def territory_of(engine: Engine, settings: Settings) -> str:
    """territory_for the store's dataset label, read from the store."""
    with engine.connect() as connection:
        dataset = connection.execute(select(store_info.c.value).where(store_info.c.key == "dataset")).scalar()
    return territory_for(dataset, settings)


def known_districts(territory: str) -> tuple[str, ...]:
    return CITY_DISTRICTS if territory == CITY else CITY_DISTRICTS + tuple(REGION_AREAS)


def _key(text: str) -> str:
    return parsing.folded(text)


def match_district(text: str, known: tuple[str, ...]) -> str:
    """The known district `text` names (case, ё/е, spaces and a missing «район» forgiven), or a
    ValueError that suggests the nearest one."""
    by_key = {_key(name): name for name in known}
    key = _key(text)
    for candidate in (key, f"{key} район"):
        if candidate in by_key:
            return by_key[candidate]
    nearest = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
    where = "в городе десять районов" if known == CITY_DISTRICTS else "такого района нет в области"
    if nearest:
        raise ValueError(f"неизвестный район ({where}); может быть, «{by_key[nearest[0]]}»?")
    raise ValueError(f"неизвестный район ({where}: {', '.join(known[:10])}{'…' if len(known) > 10 else ''})")
