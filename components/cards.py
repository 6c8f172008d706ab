"""The institution card: figures, checklist completeness, QR code, upcoming materials."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import formatting as fmt
from components import qr
from components.tables import forecast_text
from data_access import measurements
from data_access.measurements import ENGAGEMENT_DEFINITION
from data_access.vocabulary import (
    CONTENT_FORMATS,
    CONTENT_STATUSES,
    FLAGSHIP_TARGET,
    REGULAR_TARGET,
    category_label,
    page_name,
    platform_label,
    plural,
    status_label,
)


def _measured(page: pd.Series) -> None:
    """Posting cadence and engagement as VK reported them, when the page was measured."""
    if pd.isna(page.get("posts_7d")):
        return

    def value(column: str) -> float | None:
        return None if pd.isna(page[column]) else float(page[column])

    figures = st.columns(4)
    figures[0].metric("Публикаций за 7 дней", fmt.number(int(page["posts_7d"])))
    figures[1].metric("Просмотров на публикацию", fmt.number(value("views_per_post")))
    figures[2].metric(
        "Реакции на публикацию",
        " · ".join(
            fmt.number(value(column), 1) for column in ("likes_per_post", "comments_per_post", "reposts_per_post")
        ),
        help="Лайки · комментарии · репосты — в среднем на одну прочитанную публикацию",
    )
    figures[3].metric("Вовлечённость (ER)", fmt.percent(value("engagement_rate")))
    st.caption(
        f"Измерено по ВКонтакте {fmt.day(pd.Timestamp(page['posts_day']).date())}, прочитано публикаций: "
        f"{fmt.number(int(page['posts_read']))}. {ENGAGEMENT_DEFINITION}."
    )


def audience_text(channels: pd.DataFrame) -> str:
    """An institution's audience per network and in total: «ВКонтакте 512 · MAX 40 · всего 552»;
    a page with no figure yet says so and is left out of the total."""
    parts = [
        f"{platform_label(platform)} {'нет данных' if pd.isna(count) else fmt.number(int(count))}"
        for platform, count in zip(channels["platform"], channels["subscribers"])
    ]
    total = int(channels["subscribers"].fillna(0).sum())
    return " · ".join(parts) + (f" · всего {fmt.number(total)}" if len(channels) > 1 else "")


def institution_card(
    page: pd.Series,
    checklist: pd.DataFrame,
    upcoming: pd.DataFrame,
    key_prefix: str,
    channels: pd.DataFrame | None = None,
) -> None:
    """Everything about one page at a glance; `page` is a row of the per-page figures, `channels`
    every page of its institution (reads.figures.institution_channels)."""
    with st.container(border=True, key=f"{key_prefix}_box"):
        _heading(page, channels)
        _figures(page)
        _measured(page)
        left, right = st.columns([3, 2])
        with left:
            _checklist(page, checklist)
            _upcoming(upcoming, key_prefix)
        with right:
            st.image(
                qr.qr_png(page["url"], box_size=6),
                caption=fmt.markdown_text(page["url"]),
                width=220,
                output_format="PNG",
            )
            st.link_button("Открыть страницу", page["url"], icon=":material/open_in_new:")


def _heading(page: pd.Series, channels: pd.DataFrame | None) -> None:
    """The page with its network, its institution's audience per network, the full name, where it is."""
    st.subheader(fmt.markdown_text(page_name(page["short_name"], page["platform"])))
    if channels is not None and len(channels) > 1:
        st.markdown("**Аудитория учреждения по соцсетям:** " + fmt.markdown_text(audience_text(channels)))
    if isinstance(page.get("name"), str) and page["name"] != page["short_name"]:
        st.caption(fmt.markdown_text(f"Полное название: {page['name']}"))
    placed = "" if not (pd.isna(page["lat"]) or pd.isna(page["lon"])) else " · нет координат"
    st.caption(
        fmt.markdown_text(
            f"{category_label(page['category'])} · {page['district']} · {platform_label(page['platform'])}{placed}"
            f" · последняя цифра: {fmt.day(page['latest_day'].date() if not pd.isna(page['latest_day']) else None)}"
        )
    )


