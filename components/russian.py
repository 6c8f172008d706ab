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

from components import static_files

STYLE_SHEET = static_files.text("russian.css")


def style_sheet(max_upload_mb: int) -> str:
    """The style sheet with the upload limit the uploaders' Russian line names («до 10 МБ»)."""
    return f'<style>:root {{ --gospubliki-upload-limit: "{max_upload_mb} МБ"; }}\n{STYLE_SHEET}</style>'


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
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": (
        "Стрелки переходят по дням, Enter выбирает день, Escape закрывает календарь."
    ),
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

INTERFACE_JS = static_files.text("russian.js")
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
