"""The parts of «Верификация»: its figures, and what each of its tabs draws and saves.

The page (pages/verification.py) reads the selection and opens a tab; a tab draws only when it is
open. The tables and edits come from the pure builders of components/verification.py; every save
goes through editing.save with the versions of the snapshot the editor saw (Screen.snapshot).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import charts, editing, reads, verification, widgets
from components import formatting as fmt
from data_access import checklist, measurements
from data_access.auth import Actor
from data_access.checklist import CheckEdit, ItemDraft
from data_access.filters import PageFilter
from data_access.vocabulary import CHECK_STATES, PLATFORMS, ROLE_EDITOR, plural

ANY_INSTITUTION_ITEM = -1  # «любой обязательный пункт учреждения» in the item picker
HELD = "verification_states"  # the session's snapshot of the checklist states (editing.held_snapshot)


@dataclass(frozen=True)
class Screen:
    """What every tab of the page works from: who looks, the selection, its pages, the checklist's
    items and the pages' scores (SQL counts)."""

    actor: Actor
    selection: PageFilter
    pages: pd.DataFrame
    items: pd.DataFrame
    scores: pd.DataFrame

    @property
    def can_edit(self) -> bool:
        return self.actor.can(ROLE_EDITOR)

    def snapshot(self) -> tuple[verification.States, str]:
        """The states the editing tabs show and save against, read when one of them is first opened
        (the versions an editor saves against are those of the values on the screen)."""
        return editing.held_snapshot(
            HELD,
            self.selection,
            lambda: verification.States(
                reads.checklist.page_states(self.selection), reads.checklist.institution_states(self.selection)
            ),
        )

    def save(self, edits: list[CheckEdit], done: str, reset: str | None = None) -> None:
        """Write check edits; on success drop the held snapshot, reset the editor and say what was saved."""
        engine = reads.store.get_engine()
        editing.save(lambda: checklist.save_checks(engine, self.actor, edits), done, held=HELD, reset=reset)


def read_note(read_at: str) -> None:
    """When the states an editing tab shows were read, and the button that reads them again."""
    with st.container(horizontal=True, vertical_alignment="center", key="verification_read_at"):
        st.caption(f"Чек-листы прочитаны в {read_at}; «Обновить данные» — перечитать.", width="stretch")
        st.button(
            "Обновить данные",
            icon=":material/refresh:",
            key="verification_reload",
            on_click=editing.release,
            args=(HELD,),
        )


def figures(screen: Screen) -> None:
    """The four figures above the tabs."""
    scores, items = screen.scores, screen.items
    verified = int((scores["missing_required"] == 0).sum())
    institution_scores = reads.checklist.institution_scores(screen.selection)
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


GROUPINGS = {"category": "по категориям", "district": "по районам"}


def summary(selection: PageFilter) -> None:
    """«Сводка»: each item's completion, and verification by category or by district (one table at
    a time, the choice kept in the address: a move to the page is 0.90× what it was with both,
    bench.against on the region)."""
    completion = reads.checklist.item_completion(selection)
    widgets.chart(
        charts.item_completion_chart, completion, "Доля страниц (у пунктов учреждения — учреждений), где пункт выполнен"
    )
    st.caption(verification.SCOPE_DEFINITION)
    by = st.segmented_control(
        "Таблица верификации",
        list(GROUPINGS),
        default="category",
        required=True,
        format_func=GROUPINGS.__getitem__,
        key="verification_groups",
        bind="query-params",
    )
    groups = reads.figures.verification_groups(selection, by)
    widgets.table(
        groups,
        "В выборе нет страниц.",
        column_config={
            "Доля верифицированных": st.column_config.NumberColumn(format="percent"),
            "Средняя полнота": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
        },
    )
    name = "kategorii" if by == "category" else "rajony"
    widgets.csv_download(groups.frame, f"verifikaciya-{name}", key=f"verification_csv_{by}")


def _item_name(items: pd.DataFrame, item: int | None) -> str:
    if item is None:
        return "любой обязательный пункт страницы"
    if item == ANY_INSTITUTION_ITEM:
        return "любой обязательный пункт учреждения"
    row = items.set_index("id").loc[item]
    return f"{row['title']} ({'учреждение' if row['scope'] == 'institution' else 'страница'})"