def _figures(page: pd.Series) -> None:
    """Subscribers with their 30-day change, the target, the status, the forecast, the progress."""
    figures = st.columns(4)
    figures[0].metric(
        "Подписчики",
        fmt.number(page["subscribers"]),
        delta=None
        if pd.isna(page["growth_30"])
        # Streamlit reads the arrow from an ASCII «-»: a typographic minus would point up.
        else f"{fmt.signed(page['growth_30']).replace('−', '-', 1)} за {_span(page, 30)}",
    )
    figures[1].metric(
        "Цель",
        fmt.number(page["target"]),
        help=f"{fmt.number(FLAGSHIP_TARGET)} у флагманских страниц, {fmt.number(REGULAR_TARGET)} у остальных, "
        "если у страницы не задана своя",
    )
    figures[2].metric("Статус", status_label(page["status"]))
    figures[3].metric("Прогноз", forecast_text(page["status"], page["forecast"]))
    st.progress(float(min(page["progress"], 1.0)), text=f"Прогресс к цели: {fmt.percent(page['progress'], 0)}")


def _checklist(page: pd.Series, checklist: pd.DataFrame) -> None:
    """Required items done, of the page and of its institution; what is missing; what the collector
    measured for the items it settles."""
    measured = measurements.measured_texts(page)
    required = checklist[checklist["is_required"] & (checklist["state"] != "n_a")]
    of_page = required[required["scope"] == "page"]
    of_institution = required[required["scope"] == "institution"]
    st.markdown(
        f"**Чек-лист страницы:** выполнено {int((of_page['state'] == 'done').sum())} из {len(of_page)} "
        "обязательных пунктов"
    )
    if len(of_institution):
        st.markdown(
            f"**Пункты учреждения** (для всех его страниц): выполнено "
            f"{int((of_institution['state'] == 'done').sum())} из {len(of_institution)}"
        )
    missing = required[required["state"] != "done"]["title"].tolist()
    if missing:
        st.markdown("Не выполнено:\n" + "\n".join(f"- {fmt.markdown_text(title)}" for title in missing))
    settled = checklist[checklist["code"].isin(list(measured))]
    if not settled.empty:
        st.caption(
            " · ".join(
                fmt.markdown_text(f"«{title}» — {measured[code][:1].lower()}{measured[code][1:]}")
                for code, title in zip(settled["code"], settled["title"])
            )
        )


def _upcoming(upcoming: pd.DataFrame, key_prefix: str) -> None:
    """The newsroom's materials for the page in the next two weeks."""
    st.markdown("**Ближайшие материалы редакции**")
    if upcoming.empty:
        st.caption("На ближайшие две недели ничего не запланировано.")
        return
    st.dataframe(upcoming_frame(upcoming), hide_index=True, width="stretch", key=f"{key_prefix}_upcoming")


def upcoming_frame(upcoming: pd.DataFrame) -> pd.DataFrame:
    """Upcoming materials (when, title, format, status) as the card lists them."""
    return pd.DataFrame(
        {
            "Когда": upcoming["publish_at"].map(lambda moment: moment.strftime("%d.%m %H:%M")),
            "Материал": upcoming["title"],
            "Формат": upcoming["format"].map(lambda code: CONTENT_FORMATS.get(code, code)),
            "Статус": upcoming["status"].map(lambda code: CONTENT_STATUSES.get(code, code)),
        }
    )


def _span(page: pd.Series, days: int) -> str:
    """«30 дней», or the days the growth really spans after a gap in the page's figures."""
    span = page.get(f"growth_{days}_days")
    span = days if span is None or pd.isna(span) else int(span)
    return f"{span} {plural(span, 'день', 'дня', 'дней')}"
