"""«Верификация»: the checklist of every page, who lacks what, and editing it safely.

Each tab draws only when open (components/verification_sections.py): the matrix of every page ×
item costs nothing until someone opens it."""

import streamlit as st

from components import editing, filters, page, reads, widgets
from components import verification_sections as sections
from components.page_picker import pick_page
from data_access.vocabulary import ROLE_ADMIN

actor = page.start()
selection = filters.selected_filter()

st.title("Верификация")
editing.show_flash()
pages = reads.figures.page_figures(selection)
widgets.stop_if_no_pages(pages, selection)

# The figures above the tabs come from SQL counts; the editing tabs work on one snapshot of the
# states (sections.Screen.snapshot).
screen = sections.Screen(actor, selection, pages, reads.checklist.items(), reads.figures.verification_scores(selection))

top = st.columns([4, 1])
top[0].caption(
    f"{filters.describe(selection)} · оценка — доля выполненных обязательных пунктов "
    "(пункты «не применимо» не считаются)"
)
top[1].button(
    "Обновить данные",
    icon=":material/refresh:",
    key="verification_reload",
    on_click=editing.release,
    args=(sections.HELD,),
)
sections.figures(screen)

tab_names = ["Сводка", "Кому чего не хватает", "Чек-лист страницы", "Таблица страниц × пунктов", "Площадки"]
if actor.can(ROLE_ADMIN):
    tab_names.append("Пункты чек-листа")
tabs = st.tabs(tab_names, key="verification_tab", bind="query-params", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        sections.summary(selection)
with tabs[1]:
    if tabs[1].open:
        sections.missing(screen)
with tabs[2]:
    # None: the tab is closed, or a search on a long selection found nothing (pick_page says so).
    page_id = (
        pick_page(selection, "Страница", "verification_page", required=True, placeholder="выберите из списка")
        if tabs[2].open
        else None
    )
    if page_id is not None:
        sections.page_checklist(screen, page_id)
with tabs[3]:
    if tabs[3].open:
        sections.matrices(screen)
with tabs[4]:
    if tabs[4].open:
        sections.platforms(selection)
if actor.can(ROLE_ADMIN) and tabs[5].open:
    with tabs[5]:
        sections.checklist_items(actor)