def missing(screen: Screen) -> None:
    """«Кому чего не хватает»: the pages (or institutions) lacking an item, and a bulk change of it."""
    held, read_at = screen.snapshot()
    items = screen.items
    read_note(read_at)
    choice = st.selectbox(
        "Пункт",
        [None, ANY_INSTITUTION_ITEM, *items["id"]],
        key="verification_missing_item",
        bind="query-params",
        format_func=lambda item: _item_name(items, item),
        help="Например, выберите «Виджеты Госуслуг / ПОС установлены», чтобы увидеть, у кого их нет. "
        "Пункты учреждения перечисляют учреждения, пункты страницы — страницы",
        placeholder="выберите из списка",
    )
    scope_of = items.set_index("id")["scope"]
    for_institutions = choice == ANY_INSTITUTION_ITEM or (choice is not None and scope_of[choice] == "institution")
    item = None if choice == ANY_INSTITUTION_ITEM else choice
    if for_institutions:
        lacking = verification.institution_missing_list(held.institutions, items, screen.pages, item)
        key, states, units = "institution_id", held.institutions, "учреждений"
    else:
        lacking = verification.missing_list(held.pages, items, screen.pages, item)
        key, states, units = "page_id", held.pages, "страниц"
    st.caption(
        f"В списке {units}: {fmt.number(len(lacking))} — сначала те, где не хватает больше пунктов, "
        "затем флагманские и с большей аудиторией."
    )
    shown = lacking.drop(columns=key)
    editable = screen.can_edit and item is not None
    picked = widgets.table(
        shown,
        f"Все {units} выбора выполнили этот пункт.",
        height=widgets.TABLE_HEIGHT,
        key=f"verification_missing_table_{key}",
        on_select="rerun" if editable else "ignore",
        selection_mode="multi-row",
    )
    widgets.csv_download(shown, "verifikaciya-ne-hvataet", key="verification_csv_missing")
    if editable and item is not None and not lacking.empty:
        chosen = list(lacking.iloc[list(picked.selection.rows) if picked else []][key])
        _bulk_change(screen, int(item), [int(unit) for unit in chosen], states, for_institutions)


def _bulk_change(screen: Screen, item: int, units: list[int], states: pd.DataFrame, for_institutions: bool) -> None:
    """One new state of `item` for the rows chosen in the table (pages, or institutions)."""
    st.caption(
        "Отметьте строки в таблице (или «выбрать все» в её заголовке), чтобы изменить пункт сразу "
        f"у многих {'учреждений' if for_institutions else 'страниц'}."
    )
    left, right = st.columns([1, 2])
    new_state = left.selectbox(
        "Новое состояние",
        list(CHECK_STATES),
        format_func=fmt.label_of(CHECK_STATES),
        key="verification_bulk_state",
        placeholder="выберите из списка",
    )
    if right.button(
        f"Применить к выбранным ({len(units)})", disabled=not units, key="verification_bulk_apply", type="primary"
    ):
        changes = [(unit, item, new_state) for unit in units]
        details = reads.checklist.check_details([change[:2] for change in changes], for_institutions)
        edits = verification.check_edits(changes, states, details, institution=for_institutions)
        count = len(edits)
        whom = (
            f"{fmt.number(count)} {plural(count, 'учреждения', 'учреждений', 'учреждений')}"
            if for_institutions
            else fmt.pages_genitive(count)
        )
        title = screen.items.set_index("id").loc[item, "title"]
        screen.save(edits, f"«{title}»: {CHECK_STATES[new_state]} — сохранено для {whom}.")


# «Чек-лист страницы»: fixed widths keep the table readable (and its cells where the browser tests expect them).
PAGE_COLUMNS = {
    "Пункт": st.column_config.TextColumn(width="large"),
    "Относится к": st.column_config.TextColumn(width=100),
    "Обязательный": st.column_config.CheckboxColumn(width="small"),
    "Состояние": st.column_config.SelectboxColumn(options=list(CHECK_STATES.values()), required=True, width="medium"),
    "Примечание": st.column_config.TextColumn(max_chars=1000, width="medium"),
    "Подтверждение": st.column_config.LinkColumn(
        help="ссылка на скриншот или страницу, начинается с https://", width="medium"
    ),
    "Кто изменил": st.column_config.TextColumn(width="medium"),
    "Когда": st.column_config.TextColumn(width="medium"),
    "Измерено": st.column_config.TextColumn(
        width="large",
        help="Что показал сбор данных ВКонтакте: публикации за 7 дней и госметка (поле is_government_organization)",
    ),
}


