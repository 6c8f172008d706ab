"""«Реестр учреждений» (admin): add, edit and retire institutions and their official pages."""

import streamlit as st

from components import editing, page, reads, widgets
from components import formatting as fmt
from components.registry_form import form_values, institution_fields, page_fields, registry_table
from data_access import importers, registry, search
from data_access.vocabulary import ROLE_ADMIN

actor = page.start(ROLE_ADMIN)
engine = reads.store.get_engine()

st.title("Реестр учреждений")
editing.show_flash()
st.caption(
    "Учреждения и их официальные страницы. Выведенное из работы учреждение пропадает со всех экранов, "
    "но его цифры, чек-листы и история остаются; его можно вернуть. Массовая загрузка — на странице "
    "«Загрузка данных»."
)

show_retired = st.toggle("Показывать выведенные из работы", key="registry_show_retired")
frame = reads.admin.registry(include_retired=show_retired)
query = st.text_input(
    "Поиск", key="registry_search", type="search", live=True, placeholder="номер, тип или часть названия"
)
active = frame[frame["institution_retired_at"].isna()].drop_duplicates("institution_id")
twins = importers.twin_names(zip(active["short_name"], active["district"]))
if twins:
    st.warning(
        "Одинаковые краткие названия в одном районе — в таблицах и списках их не различить. Выберите "
        "учреждение ниже и уточните краткое название:\n\n"
        + "\n".join(f"- {fmt.markdown_text(text)}" for text in twins),
        icon=":material/content_copy:",
    )
shown = search.matching(frame, query)
table = registry_table(shown)
empty = (
    "Под этот поиск не попало ни одно учреждение."
    if query
    else "В реестре пока нет учреждений: добавьте первое ниже («Новое учреждение») или загрузите реестр файлом "
    "на странице «Загрузка данных»."
)
picked = widgets.table(
    table,
    empty,
    height=widgets.TABLE_HEIGHT,
    key="registry_table",
    on_select="rerun",
    selection_mode="single-row",
    column_config={"Страница": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?(.*)")},
)
widgets.csv_download(table, "reestr", key="registry_csv")


if picked and picked.selection.rows:
    row = form_values(shown.iloc[picked.selection.rows[0]])
    institution_version = editing.held_version(
        "registry_institution", int(row["institution_id"]), int(row["institution_version"])
    )
    st.subheader(fmt.markdown_text(row["short_name"]))
    with st.form(f"registry_edit_{row['institution_id']}"):
        draft = institution_fields(f"registry_edit_{row['institution_id']}", row)
        if st.form_submit_button("Сохранить учреждение", type="primary"):
            editing.save(
                lambda: registry.update_institution(
                    engine, actor, int(row["institution_id"]), institution_version, draft
                ),
                f"Учреждение «{draft.short_name or draft.name}» сохранено.",
                held="registry_institution",
            )
    if row.get("page_id") is not None:
        page_version = editing.held_version("registry_page", int(row["page_id"]), int(row["page_version"]))
        with st.form(f"registry_page_{row['page_id']}"):
            page_draft = page_fields(f"registry_page_{row['page_id']}", row)
            if st.form_submit_button("Сохранить страницу"):
                editing.save(
                    lambda: registry.update_page(engine, actor, int(row["page_id"]), page_version, page_draft),
                    "Страница сохранена.",
                    held="registry_page",
                )
    with st.expander("Добавить страницу этого учреждения", icon=":material/add_link:"):
        generation = editing.generation("registry_add_page_generation")
        with st.form(f"registry_add_page_{row['institution_id']}_{generation}"):
            extra_page = page_fields(f"registry_add_page_{generation}", {})
            if st.form_submit_button("Добавить страницу"):
                editing.save(
                    lambda: registry.add_page(engine, actor, int(row["institution_id"]), extra_page),
                    "Страница добавлена.",
                    reset="registry_add_page_generation",
                )
    retired = row.get("institution_retired_at") is not None
    label = "Вернуть в работу" if retired else "Вывести из работы (история сохранится)"
    if st.button(label, key="registry_retire"):
        editing.save(
            lambda: registry.set_retired(engine, actor, int(row["institution_id"]), institution_version, not retired),
            f"«{row['short_name']}»: {'снова в работе' if retired else 'выведено из работы'}.",
            held="registry_institution",
        )
else:
    st.caption("Выберите строку таблицы, чтобы изменить учреждение или его страницу.")

with st.expander("Новое учреждение", icon=":material/add_business:"):
    generation = editing.generation("registry_new_generation")
    with st.form(f"registry_new_{generation}"):
        new = institution_fields(f"registry_new_{generation}", {})
        new_page = page_fields(f"registry_new_page_{generation}", {}, optional=True)
        if st.form_submit_button("Добавить", type="primary"):
            editing.save(
                lambda: registry.add_institution(engine, actor, new, new_page if new_page.url.strip() else None),
                f"Учреждение «{new.short_name or new.name}» добавлено.",
                reset="registry_new_generation",
            )
