"""components/reads' shared reads: computed once per key for every session, read again after a write
to their areas or the next day, handed out as copies no reader can change for another."""

import dataclasses
from datetime import date, datetime
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import pytest
from sqlalchemy import text

from components import content, reads, tables
from components.reads import cache
from data_access import content_plan
from data_access.areas import Area
from data_access.auth import Actor
from data_access.content_plan import Material
from data_access.engine import make_engine
from data_access.filters import ALL_PAGES, PageFilter

EDITOR = Actor("alekseeva", "Алексеева Н.", "editor")


def test_a_shared_read_is_computed_once_and_every_reader_gets_its_own_copy(monkeypatch):
    monkeypatch.setattr(cache, "revisions", lambda: {"registry": 1})
    calls = []

    @cache.shared_read(Area.REGISTRY, entries=4)
    def numbers(count: int) -> pd.DataFrame:
        calls.append(count)
        return pd.DataFrame({"n": range(count)})

    first = numbers(3)
    first.loc[0, "n"] = 99
    first.iloc[1, 0] = 98
    first["extra"] = 1
    second = numbers(3)
    assert calls == [3]
    assert list(second["n"]) == [0, 1, 2] and "extra" not in second
    numbers(4)
    assert calls == [3, 4]
    monkeypatch.setattr(cache, "revisions", lambda: {"registry": 2})  # a write to the registry
    numbers(3)
    assert calls == [3, 4, 3]
    cache.clear_reads()
    numbers(3)
    assert calls == [3, 4, 3, 3]


def test_a_read_of_the_day_is_read_again_the_next_day(monkeypatch):
    monkeypatch.setattr(cache, "revisions", lambda: {})
    calls = []

    @cache.shared_read(Area.CALENDAR, daily=True)
    def days() -> int:
        calls.append(1)
        return len(calls)

    monkeypatch.setattr(cache.clock, "today", lambda: date(2026, 12, 7))
    assert days() == days() == 1
    monkeypatch.setattr(cache.clock, "today", lambda: date(2026, 12, 8))
    assert days() == 2


def test_a_read_that_fails_keeps_nothing_and_is_tried_again(monkeypatch):
    monkeypatch.setattr(cache, "revisions", lambda: {})
    answers = [RuntimeError("база недоступна"), 7]

    @cache.shared_read(Area.CALENDAR)
    def flaky() -> int:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    with pytest.raises(RuntimeError):
        flaky()
    assert flaky() == flaky() == 7 and not answers
    assert not flaky._computing  # no gate is left behind for the key that failed


def test_an_unknown_area_is_refused_when_the_read_is_declared():
    with pytest.raises(ValueError, match="calender"):
        cache.shared_read("calender")  # type: ignore[arg-type]


def test_nothing_a_reader_changes_reaches_the_next_reader(monkeypatch):
    """Every kind of value a read hands out, changed every way a page could: the next reader
    gets it as it was computed."""
    monkeypatch.setattr(cache, "revisions", lambda: {})

    @cache.shared_read(Area.CALENDAR)
    def nested() -> dict:
        return {"days": [{"title": "Ёлка"}], "picker": tables.PagePicker([1, 2], {1: "Школа № 1", 2: "Школа № 2"})}

    own = nested()
    own["days"][0]["title"] = "чужое"
    own["days"].append({})
    own["picker"].ids.append(3)
    own["picker"].labels[3] = "чужая"
    own["extra"] = 1
    again = nested()
    assert again == {"days": [{"title": "Ёлка"}], "picker": tables.PagePicker([1, 2], {1: "Школа № 1", 2: "Школа № 2"})}
    with pytest.raises(dataclasses.FrozenInstanceError):
        again["picker"].ids = []

    @cache.shared_read(Area.CALENDAR)
    def facts() -> reads.store.StoreFacts:
        return reads.store.StoreFacts(None, None, None, MappingProxyType({"districts": ("Ленинский",)}))

    with pytest.raises(TypeError):
        facts().options["districts"] = ()  # a mappingproxy cannot be changed at all
    assert facts().options["districts"] == ("Ленинский",)


def test_a_value_a_reader_could_change_for_everyone_is_refused(monkeypatch):
    monkeypatch.setattr(cache, "revisions", lambda: {})

    class Counter:
        value = 0

    @cache.shared_read(Area.CALENDAR)
    def unknown() -> Counter:
        return Counter()

    @cache.shared_read(Area.CALENDAR)
    def list_in_a_tuple() -> tuple:
        return ([1, 2],)

    @cache.shared_read(Area.CALENDAR)
    def frame_in_a_tuple() -> tuple:
        return (pd.DataFrame({"n": [1]}),)

    for read in (unknown, list_in_a_tuple, frame_in_a_tuple):
        with pytest.raises(TypeError):
            read()


