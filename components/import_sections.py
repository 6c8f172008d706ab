"""The tabs of «Загрузка данных»: subscriber figures, the institution registry, and the history of
imports with their undo.

Each file is checked and previewed first (components/imports.py holds the steps: the checked plan
kept per file, counts, problems, the column mapping); the write is one all-or-nothing transaction
of data_access.importers.
"""

from __future__ import annotations

import streamlit as st

from components import editing, filters, imports, reads, widgets
from components import formatting as fmt
from data_access import importers
from data_access.auth import Actor
from data_access.vocabulary import ROLE_ADMIN

PREVIEW_COLUMNS = {
    "Учреждение": st.column_config.TextColumn(pinned=True),
    "Заменяется": st.column_config.NumberColumn(
        help="Цифра, которая сейчас в базе за эту же дату и будет заменена; пусто — цифры за эту дату нет"
    ),
    "Было": st.column_config.NumberColumn(help="Прежняя цифра страницы (из базы или из строки выше)"),
    "Дата": st.column_config.DateColumn(format="DD.MM.YYYY"),
    "На дату": st.column_config.DateColumn(format="DD.MM.YYYY", help="Дата прежней цифры"),
}


def subscribers(actor: Actor) -> None:
    """«Цифры подписчиков»: the template of the selection's pages, a file, its check and preview."""
    st.markdown(
        "Столбцы: **страница** (ссылка в любом виде — `https://vk.com/x`, `vk.com/x`, с `www.`/`m.` "
        "— или номер страницы), **дата** (`27.11.2026` или `2026-11-27`, не позже сегодняшнего дня), "
        "**подписчики** (целое число; пробелы между разрядами можно, запятые и точки — нет: «1,250» "
        "непонятно, 1250 это или 1,25). Заголовки — по-русски или по-английски. Строка, в которой не "
        "заполнены ни дата, ни число, пропускается."
    )
    directory = reads.figures.page_figures(filters.selected_filter())
    imports.templates(importers.subscriber_template(directory), "shablon-podpischiki", "imports_template_subscribers")
    if directory.empty:
        st.caption(
            "Страниц в текущем выборе нет, и шаблон пуст: страницы появляются с реестром учреждений "
            "(вкладка «Реестр учреждений» у администратора) или в «Реестре учреждений»; если выбор сужен "
            "фильтрами слева — сбросьте их."
        )
    else:
        st.caption(
            f"В шаблоне — все {fmt.pages_count(len(directory))} текущего выбора (фильтры слева) с последней "
            "цифрой и её датой: впишите дату и число в нужные строки, остальные можно не трогать."
        )
    upload = st.file_uploader("Файл с цифрами", type=["csv", "txt", "xlsx"], key="imports_subscribers_file")
    if upload is None:
        return
    engine = reads.store.get_engine()
    plan = imports.checked(
        "imports_subscribers_plan",
        upload.file_id,
        lambda report: importers.plan_subscribers(
            engine, upload.getvalue(), upload.name, reads.store.today(), report, reads.store.get_settings()
        ),
    )
    imports.counts(plan)
    if plan.problems:
        imports.show_problems(plan.problems, plan.file_name, "imports_subscribers", "Файл не будет загружен, проблем")
        return
    skipped = plan.rows_without_figures
    st.caption(
        f"Файл обновляет {fmt.number(plan.pages_in_file)} {fmt.of_pages(plan.pages_active)} "
        "реестра. Цифры остальных страниц не меняются: у каждой страницы свои даты."
        + (f" Строк без цифр (пропущены): {fmt.number(skipped)}." if skipped else "")
    )
    _subscribers_preview(actor, plan)


