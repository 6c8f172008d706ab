"""Russian for the texts Streamlit's own widgets only know in English.

Streamlit 1.67 has no locale setting. Where a widget takes our text (placeholders, labels,
`select_all=False` instead of «Select all»), the pages pass it; what remains hard-coded in the
browser bundle is put into Russian here, in two ways. No data ever goes into either.

- A static style sheet: the file uploader's «Upload» and «… per file» line, the size of a chosen
  file in English units, the «Skip to main content» link of keyboard users — the English text is
  shrunk to nothing and the Russian one drawn in its place. It also hides three buttons of
  Streamlit's element toolbar that would show English or a file unfit for Excel: a chart's
  «Show data» (the chart's raw frame, with its internal column names) and «Copy Vega-Lite spec»,
  and a table's «Download as CSV» (comma-separated, which Russian Excel opens as one column —
  every table of data has its own «Скачать CSV» under it; the report's key figures are in its
  DOCX and PDF).
- A small st.components.v2 component of this project that watches the page in the browser:
  - Streamlit's dialogs over the whole app — «Connection error» when the server stops answering
    (a restart, a lost network), «Page not found» for the very first visitor after a start —
    get Russian texts that the style sheet draws in place of the English ones; so does an element
    whose code the browser could not fetch (the network dropped while the page was being drawn);
  - the menus, tooltips and toolbars of tables, charts and the map (a column's «Sort
    ascending», «Statistics», «Format», a search's «3 results», the map's «Zoom In» …) get the
    Russian of INTERFACE: an English text node inside such a menu or tooltip whose whole text is
    a key is given its value (in place, as a browser's own translator does: React keeps the
    node). Text outside those menus and tooltips — the pages' own, and a table's cells — is never
    touched (save the date field's announcement «Selected Date: …», in its own hidden element), nor
    what inside them came from data (a table's cells, the map's and a chart's tooltip). The `aria-label`, `title` and
    `alt` that screen readers read out are relabelled wherever they are, but only when the whole
    label is a key of INTERFACE or matches one of the few patterns in INTERFACE_JS.
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
div[data-ru] > pre {{ display: none; }}
.st-key-russian_interface {{ display: none; }}
[data-testid="stElementToolbarButton"]:has(button[aria-label="Show data"]),
[data-testid="stElementToolbarButton"]:has(button[aria-label="Copy Vega-Lite spec"]),
[data-testid="stElementToolbarButton"]:has(button[aria-label="Download as CSV"]) {{ display: none; }}
</style>"""


# Streamlit's app-level dialog titles (1.67) and the Russian title and text shown instead; the
# English detail under a title (a status code, a path) is replaced as a whole.
DIALOGS = {
    "Connection error": (
        "Нет связи с сервером",
        "Дашборд сейчас не отвечает: его перезапускают или пропала связь. Страница подключится "
        "сама, как только сервер ответит; если это длится дольше нескольких минут — сообщите "
        "администратору дашборда.",
    ),
    "Page not found": ("Страница не найдена", "По этому адресу страницы нет — открыта главная страница дашборда."),
    "Bad message format": (
        "Ошибка связи с сервером",
        "Обновите страницу браузера; если ошибка повторится — сообщите администратору дашборда.",
    ),
}

# What an element whose code could not be fetched shows instead of Streamlit's «TypeError: Failed to
# fetch dynamically imported module: …» (the browser loads an element's code when the page first
# draws one; a server that stops or a network that drops at that moment leaves the error in place).
FAILED_PART = (
    "Эта часть страницы не загрузилась: пропала связь с сервером. Обновите страницу (F5), когда связь вернётся."
)

