"""components.data's shared reads: computed once per key for every session, handed out as private
copies, emptied with Streamlit's caches, and a write seen by the next read."""

from datetime import datetime

import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from sqlalchemy import text

from components import content, data, tables
from data_access import content_plan
from data_access.auth import Actor
from data_access.content_plan import Material
from data_access.engine import make_engine
from data_access.filters import ALL_PAGES, PageFilter

EDITOR = Actor("alekseeva", "Алексеева Н.", "editor")


def test_a_shared_read_is_computed_once_and_every_reader_gets_its_own_copy():
    calls = []

    @data._shared(max_entries=4)
    def numbers(count: int) -> pd.DataFrame:
        calls.append(count)
        return pd.DataFrame({"n": range(count)})

    first = numbers(3)
    first.loc[0, "n"] = 99
    first["extra"] = 1
    second = numbers(3)
    assert calls == [3]
    assert list(second["n"]) == [0, 1, 2] and "extra" not in second
    numbers(4)
    assert calls == [3, 4]
    st.cache_resource.clear()  # what a test switching stores does: the front is emptied too
    numbers(3)
    assert calls == [3, 4, 3]
    numbers.clear()
    numbers(3)
    assert calls == [3, 4, 3, 3]


def test_lists_and_dicts_inside_a_shared_result_are_copied_for_the_reader():
    picker = tables.PagePicker([1, 2], {1: "Школа № 1", 2: "Школа № 2"})
    own = data._private(picker)
    own.ids.append(3)
    own.labels[3] = "чужая"
    assert picker.ids == [1, 2] and picker.labels == {1: "Школа № 1", 2: "Школа № 2"}
    table = tables.table_of(pd.DataFrame({"Район": ["Ленинский"], "Страниц": [3], "Лишний": [0]}))
    narrow = table.columns(["Район", "Страниц"])
    assert list(narrow.frame.columns) == narrow.arrow.column_names == ["Район", "Страниц"]


@pytest.fixture
def store(demo_sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_sqlite_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield demo_sqlite_url
    st.cache_data.clear()
    st.cache_resource.clear()


def _titles(start, end, choice, selection) -> set[str]:
    return set(data.load_shown_content(start, end, choice, selection)["title"])


def test_the_content_plan_views_follow_their_filters_and_see_a_write(store):
    start, end = datetime(2026, 11, 30), datetime(2027, 1, 4)
    planned = content.ItemFilter(statuses=("in_progress",))
    schools, culture = PageFilter(categories=("school",)), PageFilter(categories=("culture",))
    before = _titles(start, end, planned, schools)
    title = "Проверка кэша: день открытых дверей"
    item_id = content_plan.create_material(
        data.get_engine(),
        EDITOR,
        Material(
            title=title,
            status="in_progress",
            publish_at=datetime(2026, 12, 10, 12, 0),
            editor=EDITOR.name,
            categories=("school",),
        ),
    )
    data.revisions.clear()  # as editing.save does after a write
    assert _titles(start, end, planned, schools) == before | {title}
    assert title not in _titles(start, end, planned, culture)  # another selection, its own entry
    assert title not in _titles(start, end, content.ItemFilter(statuses=("idea",)), schools)
    day = data.load_content_by_day(start, end, planned, schools)
    assert title in [row["title"] for row in day[datetime(2026, 12, 10).date()]]
    table = data.load_content_table(start, end, planned, schools)
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
    assert len(data.load_shown_content(start, end, planned, ALL_PAGES)) == stored


def test_a_shared_table_changed_by_one_reader_is_unchanged_for_the_next():
    calls = []

    @data._shared(max_entries=2)
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
    own = data._private(rows)
    own.frame["Лишний"] = 1
    own.pages.loc[0, "page_id"] = 2
    own.columns.append("Лишний")
    own.phone.clear()
    assert "Лишний" not in rows.frame and "Лишний" not in rows.columns and rows.phone
    assert list(rows.pages["page_id"]) == [1] and own.table is rows.table