def _subscribers_preview(actor: Actor, plan: importers.Plan) -> None:
    """What the file changes (suspicious rows first), and the button that writes it."""
    preview = importers.preview_frame(plan)
    suspicious = plan.suspicious
    if suspicious:
        st.warning(
            f"Подозрительных изменений: {fmt.number(len(suspicious))} — резкое падение или рост "
            "за неделю. Проверьте их: часто это опечатка или чужая страница.",
            icon=":material/warning:",
        )
        st.dataframe(
            preview[preview["Проверить"] != ""],
            hide_index=True,
            placeholder="—",
            width="stretch",
            height=widgets.table_height(len(suspicious), 8),
            column_config=PREVIEW_COLUMNS,
        )
    st.markdown("**Что изменится** (первые 500 строк)")
    st.dataframe(preview.head(500), hide_index=True, placeholder="—", width="stretch", column_config=PREVIEW_COLUMNS)
    confirmed = not suspicious or st.checkbox(
        "Я проверил(а) подозрительные строки: загрузить как есть", key="imports_subscribers_confirm"
    )
    if not (plan.new or plan.updated):
        st.success("Все цифры из файла уже есть в базе — загружать нечего.")
        return
    if st.button(
        f"Загрузить: {fmt.number(len(plan.new))} новых и {fmt.number(len(plan.updated))} изменённых",
        type="primary",
        key="imports_subscribers_apply",
        disabled=not confirmed,
    ):
        engine = reads.store.get_engine()
        bar, report = imports.progress_bar("Записываем…")
        if editing.attempt(
            lambda: importers.apply_subscribers(engine, actor, plan, report, confirm_suspicious=confirmed)
        ):
            st.session_state.pop("imports_subscribers_plan", None)
            editing.flash(f"Файл «{plan.file_name}» загружен: новых {len(plan.new)}, изменённых {len(plan.updated)}.")
            st.rerun()
        bar.empty()


def registry(actor: Actor) -> None:
    """«Реестр учреждений» (administrators): a registry file, its column mapping, check and preview."""
    st.markdown(
        "Одна строка — одно учреждение (и его страница, если в файле есть ссылки). Подойдёт и файл "
        "с портала открытых данных как есть: столбцы сопоставляются по заголовкам (это можно "
        "поправить, выбор запоминается для следующего файла с теми же заголовками), краткое название "
        "берётся из полного, если его нет. Обязательны **название** и **район**; учреждения "
        "сопоставляются по коду, а без кода — по полному названию; страницы — по ссылке."
    )
    imports.templates(importers.registry_template(), "shablon-reestr", "imports_template_registry")
    upload = st.file_uploader("Файл реестра", type=["csv", "txt", "xlsx"], key="imports_registry_file")
    if upload is None:
        return
    engine = reads.store.get_engine()
    first = imports.checked(
        "imports_registry_first",
        upload.file_id,
        lambda report: importers.plan_registry(engine, upload.getvalue(), upload.name, report),
    )
    mapping, default_category = first.mapping, None
    if first.header:
        with st.expander("Сопоставление столбцов", expanded=not first.ok):
            mapping, default_category = imports.registry_mapping(first.header, first.mapping, "imports_registry_map")
    skip_junk = bool(st.session_state.get("imports_registry_skip_junk", False))
    signature = (
        upload.file_id,
        tuple(sorted((key, tuple(value)) for key, value in mapping.items())),
        default_category,
        skip_junk,
    )
    plan = imports.checked(
        "imports_registry_plan",
        signature,
        lambda report: importers.plan_registry(
            engine, upload.getvalue(), upload.name, report, mapping, default_category, skip_junk
        ),
    )
    if plan.junk:
        st.checkbox(
            f"Пропустить строки, похожие на мусор ({fmt.number(len(plan.junk))}): они перечислены "
            "ниже; пропуск запишется в журнал",
            key="imports_registry_skip_junk",
        )
    imports.counts(plan)
    imports.registry_matches(plan)
    if plan.junk:
        _junk(plan, skip_junk)
    if plan.problems:
        imports.show_problems(plan.problems, plan.file_name, "imports_registry", "Файл не будет загружен, проблем")
    elif plan.ok and (plan.new or plan.updated):
        _registry_preview(actor, plan)
    elif plan.ok:
        st.success("Реестр в файле совпадает с базой — загружать нечего.")


