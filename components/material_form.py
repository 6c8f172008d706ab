"""The form an editor fills in for a calendar material (new or existing), with a safe audience picker.

Not an st.form: the audience count and the «same material» warning must follow every change
before anything is saved. Pages are added one by one from a search that reads numbers as whole
numbers («сад 41» is not 410 or 141); a whole selection is added only through its own, counted
checkbox; the chosen pages can be removed but not typed into, so no fuzzy match can slip in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

import pandas as pd
import streamlit as st

from components import formatting as fmt
from components import tables
from data_access import search
from data_access.checks import capacity
from data_access.content_plan import NEXT_STATUSES, Material
from data_access.models import content_items
from data_access.vocabulary import CATEGORIES, CONTENT_FORMATS, CONTENT_STATUSES, plural

SEARCH_RESULTS = 8
NO_EDITOR = ""


@dataclass(frozen=True)
class Selection:
    """The sidebar's current selection, offered as one explicit audience choice."""

    label: str
    page_ids: tuple[int, ...]


def audience_of(material: Material, directory: pd.DataFrame) -> set[int]:
    """Every active page the material goes to: its categories' pages and the chosen ones."""
    in_categories = directory.loc[directory["category"].isin(material.categories), "page_id"]
    return {int(page) for page in in_categories} | {int(page) for page in material.page_ids}


def audience_text(count: int, categories: int, chosen: int) -> str:
    parts = []
    if categories:
        parts.append(f"из категорий — {fmt.number(categories)}")
    if chosen:
        parts.append(f"выбранных отдельно — {fmt.number(chosen)}")
    detail = f" ({', '.join(parts)})" if parts else ""
    pages = f"{fmt.number(count)} {plural(count, 'страницу', 'страницы', 'страниц')}"
    return (
        f"Материал пойдёт на {pages}{detail}."
        if count
        else "Аудитория не выбрана: материал ни на одну страницу не пойдёт."
    )


def _add(key: str, page_ids: list[int]) -> None:
    chosen = list(st.session_state.get(key, []))
    chosen += [page_id for page_id in page_ids if page_id not in chosen]
    st.session_state[key] = chosen


def material_form(
    key_prefix: str,
    initial: Material,
    directory: pd.DataFrame,
    editors: list[str],
    selection: Selection | None,
    same_materials: Callable[[Material], list[int]],
    actions: tuple[str, ...] = ("Сохранить",),
) -> tuple[str | None, Material]:
    """Draw the form; returns (the pressed action or None, the material as filled in)."""
    with st.container(border=True, key=f"{key_prefix}_form"):
        what = _what(key_prefix, initial)
        when = _when_and_who(key_prefix, initial, editors)
        categories, page_ids = _audience(key_prefix, initial, directory, selection)
        recognition = _recognition(key_prefix, initial)
        material = Material(**what, **when, categories=categories, page_ids=page_ids, **recognition)
        audience = audience_of(material, directory)
        in_categories = len(audience_of(Material(title="", categories=material.categories), directory))
        st.info(audience_text(len(audience), in_categories, len(audience) - in_categories), icon=":material/groups:")
        pressed = _actions(key_prefix, same_materials(material), actions)
    return pressed, material


def _what(key_prefix: str, initial: Material) -> dict:
    """Title, rubric, format and status (only the statuses the material may move to next)."""
    title = st.text_input(
        "Заголовок", value=initial.title, max_chars=capacity(content_items.c.title), key=f"{key_prefix}_title"
    )
    left, middle, right = st.columns(3)
    rubric = left.text_input(
        "Рубрика", value=initial.rubric, max_chars=capacity(content_items.c.rubric), key=f"{key_prefix}_rubric"
    )
    format_code = middle.selectbox(
        "Формат",
        list(CONTENT_FORMATS),
        index=list(CONTENT_FORMATS).index(initial.format),
        format_func=fmt.label_of(CONTENT_FORMATS),
        key=f"{key_prefix}_format",
        placeholder="выберите из списка",
    )
    allowed = ", ".join(CONTENT_STATUSES[s] for s in sorted(NEXT_STATUSES[initial.status]))
    status = right.selectbox(
        "Статус",
        list(CONTENT_STATUSES),
        index=list(CONTENT_STATUSES).index(initial.status),
        format_func=fmt.label_of(CONTENT_STATUSES),
        key=f"{key_prefix}_status",
        placeholder="выберите из списка",
        help=f"Путь: идея → в работе → на согласовании → готово → опубликовано. Сейчас можно: {allowed}. "
        "«Опубликовано» — когда время публикации наступило и хотя бы одна страница отмечена "
        "в «Где опубликовано».",
    )
    return {"title": title, "rubric": rubric, "format": format_code, "status": status}


