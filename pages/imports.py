"""«Загрузка данных»: subscriber figures and the institution registry from CSV/XLSX, checked and
previewed before one all-or-nothing write; the history of imports and their undo. The tabs are
drawn by components/import_sections.py."""

import streamlit as st

from components import editing, import_sections, page, reads
from data_access import parsing
from data_access.auth import can_import
from data_access.vocabulary import ROLE_ADMIN, ROLE_EDITOR

actor = page.start(ROLE_EDITOR)
if not can_import(actor, reads.store.get_settings()):
    st.error("Загрузка данных доступна администраторам.")
    st.stop()

st.title("Загрузка данных")
editing.show_flash()
st.caption(
    f"Файлы CSV (UTF-8 или Windows-1251, разделитель «;», «,» или табуляция) и XLSX, до "
    f"{parsing.MAX_FILE_BYTES // (1024 * 1024)} МБ. Сначала файл проверяется и показывается, что изменится; "
    "записывается он целиком или никак."
)

names = ["Цифры подписчиков", "История загрузок"]
if actor.can(ROLE_ADMIN):
    names.insert(1, "Реестр учреждений")
tabs = st.tabs(names)
with tabs[0]:
    import_sections.subscribers(actor)
if actor.can(ROLE_ADMIN):
    with tabs[1]:
        import_sections.registry(actor)
with tabs[-1]:
    import_sections.history(actor)
