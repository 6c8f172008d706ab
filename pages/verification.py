"""«Верификация»: the checklist of every page, who lacks what, and editing it safely."""

import pandas as pd
import streamlit as st

from components import charts, data, editing, filters, page, tables, verification, widgets
from components import formatting as fmt
from data_access import checklist, measurements, queries, summaries
from data_access.checklist import CheckEdit, ItemDraft, ItemUpdate
from data_access.vocabulary import CHECK_STATES, PLATFORMS, ROLE_ADMIN, ROLE_EDITOR, category_label

actor = page.start()
can_edit = actor.can(ROLE_EDITOR)
engine = data.get_engine()
selection = filters.selected_filter()

st.title("Верификация")
editing.show_flash()
pages = data.load_page_figures(selection)
if pages.empty:
    st.info("Под выбранные фильтры не попала ни одна страница. Измените или сбросьте фильтры слева.")
    st.stop()

items = data.load_checklist_items()
# The figures above the tabs come from SQL counts; the editing tabs work on one snapshot of the
# states, read when one of them is first opened: the versions an editor saves against are those
# of the values on the screen, not of whatever the store holds at the moment of saving.
scores = pd.DataFrame({
    "page_id": pages["page_id"], "required_total": pages["required_total"],
    "required_done": pages["required_done"], "score": pages["verification_score"],
    "missing_required": pages["required_total"] - pages["required_done"],
})


def snapshot() -> tuple[pd.DataFrame, str]:
    return editing.held_snapshot("verification_states", selection, lambda: data.load_checklist_states(selection))


def save(edits: list[CheckEdit], generation_key: str, done: str) -> None:
    """Write check edits; on success drop the held snapshot, reset the editor and say what was saved."""
    if editing.attempt(lambda: checklist.save_checks(engine, actor, edits), reload_key="verification_states"):
        editing.release("verification_states")
        st.session_state[generation_key] = st.session_state.get(generation_key, 0) + 1
        editing.flash(done)
        st.rerun()


top = st.columns([4, 1])
top[0].caption(f"{filters.describe(selection)} · оценка — доля выполненных обязательных пунктов "
               "(пункты «не применимо» не считаются)")
top[1].button("Обновить данные", icon=":material/refresh:", key="verification_reload",
              on_click=editing.release, args=("verification_states",))

verified = int((scores["missing_required"] == 0).sum())
row = st.columns(4)
row[0].metric("Страниц", fmt.number(len(scores)), border=True)
row[1].metric("Доля верифицированных", fmt.percent(verified / len(scores)), border=True,
              help=f"Все обязательные пункты выполнены у {fmt.number(verified)} {fmt.of_pages(len(scores))}")
row[2].metric("Средняя полнота", fmt.percent(float(scores["score"].mean())), border=True)
row[3].metric("Пунктов в чек-листе", f"{int(items['is_required'].sum())} обяз. + {int((~items['is_required']).sum())}",
              border=True)

tab_names = ["Сводка", "Кому чего не хватает", "Чек-лист страницы", "Таблица страниц × пунктов", "Площадки"]
if actor.can(ROLE_ADMIN):
    tab_names.append("Пункты чек-листа")
# Only the open tab is drawn: the matrix of every page × item costs nothing until someone opens it.
tabs = st.tabs(tab_names, key="verification_tab", bind="query-params", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        completion = data.load_item_completion(selection)
        widgets.chart(charts.item_completion_chart, completion, "Доля страниц, где пункт выполнен")
        left, right = st.columns(2)
        for column, by, name in ((left, "category", "kategorii"), (right, "district", "rajony")):
            with column:
                summary = verification.group_scores(pages, scores, by)
                st.dataframe(summary, hide_index=True, placeholder="—", width="stretch", column_config={
                    "Доля верифицированных": st.column_config.NumberColumn(format="percent"),
                    "Средняя полнота": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0,
                                                                       format="percent"),
                })
                widgets.csv_download(summary, f"verifikaciya-{name}", key=f"verification_csv_{by}")

