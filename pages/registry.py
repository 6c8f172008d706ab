"""«Реестр учреждений» (admin): add, edit and retire institutions and their official pages."""

import pandas as pd
import streamlit as st

from components import data, editing, page, widgets
from components import formatting as fmt
from data_access import queries, registry, search
from data_access.checks import capacity
from data_access.models import institutions, pages
from data_access.registry import InstitutionDraft, PageDraft
from data_access.vocabulary import CATEGORIES, PLATFORMS, ROLE_ADMIN

actor = page.start(ROLE_ADMIN)
engine = data.get_engine()

st.title("Реестр учреждений")
editing.show_flash()
st.caption("Учреждения и их официальные страницы. Выведенное из работы учреждение пропадает со всех экранов, "
           "но его цифры, чек-листы и история остаются; его можно вернуть. Массовая загрузка — на странице "
           "«Загрузка данных».")

show_retired = st.toggle("Показывать выведенные из работы", key="registry_show_retired")
frame = queries.registry_frame(engine, include_retired=show_retired)
query = st.text_input("Поиск", key="registry_search", type="search", live=True,
                      placeholder="номер, тип или часть названия")
shown = search.search(frame.assign(name=frame["name"].fillna("")), query, limit=500) if query else frame
table = pd.DataFrame({
    "Код": shown["code"], "Учреждение": shown["short_name"], "Категория": shown["category"].map(CATEGORIES),
    "Район": shown["district"], "Соцсеть": shown["platform"].map(PLATFORMS), "Страница": shown["url"],
    "Флагманская": shown["is_flagship"].fillna(False).astype(bool),
    "Своя цель": shown["target_override"].astype("Int64"),
    "В работе": shown["institution_retired_at"].isna(),
})
picked = widgets.table(table, "Под этот отбор не попало ни одно учреждение.", height=360, key="registry_table",
                      on_select="rerun", selection_mode="single-row",
                      column_config={"Страница": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?(.*)")})
widgets.csv_download(table, "reestr", key="registry_csv")


def _institution_fields(prefix: str, row: dict) -> InstitutionDraft:
    left, right = st.columns(2)
    code = left.text_input("Код (из реестра города)", value=row.get("code") or "", max_chars=capacity(institutions.c.code), key=f"{prefix}_code")
    category = right.selectbox("Категория", list(CATEGORIES), format_func=CATEGORIES.get, key=f"{prefix}_category",
                               index=list(CATEGORIES).index(row.get("category") or "kindergarten"), placeholder="выберите из списка")
    name = st.text_input("Полное название", value=row.get("name") or "", max_chars=capacity(institutions.c.name), key=f"{prefix}_name")
    short_name = st.text_input("Краткое название", value=row.get("short_name") or "", max_chars=capacity(institutions.c.short_name), key=f"{prefix}_short")
    left, right = st.columns(2)
    districts = list(data.known_districts())
    if row.get("district") and row["district"] not in districts:
        districts.append(row["district"])  # an older entry outside the list stays selectable (and is flagged on save)
    district = left.selectbox("Район", districts, index=districts.index(row["district"]) if row.get("district") else None,
                              key=f"{prefix}_district", placeholder="выберите район") or ""
    website = right.text_input("Сайт", value=row.get("website") or "", max_chars=capacity(institutions.c.website), key=f"{prefix}_website")
    address = st.text_input("Адрес", value=row.get("address") or "", max_chars=capacity(institutions.c.address), key=f"{prefix}_address")
    left, right = st.columns(2)
    lat = left.number_input("Широта", value=row.get("lat"), format="%.6f", key=f"{prefix}_lat")
    lon = right.number_input("Долгота", value=row.get("lon"), format="%.6f", key=f"{prefix}_lon")
    return InstitutionDraft(code, name, short_name, category, district, address, lat, lon, website)


def _page_fields(prefix: str, row: dict, optional: bool = False) -> PageDraft:
    url = st.text_input("Ссылка на страницу" + (" (можно добавить позже)" if optional else ""),
                        value=row.get("url") or "", max_chars=capacity(pages.c.url), key=f"{prefix}_url", help="vk.com/…, ok.ru/group/… или t.me/…")
    left, right = st.columns(2)
    flagship = left.checkbox("Флагманская (цель 1000)", value=bool(row.get("is_flagship")), key=f"{prefix}_flagship")
    target = right.number_input("Своя цель (пусто — 1000 или 500)", value=row.get("target_override"), min_value=1,
                                step=50, key=f"{prefix}_target")
    return PageDraft(url, flagship, int(target) if target else None)


if picked and picked.selection.rows:
    row = shown.iloc[picked.selection.rows[0]].to_dict()
    row = {key: (None if isinstance(value, float) and pd.isna(value) else value) for key, value in row.items()}
    institution_version = editing.held_version("registry_institution", int(row["institution_id"]),
                                               int(row["institution_version"]))
    st.subheader(fmt.markdown_text(row["short_name"]))
    with st.form(f"registry_edit_{row['institution_id']}"):
        draft = _institution_fields(f"registry_edit_{row['institution_id']}", row)
        if st.form_submit_button("Сохранить учреждение", type="primary") and editing.attempt(
                lambda: registry.update_institution(engine, actor, int(row["institution_id"]), institution_version, draft),
                reload_key="registry_institution"):
            editing.release("registry_institution")
            editing.flash(f"Учреждение «{draft.short_name or draft.name}» сохранено.")
            st.rerun()
    if row.get("page_id") is not None:
        page_version = editing.held_version("registry_page", int(row["page_id"]), int(row["page_version"]))
        with st.form(f"registry_page_{row['page_id']}"):
            page_draft = _page_fields(f"registry_page_{row['page_id']}", row)
            if st.form_submit_button("Сохранить страницу") and editing.attempt(
                    lambda: registry.update_page(engine, actor, int(row["page_id"]), page_version, page_draft),
                    reload_key="registry_page"):
                editing.release("registry_page")
                editing.flash("Страница сохранена.")
                st.rerun()
    with st.expander("Добавить страницу этого учреждения", icon=":material/add_link:"):
        generation = st.session_state.get("registry_add_page_generation", 0)
        with st.form(f"registry_add_page_{row['institution_id']}_{generation}"):
            extra_page = _page_fields(f"registry_add_page_{generation}", {})
            if st.form_submit_button("Добавить страницу") and editing.attempt(
                    lambda: registry.add_page(engine, actor, int(row["institution_id"]), extra_page)):
                st.session_state["registry_add_page_generation"] = generation + 1
                editing.flash("Страница добавлена.")
                st.rerun()
    retired = row.get("institution_retired_at") is not None
    label = "Вернуть в работу" if retired else "Вывести из работы (история сохранится)"
    if st.button(label, key="registry_retire") and editing.attempt(
            lambda: registry.set_retired(engine, actor, int(row["institution_id"]), institution_version, not retired),
            reload_key="registry_institution"):
        editing.release("registry_institution")
        editing.flash(f"«{row['short_name']}»: {'снова в работе' if retired else 'выведено из работы'}.")
        st.rerun()
else:
    st.caption("Выберите строку таблицы, чтобы изменить учреждение или его страницу.")

with st.expander("Новое учреждение", icon=":material/add_business:"):
    generation = st.session_state.get("registry_new_generation", 0)
    with st.form(f"registry_new_{generation}"):
        new = _institution_fields(f"registry_new_{generation}", {})
        new_page = _page_fields(f"registry_new_page_{generation}", {}, optional=True)
        if st.form_submit_button("Добавить", type="primary") and editing.attempt(
                lambda: registry.add_institution(engine, actor, new, new_page if new_page.url.strip() else None)):
            st.session_state["registry_new_generation"] = generation + 1
            editing.flash(f"Учреждение «{new.short_name or new.name}» добавлено.")
            st.rerun()
