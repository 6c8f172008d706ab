"""Reads of the administrators' pages: the registry with its versions, the latest imports and
collection runs (see components/reads/cache.py for the caching).

The users list and the audit log are read uncached, on purpose (pages/users.py, pages/audit.py):
an administrator checks them against the database at the moment, and a cached copy could trail
another instance's write by the revision counters' REVISION_TTL_SECONDS.
"""

from __future__ import annotations

import pandas as pd

from components.reads.cache import shared_read
from components.reads.store import get_engine
from data_access import collect, importers, queries
from data_access.areas import Area


@shared_read(Area.REGISTRY, entries=4)
def registry(include_retired: bool = False) -> pd.DataFrame:
    """Every institution with its pages (and the versions an edit starts from), for the registry."""
    return queries.registry_frame(get_engine(), include_retired=include_retired)


@shared_read(Area.SUBSCRIBERS, Area.REGISTRY, entries=4)
def recent_imports() -> pd.DataFrame:
    """The latest file imports, newest first (every import moves the subscribers or registry revision)."""
    return importers.recent_imports(get_engine())


@shared_read(Area.COLLECT, entries=4)
def collection_runs() -> pd.DataFrame:
    """The latest collector runs, newest first (every run moves the «collect» revision)."""
    return collect.recent_runs(get_engine())