def _when_and_who(key_prefix: str, initial: Material, editors: list[str]) -> dict:
    """Publication day and time (no day: an idea), the deadline, the responsible editor."""
    left, middle, right = st.columns(3)
    day = left.date_input(
        "Дата публикации",
        value=initial.publish_at.date() if initial.publish_at else None,
        format="DD.MM.YYYY",
        key=f"{key_prefix}_day",
        help="Пусто — идея без даты (в списке идей)",
    )
    moment = middle.time_input(
        "Время",
        value=initial.publish_at.time() if initial.publish_at else time(10, 0),
        step=900,
        key=f"{key_prefix}_time",
    )
    deadline = right.date_input(
        "Срок подготовки",
        value=initial.deadline,
        format="DD.MM.YYYY",
        key=f"{key_prefix}_deadline",
        help="Когда материал должен быть готов",
    )
    people = [NO_EDITOR, *editors]
    if initial.editor and initial.editor not in people:
        people.append(initial.editor)  # a name from before the user list (or a departed colleague)
    editor = st.selectbox(
        "Ответственный редактор",
        people,
        index=people.index(initial.editor or NO_EDITOR),
        format_func=lambda name: name or "не назначен",
        key=f"{key_prefix}_editor",
        placeholder="выберите из списка",
        help="Сотрудники с ролью редактора или администратора",
    )
    return {"publish_at": datetime.combine(day, moment) if day else None, "deadline": deadline, "editor": editor}


