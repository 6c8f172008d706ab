"""The QR card of one institution on «QR-коды»: a code per page of the institution (one per
network), each with its print PNG, SVG and A4 poster, and the link that opens this card."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from components import formatting as fmt
from components import pdf, qr, widgets
from data_access.vocabulary import PLATFORMS, category_label, page_name

# How the poster names the network: «откроется наша страница во ВКонтакте».
PLATFORM_PHRASE = {"vk": "во ВКонтакте", "ok": "в Одноклассниках", "telegram": "в Telegram", "max": "в MAX"}


def poster_entry(row) -> dict:
    """What pdf.posters_pdf and qr.qr_zip need of a page."""
    return {
        "name": row["short_name"],
        "url": row["url"],
        "platform": PLATFORM_PHRASE.get(row["platform"], ""),
        "platform_short": PLATFORMS.get(row["platform"], ""),
    }


def card(chosen: pd.Series, siblings: pd.DataFrame) -> None:
    """`chosen` page's institution with the codes of all its pages (`siblings`, the chosen one among them)."""
    with st.container(border=True, key="qr_card"):
        st.subheader(fmt.markdown_text(chosen["short_name"]))
        st.caption(fmt.markdown_text(f"{category_label(chosen['category'])} · {chosen['district']}"))
        for row in siblings.to_dict("records"):
            image, details = st.columns([1, 2])
            image.image(
                qr.qr_png(row["url"], box_size=8),
                output_format="PNG",
                width=260,
                caption=fmt.markdown_text(f"{page_name(row['short_name'], row['platform'])} · {row['url']}"),
            )
            with details:
                st.markdown(f"**{PLATFORMS[row['platform']]}**  \n{fmt.markdown_text(row['url'])}")
                stem = qr.file_name(row["short_name"], f" ({PLATFORMS[row['platform']]})")
                widgets.download(
                    "PNG для печати (300 dpi)",
                    functools.partial(qr.qr_png_for_print, row["url"]),
                    f"{stem}.png",
                    "image/png",
                    key=f"qr_png_{row['page_id']}",
                    icon=":material/image:",
                )
                widgets.download(
                    "SVG (для дизайнера)",
                    functools.partial(qr.qr_svg, row["url"]),
                    f"{stem}.svg",
                    "image/svg+xml",
                    key=f"qr_svg_{row['page_id']}",
                    icon=":material/polyline:",
                )
                widgets.download(
                    "Плакат A4 (PDF)",
                    functools.partial(_poster, row),
                    f"{stem} — плакат.pdf",
                    "application/pdf",
                    key=f"qr_poster_{row['page_id']}",
                    icon=":material/picture_as_pdf:",
                )
        # The address the browser shows (None outside a browser session, e.g. in tests).
        link = f"{(st.context.url or '/qr').split('?')[0]}?page={int(chosen['page_id'])}"
        st.markdown("**Ссылка на эту карточку** — её можно отправить учреждению:")
        st.code(link, language=None)


def _poster(row) -> bytes:
    """The A4 poster of one page's QR code."""
    return pdf.posters_pdf([poster_entry(row)])