def page_checklist(screen: Screen, page_id: int) -> None:
    """«Чек-лист страницы»: one page's items, its own and its institution's, editable by editors."""
    held, read_at = screen.snapshot()
    read_note(read_at)
    page_row = screen.pages.set_index("page_id").loc[page_id]
    institution_id = int(page_row["institution_id"])
    cells = verification.page_cells(
        held, screen.items, reads.checklist.page_checklist(int(page_id)), int(page_id), institution_id
    )
    score = screen.scores.set_index("page_id").loc[page_id]
    st.progress(
        float(score["score"]),
        text=f"Обязательные пункты страницы: {int(score['required_done'])} из {int(score['required_total'])}",
    )
    st.caption(
        "Пункты «учреждению» общие для всех страниц учреждения (ВКонтакте, MAX …): их отметка меняется "
        "у учреждения целиком. Пункты, которых нет в этой соцсети, не показаны."
    )
    view = verification.page_view(cells, measurements.measured_texts(page_row))
    if not screen.can_edit:
        st.dataframe(
            view,
            hide_index=True,
            placeholder="—",
            width="stretch",
            column_config=PAGE_COLUMNS,
            height=widgets.table_height(len(view)),
        )
        st.caption("Менять чек-лист могут редакторы и администраторы.")
        return
    generation = editing.generation("verification_page_generation")
    edited = st.data_editor(
        view,
        hide_index=True,
        width="stretch",
        column_config=PAGE_COLUMNS,
        height=widgets.table_height(len(view)),
        disabled=["Пункт", "Относится к", "Обязательный", "Кто изменил", "Когда", "Измерено"],
        key=f"verification_page_editor_{page_id}_{generation}",
    )
    if st.button("Сохранить чек-лист страницы", type="primary", key="verification_page_save"):
        changes, texts = verification.page_changes(int(page_id), view, edited)
        shared, shared_texts = verification.page_changes(institution_id, view, edited, "institution")
        if not changes and not shared:
            st.info("Изменений нет.")
            return
        screen.save(
            verification.check_edits(changes, held.pages, {}, texts)
            + verification.check_edits(shared, held.institutions, {}, shared_texts, institution=True),
            f"Сохранено пунктов: {len(changes) + len(shared)}.",
            reset="verification_page_generation",
        )


def matrices(screen: Screen) -> None:
    """«Таблица страниц × пунктов»: pages × page items, then institutions × institution items."""
    held, read_at = screen.snapshot()
    read_note(read_at)
    st.subheader("Страницы × пункты страницы")
    st.caption("Пустая клетка — пункта нет в соцсети этой страницы (например, госметки в MAX).")
    _matrix(screen, "page", held.pages, verification.matrix(held.pages, screen.items, screen.pages), "matrica")
    st.subheader("Учреждения × пункты учреждения")
    table = verification.institution_matrix(held.institutions, screen.items, screen.pages)
    _matrix(screen, "institution", held.institutions, table, "matrica-uchrezhdeniya")


def _matrix(screen: Screen, scope: str, states: pd.DataFrame, table: pd.DataFrame, name: str) -> None:
    scope_items = verification.items_of(screen.items, scope)
    if screen.can_edit:
        options = {
            title: st.column_config.SelectboxColumn(title, options=list(CHECK_STATES.values()), required=True)
            for title in scope_items["title"]
        }
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
        changes = verification.changed_cells(table, edited, scope_items)
        if st.button(
            f"Сохранить изменения ({len(changes)})",
            type="primary",
            disabled=not changes,
            key=f"verification_matrix_save_{scope}",
        ):
            institution = scope == "institution"
            details = reads.checklist.check_details([change[:2] for change in changes], institution)
            edits = verification.check_edits(changes, states, details, institution=institution)
            screen.save(edits, f"Сохранено ячеек: {len(edits)}.", reset=f"verification_matrix_generation_{scope}")
    else:
        st.dataframe(table, hide_index=True, placeholder="—", width="stretch", height=widgets.MATRIX_HEIGHT)
    widgets.csv_download(
        table.reset_index(drop=True),
        f"verifikaciya-{name}",
        key=f"verification_csv_{name}",
        label="Скачать матрицу CSV",
    )


