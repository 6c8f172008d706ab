"""«Верификация»: the checklist of every page, who lacks what, and editing it safely."""

import pandas as pd
import streamlit as st

from components import charts, data, editing, filters, page, verification, widgets
from components import formatting as fmt
from components.page_picker import pick_page
from data_access import checklist, measurements, summaries
from data_access.checklist import CheckEdit, ItemDraft
from data_access.vocabulary import CHECK_STATES, PLATFORMS, ROLE_ADMIN, ROLE_EDITOR, category_label, plural

ANY_INSTITUTION_ITEM = -1  # «любой обязательный пункт учреждения» in the item picker

actor = page.start()
can_edit = actor.can(ROLE_EDITOR)
engine = data.get_engine()
selection = filters.selected_filter()

st.title("Верификация")
editing.show_flash()
pages = data.load_page_figures(selection)
widgets.stop_if_no_pages(pages, selection)

items = data.load_checklist_items()
# The figures above the tabs come from SQL counts; the editing tabs work on one snapshot of the
# states, read when one of them is first opened: the versions an editor saves against are those
# of the values on the screen, not of whatever the store holds at the moment of saving.
scores = data.load_verification_scores(selection)


def snapshot() -> tuple[verification.States, str]:
    return editing.held_snapshot(
        "verification_states",
        selection,
        lambda: verification.States(
            data.load_checklist_states(selection), data.load_institution_check_states(selection)
        ),
    )


def save(edits: list[CheckEdit], done: str, reset: str | None = None) -> None:
    """Write check edits; on success drop the held snapshot, reset the editor and say what was saved."""
    editing.save(lambda: checklist.save_checks(engine, actor, edits), done, held="verification_states", reset=reset)


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
    args=("verification_states",),
)

verified = int((scores["missing_required"] == 0).sum())
institution_scores = data.load_institution_scores(selection)
complete = int((institution_scores["required_done"] >= institution_scores["required_total"]).sum())
row = st.columns(4)
row[0].metric("Страниц", fmt.number(len(scores)), border=True)
row[1].metric(
    "Верифицировано",
    fmt.percent(verified / len(scores)),
    border=True,
    help=f"Доля верифицированных страниц: все обязательные пункты страницы выполнены у "
    f"{fmt.number(verified)} {fmt.of_pages(len(scores))}. " + verification.SCOPE_DEFINITION,
)
row[2].metric(
    "Пункты учреждений",
    fmt.percent(complete / len(institution_scores) if len(institution_scores) else None),
    border=True,
    help=f"Доля учреждений, у которых выполнены все обязательные пункты учреждения: {fmt.number(complete)} "
    f"из {fmt.number(len(institution_scores))} (есть страницы во ВКонтакте и Одноклассниках, ссылка "
    "на сайте)",
)
row[3].metric(
    "Пунктов в чек-листе",
    f"{int(items['is_required'].sum())} обяз. + {int((~items['is_required']).sum())}",
    border=True,
    help=f"Из них пунктов учреждения: {int((items['scope'] == 'institution').sum())}",
)

tab_names = ["Сводка", "Кому чего не хватает", "Чек-лист страницы", "Таблица страниц × пунктов", "Площадки"]
if actor.can(ROLE_ADMIN):
    tab_names.append("Пункты чек-листа")
