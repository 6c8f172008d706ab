"""«Начало работы» on «Сводка»: the first day's steps for an administrator, each with its link."""

from __future__ import annotations

import streamlit as st

from components import formatting as fmt
from data_access.first_steps import Step

# Where each step is done.
LINKS = {
    "accounts": ("pages/users.py", "Пользователи"),
    "registry": ("pages/imports.py", "Загрузка данных"),
    "pages": ("pages/registry.py", "Реестр учреждений"),
    "figures": ("pages/imports.py", "Загрузка данных"),
    "collect": ("pages/collection.py", "Сбор данных"),
    "report": ("pages/report.py", "Отчёт для комиссии"),
}


def checklist(steps: tuple[Step, ...]) -> None:
    """The steps as a list with ticks, counts and links; nothing once every step is done."""
    if not steps or all(step.done for step in steps):
        return
    done = sum(step.done for step in steps)
    with st.container(border=True, key="first_steps"):
        st.subheader("Начало работы")
        st.caption(
            f"Сделано {done} из {len(steps)}. Список исчезнет, когда все шаги будут выполнены; "
            "подробно — в описании дашборда, раздел «Первый день»."
        )
        for number, step in enumerate(steps, start=1):
            mark = ":material/check_circle:" if step.done else ":material/radio_button_unchecked:"
            page, label = LINKS[step.key]
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(
                f"{mark} **{number}. {step.title}** — {fmt.markdown_text(step.count)}"
                + ("" if step.done else f"  \n{fmt.markdown_text(step.todo)}")
            )
            right.page_link(page, label=label, icon=":material/arrow_forward:")
