"""Russian for the few texts Streamlit's own widgets only know in English.

Streamlit 1.67 has no locale setting. Where a widget takes our text (placeholders, labels,
`select_all=False` instead of «Select all»), the pages pass it; what remains hard-coded in the
browser bundle — the file uploader's «Upload» and «… per file» line, the size of a chosen file
in English units, the «Skip to main content» link of keyboard users — is relabelled here with a
static style sheet: the English text is shrunk to nothing and the Russian one drawn in its place.
No data ever goes into it.
"""

from __future__ import annotations

import streamlit as st


def style_sheet(max_upload_mb: int) -> str:
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "Выбрать файл"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] * {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"]::after {{
  content: "или перетащите его сюда · до {max_upload_mb} МБ"; font-size: 0.875rem; opacity: 0.75; }}
[data-testid="stFileChipName"] + div {{ display: none; }}
[data-testid="stSkipToContent"] {{ font-size: 0 !important; }}
[data-testid="stSkipToContent"]::after {{ content: "Перейти к содержимому"; font-size: 1rem !important; }}
</style>"""


def apply() -> None:
    """Put the style sheet on the page (a style-only st.html takes no space)."""
    st.html(style_sheet(int(st.get_option("server.maxUploadSize"))))