def platforms(selection: PageFilter) -> None:
    """«Площадки»: which networks each institution has a working page in, counted and listed."""
    coverage = reads.figures.platform_coverage(selection)
    st.caption(
        "Есть ли у учреждения действующая страница в каждой сети (фильтр «Соцсеть» здесь не действует: "
        "видно, где страниц ещё нет). С августа 2025 года учреждения открывают и каналы в MAX."
    )
    left, right = st.columns(2)
    for column, by, name in ((left, "category", "kategorii"), (right, "district", "rajony")):
        with column:
            counts = verification.platform_counts_view(coverage, by)
            widgets.table(counts, "В выборе нет учреждений.")
            widgets.csv_download(counts, f"ploshchadki-{name}", key=f"verification_csv_platforms_{by}")
    shown = verification.platform_coverage_view(coverage)
    widgets.table(shown, "В выборе нет учреждений.", height=widgets.TABLE_HEIGHT)
    widgets.csv_download(shown, "ploshchadki-uchrezhdeniya", key="verification_csv_platforms")


def checklist_items(actor: Actor) -> None:
    """«Пункты чек-листа» (administrators): the items edited as data, and a new one."""
    every_item = reads.checklist.items(include_retired=True)
    st.caption(
        "Пункты — это данные: их можно добавить, переименовать, сделать (не)обязательными, "
        "переставить или вывести из работы. Выведенный пункт исчезает из чек-листов и оценок, "
        "но его история сохраняется."
    )
    shown = verification.items_view(every_item)
    edited = st.data_editor(
        shown,
        hide_index=True,
        width="stretch",
        disabled=["Код", "Относится к"],
        column_config={
            "Соцсети": st.column_config.MultiselectColumn(
                options=list(PLATFORMS.values()),
                help="Где пункт страницы есть; пусто — во всех соцсетях. У пунктов учреждения не выбираются",
            )
        },
        height=widgets.table_height(len(shown)),
        key=f"verification_items_{editing.generation('verification_items_generation')}",
    )
    if st.button("Сохранить пункты", key="verification_items_save", type="primary"):
        updates = verification.item_updates(every_item, shown, edited)
        if not updates:
            st.info("Изменений нет.")
        else:
            engine = reads.store.get_engine()
            editing.save(
                lambda: checklist.save_items(engine, actor, updates),
                f"Пункты чек-листа сохранены: {len(updates)}.",
                release_keys=(HELD,),
                reset="verification_items_generation",
            )
    _new_item_form(actor, int(every_item["position"].max() or 0) + 10)


def _new_item_form(actor: Actor, next_position: int) -> None:
    with st.form("verification_item_add", clear_on_submit=True):
        st.markdown("**Новый пункт**")
        code = st.text_input("Код", help="латиницей, например «vk_clips»; не меняется")
        title = st.text_input("Название")
        description = st.text_area("Пояснение")
        left, right = st.columns(2)
        scope = left.radio(
            "Относится к",
            list(verification.SCOPES),
            format_func=fmt.label_of(verification.SCOPES),
            horizontal=True,
            help="Пункт учреждения отмечается один раз для всех его страниц; потом это не меняется",
        )
        networks = right.multiselect(
            "Соцсети пункта страницы",
            list(PLATFORMS),
            format_func=fmt.label_of(PLATFORMS),
            placeholder="все соцсети",
            help="Пусто — во всех соцсетях",
        )
        left, right = st.columns(2)
        required = left.checkbox("Обязательный", value=True)
        position = right.number_input("Порядок", min_value=0, max_value=100_000, value=next_position, step=10)
        if st.form_submit_button("Добавить пункт"):
            draft = ItemDraft(title, description, required, int(position), tuple(networks))
            engine = reads.store.get_engine()
            editing.save(
                lambda: checklist.add_item(engine, actor, code.strip(), draft, scope),
                f"Пункт «{title}» добавлен: пока он нигде не выполнен.",
                release_keys=(HELD,),
            )