with tabs[1]:
    if tabs[1].open:
        states, read_at = snapshot()
        st.caption(f"Чек-листы прочитаны в {read_at}; «Обновить данные» — перечитать.")
        choice = st.selectbox(
            "Пункт", [None, *items["id"]], key="verification_missing_item", bind="query-params",
            format_func=lambda item: "любой обязательный пункт" if item is None
            else items.set_index("id").loc[item, "title"],
            help="Например, выберите «Виджеты Госуслуг / ПОС установлены», чтобы увидеть, у кого их нет", placeholder="выберите из списка")
        missing = verification.missing_list(states, items, pages, choice)
        st.caption(f"Страниц в списке: {fmt.number(len(missing))} — сначала те, где не хватает больше пунктов, "
                   "затем флагманские и с большей аудиторией.")
        shown = missing.drop(columns="page_id")
        picked = widgets.table(shown, "Все страницы выбора выполнили этот пункт.", height=380, key="verification_missing_table",
                              on_select="rerun" if can_edit and choice is not None else "ignore",
                              selection_mode="multi-row")
        widgets.csv_download(shown, "verifikaciya-ne-hvataet", key="verification_csv_missing")
        if can_edit and choice is not None and not missing.empty:
            chosen_rows = list(picked.selection.rows) if picked else []
            title = items.set_index("id").loc[choice, "title"]
            st.caption("Отметьте строки в таблице (или «выбрать все» в её заголовке), чтобы изменить пункт сразу у многих страниц.")
            left, right = st.columns([1, 2])
            new_state = left.selectbox("Новое состояние", list(CHECK_STATES), format_func=CHECK_STATES.get,
                                       key="verification_bulk_state", placeholder="выберите из списка")
            if right.button(f"Применить к выбранным ({len(chosen_rows)})", disabled=not chosen_rows,
                            key="verification_bulk_apply", type="primary"):
                cells = states.set_index(["page_id", "item_id"])
                keys = [(int(page_id), int(choice)) for page_id in missing.iloc[chosen_rows]["page_id"]]
                details = queries.check_details(engine, keys)
                edits = []
                for key in keys:
                    version = cells.loc[key, "version"]
                    kept = details.get(key, {})
                    edits.append(CheckEdit(key[0], key[1], new_state, kept.get("note"), kept.get("evidence_url"),
                                           None if pd.isna(version) else int(version)))
                if editing.attempt(lambda: checklist.save_checks(engine, actor, edits), reload_key="verification_states"):
                    editing.release("verification_states")
                    editing.flash(f"«{title}»: {CHECK_STATES[new_state]} — сохранено для {fmt.pages_genitive(len(edits))}.")
                    st.rerun()

