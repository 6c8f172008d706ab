"""«Скопировать ссылку»: the address of the current view (filters and view state are in the URL).

A small st.components.v2 component: trusted static HTML and JavaScript of this project, no data
from the store or the visitor goes into it. The page's own address is read in the browser, so
the link is exactly what the visitor sees, behind whatever proxy the app runs.
"""

from __future__ import annotations

import streamlit as st

HTML = """<button type="button" class="share">Скопировать ссылку</button><div class="note" role="status"></div>"""
CSS = """
.share { width: 100%; min-height: 2.5rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem; cursor: pointer;
         border: 1px solid rgba(49, 51, 63, 0.2); background: #ffffff; color: #1b2430; font: inherit; font-size: 0.875rem; }
.share:hover { border-color: #1f5fbf; color: #1f5fbf; }
.note { min-height: 1.2rem; padding-top: 0.25rem; font-size: 0.875rem; color: rgba(27, 36, 48, 0.7); }
"""
JS = """
export default function (component) {
  const root = component.parentElement;
  const button = root.querySelector(".share");
  const note = root.querySelector(".note");
  button.onclick = async () => {
    const link = window.location.href;
    try {
      await navigator.clipboard.writeText(link);
      note.textContent = "Ссылка скопирована: откроет этот же вид";
    } catch (error) {
      const field = document.createElement("textarea");
      field.value = link;
      document.body.appendChild(field);
      field.select();
      const copied = document.execCommand("copy");
      field.remove();
      note.textContent = copied ? "Ссылка скопирована: откроет этот же вид"
                                : "Скопируйте адрес из адресной строки браузера";
    }
  };
}
"""

_copy_link = st.components.v2.component("gospubliki.copy_link", html=HTML, css=CSS, js=JS)


def copy_link_button(key: str) -> None:
    """The button; the link it copies carries the sidebar filters and the page's view state."""
    _copy_link(key=key)