def _junk(plan: importers.Plan, skip_junk: bool) -> None:
    """The rows that look like junk (totals, empty lines …), and whether they will be skipped."""
    (st.info if skip_junk else st.warning)(
        f"Строк, похожих на мусор: {fmt.number(len(plan.junk))}"
        + (" — они будут пропущены." if skip_junk else " — отметьте «Пропустить», чтобы загрузить остальное."),
        icon=":material/delete_sweep:",
    )
    st.dataframe(
        imports.problem_frame(plan.junk),
        hide_index=True,
        placeholder="—",
        width="stretch",
        height=widgets.table_height(len(plan.junk), 6),
    )


def _registry_preview(actor: Actor, plan: importers.Plan) -> None:
    """What the registry file changes, short names editable, and the button that writes it."""
    preview = importers.registry_preview_frame(plan)
    without = int((preview["Координаты"] == "нет").sum())
    st.markdown("**Что изменится.** Краткие названия можно поправить прямо в таблице.")
    if without:
        st.caption(
            f"Без координат: {fmt.number(without)} — на карте их не будет, пока координаты не "
            "добавят в реестре; ссылки на страницы тоже можно добавить позже в «Реестре учреждений»."
        )
    edited = st.data_editor(
        preview,
        hide_index=True,
        width="stretch",
        key="imports_registry_editor",
        disabled=[column for column in preview.columns if column != "Краткое название"],
    )
    changed = imports.changed_short_names(preview, edited)
    if st.button(
        f"Загрузить реестр: {fmt.number(len(plan.new))} новых, {fmt.number(len(plan.updated))} изменённых",
        type="primary",
        key="imports_registry_apply",
    ):
        engine = reads.store.get_engine()
        if editing.attempt(lambda: importers.apply_registry(engine, actor, plan, changed)):
            for key in ("imports_registry_plan", "imports_registry_first"):
                st.session_state.pop(key, None)
            editing.flash(f"Реестр из «{plan.file_name}» загружен.")
            st.rerun()


def history(actor: Actor) -> None:
    """«История загрузок»: recent imports; administrators can undo one."""
    recent = reads.admin.recent_imports()
    shown = imports.history_frame(recent)
    widgets.table(shown, "Загрузок ещё не было.", height=widgets.table_height(len(shown), 12))
    widgets.csv_download(shown, "istoriya-zagruzok", key="imports_history_csv")
    if actor.can(ROLE_ADMIN):
        _undo(actor, imports.undoable(recent))


def _undo(actor: Actor, choices: dict[int, str]) -> None:
    st.subheader("Отменить загрузку")
    if not choices:
        st.caption("Отменять нечего: загрузок, которые что-то записали и ещё не отменены, нет.")
        return
    st.caption(
        "Цифры (или учреждения и страницы реестра), которые загрузка изменила, вернутся к прежним, "
        "а добавленные ею — исчезнут; всё одной записью в журнале. Если их потом изменила более поздняя "
        "загрузка или правка, сначала отмените её; созданную загрузкой страницу, у которой уже есть "
        "свои цифры или отметки, отмена не удалит."
    )
    chosen = st.selectbox(
        "Загрузка",
        list(choices),
        format_func=fmt.label_of(choices),
        index=None,
        key="imports_undo_choice",
        placeholder="выберите загрузку из списка",
    )
    sure = st.checkbox("Да, вернуть данные, какими они были до этой загрузки", key="imports_undo_sure")
    if st.button("Отменить загрузку", key="imports_undo", icon=":material/undo:", disabled=chosen is None or not sure):
        engine = reads.store.get_engine()
        result: dict[str, importers.Undone] = {}
        if chosen is not None and editing.attempt(
            lambda: result.update(undone=importers.undo_import(engine, actor, chosen))
        ):
            undone = result["undone"]
            editing.flash(
                f"Загрузка № {undone.import_id} «{undone.file_name}» отменена: возвращено прежних "
                f"значений {undone.restored}, удалено добавленных {undone.removed}."
            )
            st.session_state.pop("imports_undo_sure", None)
            st.rerun()