with tabs[2]:
    if tabs[2].open:
        states, _read_at = snapshot()
        names = pages.sort_values("short_name")
        page_id = st.selectbox(
            "Страница", names["page_id"], key="verification_page",
            format_func=tables.page_labels(names).get, placeholder="выберите из списка")
        held = states[states["page_id"] == page_id][["item_id", "state", "version"]]
        cells = held.merge(items[["id", "code", "title", "is_required"]], left_on="item_id", right_on="id").merge(
            data.load_page_checklist(int(page_id))[["item_id", "note", "evidence_url", "updated_at", "updated_by"]],
            on="item_id", how="left")
        score_row = scores.set_index("page_id").loc[page_id]
        st.progress(float(score_row["score"]), text=f"Обязательные пункты: {int(score_row['required_done'])} "
                                                     f"из {int(score_row['required_total'])}")
        view = pd.DataFrame({
            "Пункт": cells["title"], "Обязательный": cells["is_required"],
            "Состояние": cells["state"].map(CHECK_STATES), "Примечание": cells["note"].fillna(""),
            "Подтверждение": cells["evidence_url"].fillna(""),
            "Кто изменил": cells["updated_by"].fillna(""), "Когда": cells["updated_at"].map(fmt.local_datetime),
            "Измерено": cells["code"].map(measurements.measured_texts(pages.set_index("page_id").loc[page_id])).fillna(""),
        }).set_axis(cells["item_id"].to_numpy())  # rows keyed by item id, however the editor sorts them
        # Fixed widths keep the table readable (and its cells where the browser tests expect them).
        config = {
            "Пункт": st.column_config.TextColumn(width="large"),
            "Обязательный": st.column_config.CheckboxColumn(width="small"),
            "Состояние": st.column_config.SelectboxColumn(options=list(CHECK_STATES.values()), required=True,
                                                          width="medium"),
            "Примечание": st.column_config.TextColumn(max_chars=1000, width="medium"),
            "Подтверждение": st.column_config.LinkColumn(
                help="ссылка на скриншот или страницу, начинается с https://", width="medium"),
            "Кто изменил": st.column_config.TextColumn(width="medium"),
            "Когда": st.column_config.TextColumn(width="medium"),
            "Измерено": st.column_config.TextColumn(
                width="large", help="Что показал сбор данных ВКонтакте: публикации за 7 дней и отметка страницы"),
        }
        if can_edit:
            generation = st.session_state.get("verification_page_generation", 0)
            edited = st.data_editor(view, hide_index=True, width="stretch", column_config=config,
                                    height=widgets.table_height(len(view)),
                                    disabled=["Пункт", "Обязательный", "Кто изменил", "Когда", "Измерено"],
                                    key=f"verification_page_editor_{page_id}_{generation}")
            if st.button("Сохранить чек-лист страницы", type="primary", key="verification_page_save"):
                edits = []
                for item_id, before in view.iterrows():
                    after = edited.loc[item_id]
                    if (before["Состояние"], before["Примечание"], before["Подтверждение"]) != (
                            after["Состояние"], after["Примечание"], after["Подтверждение"]):
                        cell = cells.set_index("item_id").loc[item_id]
                        edits.append(CheckEdit(int(page_id), int(item_id), verification.STATE_CODES[after["Состояние"]],
                                               after["Примечание"], after["Подтверждение"],
                                               None if pd.isna(cell["version"]) else int(cell["version"])))
                if not edits:
                    st.info("Изменений нет.")
                else:
                    save(edits, "verification_page_generation", f"Сохранено пунктов: {len(edits)}.")
        else:
            st.dataframe(view, hide_index=True, placeholder="—", width="stretch", column_config=config,
                         height=widgets.table_height(len(view)))
            st.caption("Менять чек-лист могут редакторы и администраторы.")

with tabs[3]:
    if tabs[3].open:
        states, _read_at = snapshot()
        table = verification.matrix(states, items, pages)
        item_titles = list(items["title"])
        options = {title: st.column_config.SelectboxColumn(title, options=list(CHECK_STATES.values()), required=True)
                   for title in item_titles}
        if can_edit:
            generation = st.session_state.get("verification_matrix_generation", 0)
            edited = st.data_editor(table, hide_index=True, width="stretch", height=460, column_config=options,
                                    disabled=verification.NAME_COLUMNS, key=f"verification_matrix_{generation}")
            changes = verification.changed_cells(table, edited, items)
            if st.button(f"Сохранить изменения ({len(changes)})", type="primary", disabled=not changes,
                         key="verification_matrix_save"):
                cells = states.set_index(["page_id", "item_id"])
                details = queries.check_details(engine, [(page_id, item_id) for page_id, item_id, _ in changes])
                edits = [CheckEdit(page_id, item_id, state, details.get((page_id, item_id), {}).get("note"),
                                   details.get((page_id, item_id), {}).get("evidence_url"),
                                   None if pd.isna(cells.loc[(page_id, item_id), "version"])
                                   else int(cells.loc[(page_id, item_id), "version"]))
                         for page_id, item_id, state in changes]
                save(edits, "verification_matrix_generation", f"Сохранено ячеек: {len(edits)}.")
        else:
            st.dataframe(table, hide_index=True, placeholder="—", width="stretch", height=460)
        widgets.csv_download(table.reset_index(drop=True), "verifikaciya-matrica", key="verification_csv_matrix",
                             label="Скачать матрицу CSV")