# Streamlit's own interface texts (1.67) in the menus, tooltips and toolbars of tables, charts and
# the map, and in the labels of its controls, with their Russian. What the browser bundle builds
# from a number («3 results», «Help for …») is in INTERFACE_JS.
INTERFACE = {
    # The toolbar over a table, a chart or the map (its tooltips and button labels).
    "Show/hide columns": "Показать или скрыть столбцы",
    "Search": "Поиск",
    "Fullscreen": "Во весь экран",
    "Close fullscreen": "Свернуть",
    "Download as PNG": "Скачать PNG",
    # A table's column menu and its submenus.
    "Dataframe column menu": "Меню столбца",
    "Copy column name": "Скопировать название столбца",
    "Sort ascending": "По возрастанию",
    "Sort descending": "По убыванию",
    "Statistics": "Статистика",
    "Format": "Формат",
    "Autosize": "Ширина по содержимому",
    "Pin column": "Закрепить столбец",
    "Unpin column": "Открепить столбец",
    "Hide column": "Скрыть столбец",
    "Select all": "Выбрать все",
    "Automatic": "Автоматически",
    "Localized": "По языку браузера",
    "Plain": "Без форматирования",
    "Compact": "Сокращённо",
    "Dollar": "Доллары",
    "Euro": "Евро",
    "Yen": "Иены",
    "Percent": "Проценты",
    "Scientific": "Научный",
    "Accounting": "Бухгалтерский",
    "Duration": "Длительность",
    "Distance": "Сколько прошло",
    "Calendar": "Календарный",
    "Values": "Значений",
    "Empty": "Пустых",
    "Distinct": "Разных",
    "Average": "Среднее",
    "Standard deviation": "Стандартное отклонение",
    "Minimum": "Минимум",
    "25th percentile": "25-й процентиль",
    "Median": "Медиана",
    "75th percentile": "75-й процентиль",
    "Maximum": "Максимум",
    "Sum": "Сумма",
    "Minimum length": "Наименьшая длина",
    "Maximum length": "Наибольшая длина",
    "Average length": "Средняя длина",
    "Range": "Диапазон",
    "Count": "Количество",
    "True": "Да",
    "False": "Нет",
    "Based on sample": "По выборке",
    "No data": "Нет данных",
    "Top values frequency chart": "Самые частые значения",
    "Distribution histogram": "Распределение",
    "True/false distribution chart": "Да и нет",
    # A table's search.
    "Type to search": "Введите текст для поиска",
    "Close Search": "Закрыть поиск",
    "Next Result": "Следующее совпадение",
    "Previous Result": "Предыдущее совпадение",
    # The map.
    "Map": "Карта",
    "Zoom In": "Приблизить",
    "Zoom Out": "Отдалить",
    "Toggle attribution": "Показать или скрыть источники карты",
    "Mapbox logo": "Логотип Mapbox",
    # A date field and its calendar.
    "Choose date": "Выбрать дату",
    "Choose date range": "Выбрать период",
    "Quick select a date range": "Быстрый выбор периода",
    "Clear dates": "Очистить даты",
    "Start Date": "Начало",
    "End Date": "Конец",
    "Clear date": "Очистить дату",
    "Previous month": "Предыдущий месяц",
    "Next month": "Следующий месяц",
    # The empty segments of a date field (Streamlit draws them in English whatever the locale).
    "dd": "дд",
    "mm": "мм",
    "yyyy": "гггг",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": "Стрелки переходят по дням, Enter выбирает день, Escape закрывает календарь.",
    # Labels of the app's frame and of widgets, read out by screen readers.
    "Vega visualization": "График",
    "Sidebar": "Боковая панель",
    "Collapse sidebar": "Свернуть боковую панель",
    "Expand sidebar": "Развернуть боковую панель",
    "App pages": "Страницы дашборда",
    "Navigate to home page": "На главную страницу",
    "Logo": "Госпаблики Новосибирска",
    "Link to heading": "Ссылка на раздел",
    "Open": "Открыть",
    "Close": "Закрыть",
    "Clear all": "Очистить",
    "file upload": "Выбор файла",
    "Add files": "Добавить файлы",
    "Show password": "Показать пароль",
    "Hide password": "Скрыть пароль",
    "Scroll tabs left": "Прокрутить вкладки влево",
    "Scroll tabs right": "Прокрутить вкладки вправо",
    "Selected values": "Выбрано",
    "Selectbox options": "Варианты",
    "No results": "Ничего не найдено",
    "Download as CSV": "Скачать CSV",
    "Dismiss": "Закрыть",
}

