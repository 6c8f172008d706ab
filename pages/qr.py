"""«QR-коды»: find any institution's page in one search and print or send its QR code."""

import re

import streamlit as st

from components import filters, page, pdf, qr, qr_card, reads, widgets
from components import formatting as fmt
from data_access import search
from data_access.filters import ALL_PAGES
from data_access.vocabulary import PLATFORMS

page.start()
selection = filters.selected_filter()
pages = reads.figures.page_directory(selection)

st.title("QR-коды госпабликов")
st.caption(
    f"{filters.describe(selection)} · найдите учреждение, чтобы показать, скачать или отправить QR-код его страницы"
)


def _choose(page_id: int) -> None:
    st.query_params["page"] = str(page_id)


query = st.text_input(
    "Поиск",
    key="qr_search",
    type="search",
    live=True,
    placeholder="например: 105, сад 105, гимназия 1, «Улыбка»",
    help="Номер, тип и часть названия в любом порядке; регистр, «№», ё/е не важны",
)
if query:
    found = search.search(pages, query)
    if found.empty:
        st.info("Ничего не найдено. Проверьте номер или попробуйте часть названия; фильтры слева тоже сужают поиск.")
    else:
        st.caption(
            f"Найдено: {fmt.number(len(found))}"
            + (f" (показаны первые {search.SHOWN_AT_MOST})" if len(found) >= search.SHOWN_AT_MOST else "")
        )
        for row in found.to_dict("records"):
            st.button(
                fmt.markdown_text(f"{row['short_name']} · {row['district']} · {PLATFORMS[row['platform']]}"),
                key=f"qr_pick_{row['page_id']}",
                on_click=_choose,
                args=(row["page_id"],),
                type="tertiary",
                icon=":material/qr_code_2:",
            )

requested = st.query_params.get("page")
chosen = None
everything = None
if requested:
    # Only plain ASCII digits are a page number («²» or «١» pass str.isdigit but are not).
    number = int(requested) if re.fullmatch(r"[0-9]{1,9}", requested) else None
    everything = reads.figures.page_directory(ALL_PAGES)
    matches = everything[everything["page_id"] == number] if number is not None else everything.iloc[0:0]
    if matches.empty:
        st.warning("Страница из ссылки не найдена — возможно, ссылка неполная или страницу вывели из реестра.")
    else:
        chosen = matches.iloc[0]

if chosen is not None:
    qr_card.card(chosen, everything[everything["institution_id"] == chosen["institution_id"]].sort_values("page_id"))

st.divider()
st.subheader("Для всей выборки")
count = len(pages)
st.caption(
    f"Учреждений в выборке: {fmt.number(pages['institution_id'].nunique())}, страниц: {fmt.number(count)} "
    "(выборку задают фильтры слева, например все детские сады одного района)."
)
left, right = st.columns(2)
signature = (selection, count)


def _entries() -> list[dict]:
    return [qr_card.poster_entry(row) for row in pages.sort_values("short_name").to_dict("records")]


with left:
    if st.button("Собрать ZIP с PNG-кодами", key="qr_batch_zip", disabled=not count, icon=":material/folder_zip:"):
        entries = _entries()
        bar = st.progress(0.0, text="Готовим коды…")
        archive = qr.qr_zip(entries, lambda done, total: bar.progress(done / total, text=f"Коды: {done} из {total}"))
        st.session_state["qr_zip"] = (signature, archive)
        bar.empty()
    ready = st.session_state.get("qr_zip")
    if ready and ready[0] == signature:
        widgets.download(
            "Скачать ZIP", ready[1], "qr-kody.zip", "application/zip", key="qr_zip_download", icon=":material/download:"
        )
with right:
    if st.button("Собрать PDF с плакатами", key="qr_batch_pdf", disabled=not count, icon=":material/picture_as_pdf:"):
        entries = _entries()
        bar = st.progress(0.0, text="Готовим плакаты…")
        posters = pdf.posters_pdf(
            entries, lambda done, total: bar.progress(done / total, text=f"Плакаты: {done} из {total}")
        )
        st.session_state["qr_posters"] = (signature, posters)
        bar.empty()
    ready = st.session_state.get("qr_posters")
    if ready and ready[0] == signature:
        widgets.download(
            "Скачать PDF с плакатами",
            ready[1],
            "plakaty-qr.pdf",
            "application/pdf",
            key="qr_pdf_download",
            icon=":material/download:",
        )
