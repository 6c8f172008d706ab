"""The form an editor fills in for a calendar material (new or existing)."""

from __future__ import annotations

from datetime import datetime, time

import streamlit as st

from data_access.calendar import NEXT_STATUSES, Material
from data_access.checks import capacity
from data_access.models import content_items
from data_access.vocabulary import CATEGORIES, CONTENT_FORMATS, CONTENT_STATUSES


def material_form(key_prefix: str, initial: Material, page_names: dict[int, str],
                  actions: tuple[str, ...] = ("Сохранить",)) -> tuple[str | None, Material]:
    """Draw the form; returns (the pressed action or None, the material as filled in)."""
    with st.form(f"{key_prefix}_form", border=True):
        title = st.text_input("Заголовок", value=initial.title, max_chars=capacity(content_items.c.title),
                              key=f"{key_prefix}_title")
        left, middle, right = st.columns(3)
        rubric = left.text_input("Рубрика", value=initial.rubric, max_chars=capacity(content_items.c.rubric),
                                 key=f"{key_prefix}_rubric")
        fmt = middle.selectbox("Формат", list(CONTENT_FORMATS), index=list(CONTENT_FORMATS).index(initial.format),
                               format_func=CONTENT_FORMATS.get, key=f"{key_prefix}_format")
        allowed = ", ".join(CONTENT_STATUSES[s] for s in sorted(NEXT_STATUSES[initial.status]))
        status = right.selectbox(
            "Статус", list(CONTENT_STATUSES), index=list(CONTENT_STATUSES).index(initial.status),
            format_func=CONTENT_STATUSES.get, key=f"{key_prefix}_status",
            help=f"Путь: идея → в работе → на согласовании → готово → опубликовано. Сейчас можно: {allowed}",
        )
        left, middle, right = st.columns(3)
        day = left.date_input("Дата публикации", value=initial.publish_at.date() if initial.publish_at else None,
                              format="DD.MM.YYYY", key=f"{key_prefix}_day",
                              help="Пусто — идея без даты (в списке идей)")
        moment = middle.time_input("Время", value=initial.publish_at.time() if initial.publish_at else time(10, 0),
                                   step=900, key=f"{key_prefix}_time")
        deadline = right.date_input("Срок подготовки", value=initial.deadline, format="DD.MM.YYYY",
                                    key=f"{key_prefix}_deadline", help="Когда материал должен быть готов")
        left, right = st.columns(2)
        editor = left.text_input("Ответственный редактор", value=initial.editor,
                                 max_chars=capacity(content_items.c.editor), key=f"{key_prefix}_editor")
        categories = right.multiselect("Для категорий (целиком)", list(CATEGORIES), default=list(initial.categories),
                                       format_func=CATEGORIES.get, key=f"{key_prefix}_categories")
        chosen_pages = st.multiselect(
            "Для отдельных страниц", list(page_names), default=[page for page in initial.page_ids if page in page_names],
            format_func=page_names.get, key=f"{key_prefix}_pages", placeholder="начните вводить название")
        notes = st.text_area("Заметки", value=initial.notes, key=f"{key_prefix}_notes", height=80)
        pressed = None
        buttons = st.columns(len(actions))
        for column, action in zip(buttons, actions):
            if column.form_submit_button(action, type="primary" if action == actions[0] else "secondary",
                                         width="stretch"):
                pressed = action
    material = Material(
        title=title, rubric=rubric, format=fmt, status=status,
        publish_at=datetime.combine(day, moment) if day else None, deadline=deadline, editor=editor,
        notes=notes, categories=tuple(categories), page_ids=tuple(int(page) for page in chosen_pages),
    )
    return pressed, material
