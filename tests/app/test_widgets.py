"""AppTest of widgets.table: a table that is not a widget is drawn once per content and replayed,
never shown stale; with row selection it stays a widget."""

from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest


def _script() -> None:
    import pandas as pd
    import streamlit as st

    from components import tables, widgets

    count = st.number_input("Строк", min_value=0, value=3, key="rows")
    frame = pd.DataFrame(
        {"Район": [f"Район {number}" for number in range(count)], "Страниц": [10 * number for number in range(count)]}
    )
    order = ["Страниц", "Район"] if st.toggle("Страницы первыми", key="order") else None
    options = {"column_order": order} if order else {}
    widgets.table(tables.table_of(frame), "Районов нет.", **options)
    picked = widgets.table(
        tables.table_of(frame), "Районов нет.", on_select="rerun", selection_mode="single-row", key="picked"
    )
    st.caption(f"выбор: {picked.selection.rows if picked else '—'}")


def test_a_table_is_replayed_for_the_same_content_and_redrawn_for_new_content():
    st.cache_data.clear()
    app = AppTest.from_function(_script)
    app.run()
    assert not app.exception
    assert list(app.dataframe[0].value["Район"]) == ["Район 0", "Район 1", "Район 2"]
    app.run()  # the same content: the element Streamlit kept is sent again
    assert list(app.dataframe[0].value["Страниц"]) == [0, 10, 20]
    app.number_input(key="rows").set_value(4).run()
    assert list(app.dataframe[0].value["Район"]) == ["Район 0", "Район 1", "Район 2", "Район 3"]
    app.number_input(key="rows").set_value(3).run()  # back to content drawn before: replayed, still right
    assert list(app.dataframe[0].value["Страниц"]) == [0, 10, 20]
    app.toggle(key="order").set_value(True).run()  # other options: another element
    assert list(app.dataframe[0].proto.column_order) == ["Страниц", "Район"]
    assert list(app.dataframe[1].proto.column_order) == []
    # With row selection the table is a widget: its selection comes back.
    assert app.caption[0].value == "выбор: []"
    app.number_input(key="rows").set_value(0).run()
    assert len(app.dataframe) == 0
    assert [caption.value for caption in app.caption[:2]] == ["Районов нет.", "Районов нет."]
