"""The institution card: figures, checklist completeness, QR code, upcoming materials."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import formatting as fmt
from components import qr
from components.tables import forecast_text
from data_access.vocabulary import (
    CONTENT_FORMATS,
    CONTENT_STATUSES,
    category_label,
    platform_label,
    status_label,
)


def institution_card(page: pd.Series, checklist: pd.DataFrame, upcoming: pd.DataFrame, key_prefix: str) -> None:
    """Everything about one page at a glance; `page` is a row of the per-page figures."""
    with st.container(border=True, key=f"{key_prefix}_box"):
        st.subheader(fmt.markdown_text(page["short_name"]))
        placed = "" if not (pd.isna(page["lat"]) or pd.isna(page["lon"])) else " · нет координат"
        st.caption(fmt.markdown_text(
            f"{category_label(page['category'])} · {page['district']} · {platform_label(page['platform'])}{placed}"
            f" · последняя цифра: {fmt.day(page['latest_day'].date() if not pd.isna(page['latest_day']) else None)}"))
        figures = st.columns(4)
        figures[0].metric("Подписчики", fmt.number(page["subscribers"]),
                          delta=None if pd.isna(page["growth_30"]) else f"{fmt.signed(page['growth_30'])} за 30 дней")
        figures[1].metric("Цель", fmt.number(page["target"]), help="1000 у флагманских страниц, 500 у остальных")
        figures[2].metric("Статус", status_label(page["status"]))
        figures[3].metric("Прогноз", forecast_text(page["status"], page["forecast"]))
        st.progress(float(min(page["progress"], 1.0)), text=f"Прогресс к цели: {fmt.percent(page['progress'], 0)}")

        left, right = st.columns([3, 2])
        with left:
            required = checklist[checklist["is_required"] & (checklist["state"] != "n_a")]
            done = int((required["state"] == "done").sum())
            st.markdown(f"**Чек-лист:** выполнено {done} из {len(required)} обязательных пунктов")
            missing = required[required["state"] != "done"]["title"].tolist()
            if missing:
                st.markdown("Не выполнено:\n" + "\n".join(f"- {fmt.markdown_text(title)}" for title in missing))
            st.markdown("**Ближайшие материалы редакции**")
            if upcoming.empty:
                st.caption("На ближайшие две недели ничего не запланировано.")
            else:
                st.dataframe(pd.DataFrame({
                    "Когда": upcoming["publish_at"].map(lambda moment: moment.strftime("%d.%m %H:%M")),
                    "Материал": upcoming["title"],
                    "Формат": upcoming["format"].map(lambda code: CONTENT_FORMATS.get(code, code)),
                    "Статус": upcoming["status"].map(lambda code: CONTENT_STATUSES.get(code, code)),
                }), hide_index=True, width="stretch", key=f"{key_prefix}_upcoming")
        with right:
            st.image(qr.qr_png(page["url"], box_size=6), caption=fmt.markdown_text(page["url"]), width=220,
                     output_format="PNG")
            st.link_button("Открыть страницу", page["url"], icon=":material/open_in_new:")