# The type of a table's column, on its icon in the column menu (the icon's title).
COLUMN_KINDS = {
    "text": "текст",
    "number": "число",
    "date": "дата",
    "datetime": "дата и время",
    "time": "время",
    "checkbox": "да или нет",
    "link": "ссылка",
    "progress": "доля",
    "list": "список",
    "selectbox": "выбор из списка",
    "object": "значение",
}

# Where English text nodes are put into Russian: Streamlit's tooltips, element toolbars, table
# menus and search bar, menus, Vega's tooltip and the map's controls.
INTERFACE_SCOPE = (
    "[data-testid=stTooltipContent], [data-testid=stElementToolbar], [data-testid^=stDataFrame], "
    "[role=menu], #vg-tooltip-element, [data-testid=stDeckGlJsonChart], [data-testid^=stDateInput]"
)

INTERFACE_JS = """
export default function ({ data }) {
  if (window.gospublikiRussian) { Object.assign(window.gospublikiRussian, data); return; }
  const state = window.gospublikiRussian = { ...data };
  // The form of a Russian noun after the number n: 1 совпадение, 3 совпадения, 5 совпадений.
  const plural = (n, one, few, many) => n % 10 === 1 && n % 100 !== 11 ? one
    : [2, 3, 4].includes(n % 10) && ![12, 13, 14].includes(n % 100) ? few : many;
  // The Russian of one English text of Streamlit's, or null when it is not one.
  const russian = english => {
    if (Object.hasOwn(state.texts, english)) return state.texts[english];
    let m;
    if ((m = /^(\\d+) results?$/.exec(english))) return m[1] + ' ' + plural(+m[1], 'совпадение', 'совпадения', 'совпадений');
    if (english === 'over 1000') return 'больше 1000 совпадений';
    if ((m = /^(\\d+) of (\\d+) results?$/.exec(english))) return m[1] + ' из ' + m[2] + ' ' + plural(+m[2], 'совпадения', 'совпадений', 'совпадений');
    if ((m = /^(\\d+) of over 1000$/.exec(english))) return m[1] + ' из более чем 1000 совпадений';
    if ((m = /^Choose date, ([\\s\\S]+)$/.exec(english))) return 'Выберите дату, ' + m[1];
    if ((m = /^Choose date range, ([\\s\\S]+)$/.exec(english))) return 'Выберите период, ' + m[1];
    return null;
  };
  const label = english => {
    const text = russian(english);
    if (text !== null) return text;
    let m;
    if ((m = /^Help for ([\\s\\S]+)$/.exec(english))) return 'Подсказка: ' + m[1];
    if ((m = /^Remove ([\\s\\S]+)$/.exec(english))) return 'Убрать: ' + m[1];
    if ((m = /^(Top values frequency chart|Distribution histogram|True\\/false distribution chart)([\\s\\S]*)$/.exec(english)))
      return state.texts[m[1]] + m[2];
    if (/^[a-z0-9_]+ icon$/.test(english)) return 'значок';
    // A bar of the histogram in a column's statistics: its range and how many values fall in it.
    if ((m = /^binStart: [^;]*; count: [^;]*; binEnd: [^;]*; Range: ([^;]+); Count: (\\d+)$/.exec(english)))
      return m[1] + ': ' + m[2];
    if ((m = /^(day|month|year|hour|minute), ([\\s\\S]+)$/.exec(english)))
      return { day: 'день', month: 'месяц', year: 'год', hour: 'час', minute: 'минута' }[m[1]] + ', ' + (label(m[2]) ?? m[2]);
    // The two fields of a period: «Период start date».
    if ((m = /^([\\s\\S]+) (start|end) date$/.exec(english))) return m[1] + ': ' + (m[2] === 'start' ? 'начало' : 'конец');
    return null;
  };
  const ATTRIBUTES = ['aria-label', 'title', 'alt'];
  const DATA = '[role=grid], .deck-tooltip, #vg-tooltip-element h2, #vg-tooltip-element td.value';
  // The date field announces a chosen date in a hidden description of its own, a child of the
  // page's body (react-aria's «react-aria-description-N»): only there, never in the app's text.
  const selected = (english, element) => {
    if (element.parentElement !== document.body || !element.id.startsWith('react-aria-description')) return null;
    const m = /^Selected Date: ([\\s\\S]+)$/.exec(english), day = m && new Date(m[1]);
    return day && !isNaN(day) ? 'Выбрана дата: ' + day.toLocaleDateString('ru-RU', { dateStyle: 'long' }) : null;
  };
  const text = node => {
    const element = node.parentElement;
    const english = node.nodeValue.trim();
    if (!element || !english || !/[A-Za-z]/.test(english)) return;
    // Inside the scope, what the app drew from data stays as it is: a grid's cells, the map's
    // tooltip, a chart tooltip's title and values.
    if (!element.closest(state.scope) || element.closest(DATA)) {
      // A dropdown with nothing to offer: its empty state is a bare span in an option without
      // aria-selected — a real option (data) always carries aria-selected.
      const option = element.parentElement;
      const empty = english === 'No results' && element.tagName === 'SPAN' && option
        && option.getAttribute('role') === 'option' && !option.hasAttribute('aria-selected')
        && element.closest('[role=listbox]');
      const ru = empty ? state.texts[english] : selected(english, element);
      if (ru !== null) node.nodeValue = ru;
      return;
    }
    const ru = russian(english);
    if (ru !== null) node.nodeValue = node.nodeValue.replace(english, ru);
  };
  const attribute = (element, name) => {
    const english = element.getAttribute(name);
    if (!english || !/[A-Za-z]/.test(english) || element.closest('[role=gridcell]')) return;
    const ru = name === 'title' && Object.hasOwn(state.kinds, english)
      && element.closest('[data-testid=stDataFrameColumnMenu]') ? state.kinds[english] : label(english);
    if (ru !== null) element.setAttribute(name, ru);
  };
  const tree = root => {
    if (root.nodeType === Node.TEXT_NODE) { text(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) text(walker.currentNode);
    for (const name of ATTRIBUTES) {
      if (root.hasAttribute(name)) attribute(root, name);
      for (const element of root.querySelectorAll('[' + name + ']')) attribute(element, name);
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
    for (const alert of document.querySelectorAll('[data-testid=stAlertContentError]:not([data-ru])')) {
      const name = alert.firstElementChild, message = name && name.nextSibling;
      if (name && name.tagName === 'STRONG' && name.textContent === 'TypeError: ' && message
          && message.nodeType === Node.TEXT_NODE && message.nodeValue.startsWith('Failed to fetch dynamically imported module'))
        alert.dataset.ru = state.failed_part;
    }
  };
  new MutationObserver(records => {
    for (const record of records) {
      if (record.type === 'childList') record.addedNodes.forEach(tree);
      else if (record.type === 'characterData') text(record.target);
      else attribute(record.target, record.attributeName);
    }
    dialogs();
    failedParts();
  }).observe(document.body, { childList: true, subtree: true, characterData: true,
                              attributes: true, attributeFilter: ATTRIBUTES });
  tree(document.body);
  dialogs();
  failedParts();
}
"""
_interface = st.components.v2.component("gospubliki.russian_interface", html="<span></span>", js=INTERFACE_JS)


def apply() -> None:
    """Put the style sheet on the page (a style-only st.html takes no space), and the relabeller
    in the sidebar (hidden by the style sheet; it only runs its script)."""
    st.html(style_sheet(int(st.get_option("server.maxUploadSize"))))
    with st.sidebar:
        _interface(
            key="russian_interface",
            data={
                "dialogs": DIALOGS,
                "texts": INTERFACE,
                "kinds": COLUMN_KINDS,
                "scope": INTERFACE_SCOPE,
                "failed_part": FAILED_PART,
            },
        )
