"""Data areas: a write and a read agree on them, and a misspelt one is an error, not a cache that
never refreshes."""

from __future__ import annotations

import re

import pytest

from data_access import queries
from data_access.areas import Area, areas_of
from data_access.writes import bump_revisions
from tests.conftest import ROOT


def test_an_unknown_area_is_refused_by_name():
    assert areas_of(["registry", Area.USERS]) == (Area.REGISTRY, Area.USERS)
    with pytest.raises(ValueError, match="registy"):
        areas_of(["registy"])


def test_bumping_an_unknown_area_changes_no_counter(demo_engine):
    before = queries.revisions(demo_engine)
    with pytest.raises(ValueError), demo_engine.begin() as connection:
        bump_revisions(connection, Area.CALENDAR, "calender")
    assert queries.revisions(demo_engine) == before  # one transaction: the known area did not move either
    with demo_engine.begin() as connection:
        bump_revisions(connection, Area.CALENDAR)
    assert queries.revisions(demo_engine).get("calendar", 0) == before.get("calendar", 0) + 1


def test_every_area_a_cached_read_depends_on_is_raised_by_some_write():
    used = lambda paths: {name for path in paths for name in re.findall(r"\bArea\.([A-Z]+)", path.read_text())}  # noqa: E731
    from components import reads

    read = {area.name for shared in reads.cache.READS for area in shared.areas}
    written = used(path for path in (ROOT / "data_access").glob("*.py") if path.name != "areas.py")
    assert read, "components/reads names its areas"
    assert read <= written, f"read but never written: {read - written}"
    assert written <= {area.name for area in Area}
