"""«Журнал изменений» (admin): who changed what and when, with the values before and after."""

from datetime import timedelta

import streamlit as st

from components import admin_tables, page, reads, widgets
from components import formatting as fmt
from data_access import queries
from data_access.vocabulary import ROLE_ADMIN

actor = page.start(ROLE_ADMIN)

engine = reads.store.get_engine()
st.title("Журнал изменений")

facets = queries.audit_facets(engine)
# The period ends today, or later if the log already has later entries (a pinned demo clock).
newest = fmt.local_day(facets["newest"])
today = max(reads.store.today(), newest) if newest else reads.store.today()
left, middle, right = st.columns(3)
who = left.multiselect("Кто", facets["actors"], key="audit_actors", placeholder="все", select_all=False)
what = middle.multiselect(
    "Что",
    facets["entities"],
    format_func=lambda code: admin_tables.ENTITIES.get(code, code),
    key="audit_entities",
    placeholder="всё",
    select_all=False,
)
period = right.date_input("Период", (today - timedelta(days=30), today), format="DD.MM.YYYY", key="audit_period")
start, end = (period[0], period[-1]) if isinstance(period, tuple | list) and period else (None, None)

entries = queries.audit_entries(engine, tuple(who), tuple(what), start, end)
shown = admin_tables.audit_entries(
    entries, reads.admin.registry(include_retired=True), reads.checklist.items(include_retired=True)
)
st.caption(
    f"Записей: {fmt.number(len(shown))} (не больше {fmt.number(queries.AUDIT_ROWS)} последних), время новосибирское."
)
widgets.table(
    shown,
    "За этот период и с этими отборами записей нет.",
    column_config={
        "Было": st.column_config.TextColumn(width="medium"),
        "Стало": st.column_config.TextColumn(width="medium"),
    },
)
widgets.csv_download(shown, f"zhurnal-izmenenij-{today}", key="audit_csv")
