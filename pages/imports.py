"""«Загрузка данных»: subscriber figures and the institution registry from CSV/XLSX, checked and
previewed before one all-or-nothing write."""

import pandas as pd
import streamlit as st

from components import data, editing, page, widgets
from components import formatting as fmt
from components.csv_export import to_csv_bytes, to_xlsx_bytes
from data_access import importers
from data_access.filters import ALL_PAGES
from data_access.vocabulary import ROLE_ADMIN, ROLE_EDITOR

actor = page.start(ROLE_EDITOR)
engine = data.get_engine()
if not actor.can(ROLE_ADMIN) and not data.get_settings().editors_can_import:
    st.error("Загрузка данных доступна администраторам.")
    st.stop()

st.title("Загрузка данных")
editing.show_flash()
st.caption("Файлы CSV (UTF-8 или Windows-1251, разделитель «;», «,» или табуляция) и XLSX, до 20 МБ. "
           "Сначала файл проверяется и показывается, что изменится; записывается он целиком или никак.")


def _progress_bar(label: str):
    bar = st.progress(0.0, text=label)
    return bar, (lambda share, text: bar.progress(share, text=text))


def _templates(frame: pd.DataFrame, stem: str, key: str) -> None:
    left, right, _ = st.columns([1, 1, 3])
    left.download_button("Шаблон CSV", data=to_csv_bytes(frame), file_name=f"{stem}.csv", mime="text/csv",
                         icon=":material/download:", key=f"{key}_csv", on_click="ignore")
    right.download_button("Шаблон XLSX", data=to_xlsx_bytes(frame), file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:", key=f"{key}_xlsx", on_click="ignore")


def _checked(upload, key: str, make_plan) -> importers.Plan:
    """Check an uploaded file once (with a progress bar) and keep the plan while the same file stays."""
    cached = st.session_state.get(key)
    if cached is None or cached[0] != upload.file_id:
        bar, report = _progress_bar("Проверяем файл…")
        cached = (upload.file_id, make_plan(upload, report))
        bar.empty()
        st.session_state[key] = cached
    return cached[1]


def _show_plan(plan: importers.Plan, preview: pd.DataFrame, key: str) -> None:
    row = st.columns(4)
    row[0].metric("Строк в файле", fmt.number(plan.rows_total))
    row[1].metric("Новых", fmt.number(len(plan.new)))
    row[2].metric("Изменённых", fmt.number(len(plan.updated)))
    row[3].metric("Без изменений", fmt.number(plan.unchanged))
    if plan.problems:
        st.error(f"Файл не будет загружен: найдено проблем — {fmt.number(len(plan.problems))}. "
                 "Исправьте файл и загрузите его снова; в базе ничего не изменилось.", icon=":material/error:")
        problems = pd.DataFrame({
            "Строка": [problem.row for problem in plan.problems],
            "Столбец": [problem.column or "" for problem in plan.problems],
            "Значение": [problem.value or "" for problem in plan.problems],
            "Что не так": [problem.message for problem in plan.problems],
        })
        st.dataframe(problems, hide_index=True, width="stretch", height=min(400, 38 + 35 * len(problems)))
        widgets.csv_download(problems, f"problemy-{plan.file_name}", key=f"{key}_problems_csv",
                             label="Скачать список проблем")
    elif not preview.empty:
        st.markdown("**Что изменится** (первые 500 строк)")
        st.dataframe(preview.head(500), hide_index=True, width="stretch")


tabs = ["Цифры подписчиков", "История загрузок"]
if actor.can(ROLE_ADMIN):
    tabs.insert(1, "Реестр учреждений")
figures_tab, *rest = st.tabs(tabs)
history_tab = rest[-1]

with figures_tab:
    st.markdown("Столбцы: **страница** (ссылка в любом виде — `https://vk.com/x`, `vk.com/x`, с `www.`/`m.` "
                "— или номер страницы), **дата** (`27.11.2026` или `2026-11-27`), **подписчики** (целое число, "
                "пробелы между разрядами допустимы). Заголовки — по-русски или по-английски.")
    _templates(importers.subscriber_template(), "shablon-podpischiki", "imports_template_subscribers")
    upload = st.file_uploader("Файл с цифрами", type=["csv", "txt", "xlsx"], key="imports_subscribers_file")
    if upload is not None:
        plan = _checked(upload, "imports_subscribers_plan", lambda file, report: importers.plan_subscribers(
            engine, file.getvalue(), file.name, data.today(), report))
        everything = data.load_page_directory(ALL_PAGES)
        names = dict(zip(everything["page_id"], everything["short_name"]))
        preview = pd.DataFrame(
            [{"Что": "новая", "Страница": names.get(row["page_id"], row["page_id"]), "Дата": fmt.day(row["day"]),
              "Было": "", "Станет": row["subscribers"]} for row in plan.new[:250]]
            + [{"Что": "изменится", "Страница": names.get(row["page_id"], row["page_id"]), "Дата": fmt.day(row["day"]),
                "Было": row["before"], "Станет": row["subscribers"]} for row in plan.updated[:250]])
        _show_plan(plan, preview, "imports_subscribers")
        if plan.ok and (plan.new or plan.updated):
            if st.button(f"Загрузить: {fmt.number(len(plan.new))} новых и {fmt.number(len(plan.updated))} изменённых",
                         type="primary", key="imports_subscribers_apply"):
                bar, report = _progress_bar("Записываем…")
                if editing.attempt(lambda: importers.apply_subscribers(engine, actor, plan, report)):
                    st.session_state.pop("imports_subscribers_plan", None)
                    editing.flash(f"Файл «{plan.file_name}» загружен: новых {len(plan.new)}, "
                                  f"изменённых {len(plan.updated)}.")
                    st.rerun()
                bar.empty()
        elif plan.ok:
            st.success("Все цифры из файла уже есть в базе — загружать нечего.")

if actor.can(ROLE_ADMIN):
    with rest[0]:
        st.markdown("Одна строка — одна страница учреждения. Обязательные столбцы: **код**, **полное название**, "
                    "**категория**, **район**, **страница**; ещё можно: краткое название, адрес, широта, долгота, "
                    "сайт, флагманская (да/нет), цель. Учреждения сопоставляются по коду, страницы — по ссылке.")
        _templates(importers.registry_template(), "shablon-reestr", "imports_template_registry")
        upload = st.file_uploader("Файл реестра", type=["csv", "txt", "xlsx"], key="imports_registry_file")
        if upload is not None:
            plan = _checked(upload, "imports_registry_plan", lambda file, report: importers.plan_registry(
                engine, file.getvalue(), file.name, report))
            preview = pd.DataFrame([
                {"Что": kind, "Строка": entry["row"], "Код": entry["institution"]["code"],
                 "Учреждение": entry["institution"]["short_name"], "Район": entry["institution"]["district"],
                 "Страница": entry["page"]["url"]}
                for kind, entries in (("новое", plan.new), ("изменится", plan.updated)) for entry in entries])
            _show_plan(plan, preview, "imports_registry")
            if plan.ok and (plan.new or plan.updated) and st.button(
                    f"Загрузить реестр: {fmt.number(len(plan.new))} новых, {fmt.number(len(plan.updated))} изменённых",
                    type="primary", key="imports_registry_apply"):
                if editing.attempt(lambda: importers.apply_registry(engine, actor, plan)):
                    st.session_state.pop("imports_registry_plan", None)
                    editing.flash(f"Реестр из «{plan.file_name}» загружен.")
                    st.rerun()
            elif plan.ok and not (plan.new or plan.updated):
                st.success("Реестр в файле совпадает с базой — загружать нечего.")

with history_tab:
    history = data.load_recent_imports()
    shown = pd.DataFrame({
        "Когда": history["at"].map(fmt.local_datetime), "Кто": history["actor"],
        "Что": history["kind"].map({"subscribers": "подписчики", "registry": "реестр"}),
        "Файл": history["file_name"], "Строк": history["rows_total"], "Новых": history["rows_added"],
        "Изменённых": history["rows_updated"], "Без изменений": history["rows_unchanged"],
    })
    st.dataframe(shown, hide_index=True, width="stretch")
    widgets.csv_download(shown, "istoriya-zagruzok", key="imports_history_csv")
