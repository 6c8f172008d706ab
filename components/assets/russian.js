// The relabeller: Streamlit's English texts in the browser put into Russian (components/russian.py says
// which and why). Its data — the texts, the dialogs, the scope — comes from Python as JSON.
export default function ({ data }) {
  if (window.gospublikiRussian) {
    Object.assign(window.gospublikiRussian, data);
    return;
  }
  const state = (window.gospublikiRussian = { ...data });
  // The form of a Russian noun after the number n: 1 совпадение, 3 совпадения, 5 совпадений.
  const plural = (n, one, few, many) =>
    n % 10 === 1 && n % 100 !== 11 ? one : [2, 3, 4].includes(n % 10) && ![12, 13, 14].includes(n % 100) ? few : many;
  // The Russian of one English text of Streamlit's, or null when it is not one.
  const russian = (english) => {
    if (Object.hasOwn(state.texts, english)) return state.texts[english];
    let m;
    if ((m = /^(\d+) results?$/.exec(english)))
      return m[1] + " " + plural(+m[1], "совпадение", "совпадения", "совпадений");
    if (english === "over 1000") return "больше 1000 совпадений";
    if ((m = /^(\d+) of (\d+) results?$/.exec(english)))
      return m[1] + " из " + m[2] + " " + plural(+m[2], "совпадения", "совпадений", "совпадений");
    if ((m = /^(\d+) of over 1000$/.exec(english))) return m[1] + " из более чем 1000 совпадений";
    if ((m = /^Choose date, ([\s\S]+)$/.exec(english))) return "Выберите дату, " + m[1];
    if ((m = /^Choose date range, ([\s\S]+)$/.exec(english))) return "Выберите период, " + m[1];
    return null;
  };
  const label = (english) => {
    const text = russian(english);
    if (text !== null) return text;
    let m;
    if ((m = /^Help for ([\s\S]+)$/.exec(english))) return "Подсказка: " + m[1];
    if ((m = /^Remove ([\s\S]+)$/.exec(english))) return "Убрать: " + m[1];
    if (
      (m = /^(Top values frequency chart|Distribution histogram|True\/false distribution chart)([\s\S]*)$/.exec(
        english,
      ))
    )
      return state.texts[m[1]] + m[2];
    if (/^[a-z0-9_]+ icon$/.test(english)) return "значок";
    // A bar of the histogram in a column's statistics: its range and how many values fall in it.
    if ((m = /^binStart: [^;]*; count: [^;]*; binEnd: [^;]*; Range: ([^;]+); Count: (\d+)$/.exec(english)))
      return m[1] + ": " + m[2];
    if ((m = /^(day|month|year|hour|minute), ([\s\S]+)$/.exec(english)))
      return (
        { day: "день", month: "месяц", year: "год", hour: "час", minute: "минута" }[m[1]] + ", " + (label(m[2]) ?? m[2])
      );
    // The two fields of a period: «Период start date».
    if ((m = /^([\s\S]+) (start|end) date$/.exec(english)))
      return m[1] + ": " + (m[2] === "start" ? "начало" : "конец");
    return null;
  };
  const ATTRIBUTES = ["aria-label", "title", "alt"];
  const DATA = "[role=grid], .deck-tooltip, #vg-tooltip-element h2, #vg-tooltip-element td.value";
  // The date field announces a chosen date in a hidden description of its own, a child of the
  // page's body (react-aria's «react-aria-description-N»): only there, never in the app's text.
  const selected = (english, element) => {
    if (element.parentElement !== document.body || !element.id.startsWith("react-aria-description")) return null;
    const m = /^Selected Date: ([\s\S]+)$/.exec(english),
      day = m && new Date(m[1]);
    return day && !isNaN(day) ? "Выбрана дата: " + day.toLocaleDateString("ru-RU", { dateStyle: "long" }) : null;
  };
  const text = (node) => {
    const element = node.parentElement;
    const english = node.nodeValue.trim();
    if (!element || !english || !/[A-Za-z]/.test(english)) return;
    // Inside the scope, what the app drew from data stays as it is: a grid's cells, the map's
    // tooltip, a chart tooltip's title and values.
    if (!element.closest(state.scope) || element.closest(DATA)) {
      // A dropdown with nothing to offer: its empty state is a bare span in an option without
      // aria-selected — a real option (data) always carries aria-selected.
      const option = element.parentElement;
      const empty =
        english === "No results" &&
        element.tagName === "SPAN" &&
        option &&
        option.getAttribute("role") === "option" &&
        !option.hasAttribute("aria-selected") &&
        element.closest("[role=listbox]");
      const ru = empty ? state.texts[english] : selected(english, element);
      if (ru !== null) node.nodeValue = ru;
      return;
    }
    const ru = russian(english);
    if (ru !== null) node.nodeValue = node.nodeValue.replace(english, ru);
  };
  const attribute = (element, name) => {
    const english = element.getAttribute(name);
    if (!english || !/[A-Za-z]/.test(english) || element.closest("[role=gridcell]")) return;
    const ru =
      name === "title" && Object.hasOwn(state.kinds, english) && element.closest("[data-testid=stDataFrameColumnMenu]")
        ? state.kinds[english]
        : label(english);
    if (ru !== null) element.setAttribute(name, ru);
  };
  const tree = (root) => {
    if (root.nodeType === Node.TEXT_NODE) {
      text(root);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) text(walker.currentNode);
    for (const name of ATTRIBUTES) {
      if (root.hasAttribute(name)) attribute(root, name);
      for (const element of root.querySelectorAll("[" + name + "]")) attribute(element, name);
    }
  };
  const dialogs = () => {
    for (const dialog of document.querySelectorAll('section[role="dialog"]')) {
      const title = dialog.querySelector("h2");
      if (!title || title.dataset.ru) continue;
      const ru = state.dialogs[title.textContent.trim()];
      if (!ru) continue;
      title.dataset.ru = ru[0];
      const body = title.nextElementSibling;
      if (body) body.dataset.ru = ru[1];
    }
  };
  // An element whose code did not arrive: Streamlit's error element (a bold «TypeError: » right in
  // the alert, then the browser's message and a stack) — never one of the app's own st.error
  // alerts, whose text is always inside a markdown container.
  const failedParts = () => {
    for (const alert of document.querySelectorAll("[data-testid=stAlertContentError]:not([data-ru])")) {
      const name = alert.firstElementChild,
        message = name && name.nextSibling;
      if (
        name &&
        name.tagName === "STRONG" &&
        name.textContent === "TypeError: " &&
        message &&
        message.nodeType === Node.TEXT_NODE &&
        message.nodeValue.startsWith("Failed to fetch dynamically imported module")
      )
        alert.dataset.ru = state.failed_part;
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "childList") record.addedNodes.forEach(tree);
      else if (record.type === "characterData") text(record.target);
      else attribute(record.target, record.attributeName);
    }
    dialogs();
    failedParts();
  }).observe(document.body, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES,
  });
  tree(document.body);
  dialogs();
  failedParts();
}
