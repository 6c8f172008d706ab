"""The one cache of the dashboard's reads: `shared_read`, keyed by a read's arguments, the write
counters of the data areas it names, and — for a read that depends on the date — today.

How it works, in full:
- a write raises the counter (revision) of each Area it changes, in its own transaction
  (data_access.writes); `revision()` reads the counters at most every REVISION_TTL_SECONDS, so
  another app instance's write is seen within that time, this instance's at once (editing.save
  calls forget_revisions);
- a read decorated with `@shared_read(Area.X, …)` is computed once per process for a key —
  other sessions asking for the same key wait for it, under the read's spinner — and kept for at
  most READ_TTL_SECONDS (its key holds the revisions, so it is never stale, only forgotten);
- every caller gets its own view of the shared result (`reader_view`): frames and tables as
  pandas copy-on-write shallow copies, lists and dicts copied, frozen dataclasses with their
  fields viewed the same way, tuples and mappingproxies checked once to hold nothing changeable.
  A reader that changes what it got changes only its own copy; a result of any other type is a
  TypeError when it is computed, not a shared object one session could change for all.

Why not st.cache_data: it unpickles a whole frame on every read, and hashes its arguments
(≈ 0.3 ms a read, dozens of reads a rerun). Why not st.cache_resource: it hands every session the
same object, which nothing keeps a page from changing, and hashes the arguments the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import functools
import threading
from collections.abc import Callable
from types import MappingProxyType
from typing import Any, Generic, ParamSpec, TypeVar

import cachetools
import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from components import tables
from data_access import clock, queries
from data_access.areas import Area, areas_of

# How long the revision counters are trusted: other app instances see a write within this time.
REVISION_TTL_SECONDS = 2
# How long a shared read is kept at most (its key holds the data revisions, so it is never stale).
READ_TTL_SECONDS = 3600

P = ParamSpec("P")
R = TypeVar("R")
_MISSING = object()
# Values a reader cannot change, handed out as they are.
_IMMUTABLE = (
    type(None),
    bool,
    int,
    float,
    complex,
    str,
    bytes,
    dt.date,
    dt.datetime,
    dt.time,
    dt.timedelta,
    decimal.Decimal,
    enum.Enum,
    np.generic,
    pa.Table,
    range,
    type(pd.NA),
)

_revisions: cachetools.TTLCache = cachetools.TTLCache(maxsize=1, ttl=REVISION_TTL_SECONDS)
_revisions_lock = threading.Lock()


def revisions() -> MappingProxyType:
    """Every area's write counter, read from the store at most every REVISION_TTL_SECONDS."""
    with _revisions_lock:
        current = _revisions.get("now")
    if current is None:
        from components.reads import store  # the engine lives there; store's reads use this module

        current = MappingProxyType(queries.revisions(store.get_engine()))
        with _revisions_lock:
            _revisions["now"] = current
    return current


def revision(*areas: Area) -> tuple[int, ...]:
    """The write counters of `areas` (0 for an area never written); a name that is no Area is a
    ValueError, not a cache that never refreshes."""
    current = revisions()
    return tuple(current.get(area, 0) for area in areas_of(areas))


def forget_revisions() -> None:
    """Read the counters again at the next read (after a write of this process)."""
    with _revisions_lock:
        _revisions.clear()


class SharedRead(Generic[P, R]):
    """A read kept once per process and key; see the module's docstring."""

    def __init__(self, read: Callable[P, R], areas: tuple[Area, ...], daily: bool, entries: int, spinner: str | None):
        self.read = read
        self.areas = areas
        self.daily = daily
        self.spinner = spinner
        self._values: cachetools.TTLCache = cachetools.TTLCache(entries, READ_TTL_SECONDS)
        self._computing: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()
        functools.update_wrapper(self, read)

    def key(self, args: tuple, kwargs: dict) -> tuple:
        current = revisions()
        return (
            args,
            tuple(kwargs.items()),
            tuple(current.get(area, 0) for area in self.areas),
            clock.today() if self.daily else None,
        )

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = self.key(args, kwargs)
        with self._lock:
            value = self._values.get(key, _MISSING)
        if value is _MISSING:
            if self.spinner:
                with st.spinner(self.spinner):
                    value = self._compute(key, args, kwargs)
            else:
                value = self._compute(key, args, kwargs)
        return reader_view(value)

    def _compute(self, key: tuple, args: tuple, kwargs: dict) -> Any:
        """Compute the value of `key` once: a second session asking meanwhile waits for it."""
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        try:
            with gate:
                with self._lock:
                    value = self._values.get(key, _MISSING)
                if value is _MISSING:  # a read that raises keeps nothing: the next caller tries again
                    value = self.read(*args, **kwargs)
                    check_shareable(value, self.read.__qualname__)
                    with self._lock:
                        self._values[key] = value
        finally:
            with self._lock:
                self._computing.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


