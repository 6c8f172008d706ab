"""«Верификация»: the checklist of every page, who lacks what, and editing it safely.

Each tab draws only when open (components/verification_sections.py): the matrix of every page ×
item costs nothing until someone opens it."""

import streamlit as st

from components import editing, filters, page, reads, verification_sections, widgets
from components.page_picker import pick_page
from data_access.vocabulary import ROLE_ADMIN

actor = page.start()
selection = filters.selected_filter()

st.title("Верификация")
editing.show_flash()
pages = reads.figures.page_figures(selection)
widgets.stop_if_no_pages(pages, selection)

# The figures above the tabs come from SQL counts; the editing tabs work on one snapshot of the
# states (verification_sections.Screen.snapshot).
screen = verification_sections.Screen(
    actor, selection, pages, reads.checklist.items(), reads.figures.verification_scores(selection)
)

st.caption(
    f"{filters.describe(selection)} · оценка — доля выполненных обязательных пунктов "
    "(пункты «не применимо» не считаются)"
)
verification_sections.figures(screen)


def page_checklist_tab() -> None:
    # None: a search on a long selection found nothing (pick_page says so).
    page_id = pick_page(selection, "Страница", "verification_page", required=True, placeholder="выберите из списка")
    if page_id is not None:
        verification_sections.page_checklist(screen, page_id)


tabs = {
    "Сводка": lambda: verification_sections.summary(selection),
    "Кому чего не хватает": lambda: verification_sections.missing(screen),
    "Чек-лист страницы": page_checklist_tab,
    "Таблица страниц × пунктов": lambda: verification_sections.matrices(screen),
    "Площадки": lambda: verification_sections.platforms(selection),
}
if actor.can(ROLE_ADMIN):
    tabs["Пункты чек-листа"] = lambda: verification_sections.checklist_items(actor)
widgets.lazy_tabs(tabs, key="verification_tab", bind="query-params")
