"""«Контент-план»: what the newsroom publishes when, for which pages, who makes it, what is late.

The views, the chosen material and the planning meeting's tabs are drawn by
components/calendar_sections.py."""

import streamlit as st

from components import calendar_sections, editing, filters, page, reads
from components import formatting as fmt
from components.item_filter import item_filter

actor = page.start()
selection = filters.selected_filter()
today = reads.store.today()

st.title("Контент-план")
editing.show_flash()
st.caption(
    "Редакция «Новосибирские новости»: материалы для госпабликов города. "
    f"{filters.describe(selection)} · сегодня {fmt.day_long(today)}"
)

view = (
    st.segmented_control("Вид", calendar_sections.VIEWS, default="Месяц", key="calendar_view", bind="query-params")
    or "Месяц"
)
shown = calendar_sections.period(view, today)
# The rubrics and editors offered are the window's own: read only while the filters are open.
choice = item_filter(lambda: reads.plan.materials(*shown.window, backlog=shown.start is None))
plan = calendar_sections.Plan(actor, selection, today, choice)
materials = reads.plan.shown(*shown.window, choice, selection)

if view == "Месяц":
    calendar_sections.month(plan)
elif view == "Две недели":
    calendar_sections.two_weeks(plan, shown, materials)
else:
    calendar_sections.table(plan, shown, materials)

offer = calendar_sections.choices(selection)
calendar_sections.chosen_material(plan, offer)
if plan.can_edit:
    calendar_sections.new_material(plan, offer)
calendar_sections.planning(plan)