# Only the open tab is drawn: the matrix of every page × item costs nothing until someone opens it.
tabs = st.tabs(tab_names, key="verification_tab", bind="query-params", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        completion = data.load_item_completion(selection)
        widgets.chart(
            charts.item_completion_chart,
            completion,
            "Доля страниц (у пунктов учреждения — учреждений), где пункт выполнен",
        )
        st.caption(verification.SCOPE_DEFINITION)
        # One under the other: side by side, five columns do not fit half of a 1440 px screen.
        for by, name in (("category", "kategorii"), ("district", "rajony")):
            summary = data.load_verification_groups(selection, by)
            widgets.table(
                summary,
                "В выборе нет страниц.",
                column_config={
                    "Доля верифицированных": st.column_config.NumberColumn(format="percent"),
                    "Средняя полнота": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
                },
            )
            widgets.csv_download(summary.frame, f"verifikaciya-{name}", key=f"verification_csv_{by}")

with tabs[1]:
    if tabs[1].open:
        held, read_at = snapshot()
        st.caption(f"Чек-листы прочитаны в {read_at}; «Обновить данные» — перечитать.")
        titles = items.set_index("id")["title"]
        scope_of = items.set_index("id")["scope"]
        choice = st.selectbox(
            "Пункт",
            [None, ANY_INSTITUTION_ITEM, *items["id"]],
            key="verification_missing_item",
            bind="query-params",
            format_func=lambda item: (
                "любой обязательный пункт страницы"
                if item is None
                else "любой обязательный пункт учреждения"
                if item == ANY_INSTITUTION_ITEM
                else f"{titles[item]} ({'учреждение' if scope_of[item] == 'institution' else 'страница'})"
            ),
            help="Например, выберите «Виджеты Госуслуг / ПОС установлены», чтобы увидеть, у кого их нет. "
            "Пункты учреждения перечисляют учреждения, пункты страницы — страницы",
            placeholder="выберите из списка",
        )
        for_institutions = choice == ANY_INSTITUTION_ITEM or (choice is not None and scope_of[choice] == "institution")
        item = None if choice == ANY_INSTITUTION_ITEM else choice
        if for_institutions:
            missing = verification.institution_missing_list(held.institutions, items, pages, item)
            key, states, unit_words = "institution_id", held.institutions, ("учреждений", "учреждения")
        else:
            missing = verification.missing_list(held.pages, items, pages, item)
            key, states, unit_words = "page_id", held.pages, ("страниц", "страницы")
        st.caption(
            f"В списке {unit_words[0]}: {fmt.number(len(missing))} — сначала те, где не хватает больше пунктов, "
            "затем флагманские и с большей аудиторией."
        )
        shown = missing.drop(columns=key)
        picked = widgets.table(
            shown,
            f"Все {unit_words[0]} выбора выполнили этот пункт.",
            height=widgets.TABLE_HEIGHT,
            key=f"verification_missing_table_{key}",
            on_select="rerun" if can_edit and item is not None else "ignore",
            selection_mode="multi-row",
        )
        widgets.csv_download(shown, "verifikaciya-ne-hvataet", key="verification_csv_missing")
        if can_edit and item is not None and not missing.empty:
            chosen_rows = list(picked.selection.rows) if picked else []
            st.caption(
                "Отметьте строки в таблице (или «выбрать все» в её заголовке), чтобы изменить пункт сразу "
                f"у многих {unit_words[0]}."
            )
            left, right = st.columns([1, 2])
            new_state = left.selectbox(
                "Новое состояние",
                list(CHECK_STATES),
                format_func=CHECK_STATES.get,
                key="verification_bulk_state",
                placeholder="выберите из списка",
            )
            if right.button(
                f"Применить к выбранным ({len(chosen_rows)})",
                disabled=not chosen_rows,
                key="verification_bulk_apply",
                type="primary",
            ):
                changes = [(int(unit), int(item), new_state) for unit in missing.iloc[chosen_rows][key]]
                edits = verification.check_edits(
                    changes,
                    states,
                    data.check_details([change[:2] for change in changes], for_institutions),
                    institution=for_institutions,
                )
                count = len(edits)
                whom = (
                    f"{fmt.number(count)} {plural(count, 'учреждения', 'учреждений', 'учреждений')}"
                    if for_institutions
                    else fmt.pages_genitive(count)
                )
                save(edits, f"«{titles[item]}»: {CHECK_STATES[new_state]} — сохранено для {whom}.")

with tabs[2]:
    # None: the tab is closed, or a search on a long selection found nothing (pick_page says so).
    page_id = (
        pick_page(selection, "Страница", "verification_page", required=True, placeholder="выберите из списка")
        if tabs[2].open
        else None
    )
    if page_id is not None:
        held, _read_at = snapshot()
        institution_id = int(pages.set_index("page_id").loc[page_id, "institution_id"])
        marks = pd.concat(
            [
                held.pages[held.pages["page_id"] == page_id][["item_id", "state", "version"]],
                held.institutions[held.institutions["institution_id"] == institution_id][
                    ["item_id", "state", "version"]
                ],
            ]
        )
        cells = (
            marks.merge(items[["id", "code", "title", "is_required", "scope"]], left_on="item_id", right_on="id")
            .merge(
                data.load_page_checklist(int(page_id))[["item_id", "note", "evidence_url", "updated_at", "updated_by"]],
                on="item_id",
                how="left",
            )
            .sort_values(["scope"], ascending=False, kind="stable")
        )
        score_row = scores.set_index("page_id").loc[page_id]
        st.progress(
            float(score_row["score"]),
            text=f"Обязательные пункты страницы: {int(score_row['required_done'])} "
            f"из {int(score_row['required_total'])}",
        )
        st.caption(
            "Пункты «учреждению» общие для всех страниц учреждения (ВКонтакте, MAX …): их отметка меняется "
            "у учреждения целиком. Пункты, которых нет в этой соцсети, не показаны."
        )
        view = verification.page_view(cells, measurements.measured_texts(pages.set_index("page_id").loc[page_id]))
        # Fixed widths keep the table readable (and its cells where the browser tests expect them).
        config = {
            "Пункт": st.column_config.TextColumn(width="large"),
            "Относится к": st.column_config.TextColumn(width=100),
            "Обязательный": st.column_config.CheckboxColumn(width="small"),
            "Состояние": st.column_config.SelectboxColumn(
                options=list(CHECK_STATES.values()), required=True, width="medium"
            ),
            "Примечание": st.column_config.TextColumn(max_chars=1000, width="medium"),
            "Подтверждение": st.column_config.LinkColumn(
                help="ссылка на скриншот или страницу, начинается с https://", width="medium"
            ),
            "Кто изменил": st.column_config.TextColumn(width="medium"),
            "Когда": st.column_config.TextColumn(width="medium"),
            "Измерено": st.column_config.TextColumn(
                width="large",
                help="Что показал сбор данных ВКонтакте: публикации за 7 дней и госметка "
                "(поле is_government_organization)",
            ),
        }
        if can_edit:
            generation = editing.generation("verification_page_generation")
            edited = st.data_editor(
                view,
                hide_index=True,
                width="stretch",
                column_config=config,
                height=widgets.table_height(len(view)),
                disabled=["Пункт", "Относится к", "Обязательный", "Кто изменил", "Когда", "Измерено"],
                key=f"verification_page_editor_{page_id}_{generation}",
            )
            if st.button("Сохранить чек-лист страницы", type="primary", key="verification_page_save"):
                changes, texts = verification.page_changes(int(page_id), view, edited)
                shared, shared_texts = verification.page_changes(institution_id, view, edited, "institution")
                if not changes and not shared:
                    st.info("Изменений нет.")
                else:
                    save(
                        verification.check_edits(changes, held.pages, {}, texts)
                        + verification.check_edits(shared, held.institutions, {}, shared_texts, institution=True),
                        f"Сохранено пунктов: {len(changes) + len(shared)}.",
                        reset="verification_page_generation",
                    )
        else:
            st.dataframe(
                view,
                hide_index=True,
                placeholder="—",
                width="stretch",
                column_config=config,
                height=widgets.table_height(len(view)),
            )
            st.caption("Менять чек-лист могут редакторы и администраторы.")

with tabs[3]:
    if tabs[3].open:
        held, _read_at = snapshot()
        for scope, title, states, build, name in (
            ("page", "Страницы × пункты страницы", held.pages, verification.matrix, "matrica"),
            (
                "institution",
                "Учреждения × пункты учреждения",
                held.institutions,
                verification.institution_matrix,
                "matrica-uchrezhdeniya",
            ),
        ):
            st.subheader(title)
            if scope == "page":
                st.caption("Пустая клетка — пункта нет в соцсети этой страницы (например, госметки в MAX).")
            table = build(states, items, pages)
            item_titles = list(verification.items_of(items, scope)["title"])
            options = {
                title: st.column_config.SelectboxColumn(title, options=list(CHECK_STATES.values()), required=True)
                for title in item_titles
            }
            if can_edit:
                generation = editing.generation(f"verification_matrix_generation_{scope}")
                edited = st.data_editor(
                    table,
                    hide_index=True,
                    width="stretch",
                    height=widgets.MATRIX_HEIGHT,
                    column_config=options,
                    disabled=[*verification.NAME_COLUMNS, "Соцсети"],
                    key=f"verification_matrix_{scope}_{generation}",
                )
                changes = verification.changed_cells(table, edited, verification.items_of(items, scope))
                if st.button(
                    f"Сохранить изменения ({len(changes)})",
                    type="primary",
                    disabled=not changes,
                    key=f"verification_matrix_save_{scope}",
                ):
                    institution = scope == "institution"
                    edits = verification.check_edits(
                        changes,
                        states,
                        data.check_details([change[:2] for change in changes], institution),
                        institution=institution,
                    )
                    save(edits, f"Сохранено ячеек: {len(edits)}.", reset=f"verification_matrix_generation_{scope}")
            else:
                st.dataframe(table, hide_index=True, placeholder="—", width="stretch", height=widgets.MATRIX_HEIGHT)
            widgets.csv_download(
                table.reset_index(drop=True),
                f"verifikaciya-{name}",
                key=f"verification_csv_{name}",
                label="Скачать матрицу CSV",
            )

with tabs[4]:
    if tabs[4].open:
        coverage = data.load_platform_coverage(selection)
        st.caption(
            "Есть ли у учреждения действующая страница в каждой сети (фильтр «Соцсеть» здесь не действует: "
            "видно, где страниц ещё нет). С августа 2025 года учреждения открывают и каналы в MAX."
        )
        labels = {code: PLATFORMS[code] for code in PLATFORMS}
        left, right = st.columns(2)
        for column, by, title, name in (
            (left, "category", "Категория", "kategorii"),
            (right, "district", "Район", "rajony"),
        ):
            with column:
                counts = summaries.platform_counts(coverage, by).rename(
                    columns={by: title, "institutions": "Учреждений", **labels}
                )
                if by == "category":
                    counts[title] = counts[title].map(category_label)
                widgets.table(counts, "В выборе нет учреждений.")
                widgets.csv_download(counts, f"ploshchadki-{name}", key=f"verification_csv_platforms_{by}")
        shown = coverage.rename(
            columns={"short_name": "Учреждение", "category": "Категория", "district": "Район", **labels}
        ).drop(columns="institution_id")
        shown["Категория"] = shown["Категория"].map(category_label)
        widgets.table(shown, "В выборе нет учреждений.", height=widgets.TABLE_HEIGHT)
        widgets.csv_download(shown, "ploshchadki-uchrezhdeniya", key="verification_csv_platforms")

if actor.can(ROLE_ADMIN) and tabs[5].open:
    with tabs[5]:
        every_item = data.load_checklist_items(include_retired=True)
        st.caption(
            "Пункты — это данные: их можно добавить, переименовать, сделать (не)обязательными, "
            "переставить или вывести из работы. Выведенный пункт исчезает из чек-листов и оценок, "
            "но его история сохраняется."
        )
        shown_items = verification.items_view(every_item)
        edited_items = st.data_editor(
            shown_items,
            hide_index=True,
            width="stretch",
            disabled=["Код", "Относится к"],
            column_config={
                "Соцсети": st.column_config.MultiselectColumn(
                    options=list(PLATFORMS.values()),
                    help="Где пункт страницы есть; пусто — во всех соцсетях. У пунктов учреждения не выбираются",
                )
            },
            height=widgets.table_height(len(shown_items)),
            key=f"verification_items_{editing.generation('verification_items_generation')}",
        )
        if st.button("Сохранить пункты", key="verification_items_save", type="primary"):
            updates = verification.item_updates(every_item, shown_items, edited_items)
            if not updates:
                st.info("Изменений нет.")
            else:
                editing.save(
                    lambda: checklist.save_items(engine, actor, updates),
                    f"Пункты чек-листа сохранены: {len(updates)}.",
                    release_keys=("verification_states",),
                    reset="verification_items_generation",
                )
        with st.form("verification_item_add", clear_on_submit=True):
            st.markdown("**Новый пункт**")
            code = st.text_input("Код", help="латиницей, например «vk_clips»; не меняется")
            title = st.text_input("Название")
            description = st.text_area("Пояснение")
            left, right = st.columns(2)
            scope = left.radio(
                "Относится к",
                list(verification.SCOPES),
                format_func=verification.SCOPES.get,
                horizontal=True,
                help="Пункт учреждения отмечается один раз для всех его страниц; потом это не меняется",
            )
            networks = right.multiselect(
                "Соцсети пункта страницы",
                list(PLATFORMS),
                format_func=PLATFORMS.get,
                placeholder="все соцсети",
                help="Пусто — во всех соцсетях",
            )
            left, right = st.columns(2)
            required = left.checkbox("Обязательный", value=True)
            position = right.number_input(
                "Порядок", min_value=0, max_value=100_000, value=int(every_item["position"].max() or 0) + 10, step=10
            )
            if st.form_submit_button("Добавить пункт"):
                draft = ItemDraft(title, description, required, int(position), tuple(networks))
                editing.save(
                    lambda: checklist.add_item(engine, actor, code.strip(), draft, scope),
                    f"Пункт «{title}» добавлен: пока он нигде не выполнен.",
                    release_keys=("verification_states",),
                )
