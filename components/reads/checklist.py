"""Reads of the verification checklist: the items, the cells of every page and institution, the
scores, and one page's list for its card (see components/reads/cache.py for the caching)."""

from __future__ import annotations

import pandas as pd

from components.reads.cache import shared_read
from components.reads.store import get_engine
from data_access import queries
from data_access.areas import Area
from data_access.filters import PageFilter


@shared_read(Area.REGISTRY, Area.CHECKLIST, entries=32, spinner="Загружаем чек-листы…")
def page_states(filters: PageFilter) -> pd.DataFrame:
    """Every (page of the selection, page item applying to its network) cell: state and version."""
    return queries.checklist_states(get_engine(), filters)


@shared_read(Area.REGISTRY, Area.CHECKLIST, entries=32)
def institution_states(filters: PageFilter) -> pd.DataFrame:
    """Every (institution of the selection, institution item) cell: state and version."""
    return queries.institution_check_states(get_engine(), filters)


@shared_read(Area.REGISTRY, Area.CHECKLIST, entries=32)
def institution_scores(filters: PageFilter) -> pd.DataFrame:
    """Per institution of the selection: its required institution items applicable and done."""
    return queries.verification_by_institution(get_engine(), filters)


@shared_read(Area.REGISTRY, Area.CHECKLIST, entries=32)
def item_completion(filters: PageFilter) -> pd.DataFrame:
    """Per active checklist item: where it applies in the selection and where it is done."""
    return queries.item_completion(get_engine(), filters)


@shared_read(Area.CHECKLIST, entries=8)
def items(include_retired: bool = False) -> pd.DataFrame:
    """The checklist's items in their order (the retired ones too with `include_retired`)."""
    return queries.checklist_item_list(get_engine(), include_retired)


@shared_read(Area.CHECKLIST, entries=256)
def page_checklist(page_id: int) -> pd.DataFrame:
    """One page's checklist, item by item, for its card."""
    return queries.page_checklist(get_engine(), page_id)


def check_details(keys: list[tuple[int, int]], institution: bool = False) -> dict:
    """Note and confirmation link of each (page_id, item_id) cell — (institution_id, item_id) with
    `institution` — as stored now: read uncached at the moment of saving, so that an edit that
    changes only the state keeps what is there."""
    return queries.check_details(get_engine(), keys, institution)
