"""The store as the pages see it: the engine and settings once per process, today, the date of the
data, the filter options, and «Начало работы».

Writes never go through components/reads: pages call data_access with get_engine(), and
data_access checks the actor's role and the row versions in the write's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import streamlit as st
from sqlalchemy import Engine

from components.reads.cache import clear_reads, shared_read
from data_access import clock, queries, rules, seed, territory
from data_access.areas import Area
from data_access.config import Settings, database_url, is_default_store, load_settings
from data_access.engine import check_connection, make_engine
from data_access.first_steps import Step, steps


def get_engine() -> Engine:
    """The process-wide engine of the configured store."""
    return _engine_for(database_url())


@st.cache_resource(show_spinner="Открываем базу данных…")
def _engine_for(url: str) -> Engine:
    """One engine per database URL: migrated, and seeded with the demo city if it is the empty
    embedded default store."""
    engine = make_engine(url)
    check_connection(engine)
    seed.initialise(engine)
    if is_default_store(url) and not queries.store_counts(engine)["institutions"]:
        seed.load_demo(engine)
    return engine


@st.cache_resource
def get_settings() -> Settings:
    return load_settings()


def forget_store() -> None:
    """Forget the engine, the settings and every read (a test or the benchmark switching stores)."""
    st.cache_resource.clear()
    st.cache_data.clear()
    clear_reads()


def today() -> date:
    """Today in Novosibirsk."""
    return clock.today()


@dataclass(frozen=True)
class StoreFacts:
    as_of: date | None  # the newest day with a subscriber figure
    first_day: date | None  # the earliest one
    dataset: str | None  # the generated demo data set's label (queries.dataset_label), else None
    options: MappingProxyType  # the sidebar filters' choices: categories, districts, platforms (tuples)


@shared_read(Area.REGISTRY, Area.SUBSCRIBERS, entries=8)
def facts() -> StoreFacts:
    """The date of the data, the data set and the filter options: read by app.py and several times
    by every page."""
    engine = get_engine()
    options = queries.filter_options(engine)
    return StoreFacts(
        queries.data_as_of(engine),
        queries.first_data_day(engine),
        queries.dataset_label(engine),
        MappingProxyType({name: tuple(values) for name, values in options.items()}),
    )


def as_of() -> date | None:
    return facts().as_of


def first_day() -> date | None:
    """The earliest day with a subscriber figure."""
    return facts().first_day


def deadline() -> date:
    """The configured deadline, else the default rule applied to the data's date."""
    configured = get_settings().deadline
    if configured:
        return configured
    return rules.default_deadline(as_of() or today())


def coverage_area() -> str:
    """«city» or «region»: what the store covers (the `territory` setting, else the data set)."""
    return territory.territory_for(facts().dataset, get_settings())


def known_districts() -> tuple[str, ...]:
    """The districts the registry may name (the city's ten, or the whole region's)."""
    return territory.known_districts(coverage_area())


@shared_read(Area.REGISTRY, Area.SUBSCRIBERS, Area.USERS, Area.COLLECT, entries=4)
def _first_steps() -> tuple[Step, ...]:
    return tuple(steps(get_engine(), get_settings()))


def first_steps() -> tuple[Step, ...]:
    """«Начало работы»: the steps of a new install with their state (none on the demo data sets)."""
    return () if facts().dataset else _first_steps()