READS: list[SharedRead] = []  # every shared read: for clear_reads, and for the test that each area is written


def shared_read(
    *areas: Area, daily: bool = False, entries: int = 32, spinner: str | None = None
) -> Callable[[Callable[P, R]], SharedRead[P, R]]:
    """Keep a read once per process, keyed by its arguments, the revisions of `areas` and, when
    `daily`, today's date; `entries` keys at most; `spinner` is shown while it is computed."""
    checked = areas_of(areas)

    def wrap(read: Callable[P, R]) -> SharedRead[P, R]:
        shared = SharedRead(read, checked, daily, entries, spinner)
        READS.append(shared)
        return shared

    return wrap


def clear_reads() -> None:
    """Forget every shared read and the revision counters: the next run reads the store again."""
    forget_revisions()
    for read in READS:
        read.clear()


def frozen(value):
    """`value` with its dicts as mappingproxies and its lists as tuples, all the way down: a shared
    result every reader gets as it is, without a copy (for large nested records read on every
    rerun; what goes to the browser as JSON stays a dict, which reader_view copies)."""
    if isinstance(value, dict):
        return MappingProxyType({key: frozen(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(frozen(item) for item in value)
    return value


def reader_view(value):
    """A reader's own view of a shared value: what it may change without changing the shared one."""
    if isinstance(value, _IMMUTABLE) or isinstance(value, (tuple, frozenset, MappingProxyType)):
        return value  # checked by check_shareable to hold nothing changeable
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)  # pandas copy-on-write: a change stays in this copy
    if isinstance(value, (tables.Table, tables.PageRows)):
        return value.reader_copy()
    if isinstance(value, list):
        return [reader_view(item) for item in value]
    if isinstance(value, dict):
        return {key: reader_view(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for field in dataclasses.fields(value):
            if field.init:
                item = getattr(value, field.name)
                view = reader_view(item)
                if view is not item:
                    changed[field.name] = view
        return dataclasses.replace(value, **changed) if changed else value
    raise TypeError(f"a shared read cannot hand out a {type(value).__name__}")


def check_shareable(value, read: str) -> None:
    """Raise TypeError unless every reader can be given its own view of `value` (reader_view):
    no object of an unknown type, nothing changeable inside a tuple or a mappingproxy."""

    def walk(item, inside_frozen: bool) -> None:
        if isinstance(item, _IMMUTABLE):
            return
        if isinstance(item, (tuple, frozenset)):
            for part in item:
                walk(part, True)
        elif isinstance(item, MappingProxyType):
            for part in item.values():
                walk(part, True)
        elif inside_frozen and not _frozen_dataclass(item):
            raise TypeError(f"{read}: a {type(item).__name__} inside a tuple or mapping could be changed by a reader")
        elif isinstance(item, (list, dict)):
            for part in item.values() if isinstance(item, dict) else item:
                walk(part, False)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            for field in dataclasses.fields(item):
                walk(getattr(item, field.name), inside_frozen)
        elif not isinstance(item, (pd.DataFrame, pd.Series, tables.Table, tables.PageRows)):
            raise TypeError(f"{read}: a shared read cannot hand out a {type(item).__name__}")

    walk(value, False)


def _frozen_dataclass(item) -> bool:
    return (
        dataclasses.is_dataclass(item) and not isinstance(item, type) and type(item).__dataclass_params__.frozen  # type: ignore[attr-defined]
    )