def test_narrowed_tables_keep_frame_and_arrow_together():
    table = tables.table_of(pd.DataFrame({"Район": ["Ленинский"], "Страниц": [3], "Лишний": [0]}))
    narrow = table.columns(["Район", "Страниц"])
    assert list(narrow.frame.columns) == narrow.arrow.column_names == ["Район", "Страниц"]


@pytest.fixture
def store(demo_sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_sqlite_url)
    reads.store.forget_store()
    yield demo_sqlite_url
    reads.store.forget_store()


def _titles(start, end, choice, selection) -> set[str]:
    return set(reads.plan.shown(start, end, choice, selection)["title"])


def test_the_content_plan_views_follow_their_filters_and_see_a_write(store):
    start, end = datetime(2026, 11, 30), datetime(2027, 1, 4)
    planned = content.ItemFilter(statuses=("in_progress",))
    schools, culture = PageFilter(categories=("school",)), PageFilter(categories=("culture",))
    before = _titles(start, end, planned, schools)
    title = "Проверка кэша: день открытых дверей"
    item_id = content_plan.create_material(
        reads.store.get_engine(),
        EDITOR,
        Material(
            title=title,
            status="in_progress",
            publish_at=datetime(2026, 12, 10, 12, 0),
            editor=EDITOR.name,
            categories=("school",),
        ),
    )
    reads.cache.forget_revisions()  # as editing.save does after a write
    assert _titles(start, end, planned, schools) == before | {title}
    assert title not in _titles(start, end, planned, culture)  # another selection, its own entry
    assert title not in _titles(start, end, content.ItemFilter(statuses=("idea",)), schools)
    day = reads.plan.by_day(start, end, planned, schools)
    assert title in [row["title"] for row in day[datetime(2026, 12, 10).date()]]
    table = reads.plan.table(start, end, planned, schools)
    assert item_id in set(table.frame["№"]) and table.arrow.num_rows == len(table.frame)
    # Independently: what the store holds in the window with that status for schools or everyone.
    engine = make_engine(store)
    with engine.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT COUNT(*) FROM content_items WHERE status = 'in_progress' AND publish_at >= :start "
                "AND publish_at < :end"
            ),
            {"start": start, "end": end},
        ).scalar()
    engine.dispose()
    assert len(reads.plan.shown(start, end, planned, ALL_PAGES)) == stored


def test_a_shared_table_changed_by_one_reader_is_unchanged_for_the_next(monkeypatch):
    monkeypatch.setattr(cache, "revisions", lambda: {})
    calls = []

    @cache.shared_read(Area.REGISTRY, entries=2)
    def shared_tables(count: int) -> tuple:
        calls.append(count)
        frame = pd.DataFrame({"Страница": [f"Школа № {n}" for n in range(count)], "Подписчики": range(count)})
        return tables.table_of(frame)

    first = shared_tables(2)
    digest = first.digest
    first.frame.loc[0, "Подписчики"] = 999
    first.frame["Лишний"] = 1
    second = shared_tables(2)
    assert calls == [2]
    assert list(second.frame["Подписчики"]) == [0, 1] and "Лишний" not in second.frame
    assert second.arrow is first.arrow and second.digest == digest
    with pytest.raises(AttributeError):
        second.frame = pd.DataFrame()  # frozen: the frame itself cannot be swapped either


def test_shared_page_rows_are_copied_for_each_reader():
    frame = pd.DataFrame({"Учреждение": ["Сад № 1"], "Подписчики": [120]})
    rows = tables.PageRows(
        pd.DataFrame({"page_id": [1]}),
        frame,
        ["Учреждение", "Подписчики"],
        pa.Table.from_pandas(frame, preserve_index=False),
        [("Сад № 1", "120")],
    )
    own = cache.reader_view(rows)
    own.frame["Лишний"] = 1
    own.pages.loc[0, "page_id"] = 2
    own.columns.append("Лишний")
    own.phone.clear()
    assert "Лишний" not in rows.frame and "Лишний" not in rows.columns and rows.phone
    assert list(rows.pages["page_id"]) == [1] and own.table is rows.table
