"""Russian for the few texts Streamlit's own widgets only know in English.

Streamlit 1.67 has no locale setting. Where a widget takes our text (placeholders, labels,
`select_all=False` instead of «Select all»), the pages pass it; what remains hard-coded in the
browser bundle — the file uploader's «Upload» and «… per file» line, the size of a chosen file
in English units, the «Skip to main content» link of keyboard users — is relabelled here with a
static style sheet: the English text is shrunk to nothing and the Russian one drawn in its place.
No data ever goes into it.

Streamlit's own dialogs over the whole app — «Connection error» when the server stops answering
(a restart, a lost network), «Page not found» for the very first visitor after a start — are
relabelled the same way: a small st.components.v2 component of this project watches the page in
the browser and gives such a dialog Russian texts, which the style sheet draws in place of the
English ones. It is static code; nothing from the store or the visitor goes into it.
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
[data-ru] {{ font-size: 0 !important; }}
h2[data-ru]::after {{ content: attr(data-ru); font-size: 1.5rem; }}
div[data-ru]::after {{ content: attr(data-ru); font-size: 1rem; }}
.st-key-russian_dialogs {{ display: none; }}
</style>"""


# Streamlit's app-level dialog titles (1.67) and the Russian title and text shown instead; the
# English detail under a title (a status code, a path) is replaced as a whole.
DIALOGS = {
    "Connection error": ("Нет связи с сервером",
                         "Дашборд сейчас не отвечает: его перезапускают или пропала связь. Страница подключится "
                         "сама, как только сервер ответит; если это длится дольше нескольких минут — сообщите "
                         "администратору дашборда."),
    "Page not found": ("Страница не найдена",
                       "По этому адресу страницы нет — открыта главная страница дашборда."),
    "Bad message format": ("Ошибка связи с сервером",
                           "Обновите страницу браузера; если ошибка повторится — сообщите администратору дашборда."),
}
DIALOG_JS = """
export default function ({ data: texts }) {
  if (window.gospublikiDialogs) { window.gospublikiDialogs.texts = texts; return; }
  window.gospublikiDialogs = { texts };
  const relabel = () => {
    for (const dialog of document.querySelectorAll('section[role="dialog"]')) {
      const title = dialog.querySelector("h2");
      if (!title || title.dataset.ru) continue;
      const russian = window.gospublikiDialogs.texts[title.textContent.trim()];
      if (!russian) continue;
      title.dataset.ru = russian[0];
      const body = title.nextElementSibling;
      if (body) body.dataset.ru = russian[1];
    }
  };
  new MutationObserver(relabel).observe(document.body, { childList: true, subtree: true });
  relabel();
}
"""
_dialogs = st.components.v2.component("gospubliki.russian_dialogs", html="<span></span>", js=DIALOG_JS)


def apply() -> None:
    """Put the style sheet on the page (a style-only st.html takes no space), and the dialog
    relabeller in the sidebar (hidden by the style sheet; it only runs its script)."""
    st.html(style_sheet(int(st.get_option("server.maxUploadSize"))))
    with st.sidebar:
        _dialogs(key="russian_dialogs", data=DIALOGS)