def _audience(
    key_prefix: str, initial: Material, directory: pd.DataFrame, selection: Selection | None
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Whole categories, the sidebar's selection (one counted checkbox) and pages chosen one by one."""
    # Chips and results are keyed by page id and every label is unique and names the network: what
    # the chips show is what the count says and what is saved.
    names = tables.page_labels(directory)
    st.markdown("**Аудитория**")
    categories = st.multiselect(
        "Категории целиком",
        list(CATEGORIES),
        default=list(initial.categories),
        format_func=fmt.label_of(CATEGORIES),
        key=f"{key_prefix}_categories",
        placeholder="не выбраны",
        select_all=False,
        help="Материал пойдёт на все страницы выбранных категорий, включая будущие",
    )
    whole_selection = False
    if selection is not None and selection.page_ids:
        whole_selection = st.checkbox(
            f"Все страницы текущего выбора: {selection.label} — {fmt.pages_count(len(selection.page_ids))}",
            key=f"{key_prefix}_whole_selection",
            help="Выбор — фильтры в боковой панели. Страницы добавятся поимённо (те, что есть сейчас)",
        )
    chosen_key = f"{key_prefix}_pages"
    st.session_state.setdefault(chosen_key, [page for page in initial.page_ids if page in names])
    _page_search(key_prefix, chosen_key, directory, names)
    chosen = st.multiselect(
        "Выбранные страницы",
        list(st.session_state[chosen_key]),
        key=chosen_key,
        format_func=fmt.label_of(names),
        filter_mode=None,
        select_all=False,
        placeholder="не выбраны — найдите страницу выше",
        help="Чтобы убрать страницу, нажмите крестик у её названия",
    )
    page_ids = list(chosen)
    if whole_selection and selection is not None:
        page_ids += [page for page in selection.page_ids if page not in page_ids]
    return tuple(categories), tuple(int(page) for page in page_ids)


def _page_search(key_prefix: str, chosen_key: str, directory: pd.DataFrame, names: dict[int, str]) -> None:
    """«Добавить страницу»: a search whose results are buttons adding a page (or all its
    institution's channels) to the chosen ones."""
    query = st.text_input(
        "Добавить страницу",
        key=f"{key_prefix}_page_search",
        type="search",
        live=True,
        placeholder="номер, название или ссылка: сад 41, гимназия 1, vk.com/…",
        help="Номера ищутся целиком: «41» не найдёт 410 или 141",
    )
    if not query:
        return
    channels = directory.groupby("institution_id")["page_id"].agg(lambda ids: sorted(int(i) for i in ids))
    found = search.search(directory, query, limit=SEARCH_RESULTS)
    found = found[~found["page_id"].isin(st.session_state[chosen_key])]
    if found.empty:
        st.caption("Ничего не найдено (или найденное уже выбрано).")
    for page_id, institution_id in zip(found["page_id"].astype(int), found["institution_id"]):
        st.button(
            fmt.markdown_text(names[page_id]),
            key=f"{key_prefix}_add_{page_id}",
            type="tertiary",
            icon=":material/add:",
            on_click=_add,
            args=(chosen_key, [page_id]),
        )
        siblings = channels.get(institution_id, [])
        if len(siblings) > 1 and not set(siblings) <= {page_id, *st.session_state[chosen_key]}:
            st.button(
                f"все каналы учреждения ({len(siblings)})",
                key=f"{key_prefix}_add_all_{page_id}",
                type="tertiary",
                icon=":material/library_add:",
                on_click=_add,
                args=(chosen_key, siblings),
                help="Добавить все страницы этого учреждения: ВКонтакте, MAX и другие",
            )


def _recognition(key_prefix: str, initial: Material) -> dict:
    """How the collector recognises the material on the pages (post, article, hashtag, text), and notes."""
    st.markdown("**Как материал узнать на страницах**")
    st.caption(
        "По этим полям сбор данных находит публикации материала на страницах ВКонтакте: репост поста "
        "редакции, ссылка на статью, хештег, а если их нет — похожий текст."
    )
    source = st.columns(3)
    source_post = source[0].text_input(
        "Пост редакции",
        value=initial.source_post,
        key=f"{key_prefix}_source_post",
        placeholder="https://vk.com/wall-123456_789",
    )
    source_url = source[1].text_input(
        "Адрес статьи", value=initial.source_url, key=f"{key_prefix}_source_url", placeholder="https://…"
    )
    hashtag = source[2].text_input(
        "Хештег", value=initial.hashtag, key=f"{key_prefix}_hashtag", placeholder="#НовостиНСК"
    )
    body = st.text_area(
        "Текст материала",
        value=initial.body,
        key=f"{key_prefix}_body",
        height=100,
        placeholder="текст, который публикуют страницы (для поиска похожих публикаций)",
    )
    notes = st.text_area("Заметки", value=initial.notes, key=f"{key_prefix}_notes", height=80)
    return {"source_post": source_post, "source_url": source_url, "hashtag": hashtag, "body": body, "notes": notes}


def _actions(key_prefix: str, twins: list[int], actions: tuple[str, ...]) -> str | None:
    """A warning when the same material exists (saving it then needs a tick), and the buttons;
    returns the one pressed."""
    confirmed = True
    if twins:
        numbers = ", ".join(f"№ {number}" for number in twins)
        st.warning(
            f"Такой материал уже есть: {numbers} — тот же заголовок и то же время публикации.",
            icon=":material/content_copy:",
        )
        confirmed = st.checkbox("Это другой материал — всё равно сохранить", key=f"{key_prefix}_confirm_twin")
    pressed = None
    for column, action in zip(st.columns(len(actions)), actions):
        if column.button(
            action,
            type="primary" if action == actions[0] else "secondary",
            width="stretch",
            key=f"{key_prefix}_action_{action}",
            disabled=action == actions[0] and not confirmed,
        ):
            pressed = action
    return pressed
