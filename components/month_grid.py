"""The month grid of «Контент-план» as one element: seven columns of days with their materials.

Drawn with Streamlit's own widgets it was 170–190 elements (columns, day numbers, a button per
material): most of a rerun of the page, and twice the time of any other page under load. Here it
is one st.components.v2 component: trusted static HTML, CSS and JavaScript of this project;
the data (content.month_grid) arrives as JSON and every title, name and mark is set as text
(textContent), never as markup. A click on a material, or Enter on it, reports its id.

On a narrow screen (a phone, or a narrow window) the days stack into a list with their full
names («Пт, 4 декабря») and the neighbouring months' empty days are left out.
"""

from __future__ import annotations

import streamlit as st

HTML = """<div class="month"><div class="head" aria-hidden="true"></div><div class="days" role="list"></div></div>"""
CSS = """
.month { container-type: inline-size; color: #1b2430; }
.head, .days { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 0.5rem; }
.head div { font-weight: 600; padding: 0 0.25rem 0.35rem; }
.day { border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 0.5rem 0.4rem; min-height: 6.5rem;
       min-width: 0; }
.number { font-weight: 600; margin: 0 0.2rem 0.3rem; }
.outside .number { color: rgba(27, 36, 48, 0.45); font-weight: 400; }
.today .number span { background: rgba(28, 131, 225, 0.15); color: #0b57a4; border-radius: 0.25rem; padding: 0 0.3rem; }
.full { display: none; }
.mark { color: #c62828; font-size: 0.8rem; line-height: 1.3; margin: 0 0.2rem 0.3rem; overflow-wrap: anywhere; }
.item { display: flex; gap: 0.35rem; align-items: baseline; width: 100%; margin: 0 0 0.15rem; padding: 0.2rem;
        border: 0; border-radius: 0.3rem; background: none; color: inherit; font: inherit; font-size: 0.875rem;
        line-height: 1.3; text-align: left; cursor: pointer; overflow-wrap: anywhere; }
.item:hover { background: rgba(31, 95, 191, 0.08); color: #1f5fbf; }
.item:focus-visible { outline: 2px solid #1f5fbf; outline-offset: 1px; }
.dot { flex: none; width: 0.55rem; height: 0.55rem; border-radius: 50%; }
.gray { background: #808495; } .blue { background: #1c83e1; } .violet { background: #803df5; }
.orange { background: #ff8700; } .green { background: #21a354; } .red { background: #e53935; }
@container (max-width: 640px) {
  .head { display: none; }
  .days { grid-template-columns: 1fr; }
  .day { min-height: 0; }
  .number span.short { display: none; }
  .number span.full { display: inline; }
  .outside.free { display: none; }
}
"""
JS = """
const COLORS = new Set(["gray", "blue", "violet", "orange", "green", "red"]);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

export default function ({ parentElement, data, setTriggerValue }) {
  const head = parentElement.querySelector(".head");
  const days = parentElement.querySelector(".days");
  head.replaceChildren(...(data.weekdays || []).map((name) => element("div", "", name)));
  days.replaceChildren();
  for (const day of data.days || []) {
    const cell = element("section", "day");
    cell.setAttribute("role", "listitem");
    cell.setAttribute("aria-label", day.name);
    if (day.outside) cell.classList.add("outside");
    if (day.today) cell.classList.add("today");
    if (!day.items.length && !day.marks.length) cell.classList.add("free");
    const number = element("div", "number");
    number.append(element("span", "short", day.day), element("span", "full", day.name));
    cell.append(number);
    for (const mark of day.marks) cell.append(element("div", "mark", mark));
    for (const item of day.items) {
      const button = element("button", "item");
      button.type = "button";
      button.title = item.about;
      button.setAttribute("aria-label", `${item.text} — ${item.about}`);
      button.append(element("span", "dot " + (COLORS.has(item.color) ? item.color : "gray")),
                    element("span", "text", item.text));
      button.addEventListener("click", () => setTriggerValue("open", item.id));
      cell.append(button);
    }
    days.append(cell);
  }
}
"""

_month_grid = st.components.v2.component("gospubliki.month_grid", html=HTML, css=CSS, js=JS)


def _opened() -> None:
    """A material was clicked (the page reads which one from the result)."""


def month_grid(grid: dict, key: str) -> int | None:
    """Draw `grid` (content.month_grid); the id of the material just clicked, else None."""
    result = _month_grid(key=key, data=grid, on_open_change=_opened)
    return None if result.open is None else int(result.open)