with tabs[4]:
    if tabs[4].open:
        coverage = data.load_platform_coverage(selection)
        st.caption("Есть ли у учреждения действующая страница в каждой сети (фильтр «Соцсеть» здесь не действует: "
                   "видно, где страниц ещё нет). С августа 2025 года учреждения открывают и каналы в MAX.")
        labels = {code: PLATFORMS[code] for code in PLATFORMS}
        left, right = st.columns(2)
        for column, by, title, name in ((left, "category", "Категория", "kategorii"),
                                        (right, "district", "Район", "rajony")):
            with column:
                counts = summaries.platform_counts(coverage, by).rename(columns={by: title, "institutions": "Учреждений",
                                                                                 **labels})
                if by == "category":
                    counts[title] = counts[title].map(category_label)
                widgets.table(counts, "В выборе нет учреждений.")
                widgets.csv_download(counts, f"ploshchadki-{name}", key=f"verification_csv_platforms_{by}")
        shown = coverage.rename(columns={"short_name": "Учреждение", "category": "Категория", "district": "Район",
                                         **labels}).drop(columns="institution_id")
        shown["Категория"] = shown["Категория"].map(category_label)
        widgets.table(shown, "В выборе нет учреждений.", height=420)
        widgets.csv_download(shown, "ploshchadki-uchrezhdeniya", key="verification_csv_platforms")

if actor.can(ROLE_ADMIN) and tabs[5].open:
    with tabs[5]:
        every_item = data.load_checklist_items(include_retired=True)
        st.caption("Пункты — это данные: их можно добавить, переименовать, сделать (не)обязательными, "
                   "переставить или вывести из работы. Выведенный пункт исчезает из чек-листов и оценок, "
                   "но его история сохраняется.")
        shown_items = pd.DataFrame({
            "Код": every_item["code"], "Название": every_item["title"], "Пояснение": every_item["description"],
            "Обязательный": every_item["is_required"], "Порядок": every_item["position"],
            "В работе": every_item["retired_at"].isna(),
        }).set_axis(every_item["id"].to_numpy())
        item_generation = st.session_state.get("verification_items_generation", 0)
        edited_items = st.data_editor(shown_items, hide_index=True, width="stretch", disabled=["Код"],
                                      height=widgets.table_height(len(shown_items)),
                                      key=f"verification_items_{item_generation}")
        if st.button("Сохранить пункты", key="verification_items_save", type="primary"):
            versions = dict(zip(every_item["id"], every_item["version"]))
            compared = ["Название", "Пояснение", "Обязательный", "Порядок", "В работе"]
            updates = [
                ItemUpdate(int(item_id), int(versions[item_id]), ItemDraft(
                    str(after["Название"]), str(after["Пояснение"] or ""), bool(after["Обязательный"]),
                    int(after["Порядок"])), bool(after["В работе"]))
                for item_id, after in edited_items.iterrows()
                if tuple(after[compared]) != tuple(shown_items.loc[item_id, compared])
            ]
            if not updates:
                st.info("Изменений нет.")
            elif editing.attempt(lambda: checklist.save_items(engine, actor, updates)):
                st.session_state["verification_items_generation"] = item_generation + 1
                editing.release("verification_states")
                editing.flash(f"Пункты чек-листа сохранены: {len(updates)}.")
                st.rerun()
        with st.form("verification_item_add", clear_on_submit=True):
            st.markdown("**Новый пункт**")
            code = st.text_input("Код", help="латиницей, например «vk_clips»; не меняется")
            title = st.text_input("Название")
            description = st.text_area("Пояснение")
            left, right = st.columns(2)
            required = left.checkbox("Обязательный", value=True)
            position = right.number_input("Порядок", min_value=0, max_value=100_000,
                                          value=int(every_item["position"].max() or 0) + 10, step=10)
            if st.form_submit_button("Добавить пункт"):
                draft = ItemDraft(title, description, required, int(position))
                if editing.attempt(lambda: checklist.add_item(engine, actor, code.strip(), draft)):
                    editing.release("verification_states")
                    editing.flash(f"Пункт «{title}» добавлен: на всех страницах он пока не выполнен.")
                    st.rerun()
