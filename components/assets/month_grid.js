// The month grid of «Контент-план» (components/month_grid.py): every title, name and mark from the data
// is set as text, never as markup; a click on a material reports its id.
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
      button.append(
        element("span", "dot " + (COLORS.has(item.color) ? item.color : "gray")),
        element("span", "text", item.text),
      );
      button.addEventListener("click", () => setTriggerValue("open", item.id));
      cell.append(button);
    }
    days.append(cell);
  }
}
