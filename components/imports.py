"""Pieces of the upload page: checking a file once per choice, the problem list, the column mapping
of a registry file, the templates."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pandas as pd
import streamlit as st

from components import formatting as fmt
from components import widgets
from components.csv_export import to_csv_bytes, to_xlsx_bytes
from data_access import importers
from data_access.parsing import Problem
from data_access.vocabulary import CATEGORIES

NOT_IN_FILE = -1


def progress_bar(label: str):
    bar = st.progress(0.0, text=label)
    return bar, (lambda share, text: bar.progress(share, text=text))


def checked(key: str, signature: Hashable, make_plan: Callable) -> importers.Plan:
    """Check a file once (with a progress bar) and keep the plan while the file and the choices
    made for it (`signature`) stay the same."""
    cached = st.session_state.get(key)
    if cached is None or cached[0] != signature:
        bar, report = progress_bar("Проверяем файл…")
        cached = (signature, make_plan(report))
        bar.empty()
        st.session_state[key] = cached
    return cached[1]


def templates(frame: pd.DataFrame, stem: str, key: str, label: str = "Шаблон") -> None:
    left, right, _ = st.columns([1, 1, 3])
    widgets.download(
        f"{label} CSV",
        lambda: to_csv_bytes(frame),
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        place=left,
    )
    widgets.download(
        f"{label} XLSX",
        lambda: to_xlsx_bytes(frame),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
        place=right,
    )


def problem_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Строка": pd.array([problem.row for problem in problems], dtype="Int64"),
            "Столбец": [problem.column or "" for problem in problems],
            "Значение": [problem.value or "" for problem in problems],
            "Что не так": [problem.message for problem in problems],
        }
    )


def show_problems(problems: list[Problem], file_name: str, key: str, title: str) -> None:
    st.error(
        f"{title}: {fmt.number(len(problems))}. Исправьте файл и загрузите его снова; в базе ничего не изменилось.",
        icon=":material/error:",
    )
    table = problem_frame(problems)
    st.dataframe(table, hide_index=True, placeholder="—", width="stretch", height=widgets.table_height(len(table), 10))
    widgets.csv_download(table, f"problemy-{file_name}", key=f"{key}_problems_csv", label="Скачать список проблем")


def counts(plan: importers.Plan) -> None:
    row = st.columns(4)
    row[0].metric("Строк в файле", fmt.number(plan.rows_total))
    row[1].metric("Новых", fmt.number(len(plan.new)))
    row[2].metric("Изменённых", fmt.number(len(plan.updated)))
    row[3].metric("Без изменений", fmt.number(plan.unchanged))


def registry_mapping(header: list[str], current: dict[str, list[int]], key_prefix: str) -> tuple[dict, str | None]:
    """Which column holds which field (suggested from the headers or remembered from the last file
    with the same headers), and a category for every row when the file has no category column."""
    options = [NOT_IN_FILE, *range(len(header))]

    def label(index: int) -> str:
        return "— нет в файле —" if index == NOT_IN_FILE else (header[index] or f"столбец {index + 1}")

    mapping: dict[str, list[int]] = {}
    columns = st.columns(3)
    for position, (field, (name, _aliases)) in enumerate(importers.REGISTRY_FIELDS.items()):
        place = columns[position % 3]
        if field in importers.MULTI_COLUMN_FIELDS:
            chosen = place.multiselect(
                name,
                list(range(len(header))),
                default=current.get(field, []),
                format_func=label,
                key=f"{key_prefix}_{field}",
                placeholder="нет в файле",
                help="Можно выбрать несколько столбцов (улица, дом)",
                select_all=False,
            )
        else:
            found = current.get(field, [NOT_IN_FILE])[0]
            chosen = place.selectbox(
                name,
                options,
                index=options.index(found),
                format_func=label,
                key=f"{key_prefix}_{field}",
                placeholder="выберите из списка",
            )
            chosen = [] if chosen == NOT_IN_FILE else [chosen]
        if chosen:
            mapping[field] = list(chosen)
    default_category = None
    if "category" not in mapping:
        default_category = st.selectbox(
            "Категория для всех строк файла",
            list(CATEGORIES),
            format_func=fmt.label_of(CATEGORIES),
            index=None,
            placeholder="выберите категорию",
            key=f"{key_prefix}_default_category",
            help="В файле нет столбца категории (например, список детских садов с портала)",
        )
    return mapping, default_category


def registry_matches(plan) -> None:
    """How the registry rows met the store: matched to institutions already there (nothing is
    created twice) and short names two institutions of one district would share."""
    if plan.kind != "registry" or not plan.rows_total:
        return
    st.caption(
        f"Совпали с учреждениями, которые уже есть в реестре (по коду или по полному названию и району): "
        f"{fmt.number(plan.matched)}; новых учреждений: {fmt.number(len(plan.new))}. "
        "Повторная загрузка того же реестра ничего не удваивает."
    )
    if plan.twins:
        st.warning(
            "Одинаковые краткие названия в одном районе — в таблицах их строки не различить; поправьте "
            "краткое название ниже или потом в «Реестре учреждений»:\n\n"
            + "\n".join(f"- {fmt.markdown_text(text)}" for text in plan.twins),
            icon=":material/content_copy:",
        )


IMPORT_KINDS = {"subscribers": "цифры из файла", "collect": "сбор с площадок", "registry": "реестр"}


def history_frame(history: pd.DataFrame) -> pd.DataFrame:
    """The import history as the page shows it: number, when, who, what, the file, the counts and
    whether (and by whom) it was undone."""
    return pd.DataFrame(
        {
            "№": history["id"],
            "Когда": history["at"].map(fmt.local_datetime),
            "Кто": history["actor"],
            "Что": history["kind"].map(lambda kind: IMPORT_KINDS.get(kind, kind)),
            "Файл": history["file_name"],
            "Строк": history["rows_total"],
            "Новых": history["rows_added"],
            "Изменённых": history["rows_updated"],
            "Без изменений": history["rows_unchanged"],
            "Отменена": [
                f"{fmt.local_datetime(at)}, {by}" if by else ""
                for at, by in zip(history["undone_at"], history["undone_by"])
            ],
        }
    )


def undoable(history: pd.DataFrame) -> dict[int, str]:
    """Imports not undone yet that wrote something, id -> «№ 12 · 05.12.2026 14:03 · цифры из файла ·
    late.csv · изменённых 2, новых 1»."""
    rows = history[history["undone_at"].isna() & ((history["rows_added"] > 0) | (history["rows_updated"] > 0))]
    return {
        int(row.id): f"№ {row.id} · {fmt.local_datetime(row.at)} · {IMPORT_KINDS.get(row.kind, row.kind)} · "
        f"{row.file_name} · изменённых {fmt.number(row.rows_updated)}, новых {fmt.number(row.rows_added)}"
        for row in rows.itertuples()
    }


def changed_short_names(before: pd.DataFrame, after: pd.DataFrame) -> dict[int, str]:
    """The short names a person changed in the registry preview: file row -> new short name."""
    return {
        int(row): text
        for row, text, old in zip(after["Строка"], after["Краткое название"], before["Краткое название"])
        if text != old
    }
